import { runbookLink } from "../../components/observability/runbooks";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import {
    BucketPolicyStatement, BucketReplication, CloudflareRanges, ManagedSecret, RotationFunction, RuntimeParameters, SecureBucket,
    albLogDeliveryStatements, restrictObjectAccessStatement, serverAccessLogDeliveryStatement, validateCloudflareRanges,
} from "../../components";
import { PlatformConfig } from "../config";
import { keycloakUrlOf } from "../identity-config";

/** Prefixes the ALB writes its access and connection logs under (the ingress layer's OriginLoadBalancer contract). */
export const ALB_LOG_PREFIXES = ["alb/access", "alb/connections"] as const;
/** The SPA's host label: the frontend bucket is named `app.<domain>` (kept from the website-endpoint design; read path-style). */
const APP_HOST_LABEL = "app";
/** Length of the generated JWT signing key (HS256 wants at least 256 bits; 64 alphanumerics is ~380). */
const JWT_KEY_LENGTH = 64;

/** What the storage layer needs from other layers. */
export interface StorageInputs {
    /** The account the stack deploys into (bucket policies, replication role trust). */
    accountId: pulumi.Input<string>;
    /** Customer-managed keys (security layer): data buckets, secrets and parameters, backups. */
    dataKeyArn: pulumi.Input<string>;
    secretsKeyArn: pulumi.Input<string>;
    backupsKeyArn: pulumi.Input<string>;
    /** The backups key in the DR region; required when `cfg.dr.mode` is cross-region. */
    drBackupsKeyArn?: pulumi.Input<string>;
    /** AWS provider for the DR region; required when `cfg.dr.mode` is cross-region. */
    drProvider?: aws.Provider;
    /** Alerts topic (notifications layer): replication failures of the archive's DR copy, failed rotations, old tokens. */
    alertsTopicArn: pulumi.Input<string>;
    /**
     * Where the JWT key's rotation function runs (private compute subnets) and the key of its logs. Omitted: the JWT
     * key is rotated by hand (component tests of this layer alone).
     */
    secretFunctions?: { vpcId: pulumi.Input<string>; subnetIds: pulumi.Input<string>[]; logsKeyArn: pulumi.Input<string> };
    /**
     * Other keys objects in the archive (backups) bucket are encrypted with: CloudTrail writes its files with the logs
     * key, so the DR replication role must decrypt those too.
     */
    archiveWriterKeyArns?: pulumi.Input<string>[];
    /** The S3 gateway endpoint (network layer): evidence and documents objects are reachable only through it or by stack roles. */
    s3GatewayEndpointId: pulumi.Input<string>;
    /** Cloudflare's edge ranges (CLOUDFLARE_RANGES): the only sources that may read the SPA bucket. */
    cloudflareRanges: CloudflareRanges;
    /**
     * Principals exempt from the evidence/documents VPC-endpoint restriction besides this stack's roles
     * (`role/<namePrefix>-*`, which covers the task roles, the backup role, `<namePrefix>-break-glass` and the GitHub
     * deploy roles): defaults to `role/break-glass*` and the account root, so administrators are never locked out.
     */
    adminPrincipalArnPatterns?: pulumi.Input<string>[];
    /**
     * Extra bucket-policy statements other layers need on a bucket (e.g. CloudTrail delivery into backups); each
     * bucket has exactly one policy, so they are passed in rather than attached later.
     */
    extraPolicyStatements?: Partial<Record<"evidence" | "documents" | "backups" | "artifacts", BucketPolicyStatement[]>>;
}

/** A bucket as other layers see it. */
export interface BucketRef {
    name: pulumi.Output<string>;
    arn: pulumi.Output<string>;
    /** The bucket's policy: a service that validates it at creation (CloudTrail, Config, ALB logs) depends on it. */
    policy: pulumi.Resource;
}

