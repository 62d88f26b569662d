import { PolicyResource } from "@pulumi/policy";
import { PreflightPolicy, forTypesWhenKnown, prop, regionOf } from "./kit";

/**
 * Physical-name rules per resource type: the input that carries the name, its length and character set, and the
 * scope within which AWS keeps it unique. Only explicit names are checked (the provider shortens auto-names itself).
 */
interface NameRule {
    prop: string;
    max: number;
    min?: number;
    pattern?: RegExp;
    charset: string;
    /** Where AWS keeps the name unique; "parent" rules are unique per owning resource and not compared here. */
    scope: "global" | "account" | "region";
    /** Extra create-time rules beyond length and charset. */
    extra?: (name: string) => string | undefined;
    source: string;
}

const HYPHENS = "letters, digits and hyphens; starts with a letter; no two consecutive hyphens; does not end with a hyphen";
const hyphenated = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$|^[a-zA-Z]$/;
const ALB_NAME = "letters, digits and hyphens; does not start or end with a hyphen";
const albName = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IAM_CHARS = "letters, digits and +=,.@_-";

function s3BucketNameProblem(name: string): string | undefined {
    if (/\.\./.test(name)) return "must not contain two adjacent periods";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be formatted as an IP address";
    if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return "must not start with xn--, sthree- or amzn-s3-demo-";
    if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "must not end with a reserved suffix (-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)";
    return undefined;
}

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html and each service's API reference for its name field. */
const NAME_RULES: Record<string, NameRule> = {
    "aws:lb/loadBalancer:LoadBalancer": { prop: "name", max: 32, pattern: albName, charset: ALB_NAME, scope: "region",
        extra: (n) => (n.startsWith("internal-") ? "must not start with internal-" : undefined),
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html" },
    "aws:lb/targetGroup:TargetGroup": { prop: "name", max: 32, pattern: albName, charset: ALB_NAME, scope: "region",
        source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html" },
    "aws:rds/instance:Instance": { prop: "identifier", max: 63, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, charset: `lowercase ${HYPHENS}`, scope: "region",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html" },
    "aws:rds/proxy:Proxy": { prop: "name", max: 63, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/, charset: `lowercase ${HYPHENS}`, scope: "region",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html" },
    "aws:rds/parameterGroup:ParameterGroup": { prop: "name", max: 255, pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/,
        charset: `lowercase ${HYPHENS}`, scope: "region",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html" },
    "aws:elasticache/replicationGroup:ReplicationGroup": { prop: "replicationGroupId", max: 40, pattern: hyphenated, charset: HYPHENS, scope: "region",
        source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html" },
    "aws:s3/bucket:Bucket": { prop: "bucket", min: 3, max: 63, pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
        charset: "lowercase letters, digits, periods and hyphens; begins and ends with a letter or digit",
        scope: "global", extra: s3BucketNameProblem, source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html" },
    "aws:iam/role:Role": { prop: "name", max: 64, pattern: /^[\w+=,.@-]+$/, charset: IAM_CHARS, scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" },
    "aws:iam/policy:Policy": { prop: "name", max: 128, pattern: /^[\w+=,.@-]+$/, charset: IAM_CHARS, scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" },
    "aws:iam/group:Group": { prop: "name", max: 128, pattern: /^[\w+=,.@-]+$/, charset: IAM_CHARS, scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" },
    "aws:iam/user:User": { prop: "name", max: 64, pattern: /^[\w+=,.@-]+$/, charset: IAM_CHARS, scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html" },
    "aws:iam/rolePolicy:RolePolicy": { prop: "name", max: 128, pattern: /^[\w+=,.@-]+$/, charset: IAM_CHARS, scope: "account",
        source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html" },
    "aws:cloudwatch/logGroup:LogGroup": { prop: "name", max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, charset: "letters, digits and . - _ / #", scope: "region",
        source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { prop: "name", max: 255, charset: "up to 255 characters", scope: "region",
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html" },
    "aws:sns/topic:Topic": { prop: "name", max: 256, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/,
        charset: "letters, digits, hyphens and underscores (.fifo suffix for FIFO topics)", scope: "region",
        source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html" },
    "aws:secretsmanager/secret:Secret": { prop: "name", max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, charset: "letters, digits and /_+=.@-", scope: "region",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html" },
    "aws:ecr/repository:Repository": { prop: "name", min: 2, max: 256, pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
        charset: "lowercase letters, digits, and ._-/ separators", scope: "region",
        source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html" },
    "aws:kms/alias:Alias": { prop: "name", max: 256, pattern: /^alias\/[A-Za-z0-9/_-]+$/,
        charset: "alias/ followed by letters, digits and /_-", scope: "region",
        extra: (n) => (n.startsWith("alias/aws/") ? "the alias/aws/ prefix is reserved for AWS managed keys" : undefined),
        source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html" },
    "aws:cfg/rule:Rule": { prop: "name", max: 128, charset: "up to 128 characters", scope: "region",
        source: "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html" },
    "aws:cloudtrail/trail:Trail": { prop: "name", min: 3, max: 128, pattern: /^[A-Za-z0-9](?!.*[._-]{2})[A-Za-z0-9._-]*[A-Za-z0-9]$/,
        charset: "letters, digits, periods, underscores and dashes; starts and ends with a letter or digit", scope: "region",
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html" },
};

/** The explicit physical name of a resource, or undefined when the provider will name it. */
function physicalName(r: { type: string; props: Record<string, any> }): string | undefined {
    const rule = NAME_RULES[r.type];
    const v = rule ? prop(r, rule.prop) : undefined;
    return typeof v === "string" && v.length > 0 ? v : undefined;
}

export const preflightNameLimits: PreflightPolicy = {
    name: "preflight-name-limits",
    description: "Physical names fit AWS's create-time rules for their type: length, character set and reserved prefixes/suffixes (ALB/TG <= 32, " +
        "RDS <= 63, ElastiCache <= 40, S3 3-63, IAM role <= 64, ...).",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    remediationSteps: "Shorten the name prefix (platform:namePrefix) or the component name; the message names the type's limit and the page that states it.",
    validateResource: forTypesWhenKnown(Object.keys(NAME_RULES), (props, args) => {
        const rule = NAME_RULES[args.type];
        const name = physicalName({ type: args.type, props });
        if (name === undefined) return [];
        const problems: (string | undefined)[] = [];
        if (name.length > rule.max || name.length < (rule.min ?? 1)) {
            problems.push(`${rule.prop} "${name}" is ${name.length} characters; ${args.type.split(":").pop()} allows ${rule.min ?? 1}-${rule.max} ` +
                `(${rule.source})`);
        }
        if (rule.pattern && !rule.pattern.test(name)) problems.push(`${rule.prop} "${name}" is not ${rule.charset} (${rule.source})`);
        const extra = rule.extra?.(name);
        if (extra) problems.push(`${rule.prop} "${name}" ${extra} (${rule.source})`);
        return problems;
    }),
};

/** The uniqueness key of a physical name: type, scope and (for regional names) the region. */
function scopeKey(r: PolicyResource, resources: PolicyResource[]): string | undefined {
    const rule = NAME_RULES[r.type];
    const name = physicalName(r);
    if (!rule || name === undefined) return undefined;
    const where = rule.scope === "region" ? regionOf(r, resources) ?? "?" : rule.scope;
    // RolePolicy names are unique per role, not per account: the owning role is its property dependency (known at
    // preview, when the role's name may not be) or else the role's name; with neither, the name cannot be compared.
    let owner = "";
    if (r.type === "aws:iam/rolePolicy:RolePolicy") {
        const role = (r.propertyDependencies.role ?? [])[0]?.urn ?? prop(r, "role");
        if (role === undefined) return undefined;
        owner = `:${String(role)}`;
    }
    // IAM names are case-insensitive; S3 names are lowercase anyway.
    const key = rule.scope === "account" ? name.toLowerCase() : name;
    return `${r.type}|${where}${owner}|${key}`;
}

export const preflightNameUnique: PreflightPolicy = {
    name: "preflight-name-unique",
    description: "No two resources of a type share a physical name within the scope AWS keeps it unique (bucket: global; IAM: account; alarms, log " +
        "groups, load balancers, RDS, ...: account and region).",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    remediationSteps: "Give each resource its own name (e.g. suffix the second alarm with its purpose). PutMetricAlarm overwrites an alarm of the " +
        "same name, so both resources 'succeed' and the last writer wins.",
    validateStack: (args, reportViolation) => {
        const seen = new Map<string, PolicyResource>();
        for (const r of args.resources) {
            const key = scopeKey(r, args.resources);
            if (!key) continue;
            const first = seen.get(key);
            if (!first) { seen.set(key, r); continue; }
            const scope = NAME_RULES[r.type].scope === "region" ? "account and region" : NAME_RULES[r.type].scope === "account" ? "account" : "all of AWS";
            reportViolation(`${r.name}: ${NAME_RULES[r.type].prop} "${physicalName(r)}" is already used by ${first.name} ` +
                `(${r.type.split(":").pop()} names are unique per ${scope})`, r.urn);
        }
    },
};
