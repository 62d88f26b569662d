import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { POSTGRES_PORT } from "../../standards/ports";
import { AlarmWiring } from "../observability/runbooks";
import { MasterCredentials } from "./master-credentials";
import { physicalName } from "./names";
import { ComponentTags, withTags } from "../tags";
import { componentAccountId, componentRegion } from "../provider-region";
import { withDefaults } from "../defaults";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";
import { MIN_PROD_BACKUP_RETENTION_DAYS } from "../../standards/backups";
import { serviceTrustPolicy } from "../security/service-trust";
/** The AWS managed policy that lets RDS publish enhanced-monitoring metrics to CloudWatch Logs. */
export const ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";
/** Log types exported to CloudWatch Logs (both Postgres has). */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
/**
 * Libraries loaded at start-up. pg_partman is created per database (CREATE EXTENSION) and its maintenance is
 * scheduled with pg_cron (`partman.run_maintenance_proc()`), the way the RDS documentation sets it up; its own
 * background worker (`pg_partman_bgw`) is not preloaded, so there is one scheduler (pg_cron), not two.
 * pgvector needs no preloading.
 */
export const POSTGRES_PRELOAD = "pg_stat_statements,pg_cron";

/** The RDS Proxy in front of the primary, when there is one. */
export interface PostgresProxyArgs {
    /** Seconds an idle client connection to the proxy stays open. */
    readonly idleClientTimeoutSeconds: number;
    /** Seconds a client waits for a pooled connection before the proxy gives up. */
    readonly connectionBorrowTimeoutSeconds: number;
}

/** Automated backups replicated to another region, when there are. */
export interface PostgresCrossRegionBackupsArgs {
    /** AWS provider of the DR region: the replication is created there and pulls from the primary. */
    readonly provider: aws.Provider;
    /** KMS key in the DR region that encrypts the replicated backups (the DR backups key). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days the replicated automated backups are kept (1-35). */
    readonly retentionDays: number;
}

/**
 * Create the primary from backups instead of empty (a region recovery). Either the replicated automated backups
 * (RestoreDBInstanceToPointInTime with SourceDBInstanceAutomatedBackupsArn, at `restoreTime` or the latest restorable
 * time) or a snapshot in this region. The restored storage keeps the key its backups are encrypted with, `kmsKeyArn`:
 * the instance restore API has no KmsKeyId (unlike the cluster one), so declaring any other key would replace it.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceToPointInTime.html,
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReplicateBackups.html,
 * https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/ (restoreToPointInTime, snapshotIdentifier).
 */
export type PostgresRestoreArgs = ({ automatedBackupsArn: string; restoreTime: "latest" | string } | { snapshotIdentifier: string }) & {
    /** The key the backups (and so the restored storage) are encrypted with. */
    kmsKeyArn: pulumi.Input<string>;
};

