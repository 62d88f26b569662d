import * as assert from "assert";
import { RecordedResource } from "../engine";
import { fake } from "../testing";
import { USAGE_DEFAULTS } from "./usage";
import { parseLevers, whatIf, whatIfText } from "./what-if";

const opts = { region: "eu-central-1", usage: USAGE_DEFAULTS };

/** A primary on db.r7g.large with a replica, a Redis group and a worker service of 2 on-demand tasks. */
function fixture(): RecordedResource[] {
    const primary = fake("aws:rds/instance:Instance", "postgres", {
        identifier: "pg",
        instanceClass: "db.r7g.large",
        allocatedStorage: 100,
        storageType: "gp3",
        backupRetentionPeriod: 0,
    });
    const replica = fake(
        "aws:rds/instance:Instance",
        "postgres-replica",
        { instanceClass: "db.r7g.large", replicateSourceDb: "pg", storageType: "gp3" },
        { replicateSourceDb: [primary] },
    );
    const td = fake("aws:ecs/taskDefinition:TaskDefinition", "scanner-workers", { cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture: "ARM64" } });
    const svc = fake(
        "aws:ecs/service:Service",
        "scanner-workers",
        { name: "scanner-workers", desiredCount: 2, capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }] },
        { taskDefinition: [td] },
    );
    return [
        primary,
        replica,
        td,
        svc,
        fake("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.r7g.large", numCacheClusters: 2 }),
    ];
}
const levers = (spec: string) => {
    const l = parseLevers(spec);
    assert.ok(typeof l !== "string", String(l));
    return l;
};

describe("cost what-if levers", () => {
    it("prices each lever alone against the plan's estimate, then all together", () => {
        const r = whatIf(fixture(), opts, levers("reserved,spot-workers,replica=none"));
        // reserved: 30% off instance and node hours: RDS 2 x 730 x 0.28 x 0.3 = 122.64; Redis 2 x 730 x 0.262 x 0.3 = 114.76 -> -237.40
        assert.strictEqual(r.rows[0].delta, -237.4);
        // spot-workers: 1 on demand + 1 task split 1:3 -> 0.75 Spot at 0.3 of on-demand: 0.75 x 0.7 x (0.03725 + 2 x 0.00409) x 730 = -17.41
        assert.strictEqual(r.rows[1].delta, -17.41);
        assert.match(r.rows[1].note, /scanner-workers/);
        // replica=none: the replica's 730 h x $0.28 + 100 GB gp3 x $0.137 = 204.40 + 13.70
        assert.strictEqual(r.rows[2].delta, -218.1);
        // together: the replica leaves before the discount applies to it: -122.64 / 2 (primary only) - 114.76 - 17.41 - 218.10
        assert.strictEqual(r.combined.delta, -411.59);
        assert.match(whatIfText("test", r), /all together\s+-\$411\.59/);
    });

    it("discounts only on-demand Fargate with a Savings Plan, never Spot, and reports Graviton as already done", () => {
        const r = whatIf(fixture(), opts, levers("savings-plan=0.5,graviton"));
        // 2 on-demand tasks x (0.03725 + 0.00818) x 730 = 66.33 x 0.5
        assert.strictEqual(r.rows[0].delta, -33.17);
        assert.strictEqual(r.rows[1].delta, 0);
        assert.match(r.rows[1].note, /already runs on Graviton/);
    });

    it("refuses a replica class the region does not offer", () => {
        assert.throws(
            () => whatIf(fixture(), opts, levers("replica=db.x2g.large")),
            /replica=db\.x2g\.large: db\.x2g\.large is not offered for postgres in eu-central-1/,
        );
    });
});
