import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightKmsServiceGrants } from "./kms-grants";

const region = fake("pulumi:providers:aws", "aws", { region: "eu-central-1" });
const ROOT = { Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };
const key = (name: string, ...stmts: object[]) => fake("aws:kms/key:Key", name, { policy: JSON.stringify({ Statement: [ROOT, ...stmts] }),
    arn: `arn:aws:kms:eu-central-1:111122223333:key/${name}` });
const service = (svc: string, actions: string[], condition?: object) => ({ Effect: "Allow", Principal: { Service: svc }, Action: actions, Resource: "*",
    ...(condition ? { Condition: condition } : {}) });

const LOGS_GRANT = service("logs.eu-central-1.amazonaws.com", ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:111122223333:log-group:*" } });
const CT_CONTEXT = { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*" } };

describe("preflight-kms-service-grants", () => {
    it("passes a log group whose key admits logs.<region> with the documented actions and a matching encryption context", async () => {
        const logsKey = key("logs", LOGS_GRANT);
        const group = fake("aws:cloudwatch/logGroup:LogGroup", "app", { name: "/platform/app" }, { kmsKeyId: [logsKey] });
        assert.deepEqual(await violationsOf(preflightKmsServiceGrants, [region, logsKey, group]), []);
    });

    it("flags a log group whose key grants only the global logs principal, or an encryption context for other groups", async () => {
        const wrong = key("wrong", service("logs.amazonaws.com", ["kms:*"]));
        const narrow = key("narrow", { ...LOGS_GRANT,
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-central-1:111122223333:log-group:/other/*" } } });
        const found = (await violationsOf(preflightKmsServiceGrants, [region, wrong, narrow,
            fake("aws:cloudwatch/logGroup:LogGroup", "a", { name: "/platform/a" }, { kmsKeyId: [wrong] }),
            fake("aws:cloudwatch/logGroup:LogGroup", "b", { name: "/platform/b" }, { kmsKeyId: [narrow] })])).join("\n");
        assert.match(found, /log group a is encrypted with wrong, whose policy does not let logs\.eu-central-1\.amazonaws\.com call kms:Encrypt/);
        assert.match(found, /log group b \(\/platform\/b\) is not admitted by narrow's kms:EncryptionContext:aws:logs:arn condition/);
    });

    describe("CloudTrail", () => {
        const bucket = fake("aws:s3/bucket:Bucket", "archive", { bucket: "archive" });
        const bucketKey = fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "archive-sse",
            { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] }, { bucket: [bucket] });
        const trail = (k: ReturnType<typeof key>) => fake("aws:cloudtrail/trail:Trail", "trail", {}, { kmsKeyId: [k], s3BucketName: [bucket] });

        it("flags today's key: DescribeKey only under an encryption-context condition, no Decrypt for a Bucket-Key bucket", async () => {
            const today = key("keys-logs", service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*", "kms:DescribeKey"], CT_CONTEXT));
            const found = await violationsOf(preflightKmsServiceGrants, [region, today, bucket, bucketKey, trail(today)]);
            assert.equal(found.length, 2);
            assert.match(found[0], /no kms:DescribeKey statement for cloudtrail\.amazonaws\.com without an encryption-context condition/);
            assert.match(found[1], /S3 Bucket Key, so keys-logs must let cloudtrail\.amazonaws\.com call kms:Decrypt/);
        });
        it("passes the documented statements: encrypt with context, DescribeKey and Decrypt scoped by aws:SourceArn", async () => {
            const sourceArn = { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-central-1:111122223333:trail/platform" } };
            const fixed = key("keys-logs", service("cloudtrail.amazonaws.com", ["kms:GenerateDataKey*"], CT_CONTEXT),
                service("cloudtrail.amazonaws.com", ["kms:DescribeKey"], sourceArn), service("cloudtrail.amazonaws.com", ["kms:Decrypt"], sourceArn));
            assert.deepEqual(await violationsOf(preflightKmsServiceGrants, [region, fixed, bucket, bucketKey, trail(fixed)]), []);
        });
    });

    it("flags an encrypted topic whose key does not admit a publisher the graph wires to it (EventBridge here)", async () => {
        const alerts = key("alerts", service("cloudwatch.amazonaws.com", ["kms:GenerateDataKey*", "kms:Decrypt"]));
        const topic = fake("aws:sns/topic:Topic", "alerts", { name: "platform-alerts" }, { kmsMasterKeyId: [alerts] });
        const alarm = fake("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { alarmActions: ["arn:aws:sns:eu-central-1:111122223333:platform-alerts"] });
        const target = fake("aws:cloudwatch/eventTarget:EventTarget", "findings", {}, { arn: [topic] });
        const found = await violationsOf(preflightKmsServiceGrants, [region, alerts, topic, alarm, target]);
        assert.deepEqual(found,
            ["topic alerts is encrypted with alerts, but events.amazonaws.com (publisher: findings) may not call kms:GenerateDataKey, kms:Decrypt; its " +
                "messages are dropped"]);
    });

    describe("S3 replication of KMS objects", () => {
        const logsKey = key("keys-logs");
        const backupsKey = key("keys-backups");
        const bucket = fake("aws:s3/bucket:Bucket", "backups", { bucket: "backups" });
        const sse = fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "backups-sse", { rules: [] },
            { bucket: [bucket], rules: [backupsKey] });
        const trail = fake("aws:cloudtrail/trail:Trail", "trail", {}, { kmsKeyId: [logsKey], s3BucketName: [bucket] });
        const role = fake("aws:iam/role:Role", "replication", { name: "replication" });
        const config = fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replication-config",
            { rules: [{ status: "Enabled", sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }] }, { bucket: [bucket], role: [role] });
        const rolePolicy = (...keys: ReturnType<typeof key>[]) => fake("aws:iam/rolePolicy:RolePolicy", "replication-policy",
            { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["kms:Decrypt"],
                Resource: keys.map((k) => k.inputs.arn) }] }) }, { role: [role] });

        it("flags a role that may decrypt the bucket's key but not the trail's key writing into it", async () => {
            const found = await violationsOf(preflightKmsServiceGrants, [region, logsKey, backupsKey, bucket, sse, trail, role, config,
                rolePolicy(backupsKey)]);
            assert.deepEqual(found.filter((m) => m.startsWith("replication-config")),
                ["replication-config: replication role replication may not kms:Decrypt with keys-logs (used by trail trail); those objects fail replication"]);
        });
        it("passes when the role may decrypt every key the bucket's objects use", async () => {
            const found = await violationsOf(preflightKmsServiceGrants, [region, logsKey, backupsKey, bucket, sse, trail, role, config,
                rolePolicy(backupsKey, logsKey)]);
            assert.deepEqual(found.filter((m) => m.startsWith("replication-config")), []);
        });
    });

    it("flags a role that reads a CMK-encrypted secret without kms:Decrypt on its key, and passes once granted", async () => {
        const secretsKey = key("keys-secrets");
        const secret = fake("aws:secretsmanager/secret:Secret", "db", { name: "platform/db" }, { kmsKeyId: [secretsKey] });
        const role = fake("aws:iam/role:Role", "task", { name: "task" });
        const read = { Effect: "Allow", Action: "secretsmanager:GetSecretValue",
            Resource: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:platform/db-*" };
        const decrypt = { Effect: "Allow", Action: "kms:Decrypt", Resource: secretsKey.inputs.arn };
        const policy = (...s: object[]) => fake("aws:iam/rolePolicy:RolePolicy", "task-policy", { policy: JSON.stringify({ Statement: s }) }, { role: [role] });
        assert.deepEqual(await violationsOf(preflightKmsServiceGrants, [region, secretsKey, secret, role, policy(read)]),
            ["role task reads secret db but may not kms:Decrypt with its key keys-secrets; GetSecretValue fails"]);
        assert.deepEqual(await violationsOf(preflightKmsServiceGrants, [region, secretsKey, secret, role, policy(read, decrypt)]), []);
    });
});
