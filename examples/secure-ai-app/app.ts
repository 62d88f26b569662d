import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import {
    AlertTopic, BackupProtection, CLOUDFLARE_RANGES, ContainerRegistry, EcsCluster, Edge, KeyRing, Network, OriginLoadBalancer, OriginTrust,
    PlatformAlarms, Postgres, PlatformDashboard, SecureBucket, ServiceDiscovery, SpaOrigin, Tracing, albLogDeliveryStatements, alarmThresholds, edgeRules,
    entitlementsOf, runbookLink, serverAccessLogDeliveryStatement,
} from "../../components";
import { AppConfig } from "./config";
import { PORTS, buildServices } from "./services";

/** Paths of the api host the ALB forwards; anything else on any host gets the ALB's 404. */
export const API_PATHS = ["/v1/*", "/health"];
/** TLS 1.3 and 1.2 with forward secrecy only (one of the pack's allowed ALB policies). */
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** ALB prefixes of the access and connection logs (OriginLoadBalancer writes under these). */
const ALB_LOG_PREFIXES = ["alb/access", "alb/connections"];
/**
 * Interface endpoints in the compute subnets: image pulls (ECR API, ECR registry; layers come from S3 through the gateway
 * endpoint), logs, secrets and their key, and X-Ray for the spans (the OTLP traces host `xray.<region>.amazonaws.com`).
 */
const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "xray"];
/** The database: engine, the application database, the master user (administration only) and the api's IAM-auth role. */
export const POSTGRES = { version: "16", family: "postgres16", database: "app", masterUser: "app_admin", appUser: "app_api" } as const;

/**
 * The secure AI application of seed 002, layer by layer in the order requests flow: Cloudflare (WAF, TLS, rate limits)
 * -> the React SPA from a private S3 bucket (a Cloudflare Worker reads it), and the api host -> the origin ALB
 * (Cloudflare's ranges and client certificate only) -> the api on Fargate -> the AI service, which only the api tier
 * can reach. Around them: per-class KMS keys, a three-tier VPC with flow logs, alerts on an encrypted SNS topic,
 * alarms with runbook links, a dashboard and X-Ray tracing. Every piece is a component of the library.
 */
