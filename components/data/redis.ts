import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { REDIS_PORT } from "../../standards/ports";
import { AlarmWiring } from "../observability/runbooks";
import { ManagedSecret, SecretRotationMode } from "../secrets/managed-secret";
import { RotationFunction } from "../secrets/rotation-function";
import { physicalName } from "./names";
import { ComponentTags, withTags } from "../tags";
import { Defaulted, withDefaults } from "../defaults";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";

/** Length of AUTH tokens, generated and rotated (ElastiCache accepts 16-128). */
const AUTH_TOKEN_LENGTH = 64;
/** ElastiCache log types delivered to CloudWatch Logs. */
export const REDIS_LOG_TYPES = ["slow-log", "engine-log"] as const;

/** The arguments of Redis: what the caller decides about the replication group. */
export interface RedisArgs {
    /** Prefix of every physical name; the replication group id is `<prefix>-redis` (at most 40 characters). */
    readonly namePrefix: string;
    /** VPC the security groups are created in. */
    readonly vpcId: pulumi.Input<string>;
    /** Data subnets (one per AZ) for the subnet group. */
    readonly subnetIds: pulumi.Input<string>[];
    /** AZs to spread the nodes over, primary first (node i goes to AZ i modulo the list); undefined lets AWS choose. */
    readonly availabilityZones?: pulumi.Input<pulumi.Input<string>[]>;
    /** Engine version (Redis OSS) and the matching parameter group family. */
    readonly engineVersion: string;
    readonly parameterGroupFamily: string;
    /** Node type (Graviton). */
    readonly nodeType: string;
    /** Replicas of the primary; >= 1 turns on Multi-AZ with automatic failover. */
    readonly replicas: number;
    /** Key for data at rest (the data key). */
    readonly dataKeyArn: pulumi.Input<string>;
    /** Key for the Secrets Manager secret holding the auth token (the secrets key). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Key of the slow-log and engine-log groups (the logs key). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Retention (days) of the slow-log and engine-log groups. Default: MIN_PROD_LOG_RETENTION_DAYS (365). */
    readonly logRetentionDays?: number;
    /** Days daily snapshots are kept (1-35). Default: 35 (the most ElastiCache keeps). */
    readonly snapshotRetentionDays?: number;
    /** The daily snapshot and weekly maintenance windows (UTC). */
    readonly snapshotWindow: string;
    readonly maintenanceWindow: string;
    /** Days a deleted auth-token secret can be recovered (7-30). Default: 30. */
    readonly secretRecoveryWindowDays?: number;
    /**
     * Protect the replication group and its secret, and take a final snapshot on deletion; false only for throw-away
     * stacks. Default: true.
     */
    readonly protect?: boolean;
    /**
     * Automatic rotation of the AUTH token every `days` by functions/rotation/redis.mjs (ROTATE, then SET at the next
     * rotation), running in `subnetIds`; a failed step alarms through `wiring`. Omit for manual rotation (runbook).
     */
    readonly rotation?: { days: number; region: string; accountId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[]; wiring: AlarmWiring };
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/** What Redis applies when the caller leaves these RedisArgs out. */
export const REDIS_DEFAULTS = {
    logRetentionDays: MIN_PROD_LOG_RETENTION_DAYS,
    // ElastiCache keeps automatic backups at most 35 days (SnapshotRetentionLimit; "the maximum backup retention limit
    // is 35 days": https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html).
    snapshotRetentionDays: 35,
    secretRecoveryWindowDays: 30,
    protect: true,
} as const;

/**
 * The Redis that holds sessions, rate-limit state, cache and the BullMQ queues. What cannot go wrong: the
 * parameter group sets `maxmemory-policy noeviction`, so a full Redis refuses writes instead of silently evicting
 * queued jobs (cache keys must therefore carry TTLs); data is encrypted at rest with the data key and in transit
 * (TLS required, no plain-text port); clients authenticate with a generated token kept only in Secrets Manager
 * (secrets key); 6379 is admitted only from `clientSecurityGroupId`, never from a CIDR; slow and engine logs go to
 * KMS-encrypted log groups.
 */
export class Redis extends pulumi.ComponentResource {
    /** The replication group resource itself. */
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    public readonly replicationGroupId: string;
    public readonly primaryEndpoint: pulumi.Output<string>;
    public readonly readerEndpoint: pulumi.Output<string>;
    public readonly port: number;
    /** Secret whose whole string is the AUTH token. */
    public readonly authSecretArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** Attach to Redis clients (ECS tasks, bastion). It has no ingress. */
    public readonly clientSecurityGroupId: pulumi.Output<string>;
    /** The slow-log and engine-log groups by label (`redis-slow-log`, `redis-engine-log`): for log shipping. */
    public readonly logGroupNames: Record<string, pulumi.Output<string>>;

