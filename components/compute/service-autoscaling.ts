import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Scale on ALB requests per target (target tracking) and on p99 latency (step scaling on a TargetResponseTime alarm). */
export interface RequestScaling {
    kind: "requests";
    /** Requests per target per minute the service is sized for. */
    requestsPerTarget: number;
    /** The ALB's and the target group's `arnSuffix` (the request metric's label and the latency alarm's dimensions). */
    loadBalancerArnSuffix: pulumi.Input<string>;
    targetGroupArnSuffix: pulumi.Input<string>;
    /** p99 TargetResponseTime (seconds) above which tasks are added regardless of request count. */
    p99LatencySeconds: number;
    /** SNS topic (the alerts topic) also told when the latency alarm fires and clears; none when omitted. */
    alarmTopicArn?: pulumi.Input<string>;
    /** Runbook the scale-out alarm links when it notifies the topic (appended to its description as `Runbook: <url>`). */
    runbookUrl?: string;
}

/**
 * Scale on a queue-depth metric the application publishes: target tracking on the backlog per running task
 * (queue depth / the service's RunningTaskCount from Container Insights). Needs minTasks >= 1 (a ratio over zero
 * tasks has no value, so it cannot scale out from zero).
 */
export interface QueueDepthScaling {
    kind: "queue-depth";
    /** CloudWatch namespace, metric name and dimensions of the published queue depth. */
    namespace: string;
    metricName: string;
    dimensions: Record<string, string>;
    /** Waiting jobs per running task the family is sized for. */
    backlogPerTask: number;
    /** The service's cluster and name (dimensions of ECS/ContainerInsights RunningTaskCount). */
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
}

/**
 * Scale on the service's average CPU (target tracking), and on its average memory too when `memoryTargetPercent` is
 * given: with two target-tracking policies Application Auto Scaling scales out when either is above its target and in
 * only when both are below (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html).
 */
export interface CpuScaling {
    kind: "cpu";
    targetPercent: number;
    /** Average memory utilization (percent) the service is also kept at; CPU only when omitted. */
    memoryTargetPercent?: number;
}

/** The arguments of ServiceAutoscaling: what the caller decides about scaling one service. */
export interface ServiceAutoscalingArgs {
    /** The service's Application Auto Scaling resource id, `service/<cluster>/<service>`. */
    readonly resourceId: pulumi.Input<string>;
    /** Bounds of the running task count. */
    readonly minTasks: number;
    readonly maxTasks: number;
    /** What drives the count. */
    readonly scaling: RequestScaling | QueueDepthScaling | CpuScaling;
    /** Prefix of the alarm names (e.g. `platform-prod-eu-api`). */
    readonly alarmNamePrefix: string;
}

/**
 * Keeps an ECS service's desired count between its bounds, driven by the signal that matches its work: requests and
 * latency for the API, queue backlog per task for workers, CPU for Keycloak. Scale-out reacts within minutes,
 * scale-in is slow and needs a sustained signal, and a missing metric never scales in.
 */
export class ServiceAutoscaling extends pulumi.ComponentResource {
    public readonly policyArns: pulumi.Output<string>[];

    constructor(name: string, args: ServiceAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ServiceAutoscaling", name, {}, opts);
        if (!(args.minTasks >= 0 && args.maxTasks >= Math.max(1, args.minTasks))) {
            throw new Error(`ServiceAutoscaling ${name}: need 0 <= minTasks <= maxTasks and maxTasks >= 1, got ${args.minTasks}..${args.maxTasks}`);
        }
        const target = new aws.appautoscaling.Target(`${name}`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: args.resourceId,
            minCapacity: args.minTasks,
            maxCapacity: args.maxTasks,
        }, { parent: this });
        const on = { resourceId: target.resourceId, scalableDimension: target.scalableDimension, serviceNamespace: target.serviceNamespace };
        const policies: aws.appautoscaling.Policy[] = [];
        const s = args.scaling;

