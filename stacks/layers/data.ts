import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Postgres, PostgresRestoreArgs, Redis } from "../../components";
import { PlatformConfig } from "../config";

/** Engine choices of the data layer (one place to bump them). */
const DATA_ENGINES = {
    postgres: { version: "16", family: "postgres16" },
    redis: { version: "7.1", family: "redis7" },
} as const;
/** The application database created with the instance (pg_cron's jobs live in it) and the master user (administration only). */
export const DATABASE_NAME = "platform";
const MASTER_USERNAME = "platform_admin";
/**
 * The role the services log in as, with IAM auth tokens (`rds_iam`): created by sql/001-app-role.sql, least privilege
 * on the application schema. Granting rds_iam to the master user would end its password login (proxy, bastion).
 */
export const APP_DB_USER = "platform_app";
/** Statements slower than this many milliseconds are logged. */
const SLOW_STATEMENT_MS = 500;

/** What the data layer needs from other layers. */
export interface DataInputs {
    vpcId: pulumi.Input<string>;
    /** One data subnet per AZ, in AZ order. */
    dataSubnetIds: pulumi.Input<string>[];
    /**
     * AZ names of the data subnets, in the same order. Optional: by default the layer reads the region's
     * available, non-opt-in AZs and takes the first N (cfg.network.availabilityZones), the network layer's rule.
     */
    dataSubnetAzs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Private compute subnets: the master-secret rotation function runs there. */
    computeSubnetIds: pulumi.Input<string>[];
    /** Data key: RDS storage, Performance Insights, the replica, ElastiCache at rest. */
    dataKeyArn: pulumi.Input<string>;
    /** Secrets key: the master secret and the Redis auth secret. */
    secretsKeyArn: pulumi.Input<string>;
    /** Logs key: the RDS and ElastiCache log groups. */
    logsKeyArn: pulumi.Input<string>;
    accountId: pulumi.Input<string>;
    /** Backups key in the DR region (cross-region DR only). */
    drBackupsKeyArn?: pulumi.Input<string>;
    /** The alerts topic: failed rotations of the master password and the Redis token alarm there. */
    alertsTopicArn: pulumi.Input<string>;
    /** AWS provider of the DR region (cross-region DR only). */
    drProvider?: aws.Provider;
    /** Restore the primary from backups (the region-recovery stack, `platform:recovery`); undefined starts empty. */
    restore?: PostgresRestoreArgs;
}

/** What other layers take from the data layer. */
export interface DataOutputs {
    postgres: {
        primaryEndpoint: pulumi.Output<string>;
        primaryAddress: pulumi.Output<string>;
        port: number;
        databaseName: string;
        /** The read replica (analytics, dashboards); clients holding postgresClients reach it directly. */
        replicaEndpoint?: pulumi.Output<string>;
        replicaAddress?: pulumi.Output<string>;
        /** Where applications connect when the stack has a proxy (IAM auth, TLS). */
        proxyEndpoint?: pulumi.Output<string>;
        proxyArn?: pulumi.Output<string>;
        /** For `rds-db:connect` grants (arn:aws:rds-db:<region>:<account>:dbuser:<id>/<user>): the proxy's prx-... or the instance's db-... */
        iamResourceId: pulumi.Output<string>;
        masterSecretArn: pulumi.Output<string>;
        instanceIdentifier: string;
        instanceArn: pulumi.Output<string>;
        /** The DB subnet group: restore tests place restored copies in it. */
        subnetGroupName: pulumi.Output<string>;
        replicaIdentifier?: string;
        securityGroupId: pulumi.Output<string>;
        proxySecurityGroupId?: pulumi.Output<string>;
        replicaSecurityGroupId?: pulumi.Output<string>;
    };
    /** Every log group of the data tier (Postgres exports, Redis slow and engine logs) by label: shipped to the SIEM. */
    logGroupNames: Record<string, pulumi.Output<string>>;
    redis: {
        primaryEndpoint: pulumi.Output<string>;
        readerEndpoint: pulumi.Output<string>;
        port: number;
        authSecretArn: pulumi.Output<string>;
        replicationGroupId: string;
        securityGroupId: pulumi.Output<string>;
    };
    /** Security groups other layers attach; they carry no ingress, so there is no cycle with the compute layer. */
    clientSecurityGroups: {
        /** ECS tasks (and the bastion) that use Postgres: reach the proxy (or the instance without one) and the replica. */
        postgresClients: pulumi.Output<string>;
        /** ECS tasks (and the bastion) that use Redis. */
        redisClients: pulumi.Output<string>;
        /** The bastion: reaches the Postgres instances directly, bypassing the proxy. */
        postgresAdmins: pulumi.Output<string>;
        /** Keycloak (stacks with a proxy and Keycloak): reaches the primary directly, since it cannot use IAM auth. */
        postgresDirectClients?: pulumi.Output<string>;
    };
}

