import { runbookLink } from "../../components/observability/runbooks";
import * as pulumi from "@pulumi/pulumi";
import {
    BULLMQ_METRIC, ContainerRegistry, ContainerSecret, EcsCluster, FargateService, PolicyStatement,
    ServiceAutoscaling, SessionManagerBastion, Tracing, WritablePath, bullmqQueueDimensions, guardDutyAgentRepositoryArn, validateFargateSize,
} from "../../components";
import { PlatformConfig, TASK_FAMILIES, TaskFamily } from "../config";
import { IngressOutputs } from "./ingress";
import { POSTGRES_PORT, REDIS_PORT } from "../../standards/ports";
import { KEYCLOAK_DATABASE, KEYCLOAK_SERVICE, buildKeycloakSecrets } from "./keycloak-secrets";

/** Per-family facts that are the application's contract, not per-stack config. */
interface FamilySpec {
    /** kebab-case name: ECS service, container, repository suffix, role and log group names. */
    name: string;
    /** BullMQ queue a worker family consumes (its scaling metric's `Queue` dimension), and the waiting jobs per task it is sized for. */
    queue?: { name: string; backlogPerTask: number };
    /** Container health check. */
    healthCheck: string[];
    /** Talks to external APIs over HTTPS through NAT (WorkOS, Logz.io, AI providers, scan targets). */
    internetHttpsEgress: boolean;
    /** Seconds to finish in-flight work after SIGTERM. */
    stopTimeoutSeconds: number;
}

/** Node processes write a heartbeat file at least every minute; the health check fails when it goes stale. */
const WORKER_HEALTH = ["CMD-SHELL", "[ -n \"$(find /tmp/heartbeat -mmin -2 2>/dev/null)\" ] || exit 1"];

export const FAMILIES: Readonly<Record<TaskFamily, FamilySpec>> = {
    api: {
        name: "api", internetHttpsEgress: true, stopTimeoutSeconds: 30,
        healthCheck: ["CMD-SHELL", "node -e \"fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\""],
    },
    apiWorkers: {
        name: "api-workers",
        queue: { name: "api-jobs", backlogPerTask: 50 },
        healthCheck: WORKER_HEALTH,
        internetHttpsEgress: true,
        stopTimeoutSeconds: 120,
    },
    scannerWorkers: {
        name: "scanner-workers",
        queue: { name: "scanner-jobs", backlogPerTask: 10 },
        healthCheck: WORKER_HEALTH,
        internetHttpsEgress: true,
        stopTimeoutSeconds: 120,
    },
    aiWorkers: {
        name: "ai-workers",
        queue: { name: "ai-jobs", backlogPerTask: 5 },
        healthCheck: WORKER_HEALTH,
        internetHttpsEgress: true,
        stopTimeoutSeconds: 120,
    },
    keycloak: {
        // HTTPS out: identity brokering to tenants' external IdPs (OIDC discovery, JWKS), and ECR layers from S3.
        name: KEYCLOAK_SERVICE, internetHttpsEgress: true, stopTimeoutSeconds: 30,
        // The Keycloak image has bash but no curl: ask the management interface (port 9000, never exposed) for readiness.
        healthCheck: ["CMD-SHELL", "exec 3<>/dev/tcp/127.0.0.1/9000 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3"],
    },
};

/** API scaling: requests per target per minute, and the p99 latency (seconds) that adds tasks regardless. */
const API_SCALING = { requestsPerTarget: 1000, p99LatencySeconds: 1.5 };
/** Keycloak's first start creates its schema and builds caches: ALB health checks are ignored this long after a task starts. */
const KEYCLOAK_HEALTH_GRACE_SECONDS = 300;
/** Writable tmpfs paths (the root file system is read-only): /tmp for heartbeats and os.tmpdir(), Keycloak's data dir. */
const WRITABLE_PATHS: { app: WritablePath[]; keycloak: WritablePath[] } = {
    app: [{ containerPath: "/tmp", sizeMiB: 256 }],
    keycloak: [{ containerPath: "/tmp", sizeMiB: 256 }, { containerPath: "/opt/keycloak/data", sizeMiB: 256 }],
};
/** Keycloak scaling: average CPU target. */
const KEYCLOAK_CPU_TARGET = 60;
/** Keycloak's Infinispan cluster (JGroups TCP and failure detection) between its own tasks. */
const KEYCLOAK_PEER_PORTS = [7800, 57800];
/**
 * The role name customers create in their AWS accounts for the scanner (README "Stack outputs": its trust policy
 * admits the stack's scanner role and requires the tenant's external id). The scanner may assume only roles of this
 * name, in any account: a tenant's account id is data, not config.
 */
