import { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { PlatformPolicy, asList, configOf, mapped } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const LEGACY_RECORD = "cloudflare:index/record:Record";
const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";

/** Managed ruleset ids (Cloudflare's, the same on every zone). */
const CLOUDFLARE_MANAGED = "efb7b8c949ac4650a09736fc376e9aee";
const OWASP_CORE = "4814384a9e5d4991b9815dcfc25d2f1f";
const FREE_MANAGED = "77454fe2d30c4220b5701f6fdfb893ba";

/** Record types that point a hostname at an origin (and so can expose it). */
const ORIGIN_TYPES = ["A", "AAAA", "CNAME"];
const TLS_ORDER = ["1.0", "1.1", "1.2", "1.3"];

/** True for records whose name has a label starting with `_` (DKIM, DMARC, ACME, SRV-style): DNS-only by nature. */
function isServiceName(name: unknown): boolean {
    return String(name ?? "").split(".").some((label) => label.startsWith("_"));
}

/** The zones the stack publishes records in, with their records (zone ids are config values, known at preview). */
function zonesWithRecords(resources: PolicyResource[]): Map<string, PolicyResource[]> {
    const zones = new Map<string, PolicyResource[]>();
    for (const r of resources.filter((x) => x.type === DNS_RECORD || x.type === LEGACY_RECORD)) {
        const zone = r.props.zoneId;
        if (typeof zone !== "string" || !zone) continue;
        zones.set(zone, [...(zones.get(zone) ?? []), r]);
    }
    return zones;
}

function settingsOf(resources: PolicyResource[], zoneId: string, settingId: string): PolicyResource[] {
    return resources.filter((r) => r.type === ZONE_SETTING && r.props.zoneId === zoneId && r.props.settingId === settingId);
}

export const cloudflareProxiedRecords: PlatformPolicy = {
    name: "cloudflare-proxied-records",
    description:
        "Cloudflare A, AAAA and CNAME records are proxied, so origins (ALB, S3) never resolve publicly; service names (labels starting with _, " +
        "e.g. DKIM) are DNS-only by nature.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-7", "SC-5"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.21"] }),
    remediationSteps: "Set proxied: true (and ttl: 1) on the record, or add its name to allowUnproxied with the reason in the pack config.",
    configSchema: {
        properties: {
            allowUnproxied: { type: "array", items: { type: "string" }, default: [], description: "Record names that may stay DNS-only (e.g. a mail host)" },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== DNS_RECORD && args.type !== LEGACY_RECORD) return;
        const p = args.props;
        const { allowUnproxied } = configOf(args, { allowUnproxied: [] as string[] });
        if (!ORIGIN_TYPES.includes(String(p.type)) || p.proxied === true || isServiceName(p.name) || allowUnproxied.includes(String(p.name))) return;
        reportViolation(`${args.name}: ${p.type} record ${p.name} is not proxied; its origin ${p.content ?? ""} would be exposed and bypass the WAF`);
    },
};

export const cloudflareSslStrict: PlatformPolicy = {
    name: "cloudflare-ssl-strict",
    description:
        "Every Cloudflare zone the stack publishes records in sets SSL to Full (strict), lowered by no config rule, and a minimum TLS version of " +
        "1.2 or higher.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-8", "SC-8(1)", "SC-23"], soc2: ["CC6.7"], iso: ["A.8.21", "A.8.24"] }),
    remediationSteps: "Add cloudflare.ZoneSetting resources for the zone: settingId ssl = strict and min_tls_version = 1.2 (the Edge component does).",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const zone of zonesWithRecords(args.resources).keys()) {
            const ssl = settingsOf(args.resources, zone, "ssl");
            if (ssl.length === 0) reportViolation(`zone ${zone} has DNS records but no ssl zone setting (Cloudflare's default is not Full strict)`);
            for (const s of ssl.filter((x) => x.props.value !== "strict"))
                reportViolation(`zone ${zone}: ssl is "${s.props.value}", not "strict" (Full strict)`, s.urn);
            // A config rule can lower SSL per host (e.g. "flexible" for one hostname): that is a downgrade of Full (strict) too.
            const configRulesets = args.resources.filter((r) => r.type === "cloudflare:index/ruleset:Ruleset" && r.props.zoneId === zone
                && r.props.phase === "http_config_settings");
            for (const rs of configRulesets) {
                for (const rule of asList(rs.props.rules).filter((x: any) => x?.action === "set_config" && x.actionParameters?.ssl !== undefined)) {
                    if (rule.actionParameters.ssl !== "strict") {
                        const which = rule.ref ?? rule.description ?? "?";
                        reportViolation(`zone ${zone}: config rule ${which} sets ssl "${rule.actionParameters.ssl}" for ${rule.expression}`, rs.urn);
                    }
                }
            }
            const minTls = settingsOf(args.resources, zone, "min_tls_version");
            if (minTls.length === 0) reportViolation(`zone ${zone} has DNS records but no min_tls_version zone setting (Cloudflare's default admits TLS 1.0)`);
            for (const s of minTls.filter((x) => TLS_ORDER.indexOf(String(x.props.value)) < TLS_ORDER.indexOf("1.2"))) {
                reportViolation(`zone ${zone}: min_tls_version is "${s.props.value}"; 1.2 or higher is required`, s.urn);
            }
        }
    },
};