        if (s.kind === "requests") {
            policies.push(new aws.appautoscaling.Policy(`${name}-requests`, {
                ...on, policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: "ALBRequestCountPerTarget",
                        resourceLabel: pulumi.interpolate`${s.loadBalancerArnSuffix}/${s.targetGroupArnSuffix}`,
                    },
                    targetValue: s.requestsPerTarget,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            }, { parent: this }));
            // Step bounds are relative to the alarm threshold: up to 2x the threshold adds 1 task, beyond adds 3.
            const latency = new aws.appautoscaling.Policy(`${name}-latency`, {
                ...on, policyType: "StepScaling",
                stepScalingPolicyConfiguration: {
                    adjustmentType: "ChangeInCapacity",
                    cooldown: 120,
                    metricAggregationType: "Maximum",
                    stepAdjustments: [
                        { metricIntervalLowerBound: "0", metricIntervalUpperBound: String(s.p99LatencySeconds), scalingAdjustment: 1 },
                        { metricIntervalLowerBound: String(s.p99LatencySeconds), scalingAdjustment: 3 },
                    ],
                },
            }, { parent: this });
            policies.push(latency);
            // `-scale-out`: the paging alarm on the same metric is `<prefix>-p99-latency`; PutMetricAlarm overwrites by name.
            new aws.cloudwatch.MetricAlarm(`${name}-latency`, {
                name: `${args.alarmNamePrefix}-p99-latency-scale-out`,
                alarmDescription: `p99 target response time above ${s.p99LatencySeconds}s: scale out${s.runbookUrl ? `. Runbook: ${s.runbookUrl}` : ""}`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                extendedStatistic: "p99",
                dimensions: { LoadBalancer: s.loadBalancerArnSuffix, TargetGroup: s.targetGroupArnSuffix },
                period: 60,
                evaluationPeriods: 3,
                datapointsToAlarm: 2,
                threshold: s.p99LatencySeconds,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                alarmActions: [latency.arn, ...(s.alarmTopicArn ? [s.alarmTopicArn] : [])],
                okActions: s.alarmTopicArn ? [s.alarmTopicArn] : [],
            }, { parent: this });
        } else if (s.kind === "queue-depth") {
            if (args.minTasks < 1) throw new Error(`ServiceAutoscaling ${name}: queue-depth scaling needs minTasks >= 1 (backlog per task is ` +
                `undefined with no task running), got ${args.minTasks}`);
            const dims = (d: Record<string, pulumi.Input<string>>) => Object.entries(d).map(([n, value]) => ({ name: n, value }));
            // AWS manages the alarms of a target tracking policy: scale-out within minutes, scale-in after 15 low
            // minutes, and no action while the metric is missing (a silent publisher never drains the workers).
            policies.push(new aws.appautoscaling.Policy(`${name}-backlog`, {
                ...on, policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: {
                    customizedMetricSpecification: {
                        metrics: [
                            {
                                id: "depth", returnData: false,
                                metricStat: { stat: "Maximum", metric: { namespace: s.namespace, metricName: s.metricName, dimensions: dims(s.dimensions) } },
                            },
                            {
                                id: "tasks", returnData: false,
                                metricStat: {
                                    stat: "Average",
                                    metric: {
                                        namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount",
                                        dimensions: dims({ ClusterName: s.clusterName, ServiceName: s.serviceName }),
                                    },
                                },
                            },
                            { id: "backlogPerTask", label: "waiting jobs per running task", expression: "depth / tasks", returnData: true },
                        ],
                    },
                    targetValue: s.backlogPerTask,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            }, { parent: this }));
        } else {
            policies.push(new aws.appautoscaling.Policy(`${name}-cpu`, {
                ...on, policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    targetValue: s.targetPercent,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            }, { parent: this }));
            if (s.memoryTargetPercent !== undefined) {
                if (!(s.memoryTargetPercent > 0 && s.memoryTargetPercent <= 100)) {
                    throw new Error(`ServiceAutoscaling ${name}: memoryTargetPercent must be above 0 and at most 100, got ${s.memoryTargetPercent}`);
                }
                policies.push(new aws.appautoscaling.Policy(`${name}-memory`, {
                    ...on, policyType: "TargetTrackingScaling",
                    targetTrackingScalingPolicyConfiguration: {
                        predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" },
                        targetValue: s.memoryTargetPercent,
                        scaleOutCooldown: 60,
                        scaleInCooldown: 300,
                    },
                }, { parent: this }));
            }
        }
        this.policyArns = policies.map((p) => p.arn);
        this.registerOutputs({ policyArns: this.policyArns });
    }
}
