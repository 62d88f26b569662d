import { ConfigError, Section } from "./validate";

/**
 * Usage assumptions of the cost estimate (`npm run plan`, offline/cost/): the traffic, volumes and counts a price
 * list cannot know. Every figure is per month. The defaults below are the ONE documented place (docs/cost.md copies
 * this table); a stack overrides any of them in `platform:usage` of its Pulumi.<stack>.yaml. Maps merge key by key
 * over the defaults, so a stack names only what differs. The program validates the section (a wrong value fails
 * `pulumi preview` and the plan with exit 2) but creates nothing from it.
 */
export interface UsageAssumptions {
    /** GB processed by all NAT gateways together (split evenly across the gateways). */
    natProcessedGb: number;
    /** GB a month between the compute tier and the data tier (Postgres, Redis), for the inter-AZ transfer line. */
    dataTierTrafficGb: number;
    /** GB processed by each interface VPC endpoint. */
    interfaceEndpointGb: number;
    /** Average Load Balancer Capacity Units of each ALB, over the whole month. */
    albAverageLcu: number;
    /** GB ingested per log group, by a fragment of the log group name; `default` for the rest. */
    logIngestGb: Record<string, number>;
    /** Log storage is estimated at steady state after this many days (retention beyond it is not yet accumulated). */
    logStorageHorizonDays: number;
    /** GB of flow-log records delivered per VPC flow log (vended logs). */
    flowLogGb: number;
    /** Stored GB per storage class, by a fragment of the bucket name (its purpose); `default` for the rest. */
    s3Gb: Record<string, { standard: number; standardIa: number; glacierIr: number; deepArchive: number }>;
    /** Thousands of PUT/COPY/POST/LIST and of GET requests per bucket. */
    s3PutRequestsThousands: number;
    s3GetRequestsThousands: number;
    /** GB of images stored per ECR repository (after lifecycle expiry). */
    ecrGbPerRepository: number;
    /** GB ingested per Firehose delivery stream. */
    firehoseGb: number;
    /** Millions of S3 data events of the trails that record them (one per request to the selected buckets). */
    cloudtrailDataEventsMillions: number;
    /**
     * Activity the plan cannot know, from which the AWS Config, GuardDuty and additional-trail lines are derived
     * (offline/cost/activity.ts): deploys a month (each replaces every task and revises each task definition),
     * changes a month of each recorded resource outside deploys (drift, rotations, maintenance), task launches a
     * month beyond deploys (Fargate Spot interruptions, scale-out, health-check replacements), CloudTrail management
     * events per running task-hour (credential refreshes, KMS data keys, SDK calls) and the account's background
     * management events in millions (AWS services acting for the account: Config, Backup, RDS, console use).
     */
    deploysPerMonth: number;
    configChangesPerResource: number;
    taskReplacementsPerMonth: number;
    managementEventsPerTaskHour: number;
    backgroundManagementEventsMillions: number;
    /** GB of DNS query logs GuardDuty analyses (the flow-log part follows from the plan's flow logs x flowLogGb). */
    guardDutyDnsGb: number;
    /** GB-month held in each AWS Backup vault, warm and cold. */
    backupVaultWarmGb: number;
    backupVaultColdGb: number;
    /** RDS backup storage as a multiple of the allocated storage (retention x daily change); the first 1x is free. */
    rdsBackupToStorageRatio: number;
    /** GB of backup changes copied cross-region per month per automated-backups replication. */
    rdsCrossRegionTransferGb: number;
    /** Fargate Spot price as a fraction of on-demand (Spot prices float; AWS advertises up to 70% off). */
    fargateSpotPriceFactor: number;
    /** Millions of SNS publishes per topic, and e-mail notifications (thousands) per topic. */
    snsPublishesMillions: number;
    snsEmailThousands: number;
    /** Thousands of e-mails sent per SES identity. */
    sesEmailsThousands: number;
}

