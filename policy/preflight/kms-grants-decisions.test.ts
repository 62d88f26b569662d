import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { toPolicyResources } from "../../offline/policy-runner";
import { UNKNOWN_INPUT, atPreview, fake, violationsOf } from "../../offline/testing";
import { preflightKmsServiceGrants } from "./kms-grants";

// The rule's decisions over hand-built graphs, one property each: which service or role a key policy must admit, with
// which actions and conditions, and what the message names. Every graph is built inside its test.
const ACCOUNT = "111122223333";
const ROOT = { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" };
const keyOf = (name: string, ...stmts: object[]) => fake("aws:kms/key:Key", name, { policy: JSON.stringify({ Statement: [ROOT, ...stmts] }),
    arn: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/${name}-id`, keyId: `${name}-id` });
const grant = (svc: string, actions: string[], condition?: object) => ({ Effect: "Allow", Principal: { Service: svc }, Action: actions, Resource: "*",
    ...(condition ? { Condition: condition } : {}) });
const provider = (region = "eu-central-1") => fake("pulumi:providers:aws", `aws-${region}`, { region });
const check = (resources: RecordedResource[]) => violationsOf(preflightKmsServiceGrants, resources);
const LOGS = "logs.eu-central-1.amazonaws.com";
const LOGS_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"];
const logsContext = (arn: string) => ({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn } });
const logGroup = (name: string, key: RecordedResource, props: object = { name: `/platform/${name}` }) =>
    fake("aws:cloudwatch/logGroup:LogGroup", name, props, { kmsKeyId: [key] });

/** The rule as a first preview sees the graph: reading an input equal to UNKNOWN_INPUT throws the engine's UnknownValueError. */
function atFirstPreview(recorded: RecordedResource[]): string[] {
    const resources = toPolicyResources(recorded).map((r) => Object.assign(r, { props: atPreview(r.props) }));
    const found: string[] = [];
    (preflightKmsServiceGrants as any).validateStack({ resources, getConfig: () => ({}) }, (m: string) => found.push(m));
    return found;
}

describe("preflight-kms-service-grants decisions", () => {
    describe("CloudWatch Logs", () => {
        it("names exactly the actions the regional logs principal lacks", async () => {
            const key = keyOf("logs", grant(LOGS, ["kms:Encrypt", "kms:Decrypt"]));
            assert.deepEqual(await check([provider(), key, logGroup("app", key)]),
                [`log group app is encrypted with logs, whose policy does not let ${LOGS} call kms:ReEncryptFrom, kms:GenerateDataKey, kms:DescribeKey`]);
        });
        it("ignores Deny statements and other principals when looking for the grant", async () => {
            const key = keyOf("logs", { ...grant(LOGS, ["kms:*"]), Effect: "Deny" }, { Effect: "Allow", Principal: { AWS: LOGS }, Action: "kms:*" });
            assert.equal((await check([provider(), key, logGroup("app", key)])).length, 1);
        });
        it("checks the encryption-context condition against the group's region and name", async () => {
            const other = keyOf("other", grant(LOGS, LOGS_ACTIONS, logsContext(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*`)));
            const prefix = keyOf("prefix", grant(LOGS, LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-*:${ACCOUNT}:log-group:/platform/*`)));
            const short = keyOf("short", grant(LOGS, LOGS_ACTIONS, logsContext("arn:aws:logs")));
            const anyName = keyOf("any-name", grant(LOGS, LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-central-1:${ACCOUNT}:log-group`)));
            const found = await check([provider(), other, prefix, short, anyName, logGroup("a", other), logGroup("b", prefix), logGroup("c", short),
                logGroup("d", anyName), logGroup("e", prefix, { name: "/other/e" })]);
            assert.deepEqual(found, [
                "log group a (/platform/a) is not admitted by other's kms:EncryptionContext:aws:logs:arn condition " +
                    `(arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*)`,
                `log group e (/other/e) is not admitted by prefix's kms:EncryptionContext:aws:logs:arn condition ` +
                    `(arn:aws:logs:eu-*:${ACCOUNT}:log-group:/platform/*)`,
            ]);
        });
        it("admits any group when one of several condition values matches, and any name while the name is not known", async () => {
            const two = keyOf("two", grant(LOGS, LOGS_ACTIONS, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": [
                `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:/x/*`, `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:/platform/*`] } }));
            const narrow = keyOf("narrow", grant(LOGS, LOGS_ACTIONS, logsContext(`arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:/x/*`)));
            assert.deepEqual(await check([provider(), two, narrow, logGroup("a", two), logGroup("generated", narrow, {})]), []);
        });
        it("takes the region from the group's own provider, and skips a group whose region it cannot tell", async () => {
            const key = keyOf("logs", grant(LOGS, LOGS_ACTIONS));
            const us = provider("us-east-1");
            const group = fake("aws:cloudwatch/logGroup:LogGroup", "us", { name: "/platform/us" }, { kmsKeyId: [key] }, { provider: `${us.urn}::id` });
            assert.match((await check([provider(), us, key, group]))[0], /logs\.us-east-1\.amazonaws\.com call kms:Encrypt/);
            const bare = keyOf("bare");
            assert.deepEqual(await check([provider(), us, bare, logGroup("two-regions", bare)]), [], "two default regions: not decidable");
            assert.equal((await check([provider(), bare, logGroup("one-region", bare)])).length, 1, "one default region decides");
        });
        it("finds the key by its ARN when the group names it instead of depending on it", async () => {
            const key = keyOf("logs");
            const group = fake("aws:cloudwatch/logGroup:LogGroup", "app", { name: "/platform/app", kmsKeyId: key.inputs.arn });
            assert.equal((await check([provider(), key, group])).length, 1);
        });
    });

    describe("CloudTrail", () => {
        const CT = "cloudtrail.amazonaws.com";
        const trail = (key: RecordedResource, bucket: RecordedResource) => fake("aws:cloudtrail/trail:Trail", "trail", {}, { kmsKeyId: [key],
            s3BucketName: [bucket] });
        it("needs GenerateDataKey* and a DescribeKey without encryption context; Decrypt only with a Bucket Key", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "archive", { bucket: "archive" });
            const none = keyOf("none");
            assert.deepEqual(await check([none, bucket, trail(none, bucket)]), [
                `trail trail: none does not let ${CT} call kms:GenerateDataKey*`,
                `trail trail: none has no kms:DescribeKey statement for ${CT} without an encryption-context condition (DescribeKey carries no ` +
                    "encryption context, so CreateTrail fails)",
            ]);
            const good = keyOf("good", grant(CT, ["kms:GenerateDataKey*", "kms:DescribeKey"]));
            assert.deepEqual(await check([good, bucket, trail(good, bucket)]), [], "no Bucket Key: no Decrypt needed");
            const other = keyOf("ctx", grant(CT, ["kms:DescribeKey"], { StringEquals: { "aws:SourceArn": "arn:trail" } }), grant(CT, ["kms:GenerateDataKey*"]));
            assert.deepEqual(await check([other, bucket, trail(other, bucket)]), [], "a non-encryption-context condition is fine");
        });
        it("sees a Bucket Key on the trail's bucket named by bucket name, with the flag as a string", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "archive", { bucket: "archive" });
            const sse = fake("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "archive-sse",
                { bucket: "archive", rules: [{ bucketKeyEnabled: "true" }] });
            const other = fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "other-sse",
                { bucket: "other", rules: [{ bucketKeyEnabled: true }] });
            const off = fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "off-sse",
                { bucket: "archive", rules: [{ bucketKeyEnabled: false }] });
            const key = keyOf("k", grant(CT, ["kms:GenerateDataKey*", "kms:DescribeKey"]));
            assert.deepEqual(await check([key, bucket, other, off, trail(key, bucket)]), [], "another bucket's or a disabled Bucket Key needs nothing");
            assert.deepEqual(await check([key, bucket, sse, trail(key, bucket)]),
                [`trail trail writes to a bucket with an S3 Bucket Key, so k must let ${CT} call kms:Decrypt`]);
        });
    });

    describe("publishers to an encrypted topic", () => {
        const topicOf = (key: RecordedResource) => fake("aws:sns/topic:Topic", "alerts", { name: "platform-alerts" }, { kmsMasterKeyId: [key] });
        const TOPIC_ARN = `arn:aws:sns:eu-central-1:${ACCOUNT}:platform-alerts`;
        it("finds CloudWatch (any alarm action list), EventBridge, Backup and SES publishers, once per service", async () => {
            const key = keyOf("alerts");
            const topic = topicOf(key);
            const found = await check([key, topic,
                fake("aws:cloudwatch/metricAlarm:MetricAlarm", "ok", { okActions: [TOPIC_ARN] }),
                fake("aws:cloudwatch/metricAlarm:MetricAlarm", "insufficient", { insufficientDataActions: [TOPIC_ARN] }),
                fake("aws:cloudwatch/eventTarget:EventTarget", "rule", { arn: TOPIC_ARN }),
                fake("aws:backup/vaultNotifications:VaultNotifications", "vault", {}, { snsTopicArn: [topic] }),
                fake("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", "ses",
                    { eventDestination: { snsDestination: { topicArn: TOPIC_ARN } } }),
            ]);
            const why = (svc: string, publisher: string) => `topic alerts is encrypted with alerts, but ${svc} (publisher: ${publisher}) may not call ` +
                "kms:GenerateDataKey, kms:Decrypt; its messages are dropped";
            assert.deepEqual(found, [why("cloudwatch.amazonaws.com", "ok"), why("events.amazonaws.com", "rule"), why("backup.amazonaws.com", "vault"),
                why("ses.amazonaws.com", "ses")]);
        });
        it("names only the missing action, and ignores resources that publish elsewhere", async () => {
            const key = keyOf("alerts", grant("cloudwatch.amazonaws.com", ["kms:GenerateDataKey*"]), grant("events.amazonaws.com", ["kms:*"]));
            const found = await check([key, topicOf(key),
                fake("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { alarmActions: [TOPIC_ARN] }),
                fake("aws:cloudwatch/metricAlarm:MetricAlarm", "elsewhere", { alarmActions: [`${TOPIC_ARN}-other`] }),
                fake("aws:cloudwatch/eventTarget:EventTarget", "rule", { arn: TOPIC_ARN }),
                fake("aws:cloudwatch/eventTarget:EventTarget", "lambda", { arn: "arn:aws:lambda:eu-central-1:1:function:platform-alerts-x" }),
                fake("aws:backup/vaultNotifications:VaultNotifications", "vault", { snsTopicArn: "arn:other" }),
                fake("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", "ses", { eventDestination: {} }),
                fake("aws:sns/topicSubscription:TopicSubscription", "sub", { topic: TOPIC_ARN }),
            ]);
            assert.deepEqual(found, ["topic alerts is encrypted with alerts, but cloudwatch.amazonaws.com (publisher: cpu) may not call kms:Decrypt; " +
                "its messages are dropped"]);
        });
        it("does not match a topic without a known name by ARN suffix", async () => {
            const key = keyOf("alerts");
            const topic = fake("aws:sns/topic:Topic", "alerts", {}, { kmsMasterKeyId: [key] });
            assert.deepEqual(await check([key, topic, fake("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { alarmActions: [`${TOPIC_ARN}`] })]), []);
        });
    });

    describe("S3 replication of KMS-encrypted objects", () => {
        const REPLICATE_KMS = { rules: [{ status: "Enabled", sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }] };
        type RolePolicyOf = (keys: RecordedResource[]) => { doc: object; deps?: RecordedResource[]; attach?: boolean };
        function graph(policyOf: RolePolicyOf, replication: { rules: unknown[] } = REPLICATE_KMS) {
            const bucketKey = keyOf("bucket-key");
            const configKey = keyOf("config-key");
            const bucket = fake("aws:s3/bucket:Bucket", "backups", { bucket: "backups" });
            const sse = fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { rules: [] },
                { bucket: [bucket], rule: [bucketKey] });
            const channel = fake("aws:cfg/deliveryChannel:DeliveryChannel", "config", {}, { s3BucketName: [bucket], s3KmsKeyArn: [configKey] });
            const role = fake("aws:iam/role:Role", "replication", { name: "replication", arn: `arn:aws:iam::${ACCOUNT}:role/replication` });
            const rc = fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc", { ...replication, role: role.inputs.arn }, { bucket: [bucket] });
            const p = policyOf([bucketKey, configKey]);
            const policies = p.attach
                ? [fake("aws:iam/policy:Policy", "managed", { policy: JSON.stringify(p.doc) }, { policy: p.deps ?? [] }),
                    fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "replication" })]
                : [fake("aws:iam/rolePolicy:RolePolicy", "inline", { policy: JSON.stringify(p.doc) }, { role: [role], policy: p.deps ?? [] })];
            if (p.attach) policies[1].propertyDependencies.policyArn = [policies[0].urn];
            return [bucketKey, configKey, bucket, sse, channel, role, rc, ...policies];
        }
        const decrypt = (resource: string | string[]) => ({ Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: resource }] });
        it("names every key the bucket's objects use that the role may not decrypt, with the writer", async () => {
            assert.deepEqual(await check(graph(() => ({ doc: { Statement: [] } }))), [
                "rc: replication role replication may not kms:Decrypt with bucket-key (used by default encryption of backups); those objects fail replication",
                "rc: replication role replication may not kms:Decrypt with config-key (used by config delivery channel config); those objects fail replication",
            ]);
        });
        it("accepts a grant by key ARN pattern, by key id, by \"*\", or computed from the key, inline or attached", async () => {
            assert.deepEqual(await check(graph(() => ({ doc: decrypt(`arn:aws:kms:eu-central-1:${ACCOUNT}:key/*`) }))), []);
            assert.deepEqual(await check(graph(() => ({ doc: decrypt(["bucket-key-id", "config-key-id"]) }))), []);
            assert.deepEqual(await check(graph(() => ({ doc: decrypt("*"), attach: true }))), []);
            assert.deepEqual(await check(graph((keys) => ({ doc: decrypt("computed"), deps: keys }))), []);
            const encryptOnly = await check(graph((keys) => ({ doc: { Statement: [{ Effect: "Allow", Action: "kms:Encrypt", Resource: "*" }] }, deps: keys })));
            assert.equal(encryptOnly.length, 2, "a policy computed from the key still has to grant kms:Decrypt");
        });
        it("checks nothing when the replication does not select KMS-encrypted objects", async () => {
            const plain = { rules: [{ status: "Enabled", sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Disabled" } } },
                { status: "Enabled" }] };
            assert.deepEqual(await check(graph(() => ({ doc: { Statement: [] } }), plain)), []);
        });
    });

    describe("roles reading CMK-encrypted secrets", () => {
        const READ = (resource: string) => ({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource });
        const SECRET_ARN = `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:platform/db-*`;
        function graph(stmts: object[], opts: { keyStmts?: object[]; secretDep?: boolean; secretName?: string } = {}) {
            const key = keyOf("secrets", ...(opts.keyStmts ?? []));
            const secret = fake("aws:secretsmanager/secret:Secret", "db", { name: opts.secretName ?? "platform/db" }, { kmsKeyId: [key] });
            const role = fake("aws:iam/role:Role", "task", { name: "task", arn: `arn:aws:iam::${ACCOUNT}:role/task` });
            const policy = fake("aws:iam/rolePolicy:RolePolicy", "task-policy", { policy: JSON.stringify({ Statement: stmts }) },
                { role: [role], ...(opts.secretDep ? { policy: [secret] } : {}) });
            return [key, secret, role, policy];
        }
        const FAILS = "role task reads secret db but may not kms:Decrypt with its key secrets; GetSecretValue fails";
        it("flags a reader by the secret's ARN pattern (Secrets Manager's suffix) or by a policy computed from the secret", async () => {
            assert.deepEqual(await check(graph([READ(SECRET_ARN)])), [FAILS]);
            assert.deepEqual(await check(graph([READ("computed")], { secretDep: true })), [FAILS]);
        });
        it("does not count \"*\", another service's ARN or another secret as reading this one", async () => {
            assert.deepEqual(await check(graph([READ("*")])), []);
            assert.deepEqual(await check(graph([READ(`arn:aws:ssm:eu-central-1:${ACCOUNT}:secret:platform/db-*`)])), []);
            assert.deepEqual(await check(graph([READ(`arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:parameter:platform/db-*`)])), []);
            assert.deepEqual(await check(graph([READ(`arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:platform/other-*`)])), []);
            assert.deepEqual(await check(graph([READ(SECRET_ARN)], { secretName: "platform/dbx" })), [], "the pattern's name must match exactly");
        });
        it("accepts a key policy naming the role for kms:Decrypt, or the role's own grant; not a key policy for another action", async () => {
            const byKey = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/task` }, Action: ["kms:Decrypt"], Resource: "*" };
            assert.deepEqual(await check(graph([READ(SECRET_ARN)], { keyStmts: [byKey] })), []);
            assert.deepEqual(await check(graph([READ(SECRET_ARN)], { keyStmts: [{ ...byKey, Action: "kms:Encrypt" }] })), [FAILS]);
            assert.deepEqual(await check(graph([READ(SECRET_ARN)], { keyStmts: [{ ...byKey, Principal: { AWS: "arn:other" } }] })), [FAILS]);
            const decrypt = { Effect: "Allow", Action: "kms:Decrypt", Resource: `arn:aws:kms:eu-central-1:${ACCOUNT}:key/secrets-id` };
            assert.deepEqual(await check(graph([READ(SECRET_ARN), decrypt])), []);
        });
    });

    describe("telling resources apart (a rule that matched too much would credit one resource's grant to another)", () => {
        const TOPIC_ARN = `arn:aws:sns:eu-central-1:${ACCOUNT}:platform-alerts`;
        it("logs: a grant without an encryption-context condition admits every group; a failing message lists every pattern", async () => {
            const open = keyOf("open", grant(LOGS, LOGS_ACTIONS));
            const two = keyOf("two", grant(LOGS, LOGS_ACTIONS, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:*:1:log-group:/a/*",
                "arn:aws:logs:*:1:log-group:/b/*"] } }));
            assert.deepEqual(await check([provider(), open, two, logGroup("x", open), logGroup("y", two)]), [
                "log group y (/platform/y) is not admitted by two's kms:EncryptionContext:aws:logs:arn condition " +
                    "(arn:aws:logs:*:1:log-group:/a/*, arn:aws:logs:*:1:log-group:/b/*)"]);
        });
        it("trail: only a Bucket Key on the trail's own bucket (by dependency or name) needs Decrypt; any rule with it counts", async () => {
            const CT = "cloudtrail.amazonaws.com";
            const key = keyOf("k", grant(CT, ["kms:GenerateDataKey*", "kms:DescribeKey"]));
            const archive = fake("aws:s3/bucket:Bucket", "archive", { bucket: "archive" });
            const other = fake("aws:s3/bucket:Bucket", "other", { bucket: "other" });
            const sse = (bucket: RecordedResource, rules: unknown[]) => fake(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${bucket.name}-sse`, { rules },
                    { bucket: [bucket] });
            const byName = fake("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "archive" }, { kmsKeyId: [key] });
            assert.deepEqual(await check([key, archive, other, sse(other, [{ bucketKeyEnabled: true }]), byName]), [], "another bucket's Bucket Key");
            assert.equal((await check([key, archive, other, sse(archive, [null, { bucketKeyEnabled: false }, { bucketKeyEnabled: "true" }]),
                byName])).length, 1);
        });
        it("topic: publishers of another topic, or of several topics, are told apart; each action list and link counts", async () => {
            const key = keyOf("alerts");
            const topic = fake("aws:sns/topic:Topic", "alerts", { name: "platform-alerts" }, { kmsMasterKeyId: [key] });
            const otherTopic = fake("aws:sns/topic:Topic", "other", { name: "other" });
            const only = async (...publishers: RecordedResource[]) => (await check([key, topic, otherTopic, ...publishers]))
                .map((m) => m.replace(/^topic alerts is encrypted with alerts, but (\S+) \(publisher: (\S+)\).*$/, "$1 $2"));
            assert.deepEqual(await only(fake("aws:cloudwatch/metricAlarm:MetricAlarm", "elsewhere", {}, { alarmActions: [otherTopic] }),
                fake("aws:sns/topicPolicy:TopicPolicy", "policy", { arn: TOPIC_ARN, policy: "{}" }),
                fake("aws:redshift/eventSubscription:EventSubscription", "redshift", { snsTopicArn: TOPIC_ARN }),
                fake("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", "no-destination", {})), []);
            assert.deepEqual(await only(fake("aws:cloudwatch/metricAlarm:MetricAlarm", "both", { alarmActions: [TOPIC_ARN,
                "arn:aws:sns:eu-central-1:1:other"] })),
                ["cloudwatch.amazonaws.com both"]);
            assert.deepEqual(await only(fake("aws:cloudwatch/metricAlarm:MetricAlarm", "insufficient", { insufficientDataActions: [TOPIC_ARN] })),
                ["cloudwatch.amazonaws.com insufficient"]);
            assert.deepEqual(await only(fake("aws:backup/vaultNotifications:VaultNotifications", "vault", { snsTopicArn: TOPIC_ARN }),
                fake("aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination", "ses", {}, { eventDestination: [topic] })),
                ["backup.amazonaws.com vault", "ses.amazonaws.com ses"]);
        });
        it("replication: only keys writing into the replicated bucket count, whether the rule names the bucket and role or depends on them", async () => {
            const bucketKey = keyOf("bucket-key");
            const elsewhere = keyOf("elsewhere");
            const bucket = fake("aws:s3/bucket:Bucket", "backups", { bucket: "backups" });
            const other = fake("aws:s3/bucket:Bucket", "other", { bucket: "other" });
            const role = fake("aws:iam/role:Role", "replication", { name: "replication", arn: `arn:aws:iam::${ACCOUNT}:role/replication` });
            const graph = [bucketKey, elsewhere, bucket, other, role,
                fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { rules: [] },
                    { bucket: [bucket], rules: [bucketKey] }),
                fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "other-sse", { rules: [] },
                    { bucket: [other], rule: [elsewhere] }),
                fake("aws:cloudtrail/trail:Trail", "trail", { s3BucketName: "other" }, { kmsKeyId: [elsewhere] }),
                fake("aws:cfg/deliveryChannel:DeliveryChannel", "config", { s3BucketName: "other" }, { s3KmsKeyArn: [elsewhere] }),
                fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc", { bucket: "backups", role: "replication",
                    rules: [null, { sourceSelectionCriteria: {} }, { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }] }),
            ];
            const intoBackups = fake("aws:cfg/deliveryChannel:DeliveryChannel", "config-backups", { s3BucketName: "backups" }, { s3KmsKeyArn: [elsewhere] });
            assert.deepEqual((await check([...graph, intoBackups])).filter((m) => m.startsWith("rc:")).map((m) => m.replace(/ \(used by .*$/, "")),
                ["rc: replication role replication may not kms:Decrypt with bucket-key", "rc: replication role replication may not kms:Decrypt with elsewhere"],
                "a writer naming the bucket counts");
            assert.deepEqual((await check(graph)).filter((m) => m.startsWith("rc:")),
                ["rc: replication role replication may not kms:Decrypt with bucket-key (used by default encryption of " +
                "backups); those objects fail replication"]);
        });
        it("replication: a grant counts for a key only if it names that key (ARN, id suffix) or is computed from it", async () => {
            const key = keyOf("bucket-key");
            const otherKey = keyOf("other-key");
            const bucket = fake("aws:s3/bucket:Bucket", "backups", { bucket: "backups" });
            const role = fake("aws:iam/role:Role", "replication", { name: "replication" });
            const graphWith = (policy: unknown, deps: RecordedResource[] = [], k = key) => [k, otherKey, bucket, role,
                fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { rules: [] }, { bucket: [bucket],
                    rule: [k] }),
                fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc",
                    { rules: [{ sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }] },
                    { bucket: [bucket], role: [role] }),
                fake("aws:iam/rolePolicy:RolePolicy", "inline", { policy }, { role: [role], policy: deps })];
            const doc = (resource: string) => JSON.stringify({ Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: resource }] });
            const flagged = async (...args: Parameters<typeof graphWith>) => (await check(graphWith(...args))).length;
            assert.equal(await flagged(doc("computed"), [otherKey]), 1, "computed from another key");
            assert.equal(await flagged(doc(`arn:aws:kms:eu-central-1:${ACCOUNT}:key/unrelated`)), 1, "another key's ARN");
            assert.equal(await flagged(doc(`arn:aws:kms:us-east-1:${ACCOUNT}:key/bucket-key-id`)), 0, "the key id at the end of the ARN");
            assert.equal(await flagged({ Statement: [] }, [key]), 0, "a document computed from the key and not yet a string");
            const bare = fake("aws:kms/key:Key", "bucket-key", { policy: JSON.stringify({ Statement: [ROOT] }) });
            assert.equal(await flagged(doc("*"), [], bare), 0, "\"*\" covers a key whose ARN is not known");
            assert.equal(await flagged(doc("arn:aws:kms:*"), [], bare), 1, "a pattern cannot match an unknown ARN");
        });
        it("secrets: a reader is a policy naming the secret or computed from it, not from another secret, and not by \"*\"", async () => {
            const key = keyOf("secrets");
            const secret = fake("aws:secretsmanager/secret:Secret", "db", { name: "platform/db" }, { kmsKeyId: [key] });
            const other = fake("aws:secretsmanager/secret:Secret", "other", { name: "platform/other" });
            const role = fake("aws:iam/role:Role", "task", { name: "task", arn: `arn:aws:iam::${ACCOUNT}:role/task` });
            const read = (resource: string, deps: RecordedResource[], name = "p") => fake("aws:iam/rolePolicy:RolePolicy", name,
                { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }] }) },
                { role: [role], policy: deps });
            const flagged = async (...extra: RecordedResource[]) => (await check([key, secret, other, role, ...extra])).length;
            assert.equal(await flagged(read("computed", [other])), 0, "computed from another secret");
            assert.equal(await flagged(read("*", [secret])), 0, "\"*\" does not say which secret");
            assert.equal(await flagged(read("computed", [other]), read("computed", [secret], "q")), 1, "one reading policy is enough");
            const shared = { Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/task`, "arn:aws:iam::1:role/x"] }, Action: "kms:Decrypt" };
            const sharedKey = keyOf("secrets", shared);
            assert.equal((await check([sharedKey, secret, other, role, read("computed", [secret])])).length, 0, "the role among several principals");
        });
    });

    describe("at a first preview", () => {
        it("skips what it cannot know yet instead of failing the whole rule", () => {
            const key = keyOf("logs");
            key.inputs.policy = UNKNOWN_INPUT;
            const bucket = fake("aws:s3/bucket:Bucket", "b", { bucket: "b" });
            const topic = fake("aws:sns/topic:Topic", "t", { name: "t" }, { kmsMasterKeyId: [key] });
            const secret = fake("aws:secretsmanager/secret:Secret", "s", { name: UNKNOWN_INPUT }, { kmsKeyId: [key] });
            const role = fake("aws:iam/role:Role", "r", { name: "r" });
            const rc = fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc", { rules: UNKNOWN_INPUT }, { bucket: [bucket], role: [role] });
            assert.deepEqual(atFirstPreview([provider(), key, bucket, topic, secret, role, rc, logGroup("g", key),
                fake("aws:cloudtrail/trail:Trail", "trail", {}, { kmsKeyId: [key], s3BucketName: [bucket] }),
                fake("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { alarmActions: ["arn:aws:sns:eu-central-1:1:t"] }),
                fake("aws:iam/rolePolicy:RolePolicy", "rp", { policy: JSON.stringify({ Statement: [READ_ANY] }) }, { role: [role], policy: [secret] }),
            ]), []);
        });
        it("gives a role whose policy is not known yet the benefit of the doubt, for replication and secrets", () => {
            const key = keyOf("k");
            const bucket = fake("aws:s3/bucket:Bucket", "b", { bucket: "b" });
            const role = fake("aws:iam/role:Role", "r", { name: "r" });
            const secret = fake("aws:secretsmanager/secret:Secret", "s", { name: "s" }, { kmsKeyId: [key] });
            assert.deepEqual(atFirstPreview([key, bucket, role, secret,
                fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", { rules: [] }, { bucket: [bucket],
                    rule: [key] }),
                fake("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "rc",
                    { rules: [{ sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } }] },
                    { bucket: [bucket], role: [role] }),
                fake("aws:iam/rolePolicy:RolePolicy", "rp", { policy: UNKNOWN_INPUT }, { role: [role], policy: [secret] }),
            ]), []);
        });
        it("does not flag a secret reader while another of its policies, which may grant the key, is unknown", () => {
            const key = keyOf("k");
            const secret = fake("aws:secretsmanager/secret:Secret", "s", { name: "platform/s" }, { kmsKeyId: [key] });
            const role = fake("aws:iam/role:Role", "r", { name: "r" });
            const reads = { Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue",
                Resource: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:platform/s-*` }] };
            const graph = (second: unknown) => [key, secret, role,
                fake("aws:iam/rolePolicy:RolePolicy", "reads", { policy: JSON.stringify(reads) }, { role: [role] }),
                fake("aws:iam/rolePolicy:RolePolicy", "other", { policy: second }, { role: [role] })];
            assert.deepEqual(atFirstPreview(graph(UNKNOWN_INPUT)), []);
            assert.equal(atFirstPreview(graph(JSON.stringify({ Statement: [] }))).length, 1, "known, and without the grant: flagged");
        });
        it("still decides what is known: a known key that lacks the grant is flagged while another value is unknown", () => {
            const key = keyOf("logs");
            const unknownTopic = fake("aws:sns/topic:Topic", "t", { name: UNKNOWN_INPUT }, { kmsMasterKeyId: [key] });
            const found = atFirstPreview([provider(), key, unknownTopic, logGroup("g", key)]);
            assert.equal(found.length, 1);
            assert.match(found[0], /^log group g is encrypted with logs/);
        });
    });
});

const READ_ANY = { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "computed" };