/**
 * Postgres 16 (Multi-AZ, replica and RDS Proxy where config says) and Redis for sessions and BullMQ, from the
 * stack's `platform:database` and `platform:redis` config. Cross-region backup replication exists only where
 * `platform:dr.mode` is cross-region (prod-eu); never under a residency constraint (config forbids the pairing).
 */
export function buildData(cfg: PlatformConfig, inputs: DataInputs, opts: pulumi.ComponentResourceOptions): DataOutputs {
    const db = cfg.database;
    const crossRegion = cfg.dr.mode === "cross-region";
    if (crossRegion && (!inputs.drProvider || !inputs.drBackupsKeyArn)) {
        throw new Error(`buildData: platform:dr.mode is cross-region (${cfg.dr.region}); pass drProvider and drBackupsKeyArn for the backup replication`);
    }
    if (db.readReplica && cfg.network.availabilityZones < 2) {
        throw new Error("buildData: a read replica needs data subnets in at least two AZs");
    }
    const azs = pulumi.output(inputs.dataSubnetAzs ?? defaultAzs(cfg, opts));
    const wiring = { namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl };

    const postgres = new Postgres("postgres", {
        namePrefix: cfg.namePrefix,
        region: cfg.region,
        accountId: inputs.accountId,
        vpcId: inputs.vpcId,
        subnetIds: inputs.dataSubnetIds,
        primaryAvailabilityZone: azs.apply((z) => z[0]),
        engineVersion: DATA_ENGINES.postgres.version,
        parameterGroupFamily: DATA_ENGINES.postgres.family,
        instanceClass: db.instanceClass,
        multiAz: db.multiAz,
        allocatedStorageGb: db.allocatedStorageGb,
        maxAllocatedStorageGb: db.maxAllocatedStorageGb,
        databaseName: DATABASE_NAME,
        masterUsername: MASTER_USERNAME,
        iamDatabaseUsers: [APP_DB_USER],
        masterSecret: {
            rotationDays: cfg.secrets.rotationDays, recoveryWindowDays: cfg.isProd ? 30 : 7,
            rotationSubnetIds: inputs.computeSubnetIds, wiring,
        },
        // Each stack has its own account (Pulumi.<stack>.yaml), so each creates the account-and-region-wide group.
        createEnhancedMonitoringLogGroup: true,
        dataKeyArn: inputs.dataKeyArn,
        secretsKeyArn: inputs.secretsKeyArn,
        logsKeyArn: inputs.logsKeyArn,
        logRetentionDays: cfg.retention.logDays,
        backupRetentionDays: cfg.retention.backupDays,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        monitoringIntervalSeconds: db.monitoringIntervalSeconds,
        // Free tier (7 days) in dev; two years in prod, enough to compare a regression with last year's peak.
        performanceInsightsRetentionDays: cfg.isProd ? 731 : 7,
        slowStatementMs: SLOW_STATEMENT_MS,
        deletionProtection: db.deletionProtection,
        finalSnapshot: cfg.isProd,
        protect: cfg.isProd,
        // The last data AZ: never the dev primary's (the first); a Multi-AZ primary is placed by AWS.
        readReplica: db.readReplica ? { instanceClass: db.replicaInstanceClass, availabilityZone: azs.apply((z) => z[z.length - 1]) } : undefined,
        // Keycloak logs in with a JDBC password, which the IAM-only proxy refuses: it reaches the primary directly.
        directClients: db.proxy && cfg.services.keycloak.enabled,
        proxy: db.proxy ? { idleClientTimeoutSeconds: db.proxyIdleTimeoutSeconds, connectionBorrowTimeoutSeconds: db.proxyBorrowTimeoutSeconds } : undefined,
        restore: inputs.restore,
        crossRegionBackups: crossRegion
            ? { provider: inputs.drProvider!, kmsKeyArn: inputs.drBackupsKeyArn!, retentionDays: cfg.retention.backupDays }
            : undefined,
    }, opts);

    const redis = new Redis("redis", {
        namePrefix: cfg.namePrefix,
        vpcId: inputs.vpcId,
        subnetIds: inputs.dataSubnetIds,
        availabilityZones: azs,
        engineVersion: DATA_ENGINES.redis.version,
        parameterGroupFamily: DATA_ENGINES.redis.family,
        nodeType: cfg.redis.nodeType,
        replicas: cfg.redis.replicasPerShard,
        dataKeyArn: inputs.dataKeyArn,
        secretsKeyArn: inputs.secretsKeyArn,
        logsKeyArn: inputs.logsKeyArn,
        logRetentionDays: cfg.retention.logDays,
        snapshotRetentionDays: cfg.redis.snapshotRetentionDays,
        // The database's windows: snapshots at night, maintenance in the same weekly slot as Postgres.
        snapshotWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        secretRecoveryWindowDays: cfg.isProd ? 30 : 7,
        protect: cfg.isProd,
        rotation: { days: cfg.secrets.rotationDays, region: cfg.region, accountId: inputs.accountId, subnetIds: inputs.computeSubnetIds, wiring },
    }, opts);

    return {
        postgres: {
            primaryEndpoint: postgres.primaryEndpoint,
            primaryAddress: postgres.primaryAddress,
            port: postgres.port,
            databaseName: DATABASE_NAME,
            replicaEndpoint: postgres.replicaEndpoint,
            replicaAddress: postgres.replicaAddress,
            proxyEndpoint: postgres.proxyEndpoint,
            proxyArn: postgres.proxyArn,
            iamResourceId: postgres.iamResourceId,
            masterSecretArn: postgres.masterSecretArn,
            instanceIdentifier: postgres.instanceIdentifier,
            instanceArn: postgres.instanceArn,
            subnetGroupName: postgres.subnetGroupName,
            replicaIdentifier: postgres.replicaIdentifier,
            securityGroupId: postgres.securityGroupId,
            proxySecurityGroupId: postgres.proxySecurityGroupId,
            replicaSecurityGroupId: postgres.replicaSecurityGroupId,
        },
        redis: {
            primaryEndpoint: redis.primaryEndpoint,
            readerEndpoint: redis.readerEndpoint,
            port: redis.port,
            authSecretArn: redis.authSecretArn,
            replicationGroupId: redis.replicationGroupId,
            securityGroupId: redis.securityGroupId,
        },
        logGroupNames: { ...postgres.logGroupNames, ...redis.logGroupNames },
        clientSecurityGroups: {
            postgresClients: postgres.clientSecurityGroupId,
            redisClients: redis.clientSecurityGroupId,
            postgresAdmins: postgres.adminSecurityGroupId,
            postgresDirectClients: postgres.directClientSecurityGroupId,
        },
    };
}

/** The first N available, non-opt-in AZs of the stack's region: the same rule the network layer places subnets by. */
function defaultAzs(cfg: PlatformConfig, opts: pulumi.ComponentResourceOptions): pulumi.Output<string[]> {
    const providers = opts.providers ? (Array.isArray(opts.providers) ? opts.providers : Object.values(opts.providers)) : [];
    const provider = providers.find((p) => p instanceof aws.Provider) ?? (opts.provider instanceof aws.Provider ? opts.provider : undefined);
    return aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { provider })
        .names.apply((names) => {
            if (names.length < cfg.network.availabilityZones)
                throw new Error(`buildData: ${cfg.network.availabilityZones} AZs configured, region ${cfg.region} lists ${names.length}`);
            return names.slice(0, cfg.network.availabilityZones);
        });
}
