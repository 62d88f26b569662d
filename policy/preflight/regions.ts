import { PreflightPolicy, eachOf, regionOf } from "./kit";

/**
 * AWS Config managed rules documented as unavailable per region. Read 2026-12-03 from each rule's page in the AWS Config
 * developer guide ("AWS Region: All supported AWS regions except ..."); extend through the pack config.
 */
const CONFIG_RULES_UNAVAILABLE: Record<string, string[]> = {
    // https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-at-rest.html
    ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST: ["ap-southeast-7", "me-central-1", "ap-southeast-5", "ap-southeast-4", "us-gov-east-1", "us-gov-west-1",
        "mx-central-1", "il-central-1", "ap-east-2", "ca-west-1"],
    // https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-in-transit.html
    ELASTICACHE_REPL_GRP_ENCRYPTED_IN_TRANSIT: ["ap-southeast-7", "me-central-1", "ap-southeast-5", "ap-southeast-4", "us-gov-east-1", "us-gov-west-1",
        "mx-central-1", "il-central-1", "ap-east-2", "ca-west-1"],
};

/**
 * Resource types (type-token prefixes) documented as not offered in a region. il-central-1 first: nothing the program
 * uses is documented unavailable there as of 2026-12-03; RDS Proxy and Fargate ARM64 there are unconfirmed (README).
 */
const SERVICES_UNAVAILABLE: Record<string, string[]> = {};

interface RegionConfig { configRulesUnavailable: Record<string, string[]>; servicesUnavailable: Record<string, string[]> }

export const preflightRegionAvailability: PreflightPolicy = {
    name: "preflight-region-availability",
    description: "Managed AWS Config rules and services are offered in the region the resource is created in (a dated table with sources; " +
        "il-central-1 first). PutConfigRule with an identifier the region does not offer fails.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/config/latest/developerguide/elasticache-repl-grp-encrypted-at-rest.html",
    remediationSteps: "Leave the rule (or service) out in that region through a per-region exclusion list, or use a custom rule; re-check the " +
        "rule's page before adding it back.",
    configSchema: {
        properties: {
            configRulesUnavailable: { type: "object", default: CONFIG_RULES_UNAVAILABLE,
                description: "Managed rule identifier -> regions where AWS documents it as unavailable." },
            servicesUnavailable: { type: "object", default: SERVICES_UNAVAILABLE,
                description: "Region -> resource type-token prefixes not offered there (e.g. aws:rds/proxy)." },
        },
    },
    validateStack: (args, reportViolation) => {
        const defaults: RegionConfig = { configRulesUnavailable: CONFIG_RULES_UNAVAILABLE, servicesUnavailable: SERVICES_UNAVAILABLE };
        const cfg = { ...defaults, ...(args.getConfig<Partial<RegionConfig>>() ?? {}) };
        eachOf(["aws:cfg/rule:Rule"], (rule, a) => {
            const id = rule.props.source?.owner === "AWS" ? rule.props.source?.sourceIdentifier : undefined; // unknown: eachOf skips
            const region = regionOf(rule, a.resources);
            return id && region && (cfg.configRulesUnavailable[id] ?? []).includes(region)
                ? [`managed rule ${id} is documented as unavailable in ${region}; PutConfigRule fails`] : [];
        })(args, reportViolation);
        for (const r of args.resources.filter((x) => x.type.startsWith("aws:"))) {
            const region = regionOf(r, args.resources);
            const prefix = region ? (cfg.servicesUnavailable[region] ?? []).find((p) => r.type.startsWith(p)) : undefined;
            if (prefix) reportViolation(`${r.name}: ${r.type} is not offered in ${region}`, r.urn);
        }
    },
};
