import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { ComponentTags } from "../tags";
import { EdgeEntitlements } from "./features";
import {
    BotMode, DEFAULT_WAF, EdgeHosts, OmittedRule, PHASES, RateLimits, RuleSpec, WafRollout, ZONE_SETTINGS,
    botManagementSettings, cacheRules, configRules, customWafRules, managedWafRules, originPullHosts, rateLimitRules, redirectRules, responseHeaderRules,
} from "./rules";

/** The app host's DNS record: originless (100::, the conventional placeholder for a hostname a Worker route serves
 * entirely; Workers run only on proxied hostnames: https://developers.cloudflare.com/workers/configuration/routing/routes/). */
const ORIGINLESS_AAAA = "100::";
/** Tags per DNS record Cloudflare accepts (paid plans). */
const MAX_RECORD_TAGS = 20;

/** SES records the zone publishes for the Notifications layer's sending domain. */
export interface EmailDnsArgs {
    /** SES Easy DKIM tokens (SES always issues exactly three). */
    readonly dkimTokens: pulumi.Input<pulumi.Input<string>[]>;
    /** The custom MAIL FROM domain, fully qualified (e.g. mail.complyhub.io): gets the MX and SPF records. */
    readonly mailFromDomain: string;
    /** The SES region (its feedback MX host is regional). */
    readonly region: string;
    /** The MX host of the MAIL FROM domain. Default: `feedback-smtp.<region>.amazonses.com`. */
    readonly mailFromMxHost?: string;
    /** DMARC policy for the domain. Default: `quarantine`. */
    readonly dmarcPolicy?: "none" | "quarantine" | "reject";
    /** Where aggregate DMARC reports go (rua). Default: none. */
    readonly dmarcReportEmail?: string;
}

/** Authenticated Origin Pulls as OriginTrust set it up. */
export type EdgeAop = { readonly mode: "zone" } | { readonly mode: "per-hostname"; readonly certificateId: pulumi.Input<string> };

/** What a caller decides about the zone's edge; everything else is the secure baseline. */
export interface EdgeArgs {
    /** Cloudflare zone id. */
    readonly zoneId: pulumi.Input<string>;
    /** The zone's apex domain (DMARC lives at `_dmarc.<domain>`). */
    readonly domain: string;
    /** Fully qualified hostnames: the SPA, the API and (optionally) Keycloak. */
    readonly hosts: EdgeHosts;
    /** The ALB's DNS name: origin of the API and Keycloak hosts. */
    readonly albDnsName: pulumi.Input<string>;
    /** What the zone's plan and add-ons grant (components/edge/features.ts): decides rulesets, limits and bot fields. */
    readonly entitlements: EdgeEntitlements;
    /**
     * Bot protection mode (bot-management needs the Enterprise add-on; super-bot-fight-mode Pro or higher).
     * Default: the strongest the entitlements grant (bot-management, else super-bot-fight-mode, else off).
     */
    readonly botMode?: BotMode;
    /** Managed WAF rollout (log-first on Enterprise, OWASP threshold and paranoia level). Default: DEFAULT_WAF (block, 40, PL1). */
    readonly waf?: WafRollout;
    /** Resources that must exist before the app host's record goes live (the SPA origin Worker's route). Default: none. */
    readonly appServedBy?: readonly pulumi.Resource[];
    /** ISO country codes blocked at the edge. Default: none. */
    readonly blockedCountries?: readonly string[];
    /** Rate-limit thresholds in requests per minute. */
    readonly rateLimits: RateLimits;
    /**
     * Authenticated Origin Pulls mode, with the uploaded certificate id for per-hostname. Default: `zone` (Cloudflare's
     * shared origin-pull certificate; per-hostname with the project's own certificate is stronger: OriginTrust).
     */
    readonly aop?: EdgeAop;
    /** SES DKIM/SPF/DMARC records, when the Notifications layer sends from this domain. Default: none. */
    readonly emailDns?: EmailDnsArgs;
    /**
     * Tags written on every DNS record of the component as Cloudflare record tags (`name:value`). Record tags exist
     * on paid plans only (entitlement `dnsRecordTags`): on a Free zone they are left off and listed in `omittedTags`.
     * Names: letters, digits, `-`, `_`, at most 32 characters; values at most 100; at most 20 tags
     * (https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/). Rulesets, zone settings
     * and bot settings take no tags in the v6 provider. Default: none.
     */
    readonly tags?: ComponentTags;
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
    /** The DNS records themselves, by purpose (the keys of `recordIds`). */
    public readonly records: Readonly<Record<string, cloudflare.DnsRecord>>;
    /** The rulesets themselves, by phase (one per phase). */
    public readonly rulesets: Readonly<Record<string, cloudflare.Ruleset>>;
    /** The zone settings (`ssl`, `min_tls_version`, ...), by setting id. */
    public readonly zoneSettings: Readonly<Record<string, cloudflare.ZoneSetting>>;
    /** The zone's bot settings. */
    public readonly botManagement: cloudflare.BotManagement;
    /** What enforces Authenticated Origin Pulls: one resource per ALB host (per-hostname), or the `tls_client_auth` setting. */
    public readonly originPulls: readonly pulumi.Resource[];
    /** `tags` left off the DNS records because the zone's plan has no record tags (empty when none were). */
    public readonly omittedTags: readonly string[];

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        const recordTags = dnsRecordTags(name, args.tags);
        const child = { parent: this };
        const zoneId = args.zoneId;
        const hosts = args.hosts;
        const ent = args.entitlements;
        const botMode = args.botMode ?? (ent.botManagement ? "bot-management" : ent.superBotFightMode ? "super-bot-fight-mode" : "off");