/** The arguments of Postgres: what the caller decides about the database. */
export interface PostgresArgs {
    /** Prefix of every physical name (e.g. `platform-prod-eu`); identifiers derive from it deterministically. */
    readonly namePrefix: string;
    /**
     * Region the database runs in (the proxy's and rotation's KMS permission through Secrets Manager, IAM auth ARNs).
     * Default: the region of the component's AWS provider; when given, it must be that region.
     */
    readonly region?: string;
    /**
     * Account that owns the database; service roles trust RDS only on behalf of this account. Default: the account of
     * the credentials of the component's AWS provider.
     */
    readonly accountId?: pulumi.Input<string>;
    /** VPC the security groups are created in. */
    readonly vpcId: pulumi.Input<string>;
    /** Data subnets (one per AZ) for the subnet group and the proxy. */
    readonly subnetIds: pulumi.Input<string>[];
    /** AZ of a single-AZ primary; ignored when multiAz (AWS places a Multi-AZ primary and its standby itself). */
    readonly primaryAvailabilityZone?: pulumi.Input<string>;
    /** Major engine version, e.g. "16"; minor versions are applied automatically in the maintenance window. */
    readonly engineVersion: string;
    /** Parameter group family matching engineVersion, e.g. "postgres16". */
    readonly parameterGroupFamily: string;
    /** Instance class of the primary (Graviton). */
    readonly instanceClass: string;
    /** Synchronous standby in a second AZ with automatic failover. Default: true. */
    readonly multiAz?: boolean;
    /** Initial storage (GiB) and the autoscaling ceiling (GiB). */
    readonly allocatedStorageGb: number;
    readonly maxAllocatedStorageGb: number;
    /** Database created with the instance; pg_cron's jobs live in it. */
    readonly databaseName: string;
    /** Master user name (administration only: applications use an IAM-auth role, see sql/). */
    readonly masterUsername: string;
    /**
     * Database roles that log in with IAM tokens (`rds_iam`, created by a migration): applications. Through the proxy
     * they are authenticated end to end with IAM (the proxy's role may `rds-db:connect` as exactly these users).
     * Default: none.
     */
    readonly iamDatabaseUsers?: readonly string[];
    /**
     * The master password: generated, set write-only on the instance, kept in a secrets-key secret and rotated every
     * `rotationDays` by the platform's rotation function (functions/rotation/postgres.mjs), which runs in
     * `rotationSubnetIds` (private compute subnets) and alarms through `wiring` when a rotation step fails.
     */
    readonly masterSecret: { rotationDays: number; recoveryWindowDays: number; rotationSubnetIds: pulumi.Input<string>[]; wiring: AlarmWiring };
    /**
     * Create the `RDSOSMetrics` log group Enhanced Monitoring writes to, with the logs key and retention. It is one
     * group per account and region, shared by every instance there: exactly one stack of an account and region may
     * create it (false where another already does). Default: true (RDS would otherwise create it unencrypted).
     */
    readonly createEnhancedMonitoringLogGroup?: boolean;
    /** Key for storage, Performance Insights and the replica (the data key). */
    readonly dataKeyArn: pulumi.Input<string>;
    /** Key for the master secret (the secrets key). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Key of the exported-log groups (the logs key). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Retention (days) of the exported-log groups. Default: MIN_PROD_LOG_RETENTION_DAYS (365). */
    readonly logRetentionDays?: number;
    /** Automated backup (PITR) retention in days. Default: MIN_PROD_BACKUP_RETENTION_DAYS (35, the most RDS keeps). */
    readonly backupRetentionDays?: number;
    /** The daily backup and weekly maintenance windows (UTC). */
    readonly backupWindow: string;
    readonly maintenanceWindow: string;
    /** Enhanced monitoring granularity in seconds (1, 5, 10, 15, 30 or 60). Default: 60. */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention: 7 (free tier), 731, or a multiple of 31. Default: 7. */
    readonly performanceInsightsRetentionDays?: number;
    /** Statements slower than this are logged (log_min_duration_statement, milliseconds). Default: 500. */
    readonly slowStatementMs?: number;
    /** Refuse DeleteDBInstance; false only for throw-away stacks. Default: true. */
    readonly deletionProtection?: boolean;
    /** Take a final snapshot `<identifier>-final` when the instance is deleted. Default: true. */
    readonly finalSnapshot?: boolean;
    /** Protect instances and backups from `pulumi destroy` and replacement; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /** Create one read replica of this class (analytics and dashboards); undefined for none. */
    readonly readReplica?: { instanceClass: string; availabilityZone?: pulumi.Input<string> };
    /**
     * Also create `directClientSecurityGroupId`, admitted to the primary itself: for clients that cannot use the
     * proxy's IAM authentication (Keycloak's JDBC password login). Only meaningful with a proxy.
     */
    readonly directClients?: boolean;
    /** Put RDS Proxy in front of the primary; undefined to connect clients to the instance directly (dev). */
    readonly proxy?: PostgresProxyArgs;
    /** Replicate automated backups to another region; undefined for none (in-region DR, or residency). */
    readonly crossRegionBackups?: PostgresCrossRegionBackupsArgs;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
    /** Restore the primary from backups (region recovery); undefined creates an empty database. */
    readonly restore?: PostgresRestoreArgs;
}

