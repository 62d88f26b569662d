import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlarmSpec, AlarmWiring, runbookAlarm, slug } from "./runbooks";
import { AlarmThresholds } from "./thresholds";
import { BULLMQ_METRIC, bullmqQueueDimensions } from "../compute/bullmq-metric";

/**
 * Namespace of the BullMQ metrics (the application's contract, components/compute/bullmq-metric.ts): QueueDepth,
 * and DeadLetterDepth (jobs in the queue's dead-letter queue) with the same dimensions.
 */
export const BULLMQ_NAMESPACE = BULLMQ_METRIC.namespace;

/** The resources the alarms and the dashboard watch: one set, so the two never disagree. */
export interface WatchedResources {
    /** Environment dimension value of the BullMQ metrics (`dev`, `prod`). */
    environment: string;
    /** ALB ARN suffix (`app/<name>/<id>`), the LoadBalancer dimension. */
    albArnSuffix: pulumi.Input<string>;
    /** Target group ARN suffixes by a stable label (e.g. `api`, `keycloak`); `api` gets the p99 latency alarm. */
    targetGroupArnSuffixes: Record<string, pulumi.Input<string>>;
    /** ECS cluster name (Container Insights ClusterName dimension). */
    clusterName: pulumi.Input<string>;
    /** ECS service names by task family; each gets a running-below-desired alarm. */
    serviceNames: Record<string, pulumi.Input<string>>;
    /** Primary RDS instance identifier; the RDS alarms exist only when it is given (a program without a database). */
    dbInstanceIdentifier?: pulumi.Input<string>;
    /** Read replica identifier; the replica lag alarm exists only when it is given. */
    replicaIdentifier?: pulumi.Input<string>;
    /**
     * ElastiCache replication group id (cluster mode disabled: members are `<id>-001`, `<id>-002`, ...); the Redis
     * alarms exist only when it is given.
     */
    redisReplicationGroupId?: pulumi.Input<string>;
    /** Nodes in the replication group (1 + replicas); each member's metrics feed the Redis alarms. */
    redisNodeCount?: number;
    /** BullMQ queue names; each gets a depth and a dead-letter depth alarm. */
    queues: readonly string[];
}

export interface PlatformAlarmsArgs extends WatchedResources {
    /** Alarm name prefix, alerts topic and runbook document. */
    readonly wiring: AlarmWiring;
    /** Thresholds for this environment (see thresholds.ts). */
    readonly thresholds: AlarmThresholds;
    /** Where the api's traces are (tracing.ts traceQueryLink): the api's 5xx and latency alarms name it. None when omitted. */
    readonly apiTraceLink?: string;
}

/**
 * The operational alarms of one stack: ALB, targets, ECS services, and RDS, Redis and BullMQ where the stack has them
 * (a program without a database passes none). Every alarm notifies the alerts topic on ALARM and OK and links its
 * runbook; none can be created without both (runbookAlarm adds them).
 */
export class PlatformAlarms extends pulumi.ComponentResource {
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: PlatformAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:PlatformAlarms", name, {}, opts);
        const t = args.thresholds;
        const alarms: aws.cloudwatch.MetricAlarm[] = [];
        const add = (suffix: string, spec: AlarmSpec) => alarms.push(runbookAlarm(`${name}-${suffix}`, args.wiring, spec, { parent: this }));
        const lb = { LoadBalancer: args.albArnSuffix };
        const traces = args.apiTraceLink ? ` Traces: ${args.apiTraceLink}.` : "";

