import { exceptionTag, honourExceptions } from "./lib/exceptions";
import {
    PlatformPolicy,
    UNKNOWN,
    asList,
    configOf,
    customerKeyProblem,
    forType,
    isProd,
    known,
    knownString,
    mapped,
    pointingAt,
    present,
    statements,
    truthy,
    publicAllowProblem,
    forTypes,
} from "./lib/kit";
import { credentialShape } from "./lib/secret-shapes";


export const rdsEncryptedCmk: PlatformPolicy = {
    name: "rds-encrypted-cmk",
    description: "RDS instances (replicas too) and Aurora clusters encrypt storage with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.3", "RDS.27"], cis: ["2.3.1"], nist: ["SC-28", "SC-28(1)", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set storageEncrypted: true and kmsKeyId to the data CMK (the Postgres component does).",
    validateResource: forTypes(["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"], (p) => [
        !present(p, "replicateSourceDb") && !present(p, "replicationSourceIdentifier") && !truthy(known(() => p.storageEncrypted)) ? "storage is not encrypted"
            : customerKeyProblem(p, "kmsKeyId", "storage")]),
};

export const redisAtRest: PlatformPolicy = {
    name: "redis-at-rest",
    description: "ElastiCache replication groups encrypt at rest with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ElastiCache.4"], nist: ["SC-28", "SC-28(1)"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set atRestEncryptionEnabled: true and kmsKeyId to the data CMK.",
    validateResource: forType("aws:elasticache/replicationGroup:ReplicationGroup", (p) =>
        !truthy(known(() => p.atRestEncryptionEnabled)) ? "encryption at rest is off" : customerKeyProblem(p, "kmsKeyId", "encryption at rest")),
};

export const logsCmk: PlatformPolicy = {
    name: "logs-cmk",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key and have a retention period.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-28", "AU-9"], soc2: ["CC6.1"], iso: ["A.8.24", "A.8.15"] }),
    remediationSteps: "Set kmsKeyId to the logs CMK and retentionInDays from the stack's retention config.",
    validateResource: forType("aws:cloudwatch/logGroup:LogGroup", (p) => {
        const keyProblem = customerKeyProblem(p, "kmsKeyId", "the log group");
        if (keyProblem) return keyProblem;
        // Never-expire (0 or unset) is what log-retention-prod accepts in prod (evidence trails); elsewhere logs need a bound.
        const days = known(() => p.retentionInDays);
        return !isProd(p) && days !== UNKNOWN && !(Number(days) > 0) ? "has no retention period (logs kept forever, unbounded cost)" : undefined;
    }),
};

export const snsCmk: PlatformPolicy = {
    name: "sns-cmk",
    description: "SNS topics are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["SNS.1"], nist: ["SC-28", "SC-28(1)"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set kmsMasterKeyId to a CMK whose policy lets the publishing services use it (not alias/aws/sns).",
    validateResource: forType("aws:sns/topic:Topic", (p) =>
        customerKeyProblem(p, "kmsMasterKeyId", "the topic")),
};

export const secretsCmk: PlatformPolicy = {
    name: "secrets-cmk",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-28", "SC-12", "IA-5"], soc2: ["CC6.1"], iso: ["A.8.24", "A.5.17"] }),
    remediationSteps: "Set kmsKeyId to the secrets CMK.",
    validateResource: forType("aws:secretsmanager/secret:Secret", (p) => customerKeyProblem(p, "kmsKeyId", "the secret")),
};

interface SsmConfig { allowedNames: string[] }
const SSM_DEFAULTS: SsmConfig = { allowedNames: [] };

export const ssmSecureString: PlatformPolicy = {
    name: "ssm-securestring",
    description:
        "Every SecureString parameter names a customer-managed key; no String or StringList parameter holds a value with the shape of a credential " +
        "(access key, private key, token formats, JWT, URL with a password).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-28", "IA-5"], soc2: ["CC6.1"], iso: ["A.5.17", "A.8.24"] }),
    remediationSteps:
        "Use type SecureString with keyId set to the secrets CMK, or keep the value in Secrets Manager; list a parameter in allowedNames only when " +
        "its value merely looks like a credential.",
    configSchema: {
        properties: {
            allowedNames: { type: "array", items: { type: "string" }, default: SSM_DEFAULTS.allowedNames,
                description: "Parameter names whose values look like a credential but are not (e.g. a published sample JWT)" },
        },
    },
    validateResource: forType("aws:ssm/parameter:Parameter", (p, args) => {
        if (p.type === "SecureString") return customerKeyProblem(p, "keyId", "SecureString");
        const kind = credentialShape(knownString(() => p.value)); // an unknown value is judged at update, once known
        const name = knownString(() => p.name) ?? args.name;
        return kind && !configOf(args, SSM_DEFAULTS).allowedNames.includes(name) ? `holds a credential (${kind}) as ${p.type} (plain text)` : undefined;
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
        return enc?.encryptionType !== "KMS" ? "images are not KMS-encrypted" : customerKeyProblem(enc, "kmsKey", "image encryption");
    }),
};