export const CUSTOMER_SCAN_ROLE_NAME = "ComplyHubScanner";
/** Images kept per repository. */
const KEEP_IMAGES = 50;

/** What the compute layer needs from other layers. */
export interface ComputeInputs {
    /** The account the stack deploys into (role trust, ARNs). */
    accountId: pulumi.Input<string>;
    /** VPC and its private compute subnets (network layer). */
    vpcId: pulumi.Input<string>;
    computeSubnetIds: pulumi.Input<string>[];
    /** Customer-managed keys (security layer). */
    keys: { dataKeyArn: pulumi.Input<string>; logsKeyArn: pulumi.Input<string>; secretsKeyArn: pulumi.Input<string> };
    /** Application buckets (storage layer). */
    buckets: {
        evidenceBucketArn: pulumi.Input<string>; evidenceBucketName: pulumi.Input<string>;
        documentsBucketArn: pulumi.Input<string>; documentsBucketName: pulumi.Input<string>;
    };
    /** Application secrets (security layer): the JWT signing key, and the WorkOS API key in WorkOS stacks. */
    secrets: { jwtSigningKeyArn: pulumi.Input<string>; workosApiKeyArn?: pulumi.Input<string> };
    /** Data layer (DataOutputs). */
    data: {
        /** Host the applications connect to: the RDS Proxy endpoint, or the primary's address where there is no proxy. */
        postgresEndpoint: pulumi.Input<string>;
        /** The primary's address: Keycloak logs in with a password there, bypassing the proxy (IAM auth only). */
        postgresInstanceAddress: pulumi.Input<string>;
        /** The application database and the user the applications log in as with IAM auth tokens (no password anywhere). */
        databaseName: string;
        iamAuth: { resourceId: pulumi.Input<string>; dbUser: string };
        /** Redis primary endpoint address and its AUTH token secret (the whole secret string is the token). */
        redisEndpoint: pulumi.Input<string>;
        redisAuthSecretArn: pulumi.Input<string>;
        /** Client security groups admitted by the proxy (or instance) and Redis, and the admins group (bastion). */
        postgresClientsSecurityGroupId: pulumi.Input<string>;
        redisClientsSecurityGroupId: pulumi.Input<string>;
        postgresAdminsSecurityGroupId: pulumi.Input<string>;
        /** Admitted to the primary itself (stacks with a proxy and Keycloak); Keycloak falls back to postgresClients without one. */
        postgresDirectClientsSecurityGroupId?: pulumi.Input<string>;
        /** The primary's own security group and the master secret: Keycloak's password rotation logs in as the master user. */
        postgresSecurityGroupId: pulumi.Input<string>;
        postgresMasterSecretArn: pulumi.Input<string>;
    };
    /** SES identity (and configuration set) the api-workers send e-mail from (email layer); no send permission when omitted. */
    email?: { identityArn: pulumi.Input<string>; configurationSetArn?: pulumi.Input<string> };
    /** The origin ALB (ingress layer). */
    ingress: IngressOutputs;
    /** Prefix list of the S3 gateway endpoint (network layer): lets the bastion fetch AL2023 packages from S3. */
    s3PrefixListId?: pulumi.Input<string>;
    /** The alerts SNS topic (notifications layer): told when the api's p99 latency alarm fires and clears. */
    alertsTopicArn?: pulumi.Input<string>;
    /** SSM path of the stack's runtime parameters (storage layer), e.g. `/platform-prod-eu/`: task roles may read it. */
    runtimeParametersPath: string;
}

type PerFamily<T> = Partial<Record<TaskFamily, T>>;

