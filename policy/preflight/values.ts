import { asList } from "../lib/kit";
import { LOG_RETENTION_DAYS } from "../../standards/logs";
import { cacheNodeProblem, rdsClassProblem } from "./data";
import { PreflightPolicy, eachOf, forTypesWhenKnown, num, regionOf, whenKnown } from "./kit";

const RDS = "aws:rds/instance:Instance";
const CACHE = ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"];

export const preflightInstanceClasses: PreflightPolicy = {
    name: "preflight-instance-classes",
    description: "RDS instance classes are offered for the engine in the instance's region, and ElastiCache node types in the group's region " +
        "(tables generated from cfn-lint's per-region data).",
    enforcementLevel: "mandatory", severity: "high",
    // Tables: standards/aws/*.json (scripts/generate-aws-data.ts); the header names the cfn-lint commit and date.
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.RegionSupport.html",
    remediationSteps: "Pick a class the region offers (standards/aws/rds-instance-classes.json, standards/aws/elasticache-node-types.json); stacks/config.ts " +
        "refuses such a value too.",
    validateStack: eachOf([RDS, ...CACHE], (r, args) => {
        const region = regionOf(r, args.resources);
        if (!region) return [];
        if (r.type === RDS) {
            const engine = String(r.props.engine ?? "postgres");
            return typeof r.props.instanceClass === "string" ? [rdsClassProblem(region, engine, r.props.instanceClass)] : [];
        }
        return typeof r.props.nodeType === "string" ? [cacheNodeProblem(region, r.props.nodeType)] : [];
    }),
};

/** Retention values PutRetentionPolicy accepts. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */

export const preflightLogRetention: PreflightPolicy = {
    name: "preflight-log-retention",
    description: "Log group retention is one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, ... 3653 days, or 0 for never expire).",
    enforcementLevel: "mandatory", severity: "medium",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    remediationSteps: `Use one of ${LOG_RETENTION_DAYS.join(", ")}.`,
    validateResource: forTypesWhenKnown(["aws:cloudwatch/logGroup:LogGroup"], (props) => [(() => {
        const days = num(props.retentionInDays);
        if (days === undefined || days === 0 || LOG_RETENTION_DAYS.includes(days)) return undefined;
        return `retentionInDays ${days} is not accepted by CloudWatch Logs (allowed: ${LOG_RETENTION_DAYS.join(", ")})`;
    })()]),
};

/** 7, 31 * n for n in 1..23, or 731. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html */
export function performanceInsightsRetentionOk(days: number): boolean {
    return days === 7 || days === 731 || (days % 31 === 0 && days / 31 >= 1 && days / 31 <= 23);
}

export const preflightRetentionRanges: PreflightPolicy = {
    name: "preflight-retention-ranges",
    description: "Retention settings are inside the ranges the APIs accept: RDS backups 0-35 days, Performance Insights 7 / 31*n / 731, Backup " +
        "Vault Lock 1-36500 with min <= max and a changeable window >= 3 days, Backup rule cold storage >= 90 days before deletion.",
    enforcementLevel: "mandatory", severity: "medium",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    remediationSteps: "Use a value inside the documented range; the message names the field, the value and what is allowed.",
    validateResource: forTypesWhenKnown([RDS, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "aws:backup/plan:Plan"], (props, args) => {
        const problems: (string | undefined)[] = [];
        if (args.type === RDS) {
            const backup = num(props.backupRetentionPeriod);
            if (backup !== undefined && (backup < 0 || backup > 35)) problems.push(`backupRetentionPeriod ${backup} is outside 0-35 days`);
            const pi = num(props.performanceInsightsRetentionPeriod);
            if (pi !== undefined && !performanceInsightsRetentionOk(pi)) {
                problems.push(`performanceInsightsRetentionPeriod ${pi} is not 7, 31 * n (n = 1-23) or 731 days`);
            }
        } else if (args.type === "aws:backup/vaultLockConfiguration:VaultLockConfiguration") {
            // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html
            const min = num(props.minRetentionDays), max = num(props.maxRetentionDays), changeable = num(props.changeableForDays);
            for (const [field, v] of [["minRetentionDays", min], ["maxRetentionDays", max]] as const) {
                if (v !== undefined && (v < 1 || v > 36500)) problems.push(`${field} ${v} is outside 1-36500 days`);
            }
            if (min !== undefined && max !== undefined && min > max) problems.push(`minRetentionDays ${min} is greater than maxRetentionDays ${max}`);
            if (changeable !== undefined && changeable < 3) problems.push(`changeableForDays ${changeable} is below the minimum of 3 days`);
        } else {
            // https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html
            for (const rule of asList<any>(props.rules)) {
                const cold = num(rule?.lifecycle?.coldStorageAfter), del = num(rule?.lifecycle?.deleteAfter);
                if (cold !== undefined && del !== undefined && del < cold + 90) {
                    problems.push(`rule ${rule.ruleName}: deleteAfter ${del} must be at least 90 days after coldStorageAfter ${cold}`);
                }
            }
        }
        return problems;
    }),
};