export const backupVaultCmk: PlatformPolicy = {
    name: "backup-vault-cmk",
    description: "AWS Backup vaults encrypt recovery points with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["Backup.1"], nist: ["CP-9(8)", "SC-28"], soc2: ["A1.2", "CC6.1"], iso: ["A.8.13", "A.8.24"] }),
    remediationSteps: "Set kmsKeyArn to the backups CMK.",
    validateResource: forType("aws:backup/vault:Vault", (p) => customerKeyProblem(p, "kmsKeyArn", "the vault")),
};

export const cloudtrailCmk: PlatformPolicy = {
    name: "cloudtrail-cmk",
    description: "CloudTrail trails encrypt log files with a customer-managed KMS key.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["CloudTrail.2"], cis: ["3.5"], nist: ["AU-9", "SC-28"], soc2: ["CC6.1"], iso: ["A.8.15", "A.8.24"] }),
    remediationSteps: "Set kmsKeyId to the logs CMK, whose policy grants cloudtrail.amazonaws.com for this account's trails.",
    validateResource: forType("aws:cloudtrail/trail:Trail", (p) => customerKeyProblem(p, "kmsKeyId", "log files")),
};

export const perfInsightsCmk: PlatformPolicy = {
    name: "perf-insights-cmk",
    description: "Where Performance Insights is on, its data is encrypted with a customer-managed key.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-28", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps: "Set performanceInsightsKmsKeyId to the data CMK.",
    validateResource: forTypes(["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"], (p) => [
        truthy(known(() => p.performanceInsightsEnabled)) ? customerKeyProblem(p, "performanceInsightsKmsKeyId", "Performance Insights") : undefined]),
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
        const problem = statements(known(() => p.policy)).map(publicAllowProblem).find(Boolean);
        return problem ? `key policy: ${problem}` : undefined;
    }),
};

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

export const s3SseKms: PlatformPolicy = {
    name: "s3-sse-kms",
    description:
        "Every S3 bucket is encrypted with a customer-managed KMS key (SSE-KMS with bucket keys on, or DSSE-KMS); a bucket S3 cannot encrypt so " +
        "(ALB access-log delivery, the S3 website endpoint) says so with an exception tag and its reason.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["S3.17"], nist: ["SC-28", "SC-28(1)", "SC-12"], soc2: ["CC6.1"], iso: ["A.8.24"] }),
    remediationSteps:
        "Create the bucket through the SecureBucket component, or add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, a CMK " +
        "and bucketKeyEnabled.",
    validateStack: (args, reportViolation) => {
        for (const bucket of args.resources.filter((r) => r.type === BUCKET)) {
            const rules = pointingAt(args.resources, SSE, "bucket", bucket).flatMap((c) => asList(c.props.rules));
            // DSSE-KMS (aws:kms:dsse) is two layers of KMS encryption, so it satisfies SSE-KMS; S3 Bucket Keys do not apply to it
            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html).
            const kms = rules.some((r: any) => {
                const sse = r.applyServerSideEncryptionByDefault;
                if (!sse || customerKeyProblem(sse, "kmsMasterKeyId", "")) return false;
                return (sse.sseAlgorithm === "aws:kms" && truthy(r.bucketKeyEnabled)) || sse.sseAlgorithm === "aws:kms:dsse";
            });
            const sseS3 = rules.some((r: any) => r.applyServerSideEncryptionByDefault?.sseAlgorithm === "AES256");
            if (kms) continue;
            reportViolation(`bucket ${bucket.name} is not encrypted with a customer-managed KMS key${sseS3
                ? ` (it uses SSE-S3; where S3 requires that, tag the bucket ${exceptionTag("s3-sse-kms")} with the reason)` : ""}`, bucket.urn);
        }
    },
};

export const encryptionPolicies: PlatformPolicy[] = honourExceptions([
    s3SseKms, rdsEncryptedCmk, perfInsightsCmk, redisAtRest, logsCmk, snsCmk, secretsCmk, ssmSecureString, ecrKms, backupVaultCmk, cloudtrailCmk, kmsRotation,
]);
