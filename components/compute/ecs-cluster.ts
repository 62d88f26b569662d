import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The arguments of EcsCluster: what the caller decides about the ECS cluster. */
export interface EcsClusterArgs {
    /** Physical cluster name (e.g. `platform-prod-eu`). */
    readonly clusterName: string;
    /**
     * ECS Exec (interactive shells in running tasks). Off in prod. When on, every session is logged to a
     * KMS-encrypted log group and the session itself is encrypted with `execKmsKeyArn`.
     */
    readonly execEnabled: boolean;
    /** Key for the ECS Exec session and its log group (the logs key); required when execEnabled. */
    readonly execKmsKeyArn?: pulumi.Input<string>;
    /** Retention of the ECS Exec session log group, in days. */
    readonly execLogRetentionDays: number;
    /**
     * Key (the logs key) and retention of the Container Insights performance log group, created here before the
     * cluster so ECS writes into an encrypted group with a retention instead of creating its own.
     */
    readonly logsKeyArn: pulumi.Input<string>;
    readonly containerInsightsRetentionDays: number;
}

/**
 * The ECS cluster the task families run in: Container Insights (enhanced) on, Fargate and Fargate Spot available
 * as capacity providers (each service chooses its own strategy), and ECS Exec either off or fully logged and
 * encrypted: it is never on without an audit trail.
 */
export class EcsCluster extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    /** The ECS Exec session log group (undefined when exec is off). */
    public readonly execLogGroupArn?: pulumi.Output<string>;
    public readonly execKmsKeyArn?: pulumi.Input<string>;
    /** Resolves once the capacity providers are attached; services depend on it. */
    public readonly capacityProviders: aws.ecs.ClusterCapacityProviders;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:EcsCluster", name, {}, opts);
        if (args.execEnabled && !args.execKmsKeyArn) throw new Error(`EcsCluster ${name}: execKmsKeyArn is required when ECS Exec is enabled`);
        const execLog = args.execEnabled
            ? new aws.cloudwatch.LogGroup(`${name}-exec`, {
                name: `/ecs/${args.clusterName}/exec`,
                kmsKeyId: args.execKmsKeyArn,
                retentionInDays: args.execLogRetentionDays,
            }, { parent: this })
            : undefined;
        // Container Insights writes performance events to this group; pre-created, it carries the key and retention.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html
        const insightsLog = new aws.cloudwatch.LogGroup(`${name}-insights`, {
            name: `/aws/ecs/containerinsights/${args.clusterName}/performance`,
            kmsKeyId: args.logsKeyArn,
            retentionInDays: args.containerInsightsRetentionDays,
        }, { parent: this });
        const cluster = new aws.ecs.Cluster(`${name}`, {
            name: args.clusterName,
            settings: [{ name: "containerInsights", value: "enhanced" }],
            configuration: execLog ? {
                executeCommandConfiguration: {
                    kmsKeyId: args.execKmsKeyArn,
                    logging: "OVERRIDE",
                    logConfiguration: { cloudWatchLogGroupName: execLog.name, cloudWatchEncryptionEnabled: true },
                },
            } : undefined,
        }, { parent: this, dependsOn: [insightsLog] });
        this.capacityProviders = new aws.ecs.ClusterCapacityProviders(`${name}`, {
            clusterName: cluster.name,
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            // Anything launched without its own strategy runs on on-demand Fargate.
            defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
        }, { parent: this });
        this.clusterName = cluster.name;
        this.clusterArn = cluster.arn;
        this.execLogGroupArn = execLog?.arn;
        this.execKmsKeyArn = args.execEnabled ? args.execKmsKeyArn : undefined;
        this.registerOutputs({ clusterName: this.clusterName, clusterArn: this.clusterArn, execLogGroupArn: this.execLogGroupArn });
    }
}