/** What other layers take from the storage layer. */
export interface StorageOutputs {
    /** Log groups of the storage layer's functions (the JWT key's rotation), for the SIEM. */
    logGroupNames: Record<string, pulumi.Output<string>>;
    buckets: {
        accessLogs: BucketRef;
        albLogs: BucketRef;
        evidence: BucketRef;
        documents: BucketRef;
        backups: BucketRef;
        /** Deploy-time artifacts read by AWS services at creation (e.g. the ALB mTLS trust-store CA bundle). */
        artifacts: BucketRef;
        /** The backups copy in the DR region (cross-region DR only). */
        backupsReplica?: BucketRef;
        /** The DR region's S3 access-log bucket (cross-region DR only). */
        drAccessLogs?: BucketRef;
        /** The private SPA bucket, read by the edge layer's SPA origin Worker for app.<domain>. */
        frontend: BucketRef & { regionalDomainName: pulumi.Output<string> };
    };
    secrets: {
        jwtSigningKeyArn: pulumi.Output<string>;
        workosApiKeyArn?: pulumi.Output<string>;
        logzioShippingTokenArn: pulumi.Output<string>;
        slackWebhookUrlArn?: pulumi.Output<string>;
    };
    /** SSM path of the environment's runtime configuration, e.g. `/platform-prod-eu/`. */
    parameterPath: string;
    /** Parameter ARNs by relative name (`buckets/evidence`, `features/ai-workers`, ...). */
    parameterArns: Record<string, pulumi.Output<string>>;
}

/** The physical names of the layer's buckets: deterministic, lowercase, <= 63 (SecureBucket validates each). */
export function bucketNames(cfg: PlatformConfig): Record<"accessLogs" | "albLogs" | "evidence" | "documents" | "backups" | "artifacts" | "frontend", string>
    & { backupsReplica?: string; drAccessLogs?: string } {
    const n = (purpose: string) => `${cfg.namePrefix}-${purpose}`;
    return {
        accessLogs: n("access-logs"),
        albLogs: n("alb-logs"),
        evidence: n("evidence"),
        documents: n("documents"),
        backups: n("backups"),
        artifacts: n("artifacts"),
        // Named like the app host since the website-endpoint design; kept so the bucket is not replaced. Bucket names are
        // global and the source stack keeps that one, so a recovery stack's SPA bucket carries its own prefix.
        frontend: cfg.recovery ? n("frontend") : `${APP_HOST_LABEL}.${cfg.edge.domain}`,
        // Bucket names are global: the DR copies carry their region.
        ...(cfg.dr.mode === "cross-region" ? { backupsReplica: n(`backups-${cfg.dr.region}`), drAccessLogs: n(`access-logs-${cfg.dr.region}`) } : {}),
    };
}

/**
 * Object storage, secrets and runtime configuration. Every bucket is a SecureBucket; evidence and backups carry
 * Object Lock from config; backups are replicated to the DR region only when the stack's DR mode is cross-region
 * (never with data residency, which config validation already excludes).
 */