/** What Postgres applies when the caller leaves these PostgresArgs out: the choices a production database wants. */
export const POSTGRES_DEFAULTS = {
    multiAz: true,
    iamDatabaseUsers: [] as readonly string[],
    createEnhancedMonitoringLogGroup: true,
    logRetentionDays: MIN_PROD_LOG_RETENTION_DAYS,
    backupRetentionDays: MIN_PROD_BACKUP_RETENTION_DAYS,
    monitoringIntervalSeconds: 60,
    performanceInsightsRetentionDays: 7,
    slowStatementMs: 500,
    deletionProtection: true,
    finalSnapshot: true,
    protect: true,
} as const;

/**
 * RDS for PostgreSQL with everything that must be true of it: storage, Performance Insights and the replica are
 * encrypted with the data key; the master password is generated, set write-only and kept only in a rotated Secrets
 * Manager secret under the secrets key (MasterCredentials: RDS-managed passwords rule out a read replica);
 * TLS is forced by the parameter group and required by the proxy; IAM authentication is on; nothing is public.
 * Network access goes only through security groups this component owns: clients attach `clientSecurityGroupId`
 * (reaching the proxy, or the instance when there is no proxy, and the replica), the bastion attaches
 * `adminSecurityGroupId` (reaching the instance directly), and clients that cannot use the IAM-only proxy attach
 * `directClientSecurityGroupId` where the caller asks for it; no CIDR is ever admitted. Logs go to KMS-encrypted log
 * groups created before the instance, so RDS never creates unencrypted ones.
 */
