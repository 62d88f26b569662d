import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Recorded, record } from "../../offline/testing";
import { BUCKET_PURPOSE_TAG, RETENTION_CLASS_TAG, SSE_S3_EXCEPTIONS, SecureBucket, SecureBucketArgs, validateSecureBucketArgs } from "./secure-bucket";

// SecureBucket's security properties read straight off what it registers (one tiny recorded program per test):
// encryption, ownership, the public-access block, versioning and Object Lock, the TLS-only policy and its ordering.
const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const base: SecureBucketArgs = {
    bucketName: "platform-test-data", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
        accessLogBucket: "platform-test-logs",
};
const S3 = (t: string) => `aws:s3/${t}`;
const T = {
    bucket: S3("bucket:Bucket"), sse: S3("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"),
    pab: S3("bucketPublicAccessBlock:BucketPublicAccessBlock"), ownership: S3("bucketOwnershipControls:BucketOwnershipControls"),
    policy: S3("bucketPolicy:BucketPolicy"), versioning: S3("bucketVersioning:BucketVersioning"),
    lock: S3("bucketObjectLockConfiguration:BucketObjectLockConfiguration"), lifecycle: S3("bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    logging: S3("bucketLogging:BucketLogging"), website: S3("bucketWebsiteConfiguration:BucketWebsiteConfiguration"),
};
const WEBSITE = { indexDocument: "index.html", errorDocument: "404.html", readableFrom: ["173.245.48.0/20"] };
const resolved = <V>(o: pulumi.Output<V>) => new Promise<V>((resolve) => o.apply(resolve));

async function build(args: Partial<SecureBucketArgs> = {}): Promise<{ rec: Recorded; sb: SecureBucket }> {
    let sb: SecureBucket | undefined;
    const rec = await record(() => { sb = new SecureBucket("data", { ...base, ...args }); });
    return { rec, sb: sb! };
}
/** The child of `type` configuring the bucket: its `bucket` input must come from the bucket itself. */
function configOf(rec: Recorded, type: string, name: string) {
    const r = rec.one(type, name);
    assert.deepEqual(r.propertyDependencies.bucket, [rec.one(T.bucket, "data").urn], `${name} configures this bucket`);
    return { r, inputs: rec.inputsOf(r) };
}

describe("SecureBucket properties", () => {
    it("encrypts every object with the CMK and S3 Bucket Keys", async () => {
        const { rec } = await build();
        assert.deepEqual(configOf(rec, T.sse, "data-sse").inputs.rules,
            [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }]);
    });
    it("uses SSE-S3 only for a named exception, and tags the bucket with that exception's reason", async () => {
        const { rec } = await build({ kmsKeyArn: undefined, sseS3: "alb-log-delivery" });
        assert.deepEqual(configOf(rec, T.sse, "data-sse").inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        assert.deepEqual(rec.one(T.bucket, "data").inputs.tags,
            { Name: "platform-test-data", [BUCKET_PURPOSE_TAG]: "documents", ...SSE_S3_EXCEPTIONS["alb-log-delivery"] });
        assert.match(SSE_S3_EXCEPTIONS["alb-log-delivery"]["compliance-exception:s3-sse-kms"], /ALB access log delivery supports only SSE-S3/);
    });
    it("blocks all four kinds of public access and disables ACLs (bucket owner enforced)", async () => {
        const { rec } = await build();
        const { inputs } = configOf(rec, T.pab, "data-pab");
        assert.deepEqual([inputs.blockPublicAcls, inputs.blockPublicPolicy, inputs.ignorePublicAcls, inputs.restrictPublicBuckets], [true, true, true, true]);
        assert.deepEqual(configOf(rec, T.ownership, "data-ownership").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    });
    it("denies every request without TLS first, then the caller's statements, and never before the public-access block and ownership exist", async () => {
        const extra = { Sid: "Extra", Effect: "Allow" as const, Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject",
            Resource: "arn:aws:s3:::platform-test-data/*" };
        const { rec, sb } = await build({ policyStatements: [extra] });
        const { r, inputs } = configOf(rec, T.policy, "data-policy");
        const doc = JSON.parse(inputs.policy);
        assert.equal(doc.Version, "2012-10-17");
        assert.deepEqual(doc.Statement, [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
            Resource: ["arn:aws:s3:::platform-test-data", "arn:aws:s3:::platform-test-data/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                extra]);
        for (const gate of ["data-pab", "data-ownership"]) {
            const type = gate.endsWith("pab") ? T.pab : T.ownership;
            assert.ok(r.dependencies.includes(rec.one(type, gate).urn), `the policy waits for ${gate}`);
        }
        assert.equal(await resolved(sb.policy.urn), r.urn, "consumers depend on this policy");
    });
    it("versions every bucket, and expires noncurrent versions and aborted uploads after versioning is on", async () => {
        const { rec, sb } = await build({ transitions: [{ days: 90, storageClass: "DEEP_ARCHIVE" }], expirationDays: 400 });
        const versioning = configOf(rec, T.versioning, "data-versioning");
        assert.deepEqual(versioning.inputs.versioningConfiguration, { status: "Enabled" });
        assert.equal(await resolved(sb.versioning.urn), versioning.r.urn);
        const lifecycle = configOf(rec, T.lifecycle, "data-lifecycle");
        assert.ok(lifecycle.r.dependencies.includes(versioning.r.urn), "lifecycle after versioning");
        const everything = { prefix: "" };
        assert.deepEqual(lifecycle.inputs.rules, [
            { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: everything, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            { id: "expire-noncurrent-versions", status: "Enabled", filter: everything, noncurrentVersionExpiration: { noncurrentDays: 30 } },
            { id: "transition-current-versions", status: "Enabled", filter: everything, transitions: [{ days: 90, storageClass: "DEEP_ARCHIVE" }] },
            { id: "expire-current-versions", status: "Enabled", filter: everything, expiration: { days: 400 } },
        ]);
        const plain = (await build({ transitions: [] })).rec;
        assert.deepEqual(plain.inputsOf(plain.one(T.lifecycle, "data-lifecycle")).rules.map((x: any) => x.id),
            ["abort-incomplete-multipart-uploads", "expire-noncurrent-versions"], "no transition or expiry unless asked");
    });
    it("creates an Object Lock bucket with the lock enabled at creation, tagged, and the retention applied after versioning", async () => {
        const { rec } = await build({ objectLock: { mode: "COMPLIANCE", days: 365 } });
        const bucket = rec.one(T.bucket, "data");
        assert.equal(bucket.inputs.objectLockEnabled, true);
        assert.equal(bucket.inputs.tags[RETENTION_CLASS_TAG], "object-lock");
        assert.equal(RETENTION_CLASS_TAG, "retention-class");
        const lock = configOf(rec, T.lock, "data-object-lock");
        assert.deepEqual([lock.inputs.objectLockEnabled, lock.inputs.rule], ["Enabled", { defaultRetention: { mode: "COMPLIANCE", days: 365 } }]);
        assert.ok(lock.r.dependencies.includes(rec.one(T.versioning, "data-versioning").urn), "S3 refuses a lock before versioning");
        const unlocked = (await build()).rec;
        assert.deepEqual([unlocked.one(T.bucket, "data").inputs.objectLockEnabled, unlocked.ofType(T.lock)], [undefined, []]);
        assert.equal(unlocked.one(T.bucket, "data").inputs.tags[RETENTION_CLASS_TAG], undefined);
    });
    it("is never force-destroyed, and is protected when asked (the bucket itself, the stateful one)", async () => {
        const { rec } = await build({ protect: true });
        const bucket = rec.one(T.bucket, "data");
        assert.deepEqual([bucket.inputs.forceDestroy, bucket.protect, bucket.inputs.bucket], [false, true, "platform-test-data"]);
        assert.equal((await build()).rec.one(T.bucket, "data").protect, false);
        assert.deepEqual(bucket.inputs.tags, { Name: "platform-test-data", [BUCKET_PURPOSE_TAG]: "documents" });
        assert.equal(BUCKET_PURPOSE_TAG, "bucket-purpose");
    });
    it("logs server access into the log bucket under its own partitioned prefix, unless it is the log target", async () => {
        const { rec } = await build();
        const { inputs } = configOf(rec, T.logging, "data-access-logging");
        assert.deepEqual([inputs.targetBucket, inputs.targetPrefix, inputs.targetObjectKeyFormat],
            ["platform-test-logs", "platform-test-data/", { partitionedPrefix: { partitionDateSource: "EventTime" } }]);
        assert.deepEqual((await build({ accessLogBucket: undefined, isAccessLogTarget: true })).rec.ofType(T.logging), []);
    });
    it("serves a website bucket over plain HTTP only to the allowed ranges: reads allowed from them, everything else TLS-only", async () => {
        const { rec, sb } = await build({ kmsKeyArn: undefined, sseS3: "s3-website", website: WEBSITE });
        const site = configOf(rec, T.website, "data-website");
        assert.deepEqual([site.inputs.indexDocument, site.inputs.errorDocument], [{ suffix: "index.html" }, { key: "404.html" }]);
        assert.ok(sb.websiteEndpoint);
        const doc = JSON.parse(rec.inputsOf(rec.one(T.policy, "data-policy")).policy);
        assert.deepEqual(doc.Statement.map((s: any) => [s.Sid, s.Effect]),
            [["DenyInsecureTransport", "Deny"], ["DenyInsecureReadsOutsideAllowedRanges", "Deny"], ["AllowWebsiteReadsFromAllowedRanges", "Allow"]]);
        assert.deepEqual(doc.Statement[2].Condition, { IpAddress: { "aws:SourceIp": WEBSITE.readableFrom } });
        assert.deepEqual(doc.Statement[1].Condition.NotIpAddress, { "aws:SourceIp": WEBSITE.readableFrom });
        assert.equal((await build()).sb.websiteEndpoint, undefined);
        assert.deepEqual((await build()).rec.ofType(T.website), []);
    });
    it("exposes the bucket's own name, ARN and regional domain", async () => {
        const { rec, sb } = await build();
        assert.equal(await resolved(sb.bucketName), "platform-test-data");
        assert.match(await resolved(sb.arn), /^arn:aws:s3:::platform-test-data$/);
        assert.match(await resolved(sb.bucketRegionalDomainName), /^platform-test-data\.s3\./);
        assert.equal(await resolved(sb.bucket.urn), rec.one(T.bucket, "data").urn);
        for (const r of rec.resources.filter((x) => x.custom && x.type.startsWith("aws:s3/"))) {
            assert.equal(r.parent, rec.one("platform:storage:SecureBucket", "data").urn, r.name);
        }
    });
    it("refuses bad arguments with messages that name the bucket, the argument and the value", () => {
        const err = (args: Partial<SecureBucketArgs>) => {
            try { validateSecureBucketArgs("b", { ...base, ...args }); } catch (e) { return (e as Error).message; }
            return "accepted";
        };
        assert.equal(err({ kmsKeyArn: undefined }), "SecureBucket b: set exactly one of kmsKeyArn (SSE-KMS) or sseS3 (a named SSE-S3 exception)");
        assert.equal(err({ kmsKeyArn: undefined, sseS3: "s3-website" }),
            'SecureBucket b: sseS3 "s3-website" is only for a bucket served through the S3 website endpoint (website is not set)');
        assert.equal(err({ website: WEBSITE }),
            'SecureBucket b: the S3 website endpoint cannot serve SSE-KMS objects to anonymous requests; set sseS3: "s3-website"');
        assert.equal(err({ kmsKeyArn: undefined, sseS3: "alb-log-delivery", website: WEBSITE }),
            'SecureBucket b: the S3 website endpoint cannot serve SSE-KMS objects to anonymous requests; set sseS3: "s3-website"');
        assert.equal(err({ kmsKeyArn: undefined, sseS3: "s3-website", website: { ...WEBSITE, readableFrom: [] } }),
            "SecureBucket b: website.readableFrom is empty; refusing a website bucket readable from nowhere or everywhere");
        assert.equal(err({ kmsKeyArn: undefined, sseS3: "s3-website", website: { ...WEBSITE, readableFrom: ["1.2.3.0/24", "::/0"] } }),
            "SecureBucket b: website.readableFrom contains a /0 range (that is public)");
        assert.equal(err({ kmsKeyArn: undefined, sseS3: "s3-website", website: { ...WEBSITE, readableFrom: ["10.0.0.0/10"] } }), "accepted");
        assert.equal(err({ isAccessLogTarget: true }), "SecureBucket b: set exactly one of accessLogBucket (where this bucket logs) or isAccessLogTarget");
        for (const days of [0, 1.5]) {
            assert.equal(err({ objectLock: { mode: "GOVERNANCE", days } }), `SecureBucket b: objectLock.days must be a whole number >= 1, got ${days}`);
            assert.equal(err({ noncurrentVersionExpiryDays: days }), `SecureBucket b: noncurrentVersionExpiryDays must be a whole number >= 1, got ${days}`);
            assert.equal(err({ expirationDays: days }), `SecureBucket b: expirationDays must be a whole number >= 1, got ${days}`);
        }
        assert.equal(err({ objectLock: { mode: "GOVERNANCE", days: 1 }, noncurrentVersionExpiryDays: 1, expirationDays: 1 }), "accepted");
        assert.match(err({ bucketName: "Bad_Name" }), /^SecureBucket b: bucket name "Bad_Name"/);
        assert.throws(() => new SecureBucket("x", { ...base, kmsKeyArn: undefined }), /SecureBucket x: set exactly one/);
    });
});
