import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { Recorded, stackPlan } from "../offline/testing";
import { readStackFiles } from "../offline/stack-files";

/**
 * nonprod (Pulumi.nonprod.yaml) rehearses every change before prod: production-shaped (the same policies, protection,
 * Multi-AZ and DR copies as prod-eu) at smaller sizes, in its own account, deployed before both production stacks.
 */
const recorded = async (stack: string) => {
    const p = await stackPlan(stack);
    return new Recorded(p.run.resources, p.run.outputs);
};
const shape = (rec: Recorded) => ({
    rdsMultiAz: rec.ofType("aws:rds/instance:Instance").map((r) => [r.name, !!rec.inputsOf(r).multiAz]),
    redisFailover: rec.ofType("aws:elasticache/replicationGroup:ReplicationGroup").map((r) => [r.name, rec.inputsOf(r).automaticFailoverEnabled]),
    natGateways: rec.ofType("aws:ec2/natGateway:NatGateway").length,
    protectedTypes: [...new Set(rec.resources.filter((r) => r.protect).map((r) => r.type))].sort(),
    deletionProtection: rec
        .ofType("aws:rds/instance:Instance")
        .filter((r) => !rec.inputsOf(r).replicateSourceDb)
        .map((r) => rec.inputsOf(r).deletionProtection),
    objectLockModes: rec
        .ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
        .map((r) => rec.inputsOf(r).rule?.defaultRetention?.mode)
        .sort(),
    backupVaultLocks: rec.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration").length,
    drBackupReplication: rec.ofType("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication").length,
    // AWS only: the edge differs by plan (Business, so per-key limits run in the ApiKeyLimiter Worker instead of an ARL rule).
    awsTypes: [...new Set(rec.resources.map((r) => r.type).filter((t) => t.startsWith("aws:")))].sort(),
});

describe("stack nonprod (production-shaped rehearsal)", () => {
    it("plans with no mandatory violation, as a prod environment (prod's floors, protection and policy levels)", async () => {
        const np = await stackPlan("nonprod");
        assert.deepEqual(
            np.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`),
            [],
        );
        assert.equal(readStackFiles("nonprod").config["platform:environment"], "prod", "nonprod is checked with prod's floors and policies");
        assert.ok(np.run.resources.filter((r) => r.type.startsWith("aws:")).every((r) => !("tags" in r.inputs) || r.inputs.tags?.environment === "prod"));
    });

    it("has prod-eu's shape: Multi-AZ, failover, per-AZ NAT, protection, locks, DR copies and the same AWS resource types", async () => {
        const np = await recorded("nonprod");
        const prod = await recorded("prod-eu");
        assert.deepEqual(shape(np), shape(prod));
    });

    it("is smaller than prod-eu: instance classes, node types and task counts", async () => {
        const np = JSON.parse(readStackFiles("nonprod").config["platform:services"]);
        const prod = JSON.parse(readStackFiles("prod-eu").config["platform:services"]);
        for (const family of ["api", "apiWorkers", "scannerWorkers"]) {
            assert.ok(np[family].cpu <= prod[family].cpu && np[family].maxTasks < prod[family].maxTasks, family);
        }
        const db = (s: string) => JSON.parse(readStackFiles(s).config["platform:database"]);
        assert.ok(db("nonprod").allocatedStorageGb < db("prod-eu").allocatedStorageGb);
        assert.match(db("nonprod").instanceClass, /^db\.t4g\./);
        const np$ = (await stackPlan("nonprod")).cost.monthly;
        const prod$ = (await stackPlan("prod-eu")).cost.monthly;
        assert.ok(np$ < prod$ / 2, `nonprod $${np$} vs prod-eu $${prod$} a month`);
    });

    it("lives in its own account and zone", () => {
        const ids = ["dev", "nonprod", "prod-eu", "prod-il"].map((s) => readStackFiles(s).config["platform:accountId"]);
        assert.equal(new Set(ids).size, ids.length);
        const zone = (s: string) => JSON.parse(readStackFiles(s).config["platform:edge"]).zoneId;
        assert.notEqual(zone("nonprod"), zone("prod-eu"));
    });

    it("is deployed by deploy.yml after dev and before prod-eu and prod-il; prod-eu-dr never is", () => {
        const wf = parse(fs.readFileSync(path.join(__dirname, "..", ".github", "workflows", "deploy.yml"), "utf8"));
        const needs = (job: string) => [wf.jobs[job].needs ?? []].flat();
        assert.equal(wf.jobs.nonprod.with.stack, "nonprod");
        assert.deepEqual(needs("nonprod"), ["dev"]);
        assert.deepEqual(needs("prod-eu"), ["nonprod"]);
        assert.deepEqual(needs("prod-il"), ["nonprod"]);
        assert.ok(!Object.values<any>(wf.jobs).some((j) => j.with?.stack === "prod-eu-dr"));
    });
});