export const USAGE_DEFAULTS: UsageAssumptions = Object.freeze({
    natProcessedGb: 100,
    interfaceEndpointGb: 5,
    dataTierTrafficGb: 100,
    albAverageLcu: 1,
    logIngestGb: { default: 0.5, "/ecs/": 5, "/aws/rds/": 1 },
    logStorageHorizonDays: 365,
    flowLogGb: 20,
    s3Gb: {
        default: { standard: 5, standardIa: 0, glacierIr: 0, deepArchive: 0 },
        evidence: { standard: 50, standardIa: 0, glacierIr: 0, deepArchive: 100 },
        documents: { standard: 50, standardIa: 0, glacierIr: 0, deepArchive: 0 },
        backups: { standard: 100, standardIa: 0, glacierIr: 0, deepArchive: 0 },
        "alb-logs": { standard: 20, standardIa: 0, glacierIr: 0, deepArchive: 0 },
        "access-logs": { standard: 10, standardIa: 0, glacierIr: 0, deepArchive: 0 },
        frontend: { standard: 1, standardIa: 0, glacierIr: 0, deepArchive: 0 },
    },
    s3PutRequestsThousands: 100,
    s3GetRequestsThousands: 1000,
    ecrGbPerRepository: 5,
    firehoseGb: 50,
    // The trail records S3 object events for the evidence and documents buckets: 2 x (100 k PUT/LIST + 1,000 k GET) requests
    // (the S3 request defaults above), one data event each, billed at $0.10 per 100,000 (https://aws.amazon.com/cloudtrail/pricing/).
    cloudtrailDataEventsMillions: 2.2,
    // A release a working day.
    deploysPerMonth: 20,
    // Half the resources change once a month outside deploys (secret rotation, tag edits, AWS-side maintenance).
    configChangesPerResource: 0.5,
    // About one replacement a day (Spot interruption, scale-out or failed health check).
    taskReplacementsPerMonth: 30,
    // Task-role credential refreshes, KMS data keys for logs and secrets, SDK calls that CloudTrail logs.
    managementEventsPerTaskHour: 20,
    backgroundManagementEventsMillions: 0.1,
    guardDutyDnsGb: 1,
    backupVaultWarmGb: 100,
    backupVaultColdGb: 0,
    rdsBackupToStorageRatio: 1.5,
    rdsCrossRegionTransferGb: 30,
    fargateSpotPriceFactor: 0.3,
    snsPublishesMillions: 0.01,
    snsEmailThousands: 1,
    sesEmailsThousands: 10,
}) as UsageAssumptions;

const KEY = "platform:usage";
const S3_CLASSES = ["standard", "standardIa", "glacierIr", "deepArchive"] as const;

/** The value at `key` as a mapping; ConfigError naming the key otherwise. */
function mapping(key: string, value: unknown): Record<string, unknown> {
    Section.of(key, value);
    return value as Record<string, unknown>;
}

/** A non-negative number (integer or decimal) at `key`. */
function amount(key: string, value: unknown, max = 1e9): number {
    const n = typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0 || n > max) throw new ConfigError(key, value, `a number from 0 to ${max}`);
    return n;
}

/**
 * Validates `platform:usage` (absent = every default) and returns the merged assumptions. Unknown keys are
 * rejected so a typo does not silently leave a default in place.
 */
export function parseUsage(raw: unknown): UsageAssumptions {
    const given = raw === undefined ? {} : mapping(KEY, raw);
    const out: Record<string, unknown> = { ...USAGE_DEFAULTS };
    for (const [field, value] of Object.entries(given)) {
        const key = `${KEY}.${field}`;
        if (!(field in USAGE_DEFAULTS)) throw new ConfigError(key, value, `a known usage assumption: ${Object.keys(USAGE_DEFAULTS).join(", ")}`);
        if (field === "logIngestGb") {
            const map = mapping(key, value);
            out.logIngestGb = { ...USAGE_DEFAULTS.logIngestGb, ...Object.fromEntries(Object.entries(map).map(([k, v]) => [k, amount(`${key}.${k}`, v)])) };
        } else if (field === "s3Gb") {
            const map = mapping(key, value);
            const merged: UsageAssumptions["s3Gb"] = { ...USAGE_DEFAULTS.s3Gb };
            for (const [purpose, classes] of Object.entries(map)) {
                const c = mapping(`${key}.${purpose}`, classes);
                const unknown = Object.keys(c).find((k) => !(S3_CLASSES as readonly string[]).includes(k));
                if (unknown) throw new ConfigError(`${key}.${purpose}.${unknown}`, c[unknown], `a storage class: ${S3_CLASSES.join(", ")}`);
                const base = merged[purpose] ?? { standard: 0, standardIa: 0, glacierIr: 0, deepArchive: 0 };
                merged[purpose] = Object.fromEntries(
                    S3_CLASSES.map((cls) => [cls, c[cls] === undefined ? base[cls] : amount(`${key}.${purpose}.${cls}`, c[cls])]),
                ) as UsageAssumptions["s3Gb"][string];
            }
            out.s3Gb = merged;
        } else if (field === "fargateSpotPriceFactor") {
            out[field] = amount(key, value, 1);
        } else if (field === "logStorageHorizonDays") {
            const n = amount(key, value, 3653);
            if (n < 1) throw new ConfigError(key, value, "a number of days from 1 to 3653");
            out[field] = n;
        } else {
            out[field] = amount(key, value);
        }
    }
    return Object.freeze(out) as unknown as UsageAssumptions;
}