        const settings = Object.fromEntries(Object.entries(ZONE_SETTINGS).map(([settingId, value]) =>
            [settingId, new cloudflare.ZoneSetting(`${name}-${settingId.replace(/_/g, "-")}`, { zoneId, settingId, value }, child)]));

        const rulesets: Record<string, cloudflare.Ruleset> = {};
        const ruleset = (key: string, phase: string, title: string, rules: RuleSpec[]) => {
            rulesets[phase] = new cloudflare.Ruleset(`${name}-${key}`, {
                // The plan marker lets the pack's preflight-cloudflare-entitlements check the rules against the zone's plan.
                zoneId, kind: "zone", phase, name: `${name}: ${title}`, description: `${title} (managed by Pulumi; one ruleset per phase; ${planMarker(ent)})`,
                rules: rules.map(toRule),
            }, child);
            return rulesets[phase];
        };
        ruleset("waf-managed", PHASES.managedWaf, "managed WAF", managedWafRules(ent, hosts, args.waf ?? DEFAULT_WAF));
        ruleset("waf-custom", PHASES.customWaf, "custom WAF", customWafRules({ hosts, blockedCountries: args.blockedCountries ?? [], botMode }));
        const limits = rateLimitRules(ent, hosts, args.rateLimits);
        ruleset("rate-limits", PHASES.rateLimit, "rate limits", limits.rules);
        ruleset("cache", PHASES.cache, "SPA cache", cacheRules(hosts));
        ruleset("headers", PHASES.responseHeaders, "security headers", responseHeaderRules(hosts));
        // Logical name and title kept from the former SPA-origin ruleset (no replacement of the phase's entry point).
        ruleset("config", PHASES.config, "SPA origin SSL", configRules(hosts));
        ruleset("https-redirects", PHASES.redirect, "HTTPS redirects", redirectRules(hosts));

        const bots = new cloudflare.BotManagement(`${name}-bots`, { zoneId, ...botManagementSettings(botMode, ent) }, child);

        const aop = args.aop ?? { mode: "zone" };
        const originPulls: pulumi.Resource[] = aop.mode === "per-hostname"
            ? originPullHosts(hosts).map((hostname, i) => new cloudflare.AuthenticatedOriginPulls(`${name}-aop-${hostname.split(".")[0]}`, {
                zoneId, configs: [{ hostname, certId: aop.certificateId, enabled: true }],
            // The API host's resource was `${name}-aop` (one resource for all hosts): adopt it rather than recreate it.
            }, { ...child, dependsOn: [settings.ssl], ...(i === 0 ? { aliases: [{ name: `${name}-aop` }] } : {}) }))
            : [new cloudflare.ZoneSetting(`${name}-tls-client-auth`, { zoneId, settingId: "tls_client_auth", value: "on" },
                { ...child, dependsOn: [settings.ssl] })];