/** Storage classes S3 lifecycle rules may not transition to before 30 days. */
const MIN_30_DAYS = ["STANDARD_IA", "ONEZONE_IA"];

/** The problems of one lifecycle rule's transitions and expirations (current or noncurrent versions). */
function lifecycleProblems(rule: any): string[] {
    const problems: string[] = [];
    const id = rule?.id ?? "(no id)";
    for (const [kind, daysField, transitions, expiration] of [
        ["transition", "days", asList<any>(rule?.transitions), num(rule?.expiration?.days)],
        ["noncurrent transition", "noncurrentDays", asList<any>(rule?.noncurrentVersionTransitions), num(rule?.noncurrentVersionExpiration?.noncurrentDays)],
    ] as const) {
        for (const t of transitions) {
            const days = num(t?.[daysField]);
            if (days === undefined) continue;
            if (MIN_30_DAYS.includes(t.storageClass) && days < 30) problems.push(`rule ${id}: ${kind} to ${t.storageClass} after ${days} days; S3 ` +
                `requires at least 30`);
            if (expiration !== undefined && expiration <= days) problems.push(`rule ${id}: expiration after ${expiration} days is not later than ` +
                `the ${kind} to ${t.storageClass} after ${days} days`);
        }
        const days = transitions.map((t) => num(t?.[daysField])).filter((d): d is number => d !== undefined);
        if (new Set(days).size !== days.length) problems.push(`rule ${id}: two ${kind}s on the same day`);
    }
    return problems;
}

export const preflightLifecycleRules: PreflightPolicy = {
    name: "preflight-lifecycle-rules",
    description: "S3 lifecycle rules are valid: no transition to STANDARD_IA/ONEZONE_IA before 30 days, expiration later than every transition, at " +
        "most one transition per day count.",
    enforcementLevel: "mandatory", severity: "medium",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
    remediationSteps: "Move IA transitions to 30 days or later and expire after the last transition.",
    validateResource: forTypesWhenKnown(
        ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
        (props) => asList<any>(props.rules).flatMap(lifecycleProblems)),
};

const SG_RULE_TYPES = [
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
];

export const preflightSecurityGroupQuota: PreflightPolicy = {
    name: "preflight-security-group-quota",
    description: "No security group holds more rules than the default quota: 60 inbound and 60 outbound rules per group, counted per IP family " +
        "(IPv4 and IPv6 separately).",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups",
    remediationSteps: "Merge rules (a managed prefix list counts as its max entries), split the group, or raise the quota and set maxRulesPerGroup " +
        "in the pack config.",
    configSchema: { properties: { maxRulesPerGroup: {
        type: "number", default: 60, description: "Inbound (and, separately, outbound) rules per security group and IP family (the account's quota).",
    } } },
    validateStack: (args, reportViolation) => {
        const max = Number(args.getConfig<{ maxRulesPerGroup?: number }>()?.maxRulesPerGroup ?? 60);
        const counts = new Map<string, { n: number; urn: string; name: string }>();
        const add = (group: string, direction: string, family: string, urn: string, name: string, n = 1) => {
            const key = `${group}|${direction}|${family}`;
            const c = counts.get(key) ?? { n: 0, urn, name };
            c.n += n;
            counts.set(key, c);
        };
        for (const r of args.resources.filter((x) => SG_RULE_TYPES.includes(x.type))) whenKnown(() => {
            const sg = (r.propertyDependencies.securityGroupId ?? [])[0];
            const group = sg?.name ?? String(r.props.securityGroupId);
            const direction = r.type.includes("Egress") || r.props.type === "egress" ? "outbound" : "inbound";
            const v6 = r.props.cidrIpv6 !== undefined || asList(r.props.ipv6CidrBlocks).length > 0;
            add(group, direction, v6 ? "IPv6" : "IPv4", sg?.urn ?? r.urn, group);
        }, undefined);
        for (const sg of args.resources.filter((x) => x.type === "aws:ec2/securityGroup:SecurityGroup")) whenKnown(() => {
            for (const [field, direction] of [["ingress", "inbound"], ["egress", "outbound"]] as const) {
                for (const rule of asList<any>(sg.props[field])) {
                    const v4 = asList(rule?.cidrBlocks).length + asList(rule?.securityGroups).length + (rule?.self ? 1 : 0);
                    const v6 = asList(rule?.ipv6CidrBlocks).length;
                    if (v4) add(sg.name, direction, "IPv4", sg.urn, sg.name, v4);
                    if (v6) add(sg.name, direction, "IPv6", sg.urn, sg.name, v6);
                }
            }
        }, undefined);
        for (const [key, c] of counts) {
            const [group, direction, family] = key.split("|");
            if (c.n > max) reportViolation(`security group ${group} has ${c.n} ${direction} ${family} rules; the quota is ${max} per group`, c.urn);
        }
    },
};
