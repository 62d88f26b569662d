import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as enc from "./encryption";

// One case per check of the encryption policies, with the exact message a reviewer reads (encryption.test.ts holds the
// pass/flag pairs). The "names the field" cases pin what the message tells the engineer to fix.
const CMK = "arn:aws:kms:eu-central-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const DEV = { ...PROD_TAGS, environment: "dev" };

describe("encryption policies, one check at a time", () => {
    it("each customer-key check names the field and what it protects", async () => {
        for (const [policy, type, field, what, extra] of [
            [enc.rdsEncryptedCmk, "aws:rds/instance:Instance", "kmsKeyId", "storage", { storageEncrypted: true }],
            [enc.rdsEncryptedCmk, "aws:rds/cluster:Cluster", "kmsKeyId", "storage", { storageEncrypted: true }],
            [enc.redisAtRest, "aws:elasticache/replicationGroup:ReplicationGroup", "kmsKeyId", "encryption at rest", { atRestEncryptionEnabled: true }],
            [enc.logsCmk, "aws:cloudwatch/logGroup:LogGroup", "kmsKeyId", "the log group", { retentionInDays: 30 }],
            [enc.snsCmk, "aws:sns/topic:Topic", "kmsMasterKeyId", "the topic", {}],
            [enc.secretsCmk, "aws:secretsmanager/secret:Secret", "kmsKeyId", "the secret", {}],
            [enc.ssmSecureString, "aws:ssm/parameter:Parameter", "keyId", "SecureString", { type: "SecureString", value: "x" }],
            [enc.backupVaultCmk, "aws:backup/vault:Vault", "kmsKeyArn", "the vault", {}],
            [enc.cloudtrailCmk, "aws:cloudtrail/trail:Trail", "kmsKeyId", "log files", {}],
            [enc.perfInsightsCmk, "aws:rds/instance:Instance", "performanceInsightsKmsKeyId", "Performance Insights", { performanceInsightsEnabled: true }],
            [
                enc.perfInsightsCmk,
                "aws:rds/clusterInstance:ClusterInstance",
                "performanceInsightsKmsKeyId",
                "Performance Insights",
                { performanceInsightsEnabled: true },
            ],
        ] as const) {
            const r = fake(type, "r", { ...extra, tags: PROD_TAGS });
            assert.deepEqual(
                await violationsOf(policy, [r]),
                [`r: ${what} is not encrypted with a customer-managed key (${field} missing)`],
                `${policy.name} ${type}`,
            );
            assert.deepEqual(
                await violationsOf(policy, [fake(type, "r", { ...extra, tags: PROD_TAGS, [field]: CMK })]),
                [],
                `${policy.name} ${type} with a CMK`,
            );
        }
    });

    it("rds-encrypted-cmk: a replica inherits its source's encryption; a primary must set storageEncrypted", async () => {
        const db = (inputs: object) => fake("aws:rds/instance:Instance", "db", { kmsKeyId: CMK, ...inputs });
        assert.deepEqual(await violationsOf(enc.rdsEncryptedCmk, [db({})]), ["db: storage is not encrypted"]);
        assert.deepEqual(await violationsOf(enc.rdsEncryptedCmk, [db({ replicateSourceDb: "arn:aws:rds:x:1:db:src" })]), []);
        assert.deepEqual(
            await violationsOf(enc.rdsEncryptedCmk, [
                fake("aws:rds/cluster:Cluster", "c", { kmsKeyId: CMK, replicationSourceIdentifier: "arn:aws:rds:x:1:cluster:src" }),
            ]),
            [],
        );
    });

    it("perf-insights-cmk applies only where Performance Insights is on", async () => {
        assert.deepEqual(await violationsOf(enc.perfInsightsCmk, [fake("aws:rds/instance:Instance", "db", { performanceInsightsEnabled: false })]), []);
    });

    it("logs-cmk: outside prod a log group needs a positive retention; prod may keep evidence forever", async () => {
        const group = (inputs: object, tags = DEV) => fake("aws:cloudwatch/logGroup:LogGroup", "g", { kmsKeyId: CMK, tags, ...inputs });
        for (const retentionInDays of [undefined, 0]) {
            assert.deepEqual(
                await violationsOf(enc.logsCmk, [group({ retentionInDays })]),
                ["g: has no retention period (logs kept forever, unbounded cost)"],
                String(retentionInDays),
            );
        }
        assert.deepEqual(await violationsOf(enc.logsCmk, [group({ retentionInDays: 1 })]), []);
        assert.deepEqual(await violationsOf(enc.logsCmk, [group({ retentionInDays: 0 }, PROD_TAGS)]), []);
    });

    it("ecr-kms: AES256 images and a KMS configuration without a customer key are flagged", async () => {
        const repo = (encryptionConfigurations?: object[]) =>
            fake("aws:ecr/repository:Repository", "repo", encryptionConfigurations ? { encryptionConfigurations } : {});
        assert.deepEqual(await violationsOf(enc.ecrKms, [repo()]), ["repo: images are not KMS-encrypted"]);
        assert.deepEqual(await violationsOf(enc.ecrKms, [repo([{ encryptionType: "AES256" }])]), ["repo: images are not KMS-encrypted"]);
        assert.deepEqual(await violationsOf(enc.ecrKms, [repo([{ encryptionType: "KMS" }])]), [
            "repo: image encryption is not encrypted with a customer-managed key (kmsKey missing)",
        ]);
        assert.deepEqual(await violationsOf(enc.ecrKms, [repo([{ encryptionType: "KMS", kmsKey: CMK }])]), []);
    });

    it("kms-rotation: symmetric keys rotate; asymmetric keys (which cannot) are not asked to", async () => {
        const key = (inputs: object) => fake("aws:kms/key:Key", "k", { deletionWindowInDays: 30, tags: PROD_TAGS, ...inputs });
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({})]), ["k: key rotation is off"]);
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({ keySpec: "SYMMETRIC_DEFAULT" })]), ["k: key rotation is off"]);
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({ customerMasterKeySpec: "SYMMETRIC_DEFAULT" })]), ["k: key rotation is off"]);
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({ keySpec: "RSA_2048" })]), []);
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({ customerMasterKeySpec: "ECC_NIST_P256" })]), []);
        assert.deepEqual(await violationsOf(enc.kmsRotation, [key({ enableKeyRotation: true })]), []);
    });

    describe("s3-sse-kms", () => {
        const BUCKET = "aws:s3/bucket:Bucket";
        const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        const judge = async (...rules: object[]) => {
            const bucket = fake(BUCKET, "b", {});
            const sse = fake(SSE, "b-sse", { rules }, { bucket: [bucket] });
            return violationsOf(enc.s3SseKms, [bucket, sse]);
        };
        const NOT_KMS = "bucket b is not encrypted with a customer-managed KMS key";
        it("passes SSE-KMS with a CMK and bucket keys, and DSSE-KMS with a CMK", async () => {
            assert.deepEqual(await judge({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: CMK }, bucketKeyEnabled: true }), []);
            assert.deepEqual(await judge({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: CMK } }), []);
        });
        it("flags SSE-KMS without bucket keys, without a CMK, with the AWS-managed key, and no default at all", async () => {
            for (const rule of [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: CMK } },
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true },
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true },
                { bucketKeyEnabled: true },
            ])
                assert.deepEqual(await judge(rule), [NOT_KMS], JSON.stringify(rule));
        });
        it("points SSE-S3 buckets at the exception tag, and only those", async () => {
            assert.deepEqual(await judge({ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }), [
                `${NOT_KMS} (it uses SSE-S3; where S3 requires that, tag the bucket compliance-exception:s3-sse-kms with the reason)`,
            ]);
            assert.deepEqual(await violationsOf(enc.s3SseKms, [fake(BUCKET, "b", {})]), [NOT_KMS]);
        });
    });
});
