import { strict as assert } from "assert";
import { PhysicalNameError, physicalName } from "./names";

describe("data physical names", () => {
    it("joins parts with hyphens and lowercases them", () => {
        assert.equal(physicalName("rdsInstance", "Platform-Prod-EU", "postgres"), "platform-prod-eu-postgres");
    });
    it("accepts an RDS identifier of exactly 63 characters and rejects 64", () => {
        assert.equal(physicalName("rdsInstance", "a".repeat(63)).length, 63);
        assert.throws(() => physicalName("rdsInstance", "a".repeat(64)), /64 characters long.*at most 63/);
    });
    it("rejects an ElastiCache replication group id over 40 characters, naming the value", () => {
        const prefix = "platform-a-very-long-stack-name-here";
        assert.throws(() => physicalName("elasticacheReplicationGroup", prefix, "redis"), (err: unknown) =>
            err instanceof PhysicalNameError && err.value === `${prefix}-redis` && /at most 40/.test(err.message));
        assert.equal(physicalName("elasticacheReplicationGroup", "platform-prod-eu", "redis"), "platform-prod-eu-redis");
    });
    it("rejects identifiers that start with a digit, contain double hyphens or end with a hyphen", () => {
        assert.throws(() => physicalName("rdsInstance", "1db"), /shape AWS rejects/);
        assert.throws(() => physicalName("rdsInstance", "db--x"), /shape AWS rejects/);
        assert.throws(() => physicalName("rdsProxy", "db-"), /shape AWS rejects/);
        assert.throws(() => physicalName("rdsInstance", "db_x"), /shape AWS rejects/);
    });
    it("limits IAM role names to 64 characters", () => {
        assert.throws(() => physicalName("iamRole", "r".repeat(65)), /at most 64/);
    });
});