    constructor(name: string, given: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Redis", name, {}, withTags(opts, given.tags));
        const args = withDefaults(given, REDIS_DEFAULTS);
        if (!Number.isInteger(args.replicas) || args.replicas < 0 || args.replicas > 5) throw new Error(`Redis ${name}: replicas must be 0-5, got ` +
            `${args.replicas}`);
        if (args.snapshotRetentionDays < 1 || args.snapshotRetentionDays > 35) {
            throw new Error(`Redis ${name}: snapshotRetentionDays must be 1-35 (ElastiCache.1; 35 is the most ElastiCache keeps), got ` +
                `${args.snapshotRetentionDays}`);
        }
        const p = args.namePrefix;
        const id = physicalName("elasticacheReplicationGroup", p, "redis");
        const parent = { parent: this };

        const redisSg = new aws.ec2.SecurityGroup(`${name}`, {
            name: physicalName("securityGroup", p, "redis"), vpcId: args.vpcId,
            description: "Redis: 6379 from Redis clients only", tags: { Name: `${p}-redis` },
        }, parent);
        const clientSg = new aws.ec2.SecurityGroup(`${name}-clients`, {
            name: physicalName("securityGroup", p, "redis-clients"), vpcId: args.vpcId,
            description: "Attach to Redis clients (ECS tasks); no ingress", tags: { Name: `${p}-redis-clients` },
        }, parent);
        const rule = { ipProtocol: "tcp", fromPort: REDIS_PORT, toPort: REDIS_PORT, description: "Redis clients to Redis" };
        new aws.vpc.SecurityGroupIngressRule(`${name}-clients-in`, { ...rule, securityGroupId: redisSg.id, referencedSecurityGroupId: clientSg.id }, parent);
        new aws.vpc.SecurityGroupEgressRule(`${name}-clients-out`, { ...rule, securityGroupId: clientSg.id, referencedSecurityGroupId: redisSg.id }, parent);

        const subnetGroup = new aws.elasticache.SubnetGroup(`${name}`, {
            name: physicalName("elasticacheSubnetGroup", p, "redis"), description: `${p} Redis: data subnets`, subnetIds: args.subnetIds,
        }, parent);
        const parameterGroup = new aws.elasticache.ParameterGroup(`${name}`, {
            name: physicalName("elasticacheParameterGroup", p, args.parameterGroupFamily),
            family: args.parameterGroupFamily,
            description: `${p} ${args.parameterGroupFamily}: noeviction (BullMQ must never lose jobs)`,
            parameters: redisParameters(),
        }, parent);

        const logGroups = REDIS_LOG_TYPES.map((logType) => new aws.cloudwatch.LogGroup(`${name}-${logType}`, {
            name: `/aws/elasticache/${id}/${logType}`, kmsKeyId: args.logsKeyArn, retentionInDays: args.logRetentionDays,
        }, parent));

        // Alphanumeric: ElastiCache forbids /, " and @ in tokens, and 64 characters is well inside its 16-128 range.
        const authToken = new random.RandomPassword(`${name}-auth-token`, { length: AUTH_TOKEN_LENGTH, special: false }, parent);

        const nodes = 1 + args.replicas;
        const highlyAvailable = args.replicas >= 1;
        const group = new aws.elasticache.ReplicationGroup(`${name}`, {
            replicationGroupId: id,
            description: `${p} Redis: sessions, rate limits, cache and BullMQ queues`,
            engine: "redis",
            engineVersion: args.engineVersion,
            nodeType: args.nodeType,
            port: REDIS_PORT,
            numCacheClusters: nodes,
            automaticFailoverEnabled: highlyAvailable,
            multiAzEnabled: highlyAvailable,
            preferredCacheClusterAzs: args.availabilityZones
                ? pulumi.output(args.availabilityZones).apply((azs) => Array.from({ length: nodes }, (_, i) => azs[i % azs.length]))
                : undefined,
            parameterGroupName: parameterGroup.name,
            subnetGroupName: subnetGroup.name,
            securityGroupIds: [redisSg.id],
            atRestEncryptionEnabled: true,
            kmsKeyId: args.dataKeyArn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: authToken.result,
            // A new token is added beside the old one, so clients reconnect with it before the old one is dropped.
            authTokenUpdateStrategy: "ROTATE",
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: args.snapshotRetentionDays,
            snapshotWindow: args.snapshotWindow,
            maintenanceWindow: args.maintenanceWindow,
            finalSnapshotIdentifier: args.protect ? physicalName("elasticacheSnapshot", id, "final") : undefined,
            logDeliveryConfigurations: REDIS_LOG_TYPES.map((logType, i) => ({
                destination: logGroups[i].name, destinationType: "cloudwatch-logs", logFormat: "json", logType,
            })),
            tags: { Name: id },
        }, { parent: this, protect: args.protect });

        const secretName = physicalName("secret", `${p}/redis/auth`);
        const rotation = args.rotation ? this.rotationFunction(name, args, id, secretName, redisSg, group) : undefined;
        const secret = new ManagedSecret(`${name}-auth`, {
            secretName,
            description: `${p} Redis AUTH token (TLS required; host ${id})`,
            kmsKeyId: args.secretsKeyArn,
            recoveryWindowInDays: args.secretRecoveryWindowDays,
            protect: args.protect,
            // The whole secret string is the token (ECS injects it as REDIS_AUTH_TOKEN); host and port are plain config.
            value: authToken.result,
            rotation: rotation ?? "manual",
        }, parent);

        this.logGroupNames = {
            ...Object.fromEntries(REDIS_LOG_TYPES.map((logType, i) => [`redis-${logType}`, logGroups[i].name])),
            ...(rotation ? { "redis-rotation": rotation.logGroupName } : {}),
        };
        this.replicationGroupId = id;
        this.primaryEndpoint = group.primaryEndpointAddress;
        this.readerEndpoint = group.readerEndpointAddress;
        this.port = REDIS_PORT;
        this.authSecretArn = secret.arn;
        this.securityGroupId = redisSg.id;
        this.clientSecurityGroupId = clientSg.id;
        this.replicationGroup = group;
        this.registerOutputs({
            replicationGroupId: id, primaryEndpoint: this.primaryEndpoint, readerEndpoint: this.readerEndpoint,
            authSecretArn: this.authSecretArn, securityGroupId: this.securityGroupId, clientSecurityGroupId: this.clientSecurityGroupId,
        });
    }

