import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, isProd, pointingAt, statements, asList, forType, mapped } from "./lib/kit";


export const rdsEncryptedCmk: PlatformPolicy = {
    name: "rds-encrypted-cmk",
    description: "RDS instances (replicas too) encrypt storage with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.3"], cis: ["2.3.1"], nist: ["SC-28", "SC-28(1)", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set storageEncrypted: true and kmsKeyId to the data CMK (the Postgres component does).",
    validateResource: forType("aws:rds/instance:Instance", (p) =>
        p.replicateSourceDb === undefined && p.storageEncrypted !== true ? "storage is not encrypted"
            : !p.kmsKeyId ? "storage is not encrypted with a customer-managed key (kmsKeyId missing)" : undefined),
};

export const redisAtRest: PlatformPolicy = {
    name: "redis-at-rest",
    description: "ElastiCache replication groups encrypt at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ElastiCache.4"], nist: ["SC-28", "SC-28(1)"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set atRestEncryptionEnabled: true and kmsKeyId to the data CMK.",
    validateResource: forType("aws:elasticache/replicationGroup:ReplicationGroup", (p) =>
        p.atRestEncryptionEnabled !== true && p.atRestEncryptionEnabled !== "true" ? "encryption at rest is off"
            : !p.kmsKeyId ? "encryption at rest does not use a customer-managed key (kmsKeyId missing)" : undefined),
};

export const logsCmk: PlatformPolicy = {
    name: "logs-cmk",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key and have a retention period.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-28", "AU-9"], soc2: ["CC6.1"], iso: ["A.8.24", "A.8.15"] }),
    remediationSteps: "Set kmsKeyId to the logs CMK and retentionInDays from the stack's retention config.",
    validateResource: forType("aws:cloudwatch/logGroup:LogGroup", (p) =>
        !p.kmsKeyId ? "not encrypted with a customer-managed key (kmsKeyId missing)"
            : !(Number(p.retentionInDays) > 0) ? "has no retention period (logs kept forever, unbounded cost)" : undefined),
};

export const snsCmk: PlatformPolicy = {
    name: "sns-cmk",
    description: "SNS topics are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["SNS.1"], nist: ["SC-28", "SC-28(1)"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set kmsMasterKeyId to a CMK whose policy lets the publishing services use it (not alias/aws/sns).",
    validateResource: forType("aws:sns/topic:Topic", (p) =>
        !p.kmsMasterKeyId ? "not encrypted (kmsMasterKeyId missing)"
            : String(p.kmsMasterKeyId).endsWith("alias/aws/sns") ? "uses the AWS-managed key, not a customer-managed key" : undefined),
};

export const secretsCmk: PlatformPolicy = {
    name: "secrets-cmk",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-28", "SC-12", "IA-5"], soc2: ["CC6.1"], iso: ["A.8.24", "A.5.17"] }),
    remediationSteps: "Set kmsKeyId to the secrets CMK.",
    validateResource: forType("aws:secretsmanager/secret:Secret", (p) => (!p.kmsKeyId ? "not encrypted with a customer-managed key (kmsKeyId missing)" : undefined)),
};

/** Parameter names or descriptions that signal a sensitive value. */
const SENSITIVE = /(secret|token|password|passwd|private[-_]?key|api[-_]?key|credential)/i;

export const ssmSecureString: PlatformPolicy = {
    name: "ssm-securestring",
    description: "Sensitive SSM parameters are SecureString encrypted with a customer-managed key; every SecureString names its key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-28", "IA-5"], soc2: ["CC6.1"], iso: ["A.5.17", "A.8.24"] }),
    remediationSteps: "Use type SecureString with keyId set to the secrets CMK, or keep the value in Secrets Manager.",
    validateResource: forType("aws:ssm/parameter:Parameter", (p) => {
        if (p.type === "SecureString") return p.keyId ? undefined : "SecureString without a customer-managed key (keyId missing)";
        return SENSITIVE.test(`${p.name ?? ""} ${p.description ?? ""}`) ? `looks sensitive but is stored as ${p.type} (plain text)` : undefined;
    }),
};

