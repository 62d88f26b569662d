import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { EdgeEntitlements } from "./features";
import {
    BotMode, EdgeHosts, OmittedRule, PHASES, RateLimits, RuleSpec, WafRollout, ZONE_SETTINGS,
    botManagementSettings, cacheRules, configRules, customWafRules, managedWafRules, originPullHosts, rateLimitRules, redirectRules, responseHeaderRules,
} from "./rules";

/** The app host's DNS record: originless (100::, the conventional placeholder for a hostname a Worker route serves
 * entirely; Workers run only on proxied hostnames: https://developers.cloudflare.com/workers/configuration/routing/routes/). */
const ORIGINLESS_AAAA = "100::";

/** SES records the zone publishes for the Notifications layer's sending domain. */
export interface EmailDnsArgs {
    /** SES Easy DKIM tokens (SES always issues exactly three). */
    dkimTokens: pulumi.Input<pulumi.Input<string>[]>;
    /** The custom MAIL FROM domain, fully qualified (e.g. mail.complyhub.io): gets the MX and SPF records. */
    mailFromDomain: string;
    /** The SES region (its feedback MX host is regional). */
    region: string;
    /** The MX host of the MAIL FROM domain; default `feedback-smtp.<region>.amazonses.com`. */
    mailFromMxHost?: string;
    /** DMARC policy for the domain; default quarantine. */
    dmarcPolicy?: "none" | "quarantine" | "reject";
    /** Where aggregate DMARC reports go (rua); omit for none. */
    dmarcReportEmail?: string;
}

/** Authenticated Origin Pulls as OriginTrust set it up. */
export type EdgeAop = { mode: "zone" } | { mode: "per-hostname"; certificateId: pulumi.Input<string> };

/** What a caller decides about the zone's edge; everything else is the secure baseline. */
export interface EdgeArgs {
    /** Cloudflare zone id. */
    zoneId: pulumi.Input<string>;
    /** The zone's apex domain (DMARC lives at `_dmarc.<domain>`). */
    domain: string;
    /** Fully qualified hostnames: the SPA, the API and (optionally) Keycloak. */
    hosts: EdgeHosts;
    /** The ALB's DNS name: origin of the API and Keycloak hosts. */
    albDnsName: pulumi.Input<string>;
    /** What the zone's plan and add-ons grant (components/edge/features.ts): decides rulesets, limits and bot fields. */
    entitlements: EdgeEntitlements;
    /** Bot protection mode (bot-management needs the Enterprise add-on; super-bot-fight-mode Pro or higher). */
    botMode: BotMode;
    /** Managed WAF rollout (log-first on Enterprise, OWASP threshold and paranoia level). */
    waf: WafRollout;
    /** Resources that must exist before the app host's record goes live (the SPA origin Worker's route). */
    appServedBy: pulumi.Resource[];
    /** ISO country codes blocked at the edge. */
    blockedCountries: readonly string[];
    /** Rate-limit thresholds in requests per minute. */
    rateLimits: RateLimits;
    /** Authenticated Origin Pulls mode, with the uploaded certificate id for per-hostname. */
    aop: EdgeAop;
    /** SES DKIM/SPF/DMARC records, when the Notifications layer sends from this domain. */
    emailDns?: EmailDnsArgs;
}

/**
 * Cloudflare as the single edge of the platform, for one zone:
 * - every host record is proxied (origins never resolve publicly) and goes live only after Full (strict) and
 *   Authenticated Origin Pulls are in place, so no request ever reaches the ALB without Cloudflare's client certificate;
 * - exactly one ruleset per phase (a second one of the same phase fails at deploy), built from the pure rules in `rules.ts`;
 * - every host runs Full (strict); the app host is originless (100::) and served by the SPA origin Worker's route;
 * - Authenticated Origin Pulls per hostname: one resource per ALB host (the provider accepts exactly one hostname per
 *   resource: terraform-provider-cloudflare internal/services/authenticated_origin_pulls/resource.go, "config must
 *   contain exactly one hostname association").
 */
