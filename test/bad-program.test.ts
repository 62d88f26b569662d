import { strict as assert } from "assert";
import { planStack } from "../offline/plan";

/** Every violation the pack must report for test/fixtures/bad-program.program.ts, as `policy @ resource`. */
const EXPECTED = [
    "backup-plan-coverage @ public-db",
    "ecr-immutable-tags @ mutable-repo", "ecr-kms @ mutable-repo", "ecr-lifecycle @ mutable-repo", "ecr-scan-on-push @ mutable-repo",
    "iam-no-wildcard-admin @ admin-everything",
    "kms-rotation @ unrotated-key",
    "logs-cmk @ plain-logs",
    "no-world-ingress @ ssh-open",
    "protect-stateful @ public-db", "protect-stateful @ unrotated-key",
    "rds-backups @ public-db", "rds-backups @ public-db", "rds-deletion-protection @ public-db", "rds-encrypted-cmk @ public-db",
    "rds-force-ssl @ public-db", "rds-iam-auth @ public-db", "rds-logs @ public-db", "rds-managed-password @ public-db",
    "rds-monitoring @ public-db", "rds-multi-az @ public-db", "rds-not-public @ public-db",
    "redis-at-rest @ plain-redis", "redis-failover @ plain-redis", "redis-in-transit @ plain-redis", "redis-noeviction @ plain-redis",
    "required-tags @ bare-bucket",
    "s3-access-logging @ bare-bucket", "s3-lifecycle @ bare-bucket", "s3-ownership-enforced @ bare-bucket", "s3-public-access-block @ bare-bucket",
    "s3-sse-kms @ bare-bucket", "s3-tls-only @ bare-bucket", "s3-versioning @ bare-bucket",
    "sns-cmk @ plain-topic",
].sort();

describe("the bad program", () => {
    it("is flagged with exactly the expected violations, all mandatory", async () => {
        const plan = await planStack({ stack: "dev", program: "test/fixtures/bad-program.program.ts" });
        const found = plan.violations.map((v) => `${v.policy} @ ${v.urn?.split("::").pop()}`).sort();
        assert.deepEqual(found, EXPECTED);
        assert.ok(plan.violations.every((v) => v.enforcementLevel === "mandatory"));
    });

    it("drops a policy's violations to advisory or nothing through the pack config", async () => {
        const plan = await planStack({
            stack: "dev",
            program: "test/fixtures/bad-program.program.ts",
            packConfig: { "required-tags": "advisory", "s3-sse-kms": { enforcementLevel: "disabled" } },
        });
        assert.deepEqual(
            plan.violations.filter((v) => v.policy === "required-tags").map((v) => v.enforcementLevel),
            ["advisory"],
        );
        assert.equal(plan.violations.filter((v) => v.policy === "s3-sse-kms").length, 0);
    });
});
