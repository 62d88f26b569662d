import { strict as assert } from "assert";
import { planStack } from "../offline/plan";

describe("state backend bootstrap", () => {
    it("creates a versioned, KMS-encrypted, private, TLS-only state bucket without Object Lock, and passes the pack", async () => {
        const plan = await planStack({ stack: "prod-eu", program: "bootstrap/index.ts" });
        assert.deepEqual(plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message), []);
        const byType = (t: string) => plan.run.resources.filter((r) => r.type === t);
        const [bucket] = byType("aws:s3/bucket:Bucket");
        assert.equal(bucket.inputs.objectLockEnabled, false);
        assert.equal(bucket.protect, true);
        assert.equal(byType("aws:s3/bucketVersioning:BucketVersioning")[0].inputs.versioningConfiguration.status, "Enabled");
        const pab = byType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0].inputs;
        assert.ok(pab.blockPublicAcls && pab.blockPublicPolicy && pab.ignorePublicAcls && pab.restrictPublicBuckets);
        const policy = JSON.parse(byType("aws:s3/bucketPolicy:BucketPolicy")[0].inputs.policy);
        assert.equal(policy.Statement[0].Condition.Bool["aws:SecureTransport"], "false");
        assert.match(plan.run.outputs.secretsProvider, /^awskms:\/\/alias\/pulumi-secrets\?region=eu-central-1$/);
        assert.match(plan.run.outputs.loginUrl, /^s3:\/\/platform-pulumi-state-\d{12}-eu-central-1\?region=eu-central-1/);
    });
});
