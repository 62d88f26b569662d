import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightNameLimits, preflightNameUnique } from "./names";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

describe("preflight names", () => {
    describe("preflight-name-limits", () => {
        it("passes names inside each type's limits", async () => {
            const ok = [
                fake("aws:lb/loadBalancer:LoadBalancer", "origin", { name: "platform-prod-eu-origin" }),
                fake("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { replicationGroupId: "platform-prod-eu-redis" }),
                fake("aws:s3/bucket:Bucket", "b", { bucket: "app.complyhub.co.il" }),
                fake("aws:iam/role:Role", "r", { name: "platform-prod-il-github-deploy" }),
            ];
            assert.deepEqual(await violationsOf(preflightNameLimits, ok), []);
        });
        it("flags a 33-character ALB name, a 41-character replication group id, an uppercase bucket and a 65-character role", async () => {
            const found = (await violationsOf(preflightNameLimits, [
                fake("aws:lb/loadBalancer:LoadBalancer", "origin", { name: "platform-prod-eu-origin-123456789" }),
                fake("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { replicationGroupId: `platform-${"x".repeat(32)}` }),
                fake("aws:s3/bucket:Bucket", "b", { bucket: "Platform-Bucket" }),
                fake("aws:iam/role:Role", "r", { name: "r".repeat(65) }),
                fake("aws:rds/instance:Instance", "db", { identifier: "platform--db-" }),
            ])).join("\n");
            for (const expected of [/origin: name .* is 33 characters; LoadBalancer allows 1-32/,
                /redis: replicationGroupId .* 41 characters; ReplicationGroup allows 1-40/,
                /b: bucket "Platform-Bucket" is not lowercase/, /r: name .* 65 characters; Role allows 1-64/,
                /db: identifier "platform--db-" is not lowercase/]) {
                assert.match(found, expected);
            }
        });
    });

    describe("preflight-name-unique", () => {
        it("compares inline role policy names per owning role, also when the role's name is unknown (first preview)", async () => {
            const RP = "aws:iam/rolePolicy:RolePolicy";
            const api = fake("aws:iam/role:Role", "api-execution-role", {}),
                workers = fake("aws:iam/role:Role", "workers-execution-role", {});
            const perRole = [
                fake(RP, "api-execution", { name: "execution" }, { role: [api] }),
                fake(RP, "workers-execution", { name: "execution" }, { role: [workers] }),
            ];
            assert.deepEqual(await violationsOf(preflightNameUnique, [api, workers, ...perRole]), []);
            const twice = [fake(RP, "a", { name: "execution" }, { role: [api] }), fake(RP, "b", { name: "execution" }, { role: [api] })];
            assert.equal((await violationsOf(preflightNameUnique, [api, ...twice])).length, 1);
        });
        it("flags two alarms with one name in the same region (today's api-p99-latency pair)", async () => {
            const found = await violationsOf(preflightNameUnique, [
                fake("pulumi:providers:aws", "aws", { region: "eu-central-1" }),
                fake(ALARM, "alarms-api-p99-latency", { name: "platform-prod-eu-api-p99-latency" }),
                fake(ALARM, "api-scaling-latency", { name: "platform-prod-eu-api-p99-latency" }),
            ]);
            assert.deepEqual(found,
                ["api-scaling-latency: name \"platform-prod-eu-api-p99-latency\" is already used by alarms-api-p99-latency (MetricAlarm names are " +
                    "unique per account and region)"]);
        });
        it("passes distinct names, and one name in two regions for a regional type", async () => {
            const drProvider = "urn:pulumi:test::platform::pulumi:providers:aws::dr::id";
            const resources = [
                fake("pulumi:providers:aws", "aws", { region: "eu-central-1" }),
                fake("pulumi:providers:aws", "dr", { region: "eu-west-1" }),
                fake(ALARM, "latency", { name: "platform-prod-eu-api-p99-latency" }),
                fake(ALARM, "scale-out", { name: "platform-prod-eu-api-p99-latency-scale-out" }),
                fake("aws:cloudwatch/logGroup:LogGroup", "logs", { name: "/platform/app", region: "eu-central-1" }),
                fake("aws:cloudwatch/logGroup:LogGroup", "dr-logs", { name: "/platform/app" }, {}, { provider: drProvider }),
            ];
            assert.deepEqual(await violationsOf(preflightNameUnique, resources), []);
        });
        it("flags the same IAM role name in different case (IAM names are case-insensitive)", async () => {
            const found = await violationsOf(preflightNameUnique, [fake("aws:iam/role:Role", "a", { name: "Deploy" }), fake("aws:iam/role:Role", "b",
                { name: "deploy" })]);
            assert.match(found.join(), /unique per account/);
        });
    });
});
