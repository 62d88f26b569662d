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

/** One published fact about a service the platform uses in one region: what, where it was read, and when. */
export interface RegionFact {
    /** The service or feature, as AWS names it. */
    service: string;
    /** Resource type-token prefixes that use it (what the preflight rule matches). */
    typePrefixes: string[];
    /** `unavailable` fails the plan for a resource of these types created in the region; `unconfirmed` is documentation only. */
    status: "available" | "unavailable" | "unconfirmed";
    source: string;
    /** Date the source was read. */
    read: string;
    note?: string;
}

/**
 * What the platform uses in il-central-1 (prod-il), each fact with its source and date. RDS Proxy and Fargate ARM64
 * there are unconfirmed (README "Israel region"); the rest below.
 */
export const REGION_FACTS: Record<string, RegionFact[]> = {
    "il-central-1": [
        {
            service: "AWS Backup restore testing", typePrefixes: ["aws:backup/restoreTestingPlan", "aws:backup/restoreTestingSelection"],
            status: "available", read: "2026-12-04",
            source: "https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html#features-by-region",
            note: "Israel (Tel Aviv), opt-in: 6 of the 8 feature columns are checked; the copy we read is flattened, and the two it " +
                "lacks are read as the newest (backup tiering, malware protection), as for Canada West (Calgary) and Asia Pacific (Malaysia)",
        },
        {
            service: "AWS Chatbot (Amazon Q Developer in chat applications): SNS topics of the region", typePrefixes: [],
            status: "available", read: "2026-12-04", source: "https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-regions.html",
            note: "Israel (Tel Aviv) is listed among the supported opt-in Regions",
        },
        {
            service: "AWS Chatbot API (channel configurations)", typePrefixes: ["aws:chatbot/"],
            status: "unavailable", read: "2026-12-04", source: "https://docs.aws.amazon.com/chatbot/latest/APIReference/Welcome.html",
            note: "the API is in us-east-2, us-west-2, ap-southeast-1 and eu-west-1 only: a channel is created there (alerts.chat.apiRegion)",
        },
        {
            service: "AWS X-Ray (API, sampling rules, groups) and its OTLP traces endpoint https://xray.il-central-1.amazonaws.com/v1/traces",
            typePrefixes: ["aws:xray/samplingRule", "aws:xray/group"],
            status: "available", read: "2026-12-04", source: "https://docs.aws.amazon.com/general/latest/gr/xray.html",
            note: "the OTLP traces endpoint is the X-Ray host (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLPEndpoint.html)",
        },
        {
            service: "CloudWatch Transaction Search (trace segment destination CloudWatchLogs)", typePrefixes: ["aws:xray/traceSegmentDestination"],
            status: "unconfirmed", read: "2026-12-04",
            source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Enable-TransactionSearch.html",
            note: "no page lists its Regions, and the OTLP traces endpoint needs it; if UpdateTraceSegmentDestination is refused there, " +
                "set platform:tracing.enabled: false for the stack (README \"Tracing\")",
        },
    ],
};

/** Resource types (type-token prefixes) documented as not offered in a region: the `unavailable` facts above. */
export const SERVICES_UNAVAILABLE: Record<string, string[]> = Object.fromEntries(
    Object.entries(REGION_FACTS).map(([region, facts]) => [region, facts.filter((f) => f.status === "unavailable").flatMap((f) => f.typePrefixes)]),
);

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
