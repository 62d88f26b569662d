import { strict as assert } from "assert";
import { planStack } from "../offline/plan";

describe("state backend bootstrap", () => {
    it("creates a versioned, KMS-encrypted, private, TLS-only state bucket without Object Lock, and passes the pack", async () => {
        const plan = await planStack({ stack: "prod-eu", program: "bootstrap/index.ts" });
        assert.deepEqual(plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message), []);
        const byType = (t: string) => plan.run.resources.filter((r) => r.type === t);
        const bucket = byType("aws:s3/bucket:Bucket").find((b) => b.name === "state")!;
        assert.notEqual(bucket.inputs.objectLockEnabled, true);
        assert.equal(bucket.protect, true);
        const companion = (type: string) => byType(type).find((r) => (r.propertyDependencies.bucket ?? []).includes(bucket.urn))!.inputs;
        assert.equal(companion("aws:s3/bucketVersioning:BucketVersioning").versioningConfiguration.status, "Enabled");
        const pab = companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assert.ok(pab.blockPublicAcls && pab.blockPublicPolicy && pab.ignorePublicAcls && pab.restrictPublicBuckets);
        const policy = JSON.parse(companion("aws:s3/bucketPolicy:BucketPolicy").policy);
        assert.ok(policy.Statement.some((st: any) => st.Effect === "Deny" && st.Condition?.Bool?.["aws:SecureTransport"] === "false"));
        assert.equal(
            companion("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").rules[0].applyServerSideEncryptionByDefault
                .sseAlgorithm,
            "aws:kms",
        );
        assert.match(plan.run.outputs.secretsProvider, /^awskms:\/\/alias\/pulumi-secrets\?region=eu-central-1$/);
        assert.match(plan.run.outputs.loginUrl, /^s3:\/\/platform-pulumi-state-\d{12}-eu-central-1\?region=eu-central-1/);
    });
});