/** What other layers take from the compute layer. */
export interface ComputeOutputs {
    clusterName: pulumi.Output<string>;
    clusterArn: pulumi.Output<string>;
    serviceNames: PerFamily<pulumi.Output<string>>;
    /** Repository URL per family (created here, or in the external registry). */
    ecrRepositoryUrls: PerFamily<pulumi.Input<string>>;
    taskRoleArns: PerFamily<pulumi.Output<string>>;
    executionRoleArns: PerFamily<pulumi.Output<string>>;
    logGroupNames: PerFamily<pulumi.Output<string>>;
    serviceSecurityGroupIds: PerFamily<pulumi.Output<string>>;
    /** BullMQ queue per worker family (the `Queue` dimension of Platform/BullMQ QueueDepth). */
    queueNames: PerFamily<string>;
    keycloakDatabaseSecretArn?: pulumi.Output<string>;
    keycloakAdminSecretArn?: pulumi.Output<string>;
    /** Log groups of Keycloak's rotation functions (stacks with Keycloak), for the SIEM. */
    keycloakRotationLogGroupNames: Record<string, pulumi.Output<string>>;
    bastionInstanceId?: pulumi.Output<string>;
    bastionSecurityGroupId?: pulumi.Output<string>;
    /** The Session Manager session log group (bastion): shipped to the SIEM. */
    bastionSessionLogGroupName?: pulumi.Output<string>;
}

/** Paths no trace samples: the load balancer's and the containers' health checks. */
const UNTRACED_PATHS = ["/health"];

/** The enabled families of the stack, in a stable order. */
function enabledFamilies(cfg: PlatformConfig): TaskFamily[] {
    return TASK_FAMILIES.filter((f) => cfg.services[f].enabled);
}

/** Repository name and ARN in an external registry (`<account>.dkr.ecr.<region>.amazonaws.com`). */
function externalRepository(registryUrl: string, repositoryName: string): { url: string; arn: string } {
    const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(registryUrl);
    if (!m) throw new Error(`registry URL ${registryUrl} is not <account>.dkr.ecr.<region>.amazonaws.com`);
    return { url: `${registryUrl}/${repositoryName}`, arn: `arn:aws:ecr:${m[2]}:${m[1]}:repository/${repositoryName}` };
}

/**
 * ECR, the ECS cluster, one Fargate service with autoscaling per enabled task family, Keycloak's credentials, and
 * the Session Manager bastion. Built after the data and ingress layers.
 */
