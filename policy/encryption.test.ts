import { strict as assert } from "assert";
import { PlatformPolicy } from "./lib/kit";
import { RecordedResource } from "../offline/engine";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as enc from "./encryption";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";

/** Each resource policy with one compliant and one non-compliant resource. */
const cases: Array<[PlatformPolicy, string, Record<string, any>, Record<string, any>, RegExp]> = [
    [enc.rdsEncryptedCmk, "aws:rds/instance:Instance", { storageEncrypted: true, kmsKeyId: KEY }, { storageEncrypted: false }, /not encrypted/],
    [enc.perfInsightsCmk, "aws:rds/instance:Instance", { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY }, { performanceInsightsEnabled: true }, /Performance Insights/],
    [enc.redisAtRest, "aws:elasticache/replicationGroup:ReplicationGroup", { atRestEncryptionEnabled: true, kmsKeyId: KEY }, { atRestEncryptionEnabled: true }, /customer-managed/],
    [enc.logsCmk, "aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: KEY, retentionInDays: 365 }, { kmsKeyId: KEY }, /no retention/],
    [enc.snsCmk, "aws:sns/topic:Topic", { kmsMasterKeyId: KEY }, { kmsMasterKeyId: "alias/aws/sns" }, /AWS-managed key/],
    [enc.secretsCmk, "aws:secretsmanager/secret:Secret", { kmsKeyId: KEY }, {}, /kmsKeyId missing/],
    [enc.ssmSecureString, "aws:ssm/parameter:Parameter", { name: "/p/db-password", type: "SecureString", keyId: KEY }, { name: "/p/api-token", type: "String" }, /plain text/],
    [enc.ecrKms, "aws:ecr/repository:Repository", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] }, { encryptionConfigurations: [{ encryptionType: "AES256" }] }, /not KMS-encrypted/],
    [enc.backupVaultCmk, "aws:backup/vault:Vault", { kmsKeyArn: KEY }, {}, /kmsKeyArn missing/],
    [enc.cloudtrailCmk, "aws:cloudtrail/trail:Trail", { kmsKeyId: KEY }, {}, /not encrypted/],
    [enc.kmsRotation, "aws:kms/key:Key", { enableKeyRotation: true, deletionWindowInDays: 30, tags: PROD_TAGS }, { enableKeyRotation: true, deletionWindowInDays: 7, tags: PROD_TAGS }, /prod keys need 30/],
];

describe("encryption policies", () => {
    for (const [policy, type, good, bad, expected] of cases) {
        describe(policy.name, () => {
            it("passes a compliant resource", async () => assert.deepEqual(await violationsOf(policy, [fake(type, "good", good)]), []));
            it("flags a non-compliant resource", async () => assert.match((await violationsOf(policy, [fake(type, "bad", bad)])).join("\n"), expected));
        });
    }

    it("kms-rotation flags a key policy open to \"*\" without a condition", async () => {
        const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }] });
        assert.match((await violationsOf(enc.kmsRotation, [fake("aws:kms/key:Key", "k", { enableKeyRotation: true, policy })])).join(), /without a condition/);
    });

    describe("s3-sse-kms", () => {
        const bucket = fake("aws:s3/bucket:Bucket", "evidence", {});
        const sse = (rule: Record<string, any>, target: RecordedResource = bucket) =>
            fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${target.name}-sse`, { rules: [rule] }, { bucket: [target] });
        const kmsRule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true };
        const s3Rule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };

        it("passes a bucket joined to a CMK encryption configuration through property dependencies", async () => {
            assert.deepEqual(await violationsOf(enc.s3SseKms, [bucket, sse(kmsRule)]), []);
        });
        it("flags a bucket with no encryption configuration", async () => {
            assert.match((await violationsOf(enc.s3SseKms, [bucket])).join(), /bucket evidence is not encrypted/);
        });
        it("flags SSE-S3 on a data bucket", async () => {
            assert.match((await violationsOf(enc.s3SseKms, [bucket, sse(s3Rule)])).join(), /allowed only for the ALB access-log bucket/);
        });
        it("allows SSE-S3 on the ALB access-log bucket, which S3 requires", async () => {
            const logs = fake("aws:s3/bucket:Bucket", "alb-logs", {});
            const policy = fake("aws:s3/bucketPolicy:BucketPolicy", "alb-logs-policy", {
                policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: enc.ELB_LOG_DELIVERY }, Action: "s3:PutObject", Resource: "arn:aws:s3:::x/*" }] }),
            }, { bucket: [logs] });
            assert.deepEqual(await violationsOf(enc.s3SseKms, [logs, sse(s3Rule, logs), policy]), []);
        });
    });
});
