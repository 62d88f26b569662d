import { strict as assert } from "assert";
import { PlatformPolicy } from "./lib/kit";
import { RecordedResource } from "../offline/engine";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as enc from "./encryption";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";

/** Each resource policy with one compliant and one non-compliant resource. */
const cases: Array<[PlatformPolicy, string, Record<string, any>, Record<string, any>, RegExp]> = [
    [enc.rdsEncryptedCmk, "aws:rds/instance:Instance", { storageEncrypted: true, kmsKeyId: KEY }, { storageEncrypted: false }, /not encrypted/],
    [
        enc.perfInsightsCmk,
        "aws:rds/instance:Instance",
        { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY },
        { performanceInsightsEnabled: true },
        /Performance Insights/,
    ],
    [
        enc.redisAtRest,
        "aws:elasticache/replicationGroup:ReplicationGroup",
        { atRestEncryptionEnabled: true, kmsKeyId: KEY },
        { atRestEncryptionEnabled: false },
        /encryption at rest is off/,
    ],
    [enc.logsCmk, "aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: KEY, retentionInDays: 365 }, { kmsKeyId: KEY, tags: { environment: "dev" } }, /no retention/],
    [enc.snsCmk, "aws:sns/topic:Topic", { kmsMasterKeyId: KEY }, { kmsMasterKeyId: "alias/aws/sns" }, /AWS-managed key/],
    [enc.secretsCmk, "aws:secretsmanager/secret:Secret", { kmsKeyId: KEY }, {}, /kmsKeyId missing/],
    [
        enc.ssmSecureString,
        "aws:ssm/parameter:Parameter",
        { name: "/p/db-password", type: "SecureString", keyId: KEY },
        { name: "/p/db", type: "String", value: "postgres://app:pw@db:5432/app" },
        /URL with a password.*plain text/,
    ],
    [
        enc.ecrKms,
        "aws:ecr/repository:Repository",
        { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY }] },
        { encryptionConfigurations: [{ encryptionType: "AES256" }] },
        /not KMS-encrypted/,
    ],
    [enc.backupVaultCmk, "aws:backup/vault:Vault", { kmsKeyArn: KEY }, {}, /kmsKeyArn missing/],
    [enc.cloudtrailCmk, "aws:cloudtrail/trail:Trail", { kmsKeyId: KEY }, {}, /not encrypted/],
    [
        enc.kmsRotation,
        "aws:kms/key:Key",
        { enableKeyRotation: true, deletionWindowInDays: 30, tags: PROD_TAGS },
        { enableKeyRotation: true, deletionWindowInDays: 7, tags: PROD_TAGS },
        /prod keys need 30/,
    ],
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

    describe("customer-managed means customer-managed: AWS-managed keys (alias/aws/*) fail on every type that takes a key", () => {
        const awsKey = (service: string) => `arn:aws:kms:eu-central-1:111111111111:alias/aws/${service}`;
        const aws: Array<[PlatformPolicy, string, Record<string, any>]> = [
            [enc.rdsEncryptedCmk, "aws:rds/instance:Instance", { storageEncrypted: true, kmsKeyId: awsKey("rds") }],
            [enc.perfInsightsCmk, "aws:rds/instance:Instance", { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: "alias/aws/rds" }],
            [enc.redisAtRest, "aws:elasticache/replicationGroup:ReplicationGroup", { atRestEncryptionEnabled: true, kmsKeyId: awsKey("elasticache") }],
            [enc.logsCmk, "aws:cloudwatch/logGroup:LogGroup", { kmsKeyId: "alias/aws/logs", retentionInDays: 30 }],
            [enc.snsCmk, "aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }],
            [enc.secretsCmk, "aws:secretsmanager/secret:Secret", { kmsKeyId: "alias/aws/secretsmanager" }],
            [enc.ssmSecureString, "aws:ssm/parameter:Parameter", { name: "/p/x", type: "SecureString", keyId: "alias/aws/ssm" }],
            [enc.ecrKms, "aws:ecr/repository:Repository", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: awsKey("ecr") }] }],
            [enc.backupVaultCmk, "aws:backup/vault:Vault", { kmsKeyArn: awsKey("backup") }],
            [enc.cloudtrailCmk, "aws:cloudtrail/trail:Trail", { kmsKeyId: "alias/aws/cloudtrail" }],
        ];
        for (const [policy, type, inputs] of aws) {
            it(`${policy.name} rejects the AWS-managed key`, async () => {
                assert.match((await violationsOf(policy, [fake(type, "r", inputs)])).join(), /AWS-managed key .*alias\/aws\//);
            });
        }
        it("s3-sse-kms rejects the AWS-managed S3 key", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "b", {});
            const sse = fake(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "b-sse",
                {
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true }],
                },
                { bucket: [bucket] },
            );
            assert.match((await violationsOf(enc.s3SseKms, [bucket, sse])).join(), /not encrypted with a customer-managed KMS key/);
        });
    });

    describe("false positives the review found (correct configurations pass)", () => {
        it("logs-cmk accepts a prod log group that never expires, as log-retention-prod does", async () => {
            assert.deepEqual(await violationsOf(enc.logsCmk, [fake("aws:cloudwatch/logGroup:LogGroup", "audit", { kmsKeyId: KEY, tags: PROD_TAGS })]), []);
            assert.deepEqual(
                await violationsOf(enc.logsCmk, [fake("aws:cloudwatch/logGroup:LogGroup", "audit", { kmsKeyId: KEY, retentionInDays: 0, tags: PROD_TAGS })]),
                [],
            );
        });
        it("ssm-securestring judges a String parameter by its value, not its name", async () => {
            const url = fake("aws:ssm/parameter:Parameter", "jwks", {
                name: "/app/token-endpoint",
                type: "String",
                value: "https://auth.example.com/realms/app/protocol/openid-connect/token",
            });
            assert.deepEqual(await violationsOf(enc.ssmSecureString, [url]), []);
            const key = fake("aws:ssm/parameter:Parameter", "k", { name: "/app/region", type: "String", value: "AKIAABCDEFGHIJKLMNOP" });
            assert.match((await violationsOf(enc.ssmSecureString, [key])).join(), /AWS access key id/);
        });
        it("ssm-securestring lets the allow-list name a parameter whose value only looks like a credential", async () => {
            const sample = fake("aws:ssm/parameter:Parameter", "k", {
                name: "/docs/example-jwt",
                type: "String",
                value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            });
            assert.match((await violationsOf(enc.ssmSecureString, [sample])).join(), /JWT/);
            assert.deepEqual(await violationsOf(enc.ssmSecureString, [sample], { allowedNames: ["/docs/example-jwt"] }), []);
        });
    });

    describe("s3-sse-kms", () => {
        const bucket = fake("aws:s3/bucket:Bucket", "evidence", {});
        const sse = (rule: Record<string, any>, target: RecordedResource = bucket) =>
            fake(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                `${target.name}-sse`,
                { rules: [rule] },
                { bucket: [target] },
            );
        const kmsRule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true };
        const s3Rule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };

        it("passes a bucket joined to a CMK encryption configuration through property dependencies", async () => {
            assert.deepEqual(await violationsOf(enc.s3SseKms, [bucket, sse(kmsRule)]), []);
        });
        it("accepts DSSE-KMS (dual-layer), which is at least SSE-KMS", async () => {
            const dsse = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY } };
            assert.deepEqual(await violationsOf(enc.s3SseKms, [bucket, sse(dsse)]), []);
        });
        it("flags a bucket with no encryption configuration", async () => {
            assert.match((await violationsOf(enc.s3SseKms, [bucket])).join(), /bucket evidence is not encrypted/);
        });
        it("flags SSE-S3 on a data bucket", async () => {
            assert.match((await violationsOf(enc.s3SseKms, [bucket, sse(s3Rule)])).join(), /uses SSE-S3; .*compliance-exception:s3-sse-kms/);
        });
    });
});
