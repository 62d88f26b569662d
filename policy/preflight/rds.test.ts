import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { expectedFamily, preflightParameterGroupFamily, preflightReplicaPrerequisites } from "./rds";

const RDS = "aws:rds/instance:Instance";

describe("preflight RDS", () => {
    describe("preflight-replica-prerequisites", () => {
        const replicaOf = (primary: ReturnType<typeof fake>) => fake(RDS, "postgres-replica", { replicateSourceDb: "platform-prod-eu-postgres" },
            { replicateSourceDb: [primary] });
        it("flags a replica of a primary with an RDS-managed master password (today's prod stacks)", async () => {
            const primary = fake(RDS, "postgres", { identifier: "platform-prod-eu-postgres", manageMasterUserPassword: true, backupRetentionPeriod: 35 });
            assert.deepEqual(await violationsOf(preflightReplicaPrerequisites, [primary, replicaOf(primary)]),
                ["postgres-replica: source postgres has manageMasterUserPassword; RDS does not create read replicas of a source whose master password " +
                    "Secrets Manager manages"]);
        });
        it("flags a source without backups, found by identifier when there is no property dependency", async () => {
            const primary = fake(RDS, "postgres", { identifier: "platform-prod-eu-postgres", backupRetentionPeriod: 0 });
            const replica = fake(RDS, "postgres-replica", { replicateSourceDb: "arn:aws:rds:eu-central-1:1:db:platform-prod-eu-postgres" });
            assert.match((await violationsOf(preflightReplicaPrerequisites, [primary, replica])).join(), /has no automated backups/);
        });
        it("passes a replica of a primary with backups and its own password secret", async () => {
            const primary = fake(RDS, "postgres", { identifier: "platform-prod-eu-postgres", backupRetentionPeriod: 35, manageMasterUserPassword: false });
            assert.deepEqual(await violationsOf(preflightReplicaPrerequisites, [primary, replicaOf(primary)]), []);
        });
    });

    describe("preflight-parameter-group-family", () => {
        it("derives the family from engine and version", () => {
            assert.equal(expectedFamily("postgres", "16.4"), "postgres16");
            assert.equal(expectedFamily("mysql", "8.0.35"), "mysql8.0");
            assert.equal(expectedFamily("redis", "7.1"), "redis7");
            assert.equal(expectedFamily("redis", "6.2"), "redis6.2");
        });
        it("passes postgres16 for PostgreSQL 16 and flags postgres15", async () => {
            const group = (family: string) => fake("aws:rds/parameterGroup:ParameterGroup", "pg", { name: "platform-pg", family });
            const db = (g: ReturnType<typeof group>) => fake(RDS, "db", { engine: "postgres", engineVersion: "16" }, { parameterGroupName: [g] });
            const ok = group("postgres16");
            assert.deepEqual(await violationsOf(preflightParameterGroupFamily, [ok, db(ok)]), []);
            const old = group("postgres15");
            assert.deepEqual(await violationsOf(preflightParameterGroupFamily, [old, db(old)]),
                ["db: parameter group pg has family postgres15, but postgres 16 needs postgres16"]);
        });
    });
});