        add("alb-5xx", {
            runbook: "alb-5xx", summary: `ALB-generated 5xx responses exceeded ${t.alb5xxPer5Min} in 5 minutes (2 of 3 periods).`,
            namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: lb, statistic: "Sum",
            period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: t.alb5xxPer5Min, comparisonOperator: "GreaterThanThreshold",
        });
        add("target-5xx", {
            runbook: "target-5xx", summary: `Target 5xx responses exceeded ${t.target5xxPer5Min} in 5 minutes (2 of 3 periods).${traces}`,
            namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: lb, statistic: "Sum",
            period: 300, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: t.target5xxPer5Min, comparisonOperator: "GreaterThanThreshold",
        });
        const apiTarget = args.targetGroupArnSuffixes.api;
        add("api-p99-latency", {
            runbook: "api-p99-latency", summary: `API p99 target response time above ${t.apiP99Seconds}s for 15 minutes.${traces}`,
            namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime",
            dimensions: apiTarget ? { ...lb, TargetGroup: apiTarget } : lb, extendedStatistic: "p99",
            period: 300, evaluationPeriods: 3, threshold: t.apiP99Seconds, comparisonOperator: "GreaterThanThreshold",
        });
        for (const [label, suffix] of Object.entries(args.targetGroupArnSuffixes)) {
            add(`unhealthy-${slug(label)}`, {
                runbook: "unhealthy-targets", qualifier: label,
                summary: `Target group ${label} had unhealthy targets for ${t.unhealthyMinutes} consecutive minutes.`,
                namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { ...lb, TargetGroup: suffix }, statistic: "Maximum",
                period: 60, evaluationPeriods: t.unhealthyMinutes, threshold: 0, comparisonOperator: "GreaterThanThreshold",
            });
        }
        for (const [family, serviceName] of Object.entries(args.serviceNames)) {
            const metric = (metricName: string) => ({
                namespace: "ECS/ContainerInsights", metricName, period: 60, stat: "Average",
                dimensions: { ClusterName: args.clusterName, ServiceName: serviceName },
            });
            add(`below-desired-${slug(family)}`, {
                runbook: "ecs-running-below-desired", qualifier: family,
                summary: `ECS service ${family} ran fewer tasks than desired for ${t.belowDesiredMinutes} consecutive minutes.`,
                metricQueries: [
                    { id: "running", metric: metric("RunningTaskCount"), returnData: false },
                    { id: "desired", metric: metric("DesiredTaskCount"), returnData: false },
                    { id: "missing", expression: "desired - running", label: "Tasks below desired", returnData: true },
                ],
                evaluationPeriods: t.belowDesiredMinutes, threshold: 0, comparisonOperator: "GreaterThanThreshold",
            });
        }

        if (args.dbInstanceIdentifier !== undefined) this.databaseAlarms(add, args.dbInstanceIdentifier, args.replicaIdentifier, t);
        if (args.redisReplicationGroupId !== undefined) this.redisAlarms(add, args.redisReplicationGroupId, args.redisNodeCount ?? 1, t);
        this.queueAlarms(add, args.environment, args.queues, t);