export class Edge extends pulumi.ComponentResource {
    public readonly hostnames: EdgeHosts;
    public readonly urls: { app: string; api: string; auth?: string };
    /** DNS record ids by purpose (app, api, auth, dkim-0..2, mail-from-mx, mail-from-spf, dmarc). */
    public readonly recordIds: Record<string, pulumi.Output<string>>;
    /** Ruleset ids by phase. */
    public readonly rulesetIds: Record<string, pulumi.Output<string>>;
    /** Rate-limiting rules the plan cannot hold, with the reason and where the limit is enforced instead. */
    public readonly omittedRateLimits: OmittedRule[];

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        const child = { parent: this };
        const zoneId = args.zoneId;
        const hosts = args.hosts;

        const settings = Object.fromEntries(Object.entries(ZONE_SETTINGS).map(([settingId, value]) =>
            [settingId, new cloudflare.ZoneSetting(`${name}-${settingId.replace(/_/g, "-")}`, { zoneId, settingId, value }, child)]));

        const rulesets: Record<string, cloudflare.Ruleset> = {};
        const ruleset = (key: string, phase: string, title: string, rules: RuleSpec[]) => {
            rulesets[phase] = new cloudflare.Ruleset(`${name}-${key}`, {
                // The plan marker lets the pack's preflight-cloudflare-entitlements check the rules against the zone's plan.
                zoneId, kind: "zone", phase, name: `${name}: ${title}`, description: `${title} (managed by Pulumi; one ruleset per phase; ${planMarker(args.entitlements)})`,
                rules: rules.map(toRule),
            }, child);
            return rulesets[phase];
        };
        const ent = args.entitlements;
        ruleset("waf-managed", PHASES.managedWaf, "managed WAF", managedWafRules(ent, hosts, args.waf));
        ruleset("waf-custom", PHASES.customWaf, "custom WAF", customWafRules({ hosts, blockedCountries: args.blockedCountries, botMode: args.botMode }));
        const limits = rateLimitRules(ent, hosts, args.rateLimits);
        ruleset("rate-limits", PHASES.rateLimit, "rate limits", limits.rules);
        ruleset("cache", PHASES.cache, "SPA cache", cacheRules(hosts));
        ruleset("headers", PHASES.responseHeaders, "security headers", responseHeaderRules(hosts));
        // Logical name and title kept from the former SPA-origin ruleset (no replacement of the phase's entry point).
        ruleset("config", PHASES.config, "SPA origin SSL", configRules(hosts));
        ruleset("https-redirects", PHASES.redirect, "HTTPS redirects", redirectRules(hosts));

        new cloudflare.BotManagement(`${name}-bots`, { zoneId, ...botManagementSettings(args.botMode, ent) }, child);

        const aop = args.aop;
        const originPulls: pulumi.Resource[] = aop.mode === "per-hostname"
            ? originPullHosts(hosts).map((hostname, i) => new cloudflare.AuthenticatedOriginPulls(`${name}-aop-${hostname.split(".")[0]}`, {
                zoneId, configs: [{ hostname, certId: aop.certificateId, enabled: true }],
            // The API host's resource was `${name}-aop` (one resource for all hosts): adopt it rather than recreate it.
            }, { ...child, dependsOn: [settings.ssl], ...(i === 0 ? { aliases: [{ name: `${name}-aop` }] } : {}) }))
            : [new cloudflare.ZoneSetting(`${name}-tls-client-auth`, { zoneId, settingId: "tls_client_auth", value: "on" }, { ...child, dependsOn: [settings.ssl] })];

