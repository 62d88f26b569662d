import * as pulumi from "@pulumi/pulumi";
import {
    AlarmWiring, FetchedLogBucket, LogShipper, PlatformAlarms, PlatformDashboard, S3LogFetcher, SecurityAlarms, WatchedResources, alarmThresholds,
    traceQueryLink,
} from "../../components";
import { PlatformConfig } from "../config";

/** The log-shipping Firehose stream's name (fixed, so other layers can name its ARN before it exists). */
export function logShippingStreamName(cfg: PlatformConfig): string {
    return `${cfg.namePrefix}-logzio`;
}

/**
 * What the layer watches (ALB, target groups, cluster and services, database, replica (required when
 * `cfg.database.readReplica`), Redis, BullMQ queues) plus what log shipping needs. The environment and the Redis
 * node count come from config.
 */
export interface ObservabilityInputs extends Omit<WatchedResources, "environment" | "redisNodeCount"> {
    accountId: pulumi.Input<string>;
    /** The logs key: encrypts the Firehose stream and its delivery-error log group. */
    logsKeyArn: pulumi.Input<string>;
    /** The alerts topic (notifications layer): every alarm's ALARM and OK action unless its severity has a topic. */
    alertsTopicArn: pulumi.Input<string>;
    /** Topic per severity (notifications layer): each alarm notifies the topic of its severity. */
    topicsBySeverity?: AlarmWiring["topicsBySeverity"];
    /** Secret holding the Logz.io shipping token as `{"api_key": "<token>"}` (Firehose's format for Logz.io). */
    logzioTokenSecretArn: pulumi.Input<string>;
    /** The secrets key that encrypts that secret. */
    secretsKeyArn: pulumi.Input<string>;
    /** Encrypted bucket for records Logz.io did not accept. */
    failedDeliveryBucketArn: pulumi.Input<string>;
    /** The key that bucket encrypts with (Firehose writes under it). */
    failedDeliveryKeyArn: pulumi.Input<string>;
    /** Service log groups to ship to Logz.io, by a stable label (e.g. family name); labels name the subscriptions. */
    logGroupNames: Record<string, pulumi.Input<string>>;
    /** VPC flow log group (shipped too). */
    flowLogGroupName: pulumi.Input<string>;
    /** CloudTrail's log group: shipped, and the source of the security metric filters. */
    trailLogGroupName: pulumi.Input<string>;
    /** The break-glass role (identity layer); any use of it raises an alarm. */
    breakGlassRoleArn: pulumi.Input<string>;
    /** Buckets AWS services write logs to (ALB, S3 access logs): the SIEM's S3 fetcher reads them. */
    logBuckets?: FetchedLogBucket[];
}

export interface ObservabilityOutputs {
    /** The log-shipping stream; undefined when shipping is off (platform:logShipping.enabled: false). */
    firehoseArn?: pulumi.Output<string>;
    alarmNames: pulumi.Output<string>[];
    dashboardName: pulumi.Output<string>;
}

/**
 * Observability (built last: it watches every other layer): log shipping to Logz.io (when enabled), the operational and security
 * alarms with runbook links, and the stack's dashboard.
 */
export function buildObservability(cfg: PlatformConfig, inputs: ObservabilityInputs, opts: pulumi.ComponentResourceOptions): ObservabilityOutputs {
    if (cfg.database.readReplica && !inputs.replicaIdentifier) {
        throw new Error("buildObservability: platform:database.readReplica is true; pass replicaIdentifier so replica lag is alarmed");
    }
    const replicaIdentifier = cfg.database.readReplica ? inputs.replicaIdentifier : undefined;
    const redisNodeCount = 1 + cfg.redis.replicasPerShard;
    const reserved = ["flow-logs", "cloudtrail"].filter((label) => label in inputs.logGroupNames);
    if (reserved.length) throw new Error(`buildObservability: logGroupNames may not use the reserved labels ${reserved.join(", ")}`);

    // Off under data residency until an in-region listener exists: logs then stay in CloudWatch Logs, in the region.
    const shipper = cfg.logShipping.enabled ? new LogShipper("log-shipping", {
        streamName: logShippingStreamName(cfg),
        listenerUrl: cfg.logShipping.listenerUrl,
        destinationRegion: cfg.logShipping.destinationRegion ?? "undeclared",
        endpointName: "Logz.io",
        tokenSecretArn: inputs.logzioTokenSecretArn,
        secretsKeyArn: inputs.secretsKeyArn,
        logsKeyArn: inputs.logsKeyArn,
        failedDeliveryBucketArn: inputs.failedDeliveryBucketArn,
        failedDeliveryKeyArn: inputs.failedDeliveryKeyArn,
        logGroups: { ...inputs.logGroupNames, "flow-logs": inputs.flowLogGroupName, cloudtrail: inputs.trailLogGroupName },
        errorLogRetentionDays: cfg.retention.logDays,
        accountId: inputs.accountId,
        region: cfg.region,
    }, opts) : undefined;

    if (cfg.logShipping.enabled && inputs.logBuckets?.length) {
        new S3LogFetcher("log-fetcher", {
            roleName: `${cfg.namePrefix}-logzio-s3-fetch`,
            fetcherAccountId: cfg.logShipping.s3Fetcher.accountId,
            externalId: cfg.logShipping.s3Fetcher.externalId,
            buckets: inputs.logBuckets,
        }, opts);
    }

    const wiring: AlarmWiring = {
        namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, topicsBySeverity: inputs.topicsBySeverity, runbookBaseUrl: cfg.alerts.runbookBaseUrl,
    };
    const watched: WatchedResources = {
        environment: cfg.environment,
        albArnSuffix: inputs.albArnSuffix,
        targetGroupArnSuffixes: inputs.targetGroupArnSuffixes,
        clusterName: inputs.clusterName,
        serviceNames: inputs.serviceNames,
        dbInstanceIdentifier: inputs.dbInstanceIdentifier,
        replicaIdentifier,
        redisReplicationGroupId: inputs.redisReplicationGroupId,
        redisNodeCount,
        queues: inputs.queues,
    };
    const operational = new PlatformAlarms("alarms", {
        ...watched,
        wiring,
        thresholds: alarmThresholds({
            production: cfg.isProd, dbInstanceClass: cfg.database.instanceClass, dbAllocatedStorageGb: cfg.database.allocatedStorageGb,
        }),
        // The compute layer traces the api as `<namePrefix>-api` (Tracing.traceName).
        apiTraceLink: cfg.tracing.enabled ? traceQueryLink(cfg.region, `${cfg.namePrefix}-api`) : undefined,
    }, opts);
    const security = new SecurityAlarms("security-alarms", {
        wiring, trailLogGroupName: inputs.trailLogGroupName, breakGlassRoleArn: inputs.breakGlassRoleArn,
    }, opts);
    const dashboard = new PlatformDashboard("dashboard", { ...watched, dashboardName: cfg.namePrefix, region: cfg.region }, opts);

    return {
        firehoseArn: shipper?.streamArn,
        alarmNames: [...operational.alarmNames, ...security.alarmNames],
        dashboardName: dashboard.dashboardName,
    };
}