    /** The token's rotation function: a Redis client (6379 to the group) that may modify this replication group only. */
    private rotationFunction(
        name: string, args: Defaulted<RedisArgs, keyof typeof REDIS_DEFAULTS>, id: string, secretName: string, redisSg: aws.ec2.SecurityGroup,
        group: aws.elasticache.ReplicationGroup,
    ): RotationWiring {
        const r = args.rotation!;
        const groupArn = pulumi.interpolate`arn:aws:elasticache:${r.region}:${r.accountId}:replicationgroup:${id}`;
        const fn = new RotationFunction(`${name}-auth-rotation`, {
            kind: "redis", functionName: `${args.namePrefix}-redis-rotation`, region: r.region, accountId: r.accountId, secretName,
            secretsKeyArn: args.secretsKeyArn,
            environment: {
                REPLICATION_GROUP_ID: id, REDIS_HOST: group.primaryEndpointAddress, REDIS_PORT: String(REDIS_PORT), TOKEN_LENGTH: String(AUTH_TOKEN_LENGTH),
            },
            serviceStatements: [{
                Sid: "RotateAuthToken", Effect: "Allow", Action: ["elasticache:ModifyReplicationGroup", "elasticache:DescribeReplicationGroups"],
                Resource: [groupArn, pulumi.interpolate`arn:aws:elasticache:${r.region}:${r.accountId}:cluster:${id}-*`],
            }],
            vpcId: args.vpcId, subnetIds: r.subnetIds,
            egressToSecurityGroups: [{ port: REDIS_PORT, securityGroupId: redisSg.id, description: "The token rotation function tests tokens with AUTH" }],
            logsKeyArn: args.logsKeyArn, logRetentionDays: args.logRetentionDays, wiring: r.wiring,
        }, { parent: this });
        new aws.vpc.SecurityGroupIngressRule(`${name}-rotation-in`, {
            securityGroupId: redisSg.id, referencedSecurityGroupId: fn.securityGroupId, ipProtocol: "tcp", fromPort: REDIS_PORT, toPort: REDIS_PORT,
            description: "The AUTH token rotation function to Redis",
        }, { parent: this });
        return { lambdaArn: fn.functionArn, days: r.days, dependsOn: [fn.invokePermission, group], logGroupName: fn.logGroupName };
    }
}

/** What the token's rotation hands to its secret, and the function's log group (for the SIEM). */
type RotationWiring = Exclude<SecretRotationMode, "manual"> & { logGroupName: pulumi.Output<string> };

/** BullMQ requires noeviction: under any evicting policy a full Redis silently drops queued jobs. */
export function redisParameters(): aws.types.input.elasticache.ParameterGroupParameter[] {
    return [{ name: "maxmemory-policy", value: "noeviction" }];
}