export const ecrKms: PlatformPolicy = {
    name: "ecr-kms",
    description: "ECR repositories encrypt images with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-28"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set encryptionConfigurations: [{ encryptionType: \"KMS\", kmsKey: <data CMK> }].",
    validateResource: forType("aws:ecr/repository:Repository", (p) => {
        const enc = asList(p.encryptionConfigurations)[0];
        return enc?.encryptionType !== "KMS" ? "images are not KMS-encrypted" : !enc.kmsKey ? "KMS encryption without a customer-managed key" : undefined;
    }),
};

export const backupVaultCmk: PlatformPolicy = {
    name: "backup-vault-cmk",
    description: "AWS Backup vaults encrypt recovery points with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["Backup.1"], nist: ["CP-9(8)", "SC-28"], soc2: ["A1.2", "CC6.1"], iso: ["A.8.13", "A.8.24"] }),
    remediationSteps: "Set kmsKeyArn to the backups CMK.",
    validateResource: forType("aws:backup/vault:Vault", (p) => (!p.kmsKeyArn ? "not encrypted with a customer-managed key (kmsKeyArn missing)" : undefined)),
};

export const cloudtrailCmk: PlatformPolicy = {
    name: "cloudtrail-cmk",
    description: "CloudTrail trails encrypt log files with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["CloudTrail.2"], cis: ["3.5"], nist: ["AU-9", "SC-28"], soc2: ["CC6.1"], iso: ["A.8.15", "A.8.24"] }),
    remediationSteps: "Set kmsKeyId to the logs CMK, whose policy grants cloudtrail.amazonaws.com for this account's trails.",
    validateResource: forType("aws:cloudtrail/trail:Trail", (p) => (!p.kmsKeyId ? "log files are not encrypted with a customer-managed key" : undefined)),
};

export const perfInsightsCmk: PlatformPolicy = {
    name: "perf-insights-cmk",
    description: "Where Performance Insights is on, its data is encrypted with a customer-managed key.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-28", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set performanceInsightsKmsKeyId to the data CMK.",
    validateResource: forType("aws:rds/instance:Instance", (p) =>
        p.performanceInsightsEnabled === true && !p.performanceInsightsKmsKeyId ? "Performance Insights is not encrypted with a customer-managed key" : undefined),
};

export const kmsRotation: PlatformPolicy = {
    name: "kms-rotation",
    description: "Customer-managed KMS keys rotate yearly; prod keys have a 30-day deletion window; no key policy grants to \"*\" without conditions.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["KMS.4"], cis: ["3.6"], nist: ["SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set enableKeyRotation: true, deletionWindowInDays: 30 in prod, and name principals explicitly in the key policy.",
    validateResource: forType("aws:kms/key:Key", (p) => {
        const symmetric = (p.customerMasterKeySpec ?? p.keySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT";
        if (symmetric && p.enableKeyRotation !== true) return "key rotation is off";
        if (isProd(p) && Number(p.deletionWindowInDays ?? 30) < 30) return `deletion window is ${p.deletionWindowInDays} days; prod keys need 30`;
        const open = statements(p.policy).find((s) => s.Effect === "Allow" && (s.Principal === "*" || asList(s.Principal?.AWS).includes("*")) && !s.Condition);
        return open ? "key policy allows \"*\" without a condition" : undefined;
    }),
};

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
/** The principal that delivers ALB access logs (regions from August 2022 on; older regions use an ELB account). */
export const ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com";

/** True when the bucket's joined policy grants ALB log delivery: the one case S3 requires SSE-S3 instead of SSE-KMS. */
export function isAlbLogBucket(resources: PolicyResource[], bucket: PolicyResource): boolean {
    return pointingAt(resources, BUCKET_POLICY, "bucket", bucket).some((bp) => statements(bp.props.policy).some((s) =>
        s.Effect === "Allow" && (asList(s.Principal?.Service).includes(ELB_LOG_DELIVERY) || asList(s.Principal?.AWS).some((a: string) => /^arn:aws:iam::\d{12}:root$/.test(a) && s.Sid === "ElbLogDelivery"))));
}

const WEBSITE = ["aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"];

/**
 * True for the SPA bucket served through the S3 website endpoint to Cloudflare only: it has a website configuration,
 * and every Allow of its joined policy to "*" is `s3:GetObject` restricted by `aws:SourceIp` to specific CIDRs. The
 * website endpoint cannot serve SSE-KMS objects to anonymous requests, so this is the second case where S3 requires
 * SSE-S3; a website bucket readable without a source-IP condition is not this exception.
 */
export function isCloudflareWebsiteBucket(resources: PolicyResource[], bucket: PolicyResource): boolean {
    if (!WEBSITE.some((t) => pointingAt(resources, t, "bucket", bucket).length > 0)) return false;
    const anonymousAllows = pointingAt(resources, BUCKET_POLICY, "bucket", bucket).flatMap((bp) => statements(bp.props.policy))
        .filter((s) => s.Effect === "Allow" && (s.Principal === "*" || asList(s.Principal?.AWS).includes("*")));
    return anonymousAllows.length > 0 && anonymousAllows.every((s) => {
        const ranges: string[] = asList(s.Condition?.IpAddress?.["aws:SourceIp"]);
        const actions = asList(s.Action);
        return actions.length > 0 && actions.every((a) => a === "s3:GetObject") && ranges.length > 0 && ranges.every((c) => typeof c === "string" && !c.endsWith("/0"));
    });
}

export const s3SseKms: PlatformPolicy = {
    name: "s3-sse-kms",
    description: "Every S3 bucket is encrypted with a customer-managed KMS key with bucket keys on; the only exceptions are an ALB access-log bucket and a website bucket readable only from fixed source IPs (Cloudflare), for which S3 requires SSE-S3.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["S3.17"], nist: ["SC-28", "SC-28(1)", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Create the bucket through the SecureBucket component, or add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, a CMK and bucketKeyEnabled.",
    validateStack: (args, reportViolation) => {
        for (const bucket of args.resources.filter((r) => r.type === BUCKET)) {
            const rules = pointingAt(args.resources, SSE, "bucket", bucket).flatMap((c) => asList(c.props.rules));
            const kms = rules.some((r: any) => r.applyServerSideEncryptionByDefault?.sseAlgorithm === "aws:kms"
                && r.applyServerSideEncryptionByDefault?.kmsMasterKeyId && r.bucketKeyEnabled === true);
            const sseS3 = rules.some((r: any) => r.applyServerSideEncryptionByDefault?.sseAlgorithm === "AES256");
            if (kms || (sseS3 && (isAlbLogBucket(args.resources, bucket) || isCloudflareWebsiteBucket(args.resources, bucket)))) continue;
            reportViolation(`bucket ${bucket.name} is not encrypted with a customer-managed KMS key${sseS3 ? " (SSE-S3 is allowed only for the ALB access-log bucket and the Cloudflare-only website bucket)" : ""}`, bucket.urn);
        }
    },
};

export const encryptionPolicies: PlatformPolicy[] = [
    s3SseKms, rdsEncryptedCmk, perfInsightsCmk, redisAtRest, logsCmk, snsCmk, secretsCmk, ssmSecureString, ecrKms, backupVaultCmk, cloudtrailCmk, kmsRotation,
];
