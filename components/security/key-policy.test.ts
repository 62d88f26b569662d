import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, allowing, servicesOf } from "../../test/invariants/program";
import { keyPolicy, serviceGrants } from "./key-policy";

const ACCOUNT = "111122223333";
const REGION = "eu-central-1";

/** The key policy of a data class, as the JSON document KMS receives. */
const TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/platform-test-trail`;
function policyOf(keyClass: string, region = REGION): Promise<{ Version: string; Statement: PolicyStatement[] }> {
    const grants = serviceGrants(keyClass, region, ACCOUNT, { cloudTrailArn: TRAIL });
    return new Promise((resolve) => keyPolicy(ACCOUNT, grants).apply((json) => resolve(JSON.parse(json))));
}

/** The statements that let `service` call `action`. */
const grantsTo = (statements: PolicyStatement[], service: string, action: string) =>
    allowing(statements, action).filter((s) => servicesOf(s).includes(service));
const services = (statements: PolicyStatement[]) => statements.flatMap(servicesOf).sort();
const sourceAccount = { StringEquals: { "aws:SourceAccount": ACCOUNT } };

describe("key policy", () => {
    it("lets the account administer the key through IAM, and grants nothing to '*'", async () => {
        for (const keyClass of ["data", "logs", "secrets", "backups", "alerts"]) {
            const { Version, Statement } = await policyOf(keyClass);
            assert.equal(Version, "2012-10-17");
            assert.deepEqual(Statement[0], {
                Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*",
            });
            for (const s of Statement) assert.ok(s.Principal !== "*" && s.Principal?.AWS !== "*" && s.Principal?.Service !== "*", JSON.stringify(s));
        }
    });

    it("gives every service grant a condition, a unique Sid, Resource '*' (the key itself) and no administrative action", async () => {
        for (const keyClass of ["data", "logs", "backups", "alerts"]) {
            const grants = (await policyOf(keyClass)).Statement.slice(1);
            assert.ok(grants.length > 0, keyClass);
            assert.equal(new Set(grants.map((s) => s.Sid)).size, grants.length, `${keyClass}: Sids are unique`);
            for (const s of grants) {
                assert.match(s.Sid!, /^Service\d+[A-Za-z0-9]+$/, "Sids are alphanumeric (KMS rejects others)");
                assert.ok(s.Sid!.endsWith(servicesOf(s)[0].split(".")[0]), `${s.Sid} names its service, for people reading the policy`);
                for (const action of [s.Action].flat()) assert.match(String(action), /^kms:[A-Za-z]+\*?$/, `${s.Sid}: "${action}" is not a KMS action`);
                assert.equal(s.Effect, "Allow");
                assert.equal(s.Resource, "*");
                assert.ok(s.Condition && Object.keys(s.Condition).length > 0, `${keyClass}: ${s.Sid} is unconditional`);
                for (const admin of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:DisableKey"]) {
                    assert.equal(allowing([s], admin).length, 0, `${keyClass}: ${s.Sid} allows ${admin}`);
                }
            }
        }
    });

    it("logs key: CloudWatch Logs of this region and account only, CloudTrail for this account's trails, log delivery", async () => {
        const { Statement } = await policyOf("logs", "il-central-1");
        assert.deepEqual([...new Set(services(Statement))], ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com", "logs.il-central-1.amazonaws.com"]);
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
        for (const action of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey"]) {
            const [logs] = grantsTo(Statement, "logs.il-central-1.amazonaws.com", action);
            assert.ok(logs, `logs may ${action}`);
            assert.deepEqual(logs.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:il-central-1:${ACCOUNT}:log-group:*` } });
        }
        // The three statements CloudTrail documents, each scoped to this trail by aws:SourceArn: encrypt (with the
        // encryption context), describe (DescribeKey carries no encryption context, so no such condition), and decrypt
        // (required with S3 Bucket Keys on the archive bucket).
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        const [trail] = grantsTo(Statement, "cloudtrail.amazonaws.com", "kms:GenerateDataKey");
        assert.equal(trail.Condition?.StringLike?.["kms:EncryptionContext:aws:cloudtrail:arn"], `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`);
        assert.equal(trail.Condition?.StringEquals?.["aws:SourceArn"], TRAIL);
        const describe = grantsTo(Statement, "cloudtrail.amazonaws.com", "kms:DescribeKey");
        assert.deepEqual(describe.map((x) => x.Condition), [{ StringEquals: { "aws:SourceArn": TRAIL } }], "DescribeKey without an " +
            "encryption-context condition");
        assert.deepEqual(grantsTo(Statement, "cloudtrail.amazonaws.com", "kms:Decrypt").map((x) => x.Condition),
            [{ StringEquals: { "aws:SourceArn": TRAIL } }]);
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            assert.deepEqual(grantsTo(Statement, "delivery.logs.amazonaws.com", action).map((s) => s.Condition), [sourceAccount]);
        }
    });

    it("alerts key: exactly the services that publish to the alerts topic, for this account's topics", async () => {
        const { Statement } = await policyOf("alerts");
        const publishers = ["backup.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com", "ses.amazonaws.com",
            "budgets.amazonaws.com"].sort();
        assert.deepEqual(services(Statement), publishers);
        // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
        for (const service of publishers) {
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                // Scoped by the SNS encryption context (EventBridge's calls to an encrypted topic carry no source keys).
                assert.deepEqual(grantsTo(Statement, service, action).map((s) => s.Condition),
                    [{ ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws:sns:${REGION}:${ACCOUNT}:*` } }], `${service} ${action}`);
            }
            assert.equal(grantsTo(Statement, service, "kms:Encrypt").length, 0);
        }
    });

    it("backups key: S3 access-log delivery and AWS Config; CloudTrail writes with the logs key, so nothing for it here", async () => {
        const { Statement } = await policyOf("backups");
        assert.deepEqual(services(Statement), ["config.amazonaws.com", "logging.s3.amazonaws.com"]);
        assert.deepEqual(grantsTo(Statement, "logging.s3.amazonaws.com", "kms:GenerateDataKey").map((s) => s.Condition), [sourceAccount]);
        assert.equal(grantsTo(Statement, "logging.s3.amazonaws.com", "kms:Decrypt").length, 0, "log delivery only encrypts");
        // https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
            assert.deepEqual(grantsTo(Statement, "config.amazonaws.com", action).map((s) => s.Condition), [sourceAccount]);
        }
    });

    it("data key: only S3 server access-log delivery; secrets key (and any other class): no service principal at all", async () => {
        const data = (await policyOf("data")).Statement;
        assert.deepEqual(services(data), ["logging.s3.amazonaws.com"]);
        assert.deepEqual(grantsTo(data, "logging.s3.amazonaws.com", "kms:GenerateDataKey").map((s) => s.Condition), [sourceAccount]);
        assert.deepEqual(data[1].Action, ["kms:GenerateDataKey*"]);
        for (const keyClass of ["secrets", "anything-else"]) assert.deepEqual((await policyOf(keyClass)).Statement.length, 1, keyClass);
    });

    it("resolves account ids given as Outputs", async () => {
        const json = await new Promise<string>((resolve) => keyPolicy(pulumi.output(ACCOUNT), []).apply(resolve));
        assert.equal(JSON.parse(json).Statement[0].Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
    });
});