        const tags = ent.dnsRecordTags && recordTags.length > 0 ? { tags: recordTags } : {};
        const record = (key: string, recordArgs: Omit<cloudflare.DnsRecordArgs, "zoneId" | "ttl">, dependsOn: pulumi.Resource[] = []) =>
            new cloudflare.DnsRecord(`${name}-${key}`, {
                zoneId, ttl: 1, comment: `${name}: managed by Pulumi`, ...tags, ...recordArgs,
            }, { ...child, dependsOn });
        const hostRecords: Record<string, cloudflare.DnsRecord> = {
            api: record("api", { name: hosts.api, type: "CNAME", content: args.albDnsName, proxied: true },
                [settings.ssl, settings.min_tls_version, ...originPulls]),
            app: record("app", { name: hosts.app, type: "AAAA", content: ORIGINLESS_AAAA, proxied: true }, [settings.ssl, ...(args.appServedBy ?? [])]),
        };
        if (hosts.auth) {
            hostRecords.auth = record("auth", { name: hosts.auth, type: "CNAME", content: args.albDnsName, proxied: true },
                [settings.ssl, settings.min_tls_version, ...originPulls]);
        }

        const emailRecords = args.emailDns ? this.emailRecords(name, args.domain, args.emailDns, record) : {};

        this.hostnames = { ...hosts };
        this.urls = { app: `https://${hosts.app}`, api: `https://${hosts.api}`, ...(hosts.auth ? { auth: `https://${hosts.auth}` } : {}) };
        this.records = { ...hostRecords, ...emailRecords };
        this.recordIds = Object.fromEntries(Object.entries(this.records).map(([k, r]) => [k, r.id]));
        this.rulesets = rulesets;
        this.rulesetIds = Object.fromEntries(Object.entries(rulesets).map(([phase, r]) => [phase, r.id]));
        this.zoneSettings = settings;
        this.botManagement = bots;
        this.originPulls = originPulls;
        this.omittedTags = ent.dnsRecordTags ? [] : recordTags;
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
                name: pulumi.interpolate`${token}._domainkey.${domain}`, type: "CNAME", content: pulumi.interpolate`${token}.dkim.amazonses.com`,
                proxied: false,
            });
        }
        out["mail-from-mx"] = record("mail-from-mx", {
            name: email.mailFromDomain, type: "MX", content: email.mailFromMxHost ?? `feedback-smtp.${email.region}.amazonses.com`, priority: 10,
        });
        out["mail-from-spf"] = record("mail-from-spf", { name: email.mailFromDomain, type: "TXT", content: "\"v=spf1 include:amazonses.com ~all\"" });
        const rua = email.dmarcReportEmail ? `; rua=mailto:${email.dmarcReportEmail}` : "";
        out.dmarc = record("dmarc", { name: `_dmarc.${domain}`, type: "TXT", content: `"v=DMARC1; p=${email.dmarcPolicy ?? "quarantine"}${rua}"` });
        return out;
    }
}

/**
 * `tags` as Cloudflare DNS record tags (`name:value`), checked against Cloudflare's rules before anything is
 * registered: names of letters, digits, `-` and `_` up to 32 characters, values up to 100 characters without line
 * breaks, at most 20 per record (https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/
 * and the plan table of cloudflare-docs src/content/plans/index.json `dns.record_tags`, read 2026-12-04).
 */
function dnsRecordTags(name: string, tags: ComponentTags | undefined): string[] {
    const entries = Object.entries(tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length > MAX_RECORD_TAGS) {
        throw new Error(`Edge ${name}: tags has ${entries.length} entries; Cloudflare allows ${MAX_RECORD_TAGS} per DNS record`);
    }
    for (const [key, value] of entries) {
        if (!/^[A-Za-z0-9_-]{1,32}$/.test(key)) {
            throw new Error(`Edge ${name}: tag name "${key}" is not a Cloudflare record tag name (letters, digits, - and _, at most 32 characters)`);
        }
        if (value.length > 100 || /[\r\n]/.test(value)) {
            throw new Error(`Edge ${name}: tag ${key} value "${value}" is not a Cloudflare record tag value (at most 100 characters, no line breaks)`);
        }
    }
    return entries.map(([key, value]) => `${key}:${value}`);
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