/** The managed ruleset ids a ruleset's rules execute. */
function executedIds(ruleset: PolicyResource): string[] {
    return asList(ruleset.props.rules).filter((r: any) => r?.action === "execute" && r.enabled !== false).map((r: any) => r.actionParameters?.id);
}

export const cloudflareWafManaged: PlatformPolicy = {
    name: "cloudflare-waf-managed",
    description:
        "Every Cloudflare zone with records deploys the WAF managed rulesets (Cloudflare Managed + OWASP Core, or the Free Managed ruleset) in its " +
        "http_request_firewall_managed ruleset, and no zone has two rulesets of one phase (Cloudflare refuses the second at deploy).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-7", "SC-5"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.21"] }),
    remediationSteps:
        "Put all rules of a phase in one zone Ruleset; in http_request_firewall_managed, execute efb7b8c949ac4650a09736fc376e9aee and " +
        "4814384a9e5d4991b9815dcfc25d2f1f (paid plans) or 77454fe2d30c4220b5701f6fdfb893ba (free).",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const rulesets = args.resources.filter((r) => r.type === RULESET && typeof r.props.zoneId === "string");
        const byZonePhase = new Map<string, PolicyResource[]>();
        for (const r of rulesets) {
            const key = `${r.props.zoneId}|${r.props.phase}`;
            byZonePhase.set(key, [...(byZonePhase.get(key) ?? []), r]);
        }
        for (const [key, list] of byZonePhase) {
            if (list.length > 1) {
                const [zone, phase] = key.split("|");
                reportViolation(
                    `zone ${zone} has ${list.length} rulesets for phase ${phase} (${list.map((r) => r.name).join(", ")}); Cloudflare allows one ` +
                    `per phase and fails the deploy`,
                    list[1].urn,
                );
            }
        }
        for (const zone of zonesWithRecords(args.resources).keys()) {
            const managed = byZonePhase.get(`${zone}|http_request_firewall_managed`) ?? [];
            const ids = managed.flatMap(executedIds);
            const paid = ids.includes(CLOUDFLARE_MANAGED) && ids.includes(OWASP_CORE);
            if (!paid && !ids.includes(FREE_MANAGED)) {
                reportViolation(
                    managed.length === 0
                        ? `zone ${zone} has DNS records but no http_request_firewall_managed ruleset (no WAF managed rules)`
                        : `zone ${zone}: the managed WAF ruleset does not execute the Cloudflare Managed and OWASP Core rulesets (or the Free Managed ruleset)`,
                    managed[0]?.urn,
                );
            }
        }
    },
};

export const edgePolicies: PlatformPolicy[] = honourExceptions([cloudflareProxiedRecords, cloudflareSslStrict, cloudflareWafManaged]);