        const record = (key: string, recordArgs: Omit<cloudflare.DnsRecordArgs, "zoneId" | "ttl">, dependsOn: pulumi.Resource[] = []) =>
            new cloudflare.DnsRecord(`${name}-${key}`, { zoneId, ttl: 1, comment: `${name}: managed by Pulumi`, ...recordArgs }, { ...child, dependsOn });
        const hostRecords: Record<string, cloudflare.DnsRecord> = {
            api: record("api", { name: hosts.api, type: "CNAME", content: args.albDnsName, proxied: true }, [settings.ssl, settings.min_tls_version, ...originPulls]),
            app: record("app", { name: hosts.app, type: "AAAA", content: ORIGINLESS_AAAA, proxied: true }, [settings.ssl, ...args.appServedBy]),
        };
        if (hosts.auth) {
            hostRecords.auth = record("auth", { name: hosts.auth, type: "CNAME", content: args.albDnsName, proxied: true },
                [settings.ssl, settings.min_tls_version, ...originPulls]);
        }

        const emailRecords = args.emailDns ? this.emailRecords(name, args.domain, args.emailDns, record) : {};

        this.hostnames = { ...hosts };
        this.urls = { app: `https://${hosts.app}`, api: `https://${hosts.api}`, ...(hosts.auth ? { auth: `https://${hosts.auth}` } : {}) };
        this.recordIds = Object.fromEntries(Object.entries({ ...hostRecords, ...emailRecords }).map(([k, r]) => [k, r.id]));
        this.rulesetIds = Object.fromEntries(Object.entries(rulesets).map(([phase, r]) => [phase, r.id]));
        this.omittedRateLimits = limits.omitted;
        this.registerOutputs({ hostnames: this.hostnames, urls: this.urls, recordIds: this.recordIds, rulesetIds: this.rulesetIds });
    }

    /** DKIM CNAMEs, MAIL FROM MX + SPF, DMARC: DNS-only (proxying would break mail and DKIM lookups). */
    private emailRecords(name: string, domain: string, email: EmailDnsArgs,
        record: (key: string, a: Omit<cloudflare.DnsRecordArgs, "zoneId" | "ttl">) => cloudflare.DnsRecord): Record<string, cloudflare.DnsRecord> {
        const tokens = pulumi.output(email.dkimTokens);
        const out: Record<string, cloudflare.DnsRecord> = {};
        // SES Easy DKIM always issues three tokens; an Output array cannot be looped at construction, so index 0..2.
        for (const i of [0, 1, 2]) {
            const token = tokens.apply((t) => {
                if (t.length !== 3) throw new Error(`${name}: SES returned ${t.length} DKIM tokens; expected 3`);
                return t[i];
            });
            out[`dkim-${i}`] = record(`dkim-${i}`, {
                name: pulumi.interpolate`${token}._domainkey.${domain}`, type: "CNAME", content: pulumi.interpolate`${token}.dkim.amazonses.com`, proxied: false,
            });
        }
        out["mail-from-mx"] = record("mail-from-mx", { name: email.mailFromDomain, type: "MX", content: email.mailFromMxHost ?? `feedback-smtp.${email.region}.amazonses.com`, priority: 10 });
        out["mail-from-spf"] = record("mail-from-spf", { name: email.mailFromDomain, type: "TXT", content: "\"v=spf1 include:amazonses.com ~all\"" });
        const rua = email.dmarcReportEmail ? `; rua=mailto:${email.dmarcReportEmail}` : "";
        out.dmarc = record("dmarc", { name: `_dmarc.${domain}`, type: "TXT", content: `"v=DMARC1; p=${email.dmarcPolicy ?? "quarantine"}${rua}"` });
        return out;
    }
}

function toRule(spec: RuleSpec): cloudflare.types.input.RulesetRule {
    return {
        ref: spec.ref, description: spec.description, expression: spec.expression, action: spec.action, enabled: true,
        ...(spec.actionParameters ? { actionParameters: spec.actionParameters as cloudflare.types.input.RulesetRuleActionParameters } : {}),
        ...(spec.ratelimit ? { ratelimit: spec.ratelimit } : {}),
    };
}

/** `plan=<plan>; addons=<a,b>`: the zone's entitlements as the policy pack reads them from a ruleset's description. */
function planMarker(ent: EdgeEntitlements): string {
    const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const addons = Object.entries(ent.addons).filter(([, on]) => on).map(([key]) => kebab(key)).sort();
    return `plan=${ent.plan}; addons=${addons.join(",")}`;
}
