import { strict as assert } from "assert";
import { runPolicies } from "../../offline/policy-runner";
import { record } from "../../offline/testing";
import { encryptionPolicies } from "../../policy/encryption";
import { storagePolicies } from "../../policy/storage";
import { validateBucketName } from "./bucket-name";
import { SecureBucket, SecureBucketArgs, validateSecureBucketArgs } from "./secure-bucket";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const base: SecureBucketArgs = {
    bucketName: "platform-test-data", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
    accessLogBucket: "platform-test-logs",
};

describe("validateBucketName", () => {
    it("accepts lowercase names of 3-63 characters, dots included (website buckets)", () => {
        for (const name of ["abc", "platform-prod-eu-evidence", "app.complyhub.co.il", "a".repeat(63)]) assert.equal(validateBucketName(name, "t"), name);
    });
    it("rejects names S3 refuses, naming the bucket and the rule", () => {
        assert.throws(() => validateBucketName("a".repeat(64), "SecureBucket x"), /SecureBucket x: bucket name "a{64}" is 64 characters; S3 allows 3-63/);
        assert.throws(() => validateBucketName("Platform-Data", "t"), /lowercase/);
        assert.throws(() => validateBucketName("ab", "t"), /3-63/);
        assert.throws(() => validateBucketName("a..b", "t"), /adjacent periods/);
        assert.throws(() => validateBucketName("192.168.1.10", "t"), /IP address/);
        assert.throws(() => validateBucketName("xn--bucket", "t"), /reserves/);
    });
});

describe("SecureBucket", () => {
    it("refuses argument combinations that would be insecure or undeployable", () => {
        assert.throws(() => validateSecureBucketArgs("b", { ...base, kmsKeyArn: undefined }), /exactly one of kmsKeyArn .* or sseS3/);
        assert.throws(() => validateSecureBucketArgs("b", { ...base, sseS3: "alb-log-delivery" }), /exactly one of kmsKeyArn/);
        assert.throws(() => validateSecureBucketArgs("b", { ...base, kmsKeyArn: undefined, sseS3: "s3-website" }),
            /only for a bucket served through the S3 website endpoint/);
        assert.throws(() => validateSecureBucketArgs("b", {
            ...base, website: { indexDocument: "index.html", errorDocument: "index.html", readableFrom: ["1.2.3.0/24"] },
        }), /cannot serve SSE-KMS objects/);
        assert.throws(() => validateSecureBucketArgs("b", {
            ...base, kmsKeyArn: undefined, sseS3: "s3-website", website: { indexDocument: "i", errorDocument: "e", readableFrom: [] },
        }), /readableFrom is empty/);
        assert.throws(() => validateSecureBucketArgs("b", {
            ...base, kmsKeyArn: undefined, sseS3: "s3-website", website: { indexDocument: "i", errorDocument: "e", readableFrom: ["0.0.0.0/0"] },
        }), /\/0 range/);
        assert.throws(() => validateSecureBucketArgs("b", { ...base, isAccessLogTarget: true }), /exactly one of accessLogBucket/);
        assert.throws(() => validateSecureBucketArgs("b", { ...base, accessLogBucket: undefined }), /exactly one of accessLogBucket/);
        assert.throws(() => validateSecureBucketArgs("b", { ...base, objectLock: { mode: "COMPLIANCE", days: 0 } }), /objectLock.days/);
        assert.doesNotThrow(() => validateSecureBucketArgs("b", base));
    });

    it("builds a bucket the whole storage and encryption pack accepts, with every child parented to the component", async () => {
        const rec = await record(() => {
            new SecureBucket("logs", {
                ...base, bucketName: "platform-test-logs", purpose: "access-logs", accessLogBucket: undefined, isAccessLogTarget: true,
            });
            new SecureBucket("evidence", { ...base, bucketName: "platform-test-evidence", purpose: "evidence", objectLock: { mode: "GOVERNANCE", days: 1 },
                                           transitions: [{ days: 90, storageClass: "DEEP_ARCHIVE" }] });
        });
        const violations = await runPolicies([...storagePolicies, ...encryptionPolicies], rec.resources);
        assert.deepEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
        const component = rec.one("platform:storage:SecureBucket", "evidence");
        const children = rec.childrenOf(component);
        assert.equal(children.length, 9); // bucket, SSE, public access block, ownership, policy, versioning, lock, lifecycle, logging
        assert.ok(children.every((c) => c.name.startsWith("evidence")));
    });

    it("is flagged by the pack when an evidence bucket is built without Object Lock or a Deep Archive transition", async () => {
        const rec = await record(() => new SecureBucket("evidence", { ...base, bucketName: "platform-test-evidence", purpose: "evidence" }));
        const fired = (await runPolicies(storagePolicies, rec.resources)).map((v) => v.policy);
        assert.deepEqual([...new Set(fired)], ["s3-object-lock", "s3-lifecycle"]);
    });
});