export function buildApp(cfg: AppConfig): Record<string, unknown> {
    const awsProvider = new aws.Provider("aws", {
        region: cfg.region as aws.Region, allowedAccountIds: [cfg.accountId], defaultTags: { tags: { ...cfg.tags } },
    });
    // Without a token in config the provider reads CLOUDFLARE_API_TOKEN from the environment (CI).
    const token = cfg.secretValues.cloudflareApiToken;
    const cloudflareProvider = new cloudflare.Provider("cloudflare", token ? { apiToken: token } : {});
    const inRegion = { providers: [awsProvider, cloudflareProvider] };
    const protect = cfg.isProd;

    const keyRing = new KeyRing("keys", {
        accountId: cfg.accountId, region: cfg.region, classes: ["data", "logs", "secrets", "alerts", "backups"], aliasPrefix: cfg.namePrefix,
        deletionWindowDays: cfg.keyDeletionWindowDays, protect,
    }, inRegion);
    const key = (keyClass: "data" | "logs" | "secrets" | "alerts" | "backups") => keyRing.key(keyClass).arn;
    // The DR region holds only the backup copies, encrypted with a backups key of its own.
    const drProvider = cfg.backup.drRegion
        ? new aws.Provider("aws-dr", { region: cfg.backup.drRegion as aws.Region, allowedAccountIds: [cfg.accountId], defaultTags: { tags: { ...cfg.tags } } })
        : undefined;
    const drKeys = drProvider && cfg.backup.drRegion ? new KeyRing("dr-keys", {
        accountId: cfg.accountId, region: cfg.backup.drRegion, classes: ["backups"], aliasPrefix: cfg.namePrefix,
        deletionWindowDays: cfg.keyDeletionWindowDays, protect,
    }, { providers: [drProvider] }) : undefined;

    // Alerts first: every alarm below notifies this topic (ALARM and OK), each with its runbook link.
    const alerts = new AlertTopic("alerts", {
        topicName: `${cfg.namePrefix}-alerts`, kmsKeyArn: key("alerts"), accountId: cfg.accountId,
        publishers: ["cloudwatch.amazonaws.com"], emails: cfg.alerts.emails,
    }, inRegion);
    const wiring = { namePrefix: cfg.namePrefix, alertsTopicArn: alerts.topicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl };

    const network = new Network("network", {
        region: cfg.region, accountId: cfg.accountId, namePrefix: cfg.namePrefix, vpcCidr: cfg.network.vpcCidr,
        availabilityZones: cfg.network.availabilityZones, natGateways: cfg.network.natGateways, interfaceEndpoints: INTERFACE_ENDPOINTS,
        flowLogs: { kmsKeyArn: key("logs"), retentionDays: cfg.logRetentionDays }, protect,
    }, inRegion);

    // Buckets: server access logs, ALB logs (S3 accepts only SSE-S3 for ALB log delivery), deploy artifacts (the mTLS CA bundle).
    const bucketName = (purpose: string) => `${cfg.namePrefix}-${purpose}-${cfg.accountId}`;
    const common = { protect, noncurrentVersionExpiryDays: 30 };
    const accessLogs = new SecureBucket("access-logs", {
        ...common, bucketName: bucketName("access-logs"), purpose: "access-logs", kmsKeyArn: key("data"), isAccessLogTarget: true,
        expirationDays: cfg.logRetentionDays, policyStatements: [serverAccessLogDeliveryStatement(bucketName("access-logs"), cfg.accountId)],
    }, inRegion);
    const albLogs = new SecureBucket("alb-logs", {
        ...common, bucketName: bucketName("alb-logs"), purpose: "alb-logs", sseS3: "alb-log-delivery", expirationDays: cfg.logRetentionDays,
        accessLogBucket: accessLogs.bucketName, policyStatements: albLogDeliveryStatements(bucketName("alb-logs"), cfg.accountId, cfg.region, ALB_LOG_PREFIXES),
    }, inRegion);
    const artifacts = new SecureBucket("artifacts", {
        ...common, bucketName: bucketName("artifacts"), purpose: "artifacts", kmsKeyArn: key("data"), accessLogBucket: accessLogs.bucketName,
    }, inRegion);
    // The SPA's build output: private like the rest (no public access, no grant); the edge Worker reads it.
    const frontend = new SecureBucket("frontend", {
        ...common, bucketName: bucketName("frontend"), purpose: "frontend", kmsKeyArn: key("data"), accessLogBucket: accessLogs.bucketName,
    }, inRegion);

    // PostgreSQL in the data subnets (no route out of the VPC): CMK-encrypted, TLS only, IAM auth for the api.
    const database = new Postgres("postgres", {
        namePrefix: cfg.namePrefix, region: cfg.region, accountId: cfg.accountId, vpcId: network.vpcId, subnetIds: network.dataSubnetIds,
        engineVersion: POSTGRES.version, parameterGroupFamily: POSTGRES.family, instanceClass: cfg.database.instanceClass,
        multiAz: cfg.database.multiAz, allocatedStorageGb: cfg.database.allocatedStorageGb, maxAllocatedStorageGb: cfg.database.maxAllocatedStorageGb,
        databaseName: POSTGRES.database, masterUsername: POSTGRES.masterUser, iamDatabaseUsers: [POSTGRES.appUser],
        masterSecret: { rotationDays: 30, recoveryWindowDays: cfg.isProd ? 30 : 7, rotationSubnetIds: network.computeSubnetIds, wiring },
        // One enhanced-monitoring log group per account and region: each stack of this example has its own account.
        createEnhancedMonitoringLogGroup: true,
        dataKeyArn: key("data"), secretsKeyArn: key("secrets"), logsKeyArn: key("logs"), logRetentionDays: cfg.logRetentionDays,
        backupRetentionDays: cfg.database.backupRetentionDays, backupWindow: "02:00-03:00", maintenanceWindow: "sun:03:30-sun:04:30",
        monitoringIntervalSeconds: 60, performanceInsightsRetentionDays: cfg.isProd ? 731 : 7, slowStatementMs: 500,
        deletionProtection: cfg.database.deletionProtection, finalSnapshot: cfg.isProd, protect,
    }, inRegion);

    // Backups of the database (daily and continuous); production locks the vaults and copies to the DR region.
    new BackupProtection("backup", {
        namePrefix: cfg.namePrefix, kmsKeyArn: key("backups"), retentionDays: cfg.backup.retentionDays, continuousBackup: true,
        schedule: "cron(0 4 * * ? *)", resourceArns: [database.instanceArn], alertsTopicArn: alerts.topicArn,
        vaultLock: cfg.isProd ? { minRetentionDays: cfg.backup.retentionDays, maxRetentionDays: 2557, changeableForDays: 3 } : undefined,
        copyTarget: drProvider && drKeys
            ? { kind: "cross-region", region: cfg.backup.drRegion!, provider: drProvider, kmsKeyArn: drKeys.key("backups").arn } : undefined,
        protect,
    }, inRegion);

    // Cloudflare to the ALB: an Origin CA certificate for the api host, and the project's own AOP client certificate.
    const trust = new OriginTrust("origin-trust", {
        zoneId: cfg.edge.zoneId, originHostnames: [cfg.edge.apiHost], aop: "per-hostname", keyAlgorithm: "ECDSA",
        organization: cfg.project,
        expiryAlarm: {
            alertsTopicArn: alerts.topicArn, namePrefix: cfg.namePrefix,
            runbookUrl: runbookLink(cfg.alerts.runbookBaseUrl, "aop-client-certificate-expiry"),
        },
    }, inRegion);
    const alb = new OriginLoadBalancer("origin", {
        namePrefix: cfg.namePrefix, vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, cloudflareRanges: CLOUDFLARE_RANGES,
        certificatePem: trust.originCertificatePem, privateKeyPem: trust.originPrivateKeyPem, clientCaBundlePem: trust.originPullCaPem,
        trustStoreBucketName: artifacts.bucketName, accessLogsBucketName: albLogs.bucketName, accessLogsBucketPolicy: albLogs.policy,
        tlsPolicy: TLS_POLICY, deletionProtection: cfg.isProd, idleTimeoutSeconds: 120,
        routes: [{ key: "api", port: PORTS.api, hostHeader: cfg.edge.apiHost, pathPatterns: API_PATHS, priority: 10, healthCheckPath: "/health" }],
    }, inRegion);

    // The edge: the SPA host served from the bucket by a Worker, the api host proxied to the ALB, WAF and limits per plan.
    const hosts = { app: cfg.edge.appHost, api: cfg.edge.apiHost };
    const spa = new SpaOrigin("spa-origin", {
        accountId: cfg.edge.accountId, zoneId: cfg.edge.zoneId, hostname: hosts.app, region: cfg.region, namePrefix: cfg.namePrefix,
        bucketName: frontend.bucketName, bucketArn: frontend.arn, kmsKeyArn: key("data"), cloudflareRanges: CLOUDFLARE_RANGES,
        securityHeaders: edgeRules.spaSecurityHeaders(hosts),
    }, inRegion);
    const entitlements = entitlementsOf(cfg.edge.plan);
    const edge = new Edge("edge", {
        zoneId: cfg.edge.zoneId, domain: cfg.edge.domain, hosts, albDnsName: alb.dnsName, entitlements,
        botMode: entitlements.superBotFightMode ? "super-bot-fight-mode" : "off",
        waf: edgeRules.DEFAULT_WAF, appServedBy: [spa.route], blockedCountries: cfg.edge.blockedCountries,
        // No per-API-key limit and no login endpoint at the edge: the per-IP api limit is the one that applies.
        rateLimits: { apiPerIp: cfg.edge.apiRateLimitPerIp, apiPerKey: cfg.edge.apiRateLimitPerIp, authPerIp: cfg.edge.apiRateLimitPerIp },
        aop: { mode: "per-hostname", certificateId: trust.aopCertificateId! },
    }, inRegion);

    const registry = new ContainerRegistry("registry", {
        repositories: { web: `${cfg.namePrefix}/web`, api: `${cfg.namePrefix}/api`, ai: `${cfg.namePrefix}/ai` },
        kmsKeyArn: key("data"), keepImages: 30, pullAccountIds: [], protect,
    }, inRegion);
    const cluster = new EcsCluster("cluster", {
        clusterName: cfg.namePrefix, execEnabled: false, execLogRetentionDays: cfg.logRetentionDays,
        logsKeyArn: key("logs"), containerInsightsRetentionDays: cfg.logRetentionDays,
    }, inRegion);
    // The AI service has no load balancer: the api finds it by a private name and reaches it through its security group.
    const discovery = new ServiceDiscovery("discovery", { namespaceName: `${cfg.namePrefix}.internal`, vpcId: network.vpcId, services: ["ai"] }, inRegion);
    const tracing = new Tracing("tracing", {
        namePrefix: cfg.namePrefix, region: cfg.region, accountId: cfg.accountId, services: ["web", "api", "ai"],
        sampleRate: cfg.tracing.sampleRate, manageTransactionSearch: cfg.tracing.manageTransactionSearch,
    }, inRegion);

    const services = buildServices(cfg, {
        vpcId: network.vpcId, computeSubnetIds: network.computeSubnetIds, cluster, registry, alb, discovery, tracing,
        keys: { logs: key("logs"), secrets: key("secrets") },
        database: {
            address: database.primaryAddress, port: database.port, name: POSTGRES.database, user: POSTGRES.appUser,
            iamResourceId: database.iamResourceId, clientSecurityGroupId: database.clientSecurityGroupId,
        },
    }, inRegion);

    const watched = {
        environment: cfg.environment, albArnSuffix: alb.arnSuffix,
        targetGroupArnSuffixes: { api: alb.targets.api.arnSuffix },
        clusterName: cluster.clusterName, serviceNames: services.serviceNames, queues: [], dbInstanceIdentifier: database.instanceIdentifier,
    };
    // No Redis and no queues in this application: the ALB, target, ECS and RDS alarms apply.
    const thresholds = alarmThresholds({
        production: cfg.isProd, dbInstanceClass: cfg.database.instanceClass, dbAllocatedStorageGb: cfg.database.allocatedStorageGb,
    });
    const alarms = new PlatformAlarms("alarms", { ...watched, wiring, thresholds }, inRegion);
    const dashboard = new PlatformDashboard("dashboard", { ...watched, dashboardName: cfg.namePrefix, region: cfg.region }, inRegion);

    return {
        appUrl: edge.urls.app,
        apiUrl: edge.urls.api,
        frontendBucket: frontend.bucketName,
        albDnsName: alb.dnsName,
        aiServiceUrl: services.aiServiceUrl,
        alertsTopicArn: alerts.topicArn,
        alarmNames: alarms.alarmNames,
        dashboardName: dashboard.dashboardName,
        clusterName: cluster.clusterName,
        repositoryUrls: Object.fromEntries(Object.entries(registry.repositories).map(([k, r]) => [k, r.url])),
        traceGroupArn: tracing.groupArn,
    } satisfies Record<string, pulumi.Input<unknown>>;
}
