import { CLOUDFLARE_PLANS, CloudflareAddons, RequestedFeature, entitlementsOf, missingEntitlement } from "../components/edge/features";
import { BotMode, OWASP_SCORE_THRESHOLDS, WafRollout } from "../components/edge/rules";
import type { PlatformConfig } from "./config";
import { ConfigError, Section } from "./validate";

const HEX32 = /^[0-9a-f]{32}$/;

/**
 * The `platform:edge` section. The stated plan and add-ons are the zone's entitlements; every feature the section asks
 * for is checked against them here, before any resource is registered, and a missing one is named with its key.
 */
export function parseEdge(ed: Section, isProd: boolean): Omit<PlatformConfig["edge"], "activeOrigin"> {
    const plan = ed.oneOf("plan", CLOUDFLARE_PLANS);
    const add = ed.section("addons", true);
    const addons: CloudflareAddons = {
        advancedRateLimiting: add.bool("advancedRateLimiting", false),
        botManagement: add.bool("botManagement", false),
        appSecurity: add.bool("appSecurity", false),
    };
    if (plan !== "enterprise" && Object.values(addons).some(Boolean)) {
        throw new ConfigError("platform:edge.addons", addons, "no add-ons below the enterprise plan (Cloudflare sells them on Enterprise contracts)");
    }
    const botRaw = ed.oneOf("botManagement", ["bot-management", "super-bot-fight-mode", "off", "bot-fight-mode"] as const);
    if (botRaw === "bot-fight-mode") {
        throw new ConfigError("platform:edge.botManagement", botRaw,
            "super-bot-fight-mode (pro+), bot-management (enterprise add-on) or off: Bot Fight Mode cannot be skipped for the API's machine clients");
    }
    const botManagement: BotMode = botRaw;
    const wafIn = ed.section("waf", true);
    const waf: WafRollout = {
        mode: wafIn.oneOf("mode", ["log", "block"] as const, "block"),
        owaspScoreThreshold: wafIn.int("owaspScoreThreshold", { default: 40, allowed: OWASP_SCORE_THRESHOLDS }) as WafRollout["owaspScoreThreshold"],
        owaspParanoiaLevel: wafIn.int("owaspParanoiaLevel", { default: 1, min: 1, max: 4 }) as WafRollout["owaspParanoiaLevel"],
    };
    const logpushDestination = ed.optionalString("logpushDestination", {
        pattern: /^(s3|https|r2|gs|azure|datadog|splunk|sumo):\/\/\S+$/, allowed: "a Logpush destination_conf such as s3://bucket/path?region=eu-central-1",
    });
    const edge = {
        domain: ed.string("domain", { pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, allowed: "a lowercase DNS domain such as complyhub.io" }),
        zoneId: ed.string("zoneId", { pattern: HEX32, allowed: "the Cloudflare zone id (32 hex characters)" }),
        accountId: ed.string("accountId", { pattern: HEX32, allowed: "the Cloudflare account id of the zone (32 hex characters)" }),
        plan,
        addons,
        entitlements: entitlementsOf(plan, addons),
        botManagement,
        blockedCountries: ed.stringList("blockedCountries", { pattern: /^[A-Z]{2}$/, allowed: "a list of ISO 3166-1 alpha-2 country codes", default: [] }),
        apiRateLimitPerIp: ed.int("apiRateLimitPerIp", { min: 1, max: 1000000 }),
        apiRateLimitPerKey: ed.int("apiRateLimitPerKey", { min: 1, max: 1000000 }),
        authRateLimitPerIp: ed.int("authRateLimitPerIp", { min: 1, max: 10000 }),
        aop: ed.oneOf("aop", ["per-hostname", "zone"] as const, "per-hostname"),
        aopRenewalDays: ed.int("aopRenewalDays", { default: 45, min: 14, max: 180 }),
        waf,
        ...(logpushDestination ? { logpushDestination } : {}),
    };
    if (isProd && edge.aop !== "per-hostname") {
        throw new ConfigError("platform:edge.aop", edge.aop, "per-hostname in prod (zone-level AOP trusts every Cloudflare customer's traffic)");
    }

    const requested: RequestedFeature[] = [
        { feature: "rateLimitRules", key: "platform:edge.addons.appSecurity", value: addons.appSecurity },
        ...(botManagement === "super-bot-fight-mode"
            ? [{ feature: "superBotFightMode" as const, key: "platform:edge.botManagement", value: botManagement }]
            : []),
        ...(botManagement === "bot-management" ? [{ feature: "botManagement" as const, key: "platform:edge.botManagement", value: botManagement }] : []),
        ...(waf.mode === "log" ? [{ feature: "managedWafLogAction" as const, key: "platform:edge.waf.mode", value: waf.mode }] : []),
        ...(logpushDestination ? [{ feature: "logpush" as const, key: "platform:edge.logpushDestination", value: logpushDestination }] : []),
        ...(addons.advancedRateLimiting
            ? [{ feature: "rateLimitHeaderCounting" as const, key: "platform:edge.addons.advancedRateLimiting", value: true }]
            : []),
    ];
    const missing = missingEntitlement(edge.entitlements, requested);
    if (missing) throw new ConfigError(missing.key, missing.value, missing.missing);
    return edge;
}