        this.alarmNames = alarms.map((a) => a.name);
        this.registerOutputs({ alarmNames: this.alarmNames });
    }

    private databaseAlarms(add: AddAlarm, dbInstanceIdentifier: pulumi.Input<string>, replicaIdentifier: pulumi.Input<string> | undefined,
        t: AlarmThresholds): void {
        const db = { DBInstanceIdentifier: dbInstanceIdentifier };
        add("rds-cpu", {
            runbook: "rds-cpu", summary: `Database CPU above ${t.rdsCpuPercent}% for 15 minutes.`,
            namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: db, statistic: "Average",
            period: 300, evaluationPeriods: 3, threshold: t.rdsCpuPercent, comparisonOperator: "GreaterThanThreshold",
        });
        add("rds-free-storage", {
            runbook: "rds-free-storage", summary: `Database free storage below ${Math.round(t.rdsFreeStorageBytes / 1024 ** 3)} GiB.`,
            namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions: db, statistic: "Minimum",
            period: 300, evaluationPeriods: 2, threshold: t.rdsFreeStorageBytes, comparisonOperator: "LessThanThreshold",
        });
        add("rds-connections", {
            runbook: "rds-connections", summary: `Database connections above ${t.rdsConnections} (80% of max_connections) for 10 minutes.`,
            namespace: "AWS/RDS", metricName: "DatabaseConnections", dimensions: db, statistic: "Maximum",
            period: 300, evaluationPeriods: 2, threshold: t.rdsConnections, comparisonOperator: "GreaterThanThreshold",
        });
        if (replicaIdentifier) {
            add("rds-replica-lag", {
                runbook: "rds-replica-lag", summary: `Read replica lag above ${t.replicaLagSeconds}s for 15 minutes.`,
                namespace: "AWS/RDS", metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: replicaIdentifier }, statistic: "Maximum",
                period: 300, evaluationPeriods: 3, threshold: t.replicaLagSeconds, comparisonOperator: "GreaterThanThreshold",
            });
        }
    }

    private redisAlarms(add: AddAlarm, replicationGroupId: pulumi.Input<string>, nodeCount: number, t: AlarmThresholds): void {
        // ElastiCache publishes per member cluster (CacheClusterId), not per replication group: combine the members.
        const redisQueries = (metricName: string, stat: string, combine: "MAX" | "SUM") => [
            ...redisMembers(replicationGroupId, nodeCount).map((member, i) => ({
                id: `node${i + 1}`, returnData: false,
                metric: { namespace: "AWS/ElastiCache", metricName, stat, period: 300, dimensions: { CacheClusterId: member } },
            })),
            { id: "group", expression: `${combine}(METRICS())`, label: `${metricName} (${combine.toLowerCase()} of members)`, returnData: true },
        ];
        add("redis-memory", {
            runbook: "redis-memory", summary: `Redis memory use above ${t.redisMemoryPercent}% for 10 minutes (noeviction: writes fail at 100%).`,
            metricQueries: redisQueries("DatabaseMemoryUsagePercentage", "Maximum", "MAX"),
            evaluationPeriods: 2, threshold: t.redisMemoryPercent, comparisonOperator: "GreaterThanThreshold",
        });
        add("redis-evictions", {
            runbook: "redis-evictions", summary: "Redis evicted at least one key (BullMQ requires maxmemory-policy noeviction).",
            metricQueries: redisQueries("Evictions", "Sum", "SUM"),
            evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold",
        });
    }

    private queueAlarms(add: AddAlarm, environment: string, queues: readonly string[], t: AlarmThresholds): void {
        for (const queue of queues) {
            const dims = bullmqQueueDimensions(environment, queue);
            add(`queue-depth-${slug(queue)}`, {
                runbook: "queue-depth", qualifier: queue, summary: `BullMQ queue ${queue} held more than ${t.queueDepth} waiting jobs for 15 minutes.`,
                namespace: BULLMQ_NAMESPACE, metricName: BULLMQ_METRIC.metricName, dimensions: dims, statistic: "Minimum",
                period: 300, evaluationPeriods: 3, threshold: t.queueDepth, comparisonOperator: "GreaterThanThreshold",
            });
            add(`dead-letter-${slug(queue)}`, {
                runbook: "dead-letter-depth", qualifier: queue, summary: `BullMQ dead-letter queue of ${queue} holds more than ${t.deadLetterDepth} jobs.`,
                namespace: BULLMQ_NAMESPACE, metricName: "DeadLetterDepth", dimensions: dims, statistic: "Maximum",
                period: 300, evaluationPeriods: 1, threshold: t.deadLetterDepth, comparisonOperator: "GreaterThanThreshold",
            });
        }
    }
}

type AddAlarm = (suffix: string, spec: AlarmSpec) => void;

/** Member cluster ids of a cluster-mode-disabled replication group: `<group>-001` ... (ElastiCache's naming). */
export function redisMembers(replicationGroupId: pulumi.Input<string>, nodeCount: number): pulumi.Output<string>[] {
    return Array.from({ length: nodeCount }, (_, i) => pulumi.interpolate`${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}
