import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { BULLMQ_NAMESPACE, WatchedResources, redisMembers } from "./platform-alarms";
import { componentRegion } from "../provider-region";

export interface PlatformDashboardArgs extends WatchedResources {
    /** Dashboard name (letters, digits, `-`, `_`), e.g. `platform-prod-eu`. */
    readonly dashboardName: string;
    /** Region of every metric the widgets read. Default: the provider's region (`aws.getRegion`); checked when given. */
    readonly region?: string;
}

type MetricLine = pulumi.Input<pulumi.Input<string | Record<string, unknown>>[]>;

/**
 * One CloudWatch dashboard per stack: a row each for the ALB, ECS services, RDS, Redis and the BullMQ queues,
 * reading exactly the metrics the alarms watch, so an alert can be looked at in context.
 */
export class PlatformDashboard extends pulumi.ComponentResource {
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: PlatformDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:PlatformDashboard", name, {}, opts);
        const region = componentRegion(this, args.region, `PlatformDashboard ${name}`);
        const widgets: Record<string, unknown>[] = [];
        const row = (title: string, metrics: MetricLine[], extra: Record<string, unknown> = {}) => {
            if (metrics.length === 0) return; // CloudWatch rejects a metric widget without metrics
            const i = widgets.length;
            widgets.push({
                type: "metric", x: (i % 3) * 8, y: Math.floor(i / 3) * 6, width: 8, height: 6,
                properties: { title, region, view: "timeSeries", stacked: false, period: 300, metrics, ...extra },
            });
        };
        const lb = args.albArnSuffix;
        row("ALB 5xx", [
            ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb, { stat: "Sum", label: "ALB 5xx" }],
            ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb, { stat: "Sum", label: "Target 5xx" }],
        ]);
        row("ALB requests and p99 latency", [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum" }],
            ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat: "p99", yAxis: "right" }],
        ]);
        row("Unhealthy targets", Object.entries(args.targetGroupArnSuffixes).map(([label, tg]) =>
            ["AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", tg, "LoadBalancer", lb, { stat: "Maximum", label }]));
        row("ECS running tasks", Object.entries(args.serviceNames).map(([family, service]) =>
            ["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", args.clusterName, "ServiceName", service, { stat: "Average", label: family }]));
        row("ECS CPU utilization", Object.entries(args.serviceNames).map(([family, service]) =>
            ["AWS/ECS", "CPUUtilization", "ClusterName", args.clusterName, "ServiceName", service, { stat: "Average", label: family }]));
        const dbs: [string, pulumi.Input<string>][] = args.dbInstanceIdentifier === undefined ? []
            : [["primary", args.dbInstanceIdentifier],
                ...(args.replicaIdentifier ? [["replica", args.replicaIdentifier] as [string, pulumi.Input<string>]] : [])];
        row("RDS CPU and connections", dbs.flatMap(([label, id]) => [
            ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", id, { stat: "Average", label: `${label} CPU` }],
            ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", id, { stat: "Maximum", label: `${label} connections`, yAxis: "right" }],
        ]));
        row("RDS free storage and replica lag", args.dbInstanceIdentifier === undefined ? [] : [
            ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", args.dbInstanceIdentifier, { stat: "Minimum" }],
            ...(args.replicaIdentifier
                ? [["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", args.replicaIdentifier, { stat: "Maximum", yAxis: "right" }] as MetricLine]
                : []),
        ]);
        const members = args.redisReplicationGroupId === undefined ? [] : redisMembers(args.redisReplicationGroupId, args.redisNodeCount ?? 1);
        row("Redis memory and evictions", members.flatMap((member) => [
            ["AWS/ElastiCache", "DatabaseMemoryUsagePercentage", "CacheClusterId", member, { stat: "Maximum" }],
            ["AWS/ElastiCache", "Evictions", "CacheClusterId", member, { stat: "Sum", yAxis: "right" }],
        ]));
        row("BullMQ queue and dead-letter depth", args.queues.flatMap((queue) => [
            [BULLMQ_NAMESPACE, "QueueDepth", "Environment", args.environment, "Queue", queue, { stat: "Maximum", label: `${queue} waiting` }],
            [BULLMQ_NAMESPACE, "DeadLetterDepth", "Environment", args.environment, "Queue", queue,
                { stat: "Maximum", label: `${queue} dead-letter`, yAxis: "right" }],
        ]));

        const dashboard = new aws.cloudwatch.Dashboard(`${name}`, {
            dashboardName: args.dashboardName,
            dashboardBody: pulumi.jsonStringify({ widgets }),
        }, { parent: this });
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ dashboardName: this.dashboardName });
    }
}