export function buildCompute(cfg: PlatformConfig, inputs: ComputeInputs, opts: pulumi.ComponentResourceOptions): ComputeOutputs {
    const families = enabledFamilies(cfg);
    // Sizes are checked before anything is created, so a bad pair fails the preview with the family named.
    for (const f of families) validateFargateSize(FAMILIES[f].name, cfg.services[f].cpu, cfg.services[f].memory);
    if (families.includes("keycloak") && !inputs.ingress.keycloak)
        throw new Error("buildCompute: keycloak is enabled but the ingress layer has no keycloak route");

    const repositoryNames = Object.fromEntries(families.map((f) => [f, `${cfg.project}/${FAMILIES[f].name}`])) as PerFamily<string>;
    const repositories: PerFamily<{ url: pulumi.Input<string>; arn: pulumi.Input<string> }> = {};
    if (cfg.registry.mode === "create") {
        const registry = new ContainerRegistry("registry", {
            repositories: repositoryNames as Record<string, string>,
            kmsKeyArn: inputs.keys.dataKeyArn,
            keepImages: KEEP_IMAGES,
            pullAccountIds: cfg.registry.pullAccountIds,
            protect: cfg.isProd,
        }, opts);
        for (const f of families) repositories[f] = registry.repositories[f];
    } else {
        for (const f of families) repositories[f] = externalRepository(cfg.registry.externalRegistryUrl!, repositoryNames[f]!);
    }

    // ECS Exec is off in every stack: its SSM agent cannot run on the read-only root file system
    // (https://github.com/aws/containers-roadmap/issues/1359); operators use the Session Manager bastion instead.
    const cluster = new EcsCluster("cluster", {
        clusterName: cfg.namePrefix,
        execEnabled: false,
        execLogRetentionDays: cfg.retention.logDays,
        logsKeyArn: inputs.keys.logsKeyArn,
        containerInsightsRetentionDays: cfg.retention.logDays,
    }, opts);

    const { buckets, keys, data } = inputs;
    const object = (arn: pulumi.Input<string>) => pulumi.interpolate`${arn}/*`;
    const dataKeyViaS3 = (sid: string, actions: string[]): PolicyStatement => ({
        Sid: sid, Effect: "Allow", Action: actions, Resource: keys.dataKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${cfg.region}.amazonaws.com` } },
    });
    // cloudwatch:PutMetricData has no resource-level permissions (AWS requires Resource "*"); the namespace
    // condition limits it to the BullMQ queue-depth metric.
    const putQueueMetric: PolicyStatement = {
        Sid: "PublishQueueDepth", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": BULLMQ_METRIC.namespace } },
    };
    // The applications log in to Postgres with IAM auth tokens: exactly this database user on this proxy (or instance).
    const databaseLogin: PolicyStatement = {
        Sid: "DatabaseIamAuth", Effect: "Allow", Action: ["rds-db:connect"],
        Resource: pulumi.interpolate`arn:aws:rds-db:${cfg.region}:${inputs.accountId}:dbuser:${data.iamAuth.resourceId}/${data.iamAuth.dbUser}`,
    };
    // Runtime configuration: the stack's SSM path (GetParametersByPath is authorized against the requested path, with
    // or without its trailing slash; the others against each parameter under it), and SecureStrings through SSM only.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html
    const parameterPath = inputs.runtimeParametersPath.replace(/\/$/, "");
    const readParameters: PolicyStatement[] = [
        {
            Sid: "ReadRuntimeParameters", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
            Resource: [
                pulumi.interpolate`arn:aws:ssm:${cfg.region}:${inputs.accountId}:parameter${parameterPath}`,
                pulumi.interpolate`arn:aws:ssm:${cfg.region}:${inputs.accountId}:parameter${parameterPath}/*`,
            ],
        },
        {
            Sid: "DecryptRuntimeParameters", Effect: "Allow", Action: ["kms:Decrypt"], Resource: keys.secretsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `ssm.${cfg.region}.amazonaws.com` } },
        },
    ];
    const taskStatements: Record<TaskFamily, PolicyStatement[]> = {
        api: [
            { Sid: "EvidenceObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: object(buckets.evidenceBucketArn) },
            {
                Sid: "DocumentObjects",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: object(buckets.documentsBucketArn),
            },
            { Sid: "ListBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [buckets.evidenceBucketArn, buckets.documentsBucketArn] },
            dataKeyViaS3("DataKey", ["kms:Decrypt", "kms:GenerateDataKey"]),
            putQueueMetric,
            databaseLogin,
            ...readParameters,
        ],
        apiWorkers: [
            {
                Sid: "DocumentObjects",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: object(buckets.documentsBucketArn),
            },
            { Sid: "ListDocuments", Effect: "Allow", Action: ["s3:ListBucket"], Resource: buckets.documentsBucketArn },
            dataKeyViaS3("DataKey", ["kms:Decrypt", "kms:GenerateDataKey"]),
            putQueueMetric,
            databaseLogin,
            ...readParameters,
            ...(inputs.email ? [{
                Sid: "SendEmail", Effect: "Allow" as const, Action: ["ses:SendEmail", "ses:SendRawEmail"],
                Resource: [inputs.email.identityArn, ...(inputs.email.configurationSetArn ? [inputs.email.configurationSetArn] : [])],
            }] : []),
        ],
        scannerWorkers: [
            { Sid: "EvidenceObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: object(buckets.evidenceBucketArn) },
            { Sid: "ListEvidence", Effect: "Allow", Action: ["s3:ListBucket"], Resource: buckets.evidenceBucketArn },
            dataKeyViaS3("DataKey", ["kms:Decrypt", "kms:GenerateDataKey"]),
            putQueueMetric,
            databaseLogin,
            ...readParameters,
            // Customer AWS integrations: AssumeRole (with the tenant's external id, which the customer's trust policy
            // requires) into the customer-created role. The confused-deputy guard is the external id on their side.
            // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
            { Sid: "AssumeCustomerScanRoles", Effect: "Allow", Action: ["sts:AssumeRole"], Resource: `arn:aws:iam::*:role/${CUSTOMER_SCAN_ROLE_NAME}` },
        ],
        aiWorkers: [
            { Sid: "ReadEvidence", Effect: "Allow", Action: ["s3:GetObject"], Resource: object(buckets.evidenceBucketArn) },
            { Sid: "ListEvidence", Effect: "Allow", Action: ["s3:ListBucket"], Resource: buckets.evidenceBucketArn },
            dataKeyViaS3("DataKey", ["kms:Decrypt"]),
            putQueueMetric,
            databaseLogin,
            ...readParameters,
        ],
        // Keycloak reads its credentials through the execution role; the application itself needs no AWS API.
        keycloak: [],
    };

    const appEnvironment = (f: TaskFamily): Record<string, pulumi.Input<string>> => ({
        NODE_ENV: "production",
        APP_ENVIRONMENT: cfg.environment,
        AWS_REGION: cfg.region,
        DATABASE_HOST: data.postgresEndpoint,
        DATABASE_PORT: String(POSTGRES_PORT),
        DATABASE_NAME: data.databaseName,
        DATABASE_USER: data.iamAuth.dbUser,
        DATABASE_IAM_AUTH: "true",
        DATABASE_SSL: "require",
        REDIS_HOST: data.redisEndpoint,
        REDIS_PORT: String(REDIS_PORT),
        REDIS_TLS: "true",
        EVIDENCE_BUCKET: buckets.evidenceBucketName,
        DOCUMENTS_BUCKET: buckets.documentsBucketName,
        IDENTITY_PROVIDER: cfg.identity.provider,
        // Per-tenant routing (prod-il: WorkOS for ordinary tenants, the in-region Keycloak for Nimbus tenants).
        IDENTITY_PROVIDERS: cfg.identity.providers.join(","),
        IDENTITY_DEFAULT_PROVIDER: cfg.identity.provider,
        ...(cfg.identity.residencyProvider ? { IDENTITY_RESIDENCY_PROVIDER: cfg.identity.residencyProvider } : {}),
        ...(cfg.identity.keycloakRealm && inputs.ingress.keycloakHostname ? { KEYCLOAK_REALM: cfg.identity.keycloakRealm } : {}),
        BULLMQ_METRIC_NAMESPACE: BULLMQ_METRIC.namespace,
        RUNTIME_PARAMETERS_PATH: inputs.runtimeParametersPath,
        ...(inputs.ingress.keycloakHostname ? { KEYCLOAK_URL: `https://${inputs.ingress.keycloakHostname}` } : {}),
        ...(f === "api" ? { PORT: String(inputs.ingress.api.port), PUBLIC_API_HOST: inputs.ingress.apiHostname } : {}),
        ...(FAMILIES[f].queue ? { QUEUE_NAME: FAMILIES[f].queue!.name } : {}),
    });
    const appSecrets = (f: TaskFamily): ContainerSecret[] => [
        { name: "REDIS_AUTH_TOKEN", secretArn: data.redisAuthSecretArn },
        ...(f === "api" ? [{ name: "JWT_SIGNING_KEY", secretArn: inputs.secrets.jwtSigningKeyArn }] : []),
        ...(f === "api" && inputs.secrets.workosApiKeyArn ? [{ name: "WORKOS_API_KEY", secretArn: inputs.secrets.workosApiKeyArn }] : []),
    ];

    // Keycloak: its own database (KEYCLOAK_DATABASE) on the shared Postgres instance, password login on the primary
    // (Keycloak cannot use the proxy's IAM auth), generated passwords kept only in Secrets Manager and rotated there.
    if (families.includes("keycloak") && !inputs.alertsTopicArn) throw new Error("buildCompute: Keycloak's secret rotations alarm on alertsTopicArn; pass it");
    const keycloakSecrets = families.includes("keycloak") ? buildKeycloakSecrets(cfg, {
        accountId: inputs.accountId, vpcId: inputs.vpcId, computeSubnetIds: inputs.computeSubnetIds,
        keys: { secretsKeyArn: keys.secretsKeyArn, logsKeyArn: keys.logsKeyArn },
        postgres: { address: data.postgresInstanceAddress, securityGroupId: data.postgresSecurityGroupId, masterSecretArn: data.postgresMasterSecretArn },
        clusterName: cluster.clusterName, alertsTopicArn: inputs.alertsTopicArn!,
    }, opts) : undefined;

    // Tracing: the api and workers export spans over OTLP to X-Ray from their OpenTelemetry SDK (no daemon sidecar);
    // Keycloak (Java) is not instrumented. One sampling rule and one group for the stack's services.
    const tracedFamilies = families.filter((f) => f !== "keycloak").map((f) => FAMILIES[f].name);
    const tracing = cfg.tracing.enabled && tracedFamilies.length > 0 ? new Tracing("tracing", {
        namePrefix: cfg.namePrefix, region: cfg.region, accountId: inputs.accountId, services: tracedFamilies,
        sampleRate: cfg.tracing.sampleRatePercent / 100, reservoirPerSecond: 1, untracedPaths: UNTRACED_PATHS,
        manageTransactionSearch: cfg.tracing.transactionSearch === "owner",
    }, opts) : undefined;

    const out: ComputeOutputs = {
        clusterName: cluster.clusterName, clusterArn: cluster.clusterArn,
        serviceNames: {}, ecrRepositoryUrls: {}, taskRoleArns: {}, executionRoleArns: {}, logGroupNames: {}, serviceSecurityGroupIds: {}, queueNames: {},
        keycloakDatabaseSecretArn: keycloakSecrets?.databaseSecretArn, keycloakAdminSecretArn: keycloakSecrets?.adminSecretArn,
        keycloakRotationLogGroupNames: keycloakSecrets?.rotationLogGroupNames ?? {},
    };

    for (const f of families) {
        const spec = FAMILIES[f];
        const size = cfg.services[f];
        const repo = repositories[f]!;
        const routed = f === "api" ? inputs.ingress.api : f === "keycloak" ? inputs.ingress.keycloak : undefined;
        const isKeycloak = f === "keycloak";
        const service = new FargateService(spec.name, {
            family: spec.name,
            namePrefix: cfg.namePrefix,
            accountId: inputs.accountId,
            region: cfg.region,
            clusterArn: cluster.clusterArn,
            clusterName: cluster.clusterName,
            // Keycloak reads its login by JSON key: its tasks start only after the JSON version is written.
            dependsOn: [cluster.capacityProviders, ...(routed ? [routed.listenerRule] : []), ...(isKeycloak ? keycloakSecrets!.versions : [])],
            cpu: size.cpu,
            memory: size.memory,
            image: pulumi.interpolate`${repo.url}:${size.imageTag}`,
            repositoryArn: repo.arn,
            // GuardDuty Runtime Monitoring (ECS_FARGATE_AGENT_MANAGEMENT) adds its sidecar, pulled with the execution role.
            sidecarRepositoryArns: [guardDutyAgentRepositoryArn(cfg.region)],
            command: isKeycloak ? ["start", "--optimized"] : undefined,
            containerPort: routed?.port,
            environment: isKeycloak ? {
                KC_DB: "postgres",
                KC_DB_URL: pulumi.interpolate`jdbc:postgresql://${data.postgresInstanceAddress}:${POSTGRES_PORT}/${KEYCLOAK_DATABASE.name}?sslmode=require`,
                KC_BOOTSTRAP_ADMIN_USERNAME: "bootstrap-admin",
                KC_HOSTNAME: `https://${inputs.ingress.keycloakHostname}`,
                KC_PROXY_HEADERS: "xforwarded",
                KC_HTTP_ENABLED: "true",
                KC_HTTP_PORT: String(routed!.port),
                KC_HEALTH_ENABLED: "true",
                KC_CACHE: "ispn",
                KC_CACHE_STACK: "jdbc-ping",
            } : { ...appEnvironment(f), ...(tracing ? tracing.environment(spec.name) : {}) },
            secrets: isKeycloak ? [
                // The login alternates between two users (keycloak-secrets.ts): user and password both come from the secret.
                { name: "KC_DB_USERNAME", secretArn: keycloakSecrets!.databaseSecretArn, jsonKey: "username" },
                { name: "KC_DB_PASSWORD", secretArn: keycloakSecrets!.databaseSecretArn, jsonKey: "password" },
                { name: "KC_BOOTSTRAP_ADMIN_PASSWORD", secretArn: keycloakSecrets!.adminSecretArn },
            ] : appSecrets(f),
            secretsKmsKeyArn: keys.secretsKeyArn,
            healthCheckCommand: spec.healthCheck,
            stopTimeoutSeconds: spec.stopTimeoutSeconds,
            // Keycloak writes its runtime data (tmp, transaction logs) under /opt/keycloak/data.
            writablePaths: isKeycloak ? WRITABLE_PATHS.keycloak : WRITABLE_PATHS.app,
            healthCheckGracePeriodSeconds: isKeycloak ? KEYCLOAK_HEALTH_GRACE_SECONDS : undefined,
            logKmsKeyArn: keys.logsKeyArn,
            logRetentionDays: cfg.retention.logDays,
            taskPolicyStatements: [...taskStatements[f], ...(tracing && !isKeycloak ? tracing.taskStatements : [])],
            vpcId: inputs.vpcId,
            vpcCidr: cfg.network.vpcCidr,
            subnetIds: inputs.computeSubnetIds,
            additionalSecurityGroupIds: isKeycloak
                ? [data.postgresDirectClientsSecurityGroupId ?? data.postgresClientsSecurityGroupId]
                : [data.postgresClientsSecurityGroupId, data.redisClientsSecurityGroupId],
            internetHttpsEgress: spec.internetHttpsEgress,
            peerPorts: isKeycloak ? KEYCLOAK_PEER_PORTS : undefined,
            desiredCount: size.minTasks,
            capacity: size.spot && f !== "api" ? "spot" : "on-demand",
            onDemandBase: size.onDemandBase,
            loadBalancer: routed ? { targetGroupArn: routed.targetGroupArn, securityGroupId: inputs.ingress.albSecurityGroupId } : undefined,
        }, opts);

        new ServiceAutoscaling(`${spec.name}-scaling`, {
            resourceId: service.scalableResourceId,
            minTasks: size.minTasks,
            maxTasks: size.maxTasks,
            alarmNamePrefix: `${cfg.namePrefix}-${spec.name}`,
            scaling: f === "api"
                ? {
                    kind: "requests", ...API_SCALING,
                    alarmTopicArn: inputs.alertsTopicArn, runbookUrl: runbookLink(cfg.alerts.runbookBaseUrl, "api-p99-latency"),
                    loadBalancerArnSuffix: inputs.ingress.albArnSuffix, targetGroupArnSuffix: inputs.ingress.api.targetGroupArnSuffix,
                }
                : isKeycloak
                    ? { kind: "cpu", targetPercent: KEYCLOAK_CPU_TARGET }
                    : {
                        kind: "queue-depth", namespace: BULLMQ_METRIC.namespace, metricName: BULLMQ_METRIC.metricName,
                        dimensions: bullmqQueueDimensions(cfg.environment, spec.queue!.name),
                        backlogPerTask: spec.queue!.backlogPerTask, clusterName: cluster.clusterName, serviceName: service.serviceName,
                    },
        }, opts);

        out.serviceNames[f] = service.serviceName;
        out.ecrRepositoryUrls[f] = repo.url;
        out.taskRoleArns[f] = service.taskRoleArn;
        out.executionRoleArns[f] = service.executionRoleArn;
        out.logGroupNames[f] = service.logGroupName;
        out.serviceSecurityGroupIds[f] = service.securityGroupId;
        if (spec.queue) out.queueNames[f] = spec.queue.name;
    }

    if (cfg.bastion.enabled) {
        const bastion = new SessionManagerBastion("bastion", {
            namePrefix: cfg.namePrefix,
            instanceType: cfg.bastion.instanceType,
            vpcId: inputs.vpcId,
            vpcCidr: cfg.network.vpcCidr,
            subnetId: inputs.computeSubnetIds[0],
            clientSecurityGroupIds: [data.postgresAdminsSecurityGroupId, data.postgresClientsSecurityGroupId, data.redisClientsSecurityGroupId],
            volumeKmsKeyArn: keys.dataKeyArn,
            s3PrefixListId: inputs.s3PrefixListId,
            sessionLogs: { kmsKeyArn: keys.logsKeyArn, retentionDays: cfg.retention.logDays },
        }, opts);
        out.bastionInstanceId = bastion.instanceId;
        out.bastionSecurityGroupId = bastion.securityGroupId;
        out.bastionSessionLogGroupName = bastion.sessionLogGroupName;
    }
    return out;
}
