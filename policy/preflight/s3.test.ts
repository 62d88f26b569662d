import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightAlbLogBucketEncryption, preflightBlockPublicAccess, preflightObjectLockPrerequisites, publicReason } from "./s3";

const bucket = (name: string, extra: Record<string, unknown> = {}) => fake("aws:s3/bucket:Bucket", name, { bucket: name, ...extra });

describe("preflight S3", () => {
    describe("preflight-object-lock-prerequisites", () => {
        const lock = (b: ReturnType<typeof bucket>) => fake("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", `${b.name}-lock`, {},
            { bucket: [b] });
        const versioning = (b: ReturnType<typeof bucket>) => fake("aws:s3/bucketVersioning:BucketVersioning", `${b.name}-versioning`,
            { versioningConfiguration: { status: "Enabled" } }, { bucket: [b] });
        it("passes a lock on a bucket created with Object Lock and versioning", async () => {
            const b = bucket("evidence", { objectLockEnabled: true });
            assert.deepEqual(await violationsOf(preflightObjectLockPrerequisites, [b, versioning(b), lock(b)]), []);
        });
        it("flags a lock on a bucket created without Object Lock and without versioning", async () => {
            const b = bucket("evidence");
            assert.deepEqual(await violationsOf(preflightObjectLockPrerequisites, [b, lock(b)]),
                ["evidence-lock: bucket evidence was not created with objectLockEnabled", "evidence-lock: bucket evidence has no versioning Enabled"]);
        });
    });

    describe("preflight-block-public-access", () => {
        const read = (ranges: string[]) => ({ Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::app/*",
            Condition: { IpAddress: { "aws:SourceIp": ranges } } });
        it("counts /8 IPv4 and /32 IPv6 as non-public, /7 and /29 as public", () => {
            assert.equal(publicReason(read(["10.0.0.0/8", "2a06:98c0::/32"])), undefined);
            assert.match(publicReason(read(["173.245.48.0/20", "2a06:98c0::/29"]))!, /2a06:98c0::\/29/);
            assert.match(publicReason(read(["8.0.0.0/7"]))!, /8\.0\.0\.0\/7/);
            assert.match(publicReason({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" })!, /without a condition/);
        });
        it("flags today's frontend policy (IPv6 /29) on a bucket whose BPA blocks public policies", async () => {
            const b = bucket("app.complyhub.io");
            const pab = fake("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "frontend-pab", { blockPublicPolicy: true }, { bucket: [b] });
            const policy = fake("aws:s3/bucketPolicy:BucketPolicy", "frontend-policy",
                { policy: JSON.stringify({ Statement: [read(["2a06:98c0::/29"])] }) }, { bucket: [b] });
            assert.match((await violationsOf(preflightBlockPublicAccess, [b, pab, policy])).join(),
                /frontend-policy: statement Read allows "\*" from 2a06:98c0::\/29.*PutBucketPolicy fails/);
        });
        it("passes the same policy split into /32s, and a broad policy on a bucket without blockPublicPolicy", async () => {
            const b = bucket("app.complyhub.io");
            const pab = fake("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "frontend-pab", { blockPublicPolicy: true }, { bucket: [b] });
            const split = Array.from({ length: 8 }, (_, i) => `2a06:98c${i}::/32`);
            const ok = fake("aws:s3/bucketPolicy:BucketPolicy", "frontend-policy", { policy: JSON.stringify({ Statement: [read(split)] }) }, { bucket: [b] });
            assert.deepEqual(await violationsOf(preflightBlockPublicAccess, [b, pab, ok]), []);
            const open = bucket("open");
            const broad = fake("aws:s3/bucketPolicy:BucketPolicy", "open-policy", { policy: JSON.stringify({ Statement: [read(["::/0"])] }) },
                { bucket: [open] });
            assert.deepEqual(await violationsOf(preflightBlockPublicAccess, [open, broad]), []);
        });
    });

    describe("preflight-alb-log-bucket-encryption", () => {
        const lb = (b: ReturnType<typeof bucket>) => fake("aws:lb/loadBalancer:LoadBalancer", "origin", { accessLogs: { enabled: true,
            bucket: b.inputs.bucket } }, { accessLogs: [b] });
        const sse = (b: ReturnType<typeof bucket>,
            sseAlgorithm: string) => fake("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${b.name}-sse`, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm } }] }, { bucket: [b] });
        it("passes an SSE-S3 log bucket and flags an SSE-KMS one", async () => {
            const b = bucket("alb-logs");
            assert.deepEqual(await violationsOf(preflightAlbLogBucketEncryption, [b, sse(b, "AES256"), lb(b)]), []);
            assert.deepEqual(await violationsOf(preflightAlbLogBucketEncryption, [b, sse(b, "aws:kms"), lb(b)]),
                ["origin: accessLogs bucket alb-logs is encrypted with SSE-KMS; ELB writes logs only to SSE-S3 buckets"]);
        });
    });
});
