import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { RDS_INSTANCE_CLASSES, TABLE_SOURCES } from "./data";
import {
    performanceInsightsRetentionOk, preflightInstanceClasses, preflightLifecycleRules, preflightLogRetention, preflightRetentionRanges,
    preflightSecurityGroupQuota,
} from "./values";

const il = fake("pulumi:providers:aws", "aws", { region: "il-central-1" });
const RDS = "aws:rds/instance:Instance";
const CACHE = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("preflight values", () => {
    describe("preflight-instance-classes", () => {
        it("reads generated tables that name their cfn-lint source commit", () => {
            assert.match(TABLE_SOURCES.rds.source, /^https:\/\/github\.com\/aws-cloudformation\/cfn-lint\/blob\/[0-9a-f]{40}\//);
            assert.ok(RDS_INSTANCE_CLASSES["il-central-1"].postgres.includes("db.r6g.large"));
        });
        it("passes classes il-central-1 offers for postgres and Redis", async () => {
            const ok = [il, fake(RDS, "db", { engine: "postgres", instanceClass: "db.r6g.large" }), fake(CACHE, "redis", { nodeType: "cache.r7g.large" })];
            assert.deepEqual(await violationsOf(preflightInstanceClasses, ok), []);
        });
        it("flags a class or node type il-central-1 does not offer", async () => {
            const found = await violationsOf(preflightInstanceClasses, [il, fake(RDS, "db", { engine: "postgres", instanceClass: "db.x2g.16xlarge" }),
                fake(CACHE, "redis", { nodeType: "cache.r6gd.xlarge" })]);
            assert.deepEqual(found, ["db: db.x2g.16xlarge is not offered for postgres in il-central-1",
                "redis: cache.r6gd.xlarge is not offered in il-central-1"]);
        });
    });

    describe("preflight-log-retention", () => {
        it("passes 365 and 0 (never expire), flags 400 + 1", async () => {
            const group = (days: number) => fake("aws:cloudwatch/logGroup:LogGroup", `g${days}`, { retentionInDays: days });
            assert.deepEqual(await violationsOf(preflightLogRetention, [group(365), group(0), group(3653)]), []);
            assert.match((await violationsOf(preflightLogRetention, [group(401)])).join(), /retentionInDays 401 is not accepted/);
        });
    });

    describe("preflight-retention-ranges", () => {
        it("accepts Performance Insights 7, 31*n (n <= 23) and 731 only", () => {
            assert.deepEqual([7, 31, 93, 713, 731].map(performanceInsightsRetentionOk), [true, true, true, true, true]);
            assert.deepEqual([0, 30, 94, 744, 1000].map(performanceInsightsRetentionOk), [false, false, false, false, false]);
        });
        it("passes documented values and flags each out-of-range one", async () => {
            assert.deepEqual(await violationsOf(preflightRetentionRanges, [
                fake(RDS, "db", { backupRetentionPeriod: 35, performanceInsightsRetentionPeriod: 731 }),
                fake("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { minRetentionDays: 35, maxRetentionDays: 2557,
                    changeableForDays: 3 }),
            ]), []);
            const found = (await violationsOf(preflightRetentionRanges, [
                fake(RDS, "db", { backupRetentionPeriod: 36, performanceInsightsRetentionPeriod: 94 }),
                fake("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { minRetentionDays: 400, maxRetentionDays: 36501,
                    changeableForDays: 1 }),
                fake("aws:backup/plan:Plan", "plan", { rules: [{ ruleName: "daily", lifecycle: { coldStorageAfter: 30, deleteAfter: 60 } }] }),
            ])).join("\n");
            for (const expected of [/backupRetentionPeriod 36/, /performanceInsightsRetentionPeriod 94/, /maxRetentionDays 36501/, /changeableForDays 1/,
                /deleteAfter 60 must be at least 90 days after/]) {
                assert.match(found, expected);
            }
        });
    });

    describe("preflight-lifecycle-rules", () => {
        const lifecycle = (rules: unknown[]) => fake("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lc", { rules });
        it("passes IA at 30 days, Deep Archive later and expiry after both", async () => {
            assert.deepEqual(await violationsOf(preflightLifecycleRules, [lifecycle([{ id: "tier", status: "Enabled",
                transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "DEEP_ARCHIVE" }], expiration: { days: 2555 } }])]), []);
        });
        it("flags IA before 30 days and an expiration before a transition", async () => {
            const found = (await violationsOf(preflightLifecycleRules, [lifecycle([{ id: "bad", status: "Enabled",
                transitions: [{ days: 7, storageClass: "STANDARD_IA" }, { days: 180, storageClass: "GLACIER" }], expiration: { days: 90 } }])])).join("\n");
            assert.match(found, /transition to STANDARD_IA after 7 days; S3 requires at least 30/);
            assert.match(found, /expiration after 90 days is not later than the transition to GLACIER after 180 days/);
        });
    });

    describe("preflight-security-group-quota", () => {
        const sg = fake("aws:ec2/securityGroup:SecurityGroup", "origin-sg", {});
        const rules = (n: number, v6 = false) => Array.from({ length: n }, (_, i) =>
            fake("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `in-${v6 ? 6 : 4}-${i}`,
                v6 ? { cidrIpv6: `2400:cb00:${i}::/32` } : { cidrIpv4: `10.${i}.0.0/16` }, { securityGroupId: [sg] }));
        it("passes 60 IPv4 and 60 IPv6 inbound rules (separate quotas)", async () => {
            assert.deepEqual(await violationsOf(preflightSecurityGroupQuota, [sg, ...rules(60), ...rules(60, true)]), []);
        });
        it("flags 61 inbound IPv4 rules on one group", async () => {
            assert.deepEqual(await violationsOf(preflightSecurityGroupQuota, [sg, ...rules(61)]),
                ["security group origin-sg has 61 inbound IPv4 rules; the quota is 60 per group"]);
        });
    });
});