export function buildStorage(cfg: PlatformConfig, inputs: StorageInputs, opts: pulumi.ComponentResourceOptions): StorageOutputs {
    const names = bucketNames(cfg);
    validateCloudflareRanges(inputs.cloudflareRanges, "storage layer (Cloudflare ranges)");
    const protect = cfg.isProd;
    const noncurrentVersionExpiryDays = cfg.storage.noncurrentVersionExpiryDays;
    const common = { protect, noncurrentVersionExpiryDays };

    const accessLogs = new SecureBucket("access-logs", {
        ...common, bucketName: names.accessLogs, purpose: "access-logs", kmsKeyArn: inputs.dataKeyArn, isAccessLogTarget: true,
        expirationDays: cfg.retention.auditLogDays,
        policyStatements: [serverAccessLogDeliveryStatement(names.accessLogs, inputs.accountId)],
    }, opts);
    const logsTo = { accessLogBucket: accessLogs.bucketName };

    // S3 accepts only SSE-S3 for ALB log delivery: the one named exception of s3-sse-kms (isAlbLogBucket).
    const albLogs = new SecureBucket("alb-logs", {
        ...common, ...logsTo, bucketName: names.albLogs, purpose: "alb-logs", sseS3: "alb-log-delivery", expirationDays: cfg.retention.logDays,
        policyStatements: albLogDeliveryStatements(names.albLogs, inputs.accountId, cfg.region, ALB_LOG_PREFIXES),
    }, opts);

    // Evidence and documents: object access only through the VPC's S3 endpoint, by this stack's roles, by AWS
    // services, or by the administrators' break-glass roles. The deny never covers bucket-policy actions (no lock-out).
    const stackPrincipals: pulumi.Input<string>[] = [
        pulumi.interpolate`arn:aws:iam::${inputs.accountId}:role/${cfg.namePrefix}-*`,
        ...(inputs.adminPrincipalArnPatterns ?? [
            pulumi.interpolate`arn:aws:iam::${inputs.accountId}:role/break-glass*`,
            pulumi.interpolate`arn:aws:iam::${inputs.accountId}:root`,
        ]),
    ];
    const restricted = (bucketName: string) => [restrictObjectAccessStatement(bucketName, [inputs.s3GatewayEndpointId], stackPrincipals)];

    const evidence = new SecureBucket("evidence", {
        ...common, ...logsTo, bucketName: names.evidence, purpose: "evidence", kmsKeyArn: inputs.dataKeyArn,
        objectLock: cfg.storage.evidenceLock,
        transitions: [{ days: cfg.storage.evidenceDeepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" }],
        policyStatements: [...restricted(names.evidence), ...(inputs.extraPolicyStatements?.evidence ?? [])],
    }, opts);

    const documents = new SecureBucket("documents", {
        ...common, ...logsTo, bucketName: names.documents, purpose: "documents", kmsKeyArn: inputs.dataKeyArn,
        policyStatements: [...restricted(names.documents), ...(inputs.extraPolicyStatements?.documents ?? [])],
    }, opts);

    const backups = new SecureBucket("backups", {
        ...common, ...logsTo, bucketName: names.backups, purpose: "backups", kmsKeyArn: inputs.backupsKeyArn, objectLock: cfg.storage.backupLock,
        policyStatements: inputs.extraPolicyStatements?.backups,
    }, opts);

    const artifacts = new SecureBucket("artifacts", {
        ...common, ...logsTo, bucketName: names.artifacts, purpose: "artifacts", kmsKeyArn: inputs.dataKeyArn,
        policyStatements: inputs.extraPolicyStatements?.artifacts,
    }, opts);

    // The SPA bucket is private like the rest (all four BPA, no grant, SSE-KMS with the data key): the edge layer's SPA
    // origin Worker reads it with a signed, IP-bound credential. Named like the app host, as before (no replacement).
    const frontend = new SecureBucket("frontend", {
        ...common, ...logsTo, bucketName: names.frontend, purpose: "frontend", kmsKeyArn: inputs.dataKeyArn,
    }, opts);

    let backupsReplica: SecureBucket | undefined;
    let drAccessLogs: SecureBucket | undefined;
    if (cfg.dr.mode === "cross-region") {
        if (!inputs.drProvider || !inputs.drBackupsKeyArn || !cfg.dr.region || !names.backupsReplica || !names.drAccessLogs) {
            throw new Error(`storage layer: platform:dr.mode is cross-region (${cfg.dr.region}) but drProvider or drBackupsKeyArn was not passed in`);
        }
        const { provider: _provider, providers: _providers, ...rest } = opts;
        const drOpts: pulumi.ComponentResourceOptions = { ...rest, providers: [inputs.drProvider] };
        // S3 access logs must land in a bucket of the same region: the DR region gets its own log bucket.
        drAccessLogs = new SecureBucket("dr-access-logs", {
            ...common, bucketName: names.drAccessLogs, purpose: "access-logs", kmsKeyArn: inputs.drBackupsKeyArn, isAccessLogTarget: true,
            expirationDays: cfg.retention.auditLogDays,
            policyStatements: [serverAccessLogDeliveryStatement(names.drAccessLogs, inputs.accountId)],
        }, drOpts);
        // Tagged backups-replica, not backups: it is the DR copy, not a data bucket an AWS Backup plan must select.
        backupsReplica = new SecureBucket("backups-replica", {
            ...common, bucketName: names.backupsReplica, purpose: "backups-replica", kmsKeyArn: inputs.drBackupsKeyArn, objectLock: cfg.storage.backupLock,
            accessLogBucket: drAccessLogs.bucketName,
        }, drOpts);
        new BucketReplication("backups-replication", {
            roleName: `${cfg.namePrefix}-backups-replication`,
            accountId: inputs.accountId,
            source: {
                bucketName: names.backups, bucketId: backups.bucketName, region: cfg.region,
                kmsKeyArn: inputs.backupsKeyArn, otherKmsKeyArns: inputs.archiveWriterKeyArns,
            },
            destination: { bucketName: names.backupsReplica, region: cfg.dr.region, kmsKeyArn: inputs.drBackupsKeyArn },
            dependsOn: [backups.versioning, backupsReplica.versioning],
            alertsTopicArn: inputs.alertsTopicArn, runbookUrl: runbookLink(cfg.alerts.runbookBaseUrl, "replication-failed"),
        }, opts);
    }

    // Secrets: encrypted with the secrets key, recoverable for 30 days in prod (7 in dev), protected in prod.
    const secretCommon = { kmsKeyId: inputs.secretsKeyArn, recoveryWindowInDays: cfg.isProd ? 30 : 7, protect };
    const secretName = (name: string) => `${cfg.namePrefix}/${name}`;
    // The JWT key rotates every platform:secrets.rotationDays through functions/rotation/jwt.mjs (where the functions
    // have a network to run in); third-party tokens are rotated by hand (runbook) and watched for age (layers/secret-age.ts).
    const wiring = { namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl };
    const fnNet = inputs.secretFunctions;
    const jwtName = secretName("jwt-signing-key");
    const jwtRotator = fnNet
        ? new RotationFunction("jwt-signing-key-rotation", {
            kind: "jwt", functionName: `${cfg.namePrefix}-jwt-rotation`, region: cfg.region, accountId: inputs.accountId, secretName: jwtName,
            secretsKeyArn: inputs.secretsKeyArn, environment: { KEY_LENGTH: String(JWT_KEY_LENGTH) },
            vpcId: fnNet.vpcId, subnetIds: fnNet.subnetIds, logsKeyArn: fnNet.logsKeyArn, logRetentionDays: cfg.retention.logDays, wiring,
        }, opts)
        : undefined;
    const jwt = new ManagedSecret("jwt-signing-key", {
        ...secretCommon, secretName: jwtName, value: { generate: JWT_KEY_LENGTH },
        rotation: jwtRotator ? { lambdaArn: jwtRotator.functionArn, days: cfg.secrets.rotationDays, dependsOn: [jwtRotator.invokePermission] } : "manual",
        description: "HS256 signing key for the BFF's session JWTs (generated; rotated by a function, the previous key stays AWSPREVIOUS)",
    }, opts);
    let workos: ManagedSecret | undefined;
    if (cfg.identity.providers.includes("workos")) {
        if (!cfg.secretValues.workosApiKey) {
            throw new Error("storage layer: platform:workosApiKey is required when workos is one of platform:identity's providers");
        }
        workos = new ManagedSecret("workos-api-key", {
            ...secretCommon, secretName: secretName("workos-api-key"), rotation: "manual", value: cfg.secretValues.workosApiKey,
            description: "WorkOS API key (operator-supplied; rotate in the WorkOS dashboard, then set a new version)",
        }, opts);
    }
    const logzio = new ManagedSecret("logzio-shipping-token", {
        ...secretCommon, secretName: secretName("logzio-shipping-token"), rotation: "manual",
        // Firehose reads the token itself and expects Logz.io's format: {"api_key": "<token>"}.
        value: pulumi.jsonStringify({ api_key: cfg.secretValues.logzioShippingToken }),
        description: "Logz.io log shipping token (operator-supplied)",
    }, opts);
    const slack = cfg.secretValues.slackWebhookUrl
        ? new ManagedSecret("slack-webhook-url", {
            ...secretCommon, secretName: secretName("slack-webhook-url"), rotation: "manual", value: cfg.secretValues.slackWebhookUrl,
            description: "Slack incoming-webhook URL for alerts (operator-supplied)",
        }, opts)
        : undefined;

    const parameterPath = `/${cfg.namePrefix}/`;
    const parameters = new RuntimeParameters("runtime-config", {
        path: parameterPath,
        kmsKeyId: inputs.secretsKeyArn,
        parameters: {
            "region": { value: cfg.region, description: "AWS region of the stack" },
            "environment": { value: cfg.environment, description: "Environment (dev or prod)" },
            "buckets/evidence": { value: evidence.bucketName, description: "Evidence artifacts bucket (Object Lock)" },
            "buckets/documents": { value: documents.bucketName, description: "Generated reports and exports bucket" },
            "buckets/backups": { value: backups.bucketName, description: "RDS exports and archive bucket (Object Lock)" },
            "buckets/frontend": { value: frontend.bucketName, description: "SPA static files bucket" },
            "features/ai-workers": { value: String(cfg.services.aiWorkers.enabled), description: "Phase 2 AI workers on or off" },
            "identity/provider": { value: cfg.identity.provider, description: "Default identity provider (workos or keycloak)" },
            // Per-tenant routing (the api's auth middleware): which providers exist, which serves ordinary tenants and
            // which the residency (Nimbus) tenants; the tenant's flag itself lives in the application database.
            ...identityRoutingParameters(cfg, keycloakUrlOf(cfg.identity, cfg.edge.domain)),
            "auth/jwt-key-arn": { value: jwt.arn, description: "ARN of the stored JWT signing key (a reference; the value stays in its store)" },
        },
    }, opts);

    const ref = (b: SecureBucket): BucketRef => ({ name: b.bucketName, arn: b.arn, policy: b.policy });
    return {
        buckets: {
            accessLogs: ref(accessLogs), albLogs: ref(albLogs), evidence: ref(evidence), documents: ref(documents), backups: ref(backups),
            artifacts: ref(artifacts),
            ...(backupsReplica ? { backupsReplica: ref(backupsReplica) } : {}),
            ...(drAccessLogs ? { drAccessLogs: ref(drAccessLogs) } : {}),
            frontend: { ...ref(frontend), regionalDomainName: frontend.bucketRegionalDomainName },
        },
        logGroupNames: jwtRotator ? { "jwt-rotation": jwtRotator.logGroupName } : {},
        secrets: {
            jwtSigningKeyArn: jwt.arn,
            ...(workos ? { workosApiKeyArn: workos.arn } : {}),
            logzioShippingTokenArn: logzio.arn,
            ...(slack ? { slackWebhookUrlArn: slack.arn } : {}),
        },
        parameterPath,
        parameterArns: parameters.arns,
    };
}

/** The routing data of the identity providers side by side (empty parts left out). */
function identityRoutingParameters(cfg: PlatformConfig, keycloakUrl: string | undefined): Record<string, { value: string; description: string }> {
    const id = cfg.identity;
    return {
        "identity/providers": { value: id.providers.join(","), description: "Identity providers the api routes to per tenant" },
        "identity/default-provider": { value: id.provider, description: "Provider of tenants without a residency requirement" },
        ...(id.residencyProvider ? {
            "identity/residency-provider": {
                value: id.residencyProvider, description: "Provider of residency (Nimbus) tenants; their identity data stays in the region",
            },
        } : {}),
        ...(keycloakUrl ? { "identity/keycloak-url": { value: keycloakUrl, description: "Keycloak base URL (in-region)" } } : {}),
        ...(id.keycloakRealm && keycloakUrl
            ? { "identity/keycloak-realm": { value: id.keycloakRealm, description: "Keycloak realm of the residency tenants" } }
            : {}),
    };
}