export class Postgres extends pulumi.ComponentResource {
    /** The primary DB instance resource itself. */
    public readonly instance: aws.rds.Instance;
    public readonly instanceIdentifier: string;
    public readonly instanceArn: pulumi.Output<string>;
    /** The DB subnet group (data subnets): restored copies (restore tests) are placed in it. */
    public readonly subnetGroupName: pulumi.Output<string>;
    public readonly primaryEndpoint: pulumi.Output<string>;
    public readonly primaryAddress: pulumi.Output<string>;
    public readonly port: number;
    /** ARN of the master secret (JSON: engine, host, port, username, password, dbname). */
    public readonly masterSecretArn: pulumi.Output<string>;
    public readonly replicaIdentifier?: string;
    public readonly replicaEndpoint?: pulumi.Output<string>;
    public readonly replicaAddress?: pulumi.Output<string>;
    public readonly proxyName?: string;
    public readonly proxyArn?: pulumi.Output<string>;
    public readonly proxyEndpoint?: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly proxySecurityGroupId?: pulumi.Output<string>;
    public readonly replicaSecurityGroupId?: pulumi.Output<string>;
    /** Attach to anything that connects as an application (ECS tasks, bastion). It has no ingress. */
    public readonly clientSecurityGroupId: pulumi.Output<string>;
    /** Attach to administration hosts (the bastion): reaches the instance directly, bypassing the proxy. */
    public readonly adminSecurityGroupId: pulumi.Output<string>;
    /** Attach to clients that must bypass the proxy (only when `directClients`). */
    public readonly directClientSecurityGroupId?: pulumi.Output<string>;
    /** The id IAM `rds-db:connect` grants name: the proxy's `prx-...` where there is a proxy, else the instance's `db-...`. */
    public readonly iamResourceId: pulumi.Output<string>;
    /** The exported-log groups (postgresql, upgrade; the replica's too) by a stable label such as `rds-postgresql`: for log shipping. */
    public readonly logGroupNames: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, given: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Postgres", name, {}, withTags(opts, given.tags));
        const args = withDefaults(given, POSTGRES_DEFAULTS);
        const region = componentRegion(this, args.region, `Postgres ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        if (args.maxAllocatedStorageGb < args.allocatedStorageGb) {
            throw new Error(`Postgres ${name}: maxAllocatedStorageGb (${args.maxAllocatedStorageGb}) must be >= allocatedStorageGb ` +
                `(${args.allocatedStorageGb})`);
        }
        if (!args.parameterGroupFamily.endsWith(args.engineVersion.split(".")[0])) {
            throw new Error(`Postgres ${name}: parameterGroupFamily ${args.parameterGroupFamily} does not match engineVersion ${args.engineVersion}`);
        }
        const p = args.namePrefix;
        const identifier = physicalName("rdsInstance", p, "postgres");
        const replicaIdentifier = args.readReplica ? physicalName("rdsInstance", p, "postgres", "replica") : undefined;
        const parent = { parent: this };

        // Security groups: one per tier, plus the client and admin groups other layers attach (no ingress on those).
        const sg = (suffix: string, description: string) => new aws.ec2.SecurityGroup(`${name}-${suffix}`, {
            name: physicalName("securityGroup", p, suffix === "db" ? "postgres" : `postgres-${suffix}`),
            description, vpcId: args.vpcId, tags: { Name: `${p}-postgres-${suffix}` },
        }, parent);
        const dbSg = sg("db", "Postgres primary: 5432 from the proxy, the admin group, and clients when there is no proxy");
        const clientSg = sg("clients", "Attach to Postgres clients (ECS tasks); no ingress");
        const adminSg = sg("admins", "Attach to Postgres administration hosts (bastion); no ingress");
        const proxySg = args.proxy ? sg("proxy", "RDS Proxy: 5432 from Postgres clients only") : undefined;
        const replicaSg = args.readReplica ? sg("replica", "Postgres read replica: 5432 from clients and the admin group") : undefined;
        const directSg = args.directClients && args.proxy
            ? sg("direct-clients", "Attach to Postgres clients that bypass the proxy (password login); no ingress") : undefined;
        const allow = (rule: string, to: aws.ec2.SecurityGroup, from: aws.ec2.SecurityGroup, description: string) => {
            new aws.vpc.SecurityGroupIngressRule(`${name}-${rule}-in`, {
                securityGroupId: to.id, referencedSecurityGroupId: from.id, ipProtocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description,
            }, parent);
            new aws.vpc.SecurityGroupEgressRule(`${name}-${rule}-out`, {
                securityGroupId: from.id, referencedSecurityGroupId: to.id, ipProtocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description,
            }, parent);
        };
        if (proxySg) {
            allow("clients-to-proxy", proxySg, clientSg, "Postgres clients to RDS Proxy");
            allow("proxy-to-db", dbSg, proxySg, "RDS Proxy to the Postgres primary");
        } else {
            allow("clients-to-db", dbSg, clientSg, "Postgres clients to the primary (no proxy in this stack)");
        }
        allow("admins-to-db", dbSg, adminSg, "Administration hosts to the Postgres primary");
        if (directSg) allow("direct-clients-to-db", dbSg, directSg, "Clients that cannot use the proxy's IAM auth to the primary");
        if (replicaSg) {
            allow("clients-to-replica", replicaSg, clientSg, "Postgres clients to the read replica");
            allow("admins-to-replica", replicaSg, adminSg, "Administration hosts to the read replica");
        }

        const subnetGroup = new aws.rds.SubnetGroup(`${name}`, {
            name: physicalName("rdsSubnetGroup", p, "postgres"),
            description: `${p} Postgres: data subnets`,
            subnetIds: args.subnetIds,
        }, parent);

        const parameterGroup = new aws.rds.ParameterGroup(`${name}`, {
            name: physicalName("rdsParameterGroup", p, args.parameterGroupFamily),
            family: args.parameterGroupFamily,
            description: `${p} ${args.parameterGroupFamily}: TLS forced, pg_stat_statements and pg_cron preloaded, slow statements and connections logged`,
            parameters: postgresParameters(args.databaseName, args.slowStatementMs),
        }, parent);

        const monitoringRole = new aws.iam.Role(`${name}-monitoring`, {
            name: physicalName("iamRole", p, "rds-monitoring"),
            description: `RDS enhanced monitoring for ${p} Postgres`,
            assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com", { StringEquals: { "aws:SourceAccount": accountId } }),
        }, parent);
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(`${name}-monitoring`,
            { role: monitoringRole.name, policyArn: ENHANCED_MONITORING_POLICY_ARN }, parent);
        // Enhanced Monitoring writes every instance's OS metrics to the one `RDSOSMetrics` group of the account and
        // region (the managed policy's `log-group:RDS*`); created first, it carries the logs key and our retention.
        // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html,
        // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html
        const osMetricsLog = args.createEnhancedMonitoringLogGroup && args.monitoringIntervalSeconds > 0
            ? [new aws.cloudwatch.LogGroup(`${name}-os-metrics`, {
                name: "RDSOSMetrics", kmsKeyId: args.logsKeyArn, retentionInDays: args.logRetentionDays,
            }, parent)]
            : [];
        const credentials = new MasterCredentials(`${name}-master`, {
            namePrefix: p, region, username: args.masterUsername, databaseName: args.databaseName,
            secretsKeyArn: args.secretsKeyArn, recoveryWindowDays: args.masterSecret.recoveryWindowDays, rotationDays: args.masterSecret.rotationDays,
            vpcId: args.vpcId, subnetIds: args.masterSecret.rotationSubnetIds, instanceIdentifier: identifier, accountId,
            logsKeyArn: args.logsKeyArn, logRetentionDays: args.logRetentionDays, wiring: args.masterSecret.wiring, protect: args.protect,
        }, parent);

        const exportLogGroups = (instanceId: string, suffix: string) => POSTGRES_LOG_EXPORTS.map((log) => {
            const group = new aws.cloudwatch.LogGroup(`${name}${suffix}-${log}`, {
                name: `/aws/rds/instance/${instanceId}/${log}`,
                kmsKeyId: args.logsKeyArn,
                retentionInDays: args.logRetentionDays,
            }, parent);
            this.logGroupNames[`rds${suffix}-${log}`] = group.name;
            return group;
        });

        // Settings every instance shares, replica included. A same-region replica has its source's storage key.
        const restore = args.restore;
        const common = {
            storageType: "gp3",
            storageEncrypted: true,
            kmsKeyId: restore?.kmsKeyArn ?? args.dataKeyArn,
            maxAllocatedStorage: args.maxAllocatedStorageGb,
            parameterGroupName: parameterGroup.name,
            iamDatabaseAuthenticationEnabled: true,
            publiclyAccessible: false,
            port: POSTGRES_PORT,
            autoMinorVersionUpgrade: true,
            allowMajorVersionUpgrade: false,
            maintenanceWindow: args.maintenanceWindow,
            copyTagsToSnapshot: true,
            deletionProtection: args.deletionProtection,
            monitoringInterval: args.monitoringIntervalSeconds,
            monitoringRoleArn: monitoringRole.arn,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: args.dataKeyArn,
            performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
            enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
        };

        const primary = new aws.rds.Instance(`${name}`, {
            ...common,
            identifier,
            engine: "postgres",
            engineVersion: args.engineVersion,
            instanceClass: args.instanceClass,
            allocatedStorage: args.allocatedStorageGb,
            // A restore brings its database and master user from the backup; only a new instance names them.
            ...(restore ? restoreSource(restore) : { dbName: args.databaseName, username: args.masterUsername }),
            // Not manageMasterUserPassword: RDS refuses a read replica of such an instance. Write-only: never in state.
            passwordWo: credentials.initialPassword,
            passwordWoVersion: 1,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [dbSg.id],
            multiAz: args.multiAz,
            // AWS rejects an explicit AZ for a Multi-AZ instance: it places the primary and the standby itself.
            availabilityZone: args.multiAz ? undefined : args.primaryAvailabilityZone,
            backupRetentionPeriod: args.backupRetentionDays,
            backupWindow: args.backupWindow,
            // Keep automated backups (PITR) after a deletion in prod; they expire with their retention.
            deleteAutomatedBackups: !args.protect,
            skipFinalSnapshot: !args.finalSnapshot,
            finalSnapshotIdentifier: args.finalSnapshot ? physicalName("rdsSnapshot", identifier, "final") : undefined,
            tags: { Name: identifier },
        }, { parent: this, protect: args.protect, dependsOn: [...exportLogGroups(identifier, ""), monitoringPolicy, ...osMetricsLog] });

        let replica: aws.rds.Instance | undefined;
        if (args.readReplica && replicaIdentifier && replicaSg) {
            replica = new aws.rds.Instance(`${name}-replica`, {
                ...common,
                identifier: replicaIdentifier,
                // Same region: the source is named by identifier; engine, version, subnet group and master user come from it.
                replicateSourceDb: primary.identifier,
                instanceClass: args.readReplica.instanceClass,
                vpcSecurityGroupIds: [replicaSg.id],
                multiAz: false,
                availabilityZone: args.readReplica.availabilityZone,
                // A replica has no final snapshot; the primary's backups cover it.
                skipFinalSnapshot: true,
                tags: { Name: replicaIdentifier },
            }, { parent: this, protect: args.protect, dependsOn: [...exportLogGroups(replicaIdentifier, "-replica"), monitoringPolicy, ...osMetricsLog] });
        }

        this.masterSecretArn = credentials.store(primary.address, [primary]);
        if (credentials.rotationLogGroupName) this.logGroupNames["postgres-rotation"] = credentials.rotationLogGroupName;

        let proxy: aws.rds.Proxy | undefined;
        if (args.proxy && proxySg) {
            const proxyName = physicalName("rdsProxy", p, "postgres");
            const proxyRole = new aws.iam.Role(`${name}-proxy`, {
                name: physicalName("iamRole", p, "rds-proxy"),
                description: `RDS Proxy of ${p} Postgres: reads the master secret`,
                // Unconditioned: "RDS Proxy doesn't support any global condition context keys", so an aws:SourceAccount
                // condition would deny the proxy its role. The role's permissions name exactly one secret and key.
                // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html#rds-proxy.limitations
                assumeRolePolicy: serviceTrustPolicy("rds.amazonaws.com"),
            }, parent);
            new aws.iam.RolePolicy(`${name}-proxy`, {
                role: proxyRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ReadMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                            Resource: this.masterSecretArn,
                        },
                        {
                            Sid: "DecryptMasterSecret", Effect: "Allow", Action: "kms:Decrypt", Resource: args.secretsKeyArn,
                            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
                        },
                        // End-to-end IAM: the proxy logs in to the instance as the application roles with IAM tokens.
                        ...(args.iamDatabaseUsers.length ? [{
                            Sid: "ConnectAsApplicationUsers", Effect: "Allow", Action: "rds-db:connect",
                            Resource: args.iamDatabaseUsers.map((u) =>
                                pulumi.interpolate`arn:aws:rds-db:${region}:${accountId}:dbuser:${primary.resourceId}/${u}`),
                        }] : []),
                    ],
                }),
            }, parent);
            proxy = new aws.rds.Proxy(`${name}`, {
                name: proxyName,
                engineFamily: "POSTGRESQL",
                requireTls: true,
                idleClientTimeout: args.proxy.idleClientTimeoutSeconds,
                roleArn: proxyRole.arn,
                vpcSubnetIds: args.subnetIds,
                vpcSecurityGroupIds: [proxySg.id],
                debugLogging: false,
                // Clients authenticate with IAM, and the proxy authenticates to the instance with IAM too (the application
                // roles have rds_iam and no password); the master secret stays for administration through the proxy.
                // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam-migration.html
                defaultAuthScheme: "IAM_AUTH",
                auths: [{
                    description: "Master secret (rotated); clients authenticate with IAM",
                    authScheme: "SECRETS",
                    secretArn: this.masterSecretArn,
                    iamAuth: "REQUIRED",
                }],
                tags: { Name: proxyName },
            }, parent);
            const targetGroup = new aws.rds.ProxyDefaultTargetGroup(`${name}`, {
                dbProxyName: proxy.name,
                connectionPoolConfig: {
                    connectionBorrowTimeout: args.proxy.connectionBorrowTimeoutSeconds,
                    // Leave a tenth of max_connections for the bastion, replication and RDS's own sessions.
                    maxConnectionsPercent: 90,
                },
            }, parent);
            new aws.rds.ProxyTarget(`${name}`, {
                dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: primary.identifier,
            }, parent);
            this.proxyName = proxyName;
        }

        if (args.crossRegionBackups) {
            const dr = args.crossRegionBackups;
            if (dr.retentionDays < 1 || dr.retentionDays > 35) throw new Error(`Postgres ${name}: crossRegionBackups.retentionDays must be 1-35, ` +
                `got ${dr.retentionDays}`);
            new aws.rds.InstanceAutomatedBackupsReplication(`${name}-dr-backups`, {
                sourceDbInstanceArn: primary.arn,
                kmsKeyId: dr.kmsKeyArn,
                retentionPeriod: dr.retentionDays,
            }, { parent: this, provider: dr.provider, protect: args.protect });
        }

        this.instanceIdentifier = identifier;
        this.subnetGroupName = subnetGroup.name;
        this.instanceArn = primary.arn;
        this.primaryEndpoint = primary.endpoint;
        this.primaryAddress = primary.address;
        this.port = POSTGRES_PORT;
        this.replicaIdentifier = replicaIdentifier;
        this.replicaEndpoint = replica?.endpoint;
        this.replicaAddress = replica?.address;
        this.proxyArn = proxy?.arn;
        this.proxyEndpoint = proxy?.endpoint;
        this.securityGroupId = dbSg.id;
        this.proxySecurityGroupId = proxySg?.id;
        this.replicaSecurityGroupId = replicaSg?.id;
        this.clientSecurityGroupId = clientSg.id;
        this.adminSecurityGroupId = adminSg.id;
        this.directClientSecurityGroupId = directSg?.id;
        this.iamResourceId = proxy ? proxy.arn.apply((arn) => arn.split(":").pop()!) : primary.resourceId;
        this.instance = primary;
        this.registerOutputs({
            instanceIdentifier: this.instanceIdentifier, primaryEndpoint: this.primaryEndpoint, masterSecretArn: this.masterSecretArn,
            replicaEndpoint: this.replicaEndpoint, proxyEndpoint: this.proxyEndpoint, securityGroupId: this.securityGroupId,
            clientSecurityGroupId: this.clientSecurityGroupId, adminSecurityGroupId: this.adminSecurityGroupId,
        });
    }
}

/** The restore source of the primary: the replicated automated backups at a time, or a snapshot. */
function restoreSource(restore: PostgresRestoreArgs): Partial<aws.rds.InstanceArgs> {
    if ("snapshotIdentifier" in restore) return { snapshotIdentifier: restore.snapshotIdentifier };
    return {
        restoreToPointInTime: {
            sourceDbInstanceAutomatedBackupsArn: restore.automatedBackupsArn,
            ...(restore.restoreTime === "latest" ? { useLatestRestorableTime: true } : { restoreTime: restore.restoreTime }),
        },
    };
}

/**
 * The parameter group's settings. Static parameters (those read at server start) apply at the next reboot
 * (`pending-reboot`, the only method AWS accepts for them); dynamic ones apply immediately.
 */
export function postgresParameters(databaseName: string, slowStatementMs: number): aws.types.input.rds.ParameterGroupParameter[] {
    return [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "shared_preload_libraries", value: POSTGRES_PRELOAD, applyMethod: "pending-reboot" },
        { name: "cron.database_name", value: databaseName, applyMethod: "pending-reboot" },
        { name: "log_min_duration_statement", value: String(slowStatementMs), applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
        { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    ];
}
