import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import type { RecordedResource } from "../offline/engine";
import * as storage from "./storage";

// One case per check of the S3 policies, each bucket on its own graph (storage.test.ts holds the pass/flag pairs).
const BUCKET = "aws:s3/bucket:Bucket";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const bucketWith = (companions: Array<[string, Record<string, any>]>, inputs: Record<string, any> = {}) => {
    const bucket = fake(BUCKET, "b", inputs);
    return [bucket, ...companions.map(([type, props], i) => fake(type, `c${i}`, props, { bucket: [bucket] }))];
};
const judge = (policy: typeof storage.s3TlsOnly, resources: RecordedResource[], config: Record<string, unknown> = {}) =>
    violationsOf(policy, resources, config);

describe("S3 policies, one check at a time", () => {
    describe("s3-tls-only", () => {
        const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
        const deny = (extra: object) => ({ Effect: "Deny", Principal: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra });
        it("accepts a deny of s3:* or * to everyone without TLS", async () => {
            for (const Action of ["s3:*", ["*"]])
                assert.deepEqual(await judge(storage.s3TlsOnly, bucketWith([[POLICY, { policy: doc(deny({ Action })) }]])), [], JSON.stringify(Action));
        });
        it("rejects a deny of some actions, an Allow, a deny to one account, or on SecureTransport true", async () => {
            for (const s of [
                deny({ Action: "s3:GetObject" }),
                deny({ Action: "s3:*", Effect: "Allow" }),
                deny({ Action: "s3:*", Principal: { AWS: "arn:aws:iam::111111111111:root" } }),
                deny({ Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
                deny({ Action: "s3:*", Condition: { StringEquals: { "aws:SecureTransport": "false" } } }),
            ]) {
                assert.deepEqual(
                    await judge(storage.s3TlsOnly, bucketWith([[POLICY, { policy: doc(s) }]])),
                    ["bucket b: its bucket policy does not deny requests without TLS (aws:SecureTransport false)"],
                    JSON.stringify(s),
                );
            }
        });
    });

    describe("s3-public-access-block", () => {
        const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
        const ALL = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
        it("names each setting left off", async () => {
            for (const flag of Object.keys(ALL)) {
                assert.deepEqual(await judge(storage.s3PublicAccessBlock, bucketWith([[PAB, { ...ALL, [flag]: false }]])), [
                    `bucket b: public access block leaves ${flag} off`,
                ]);
            }
        });
        it("reads the four settings across the bucket's blocks", async () => {
            const { blockPublicAcls: _a, ...rest } = ALL;
            assert.deepEqual(
                await judge(
                    storage.s3PublicAccessBlock,
                    bucketWith([
                        [PAB, rest],
                        [PAB, { blockPublicAcls: true }],
                    ]),
                ),
                [],
            );
        });
    });

    describe("s3-ownership-enforced", () => {
        const OWN = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
        const enforced = [OWN, { rule: { objectOwnership: "BucketOwnerEnforced" } }] as [string, Record<string, any>];
        it("flags an inline acl or grants even with ownership enforced", async () => {
            for (const inline of [{ acl: "private" }, { grants: [] }]) {
                assert.deepEqual(
                    await judge(storage.s3OwnershipEnforced, bucketWith([enforced], inline)),
                    ["bucket b: sets an ACL inline (acl/grants)"],
                    JSON.stringify(inline),
                );
            }
        });
        it("flags ObjectWriter and BucketOwnerPreferred ownership", async () => {
            for (const objectOwnership of ["ObjectWriter", "BucketOwnerPreferred"]) {
                assert.deepEqual(await judge(storage.s3OwnershipEnforced, bucketWith([[OWN, { rule: [{ objectOwnership }] }]])), [
                    "bucket b: object ownership is not BucketOwnerEnforced (ACLs stay enabled)",
                ]);
            }
            assert.deepEqual(await judge(storage.s3OwnershipEnforced, bucketWith([enforced])), []);
        });
    });

    describe("bucket-policy-not-public", () => {
        const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
        const KEY = "aws:kms/key:Key";
        const own = (account: string, Effect = "Allow") =>
            fake(KEY, "k", { policy: doc({ Effect, Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }) });
        const grant = (Principal: unknown, extra: object = {}) =>
            fake(POLICY, "bp", { policy: doc({ Sid: "Grant", Effect: "Allow", Principal, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...extra }) });
        it("flags a foreign account by root ARN, role ARN, STS session or bare id; not the stack's own account", async () => {
            for (const principal of [
                "arn:aws:iam::222222222222:root",
                "arn:aws:iam::222222222222:role/x",
                "arn:aws:sts::222222222222:assumed-role/x/s",
                "222222222222",
            ]) {
                assert.deepEqual(
                    await judge(storage.bucketPolicyNotPublic, [own("111111111111"), grant({ AWS: principal })]),
                    ["bp: statement Grant allows account 222222222222 without a condition"],
                    principal,
                );
            }
            assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [own("111111111111"), grant({ AWS: "arn:aws:iam::111111111111:role/x" })]), []);
        });
        it("learns the own account only from Allow statements to an account root in a key policy", async () => {
            assert.equal((await judge(storage.bucketPolicyNotPublic, [own("222222222222", "Deny"), grant({ AWS: "222222222222" })])).length, 1);
            const rootLike = fake(KEY, "k", {
                policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:rootx" }, Action: "kms:*", Resource: "*" }),
            });
            assert.equal((await judge(storage.bucketPolicyNotPublic, [rootLike, grant({ AWS: "222222222222" })])).length, 1);
        });
        it("does not read a principal that is not an account: a malformed id or a service", async () => {
            for (const AWS of ["2222222222223", "x222222222222", "arn:aws:iam::22222222222:root"]) {
                assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [grant({ AWS })]), [], AWS);
            }
            assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [grant({ Service: "logging.s3.amazonaws.com" })]), []);
        });
        it("accepts a foreign account with a condition, a trusted account from config, and a Deny", async () => {
            assert.deepEqual(
                await judge(storage.bucketPolicyNotPublic, [grant({ AWS: "222222222222" }, { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } })]),
                [],
            );
            assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [grant({ AWS: "222222222222" })], { trustedAccountIds: ["222222222222"] }), []);
            assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [grant({ AWS: "222222222222" }, { Effect: "Deny" })]), []);
        });
        it("accepts the documented ELB log-delivery grant and nothing wider from the same account", async () => {
            const elb = "054676820928"; // eu-central-1's ELB account, from AWS's published list
            const put = { Action: "s3:PutObject", Resource: "arn:aws:s3:::b/AWSLogs/111111111111/*" };
            assert.deepEqual(await judge(storage.bucketPolicyNotPublic, [grant({ AWS: `arn:aws:iam::${elb}:root` }, put)]), []);
            for (const wider of [
                { ...put, Action: ["s3:PutObject", "s3:GetObject"] },
                { ...put, Resource: "arn:aws:s3:::b/*" },
                { ...put, Resource: "arn:aws:s3:::b/AWSLogs/111111111111/*x" },
            ]) {
                assert.equal(
                    (await judge(storage.bucketPolicyNotPublic, [grant({ AWS: `arn:aws:iam::${elb}:root` }, wider)])).length,
                    1,
                    JSON.stringify(wider),
                );
            }
            assert.equal((await judge(storage.bucketPolicyNotPublic, [grant({ AWS: [`arn:aws:iam::${elb}:root`, "222222222222"] }, put)])).length, 1);
        });
    });

    describe("s3-versioning, s3-object-lock, s3-lifecycle, s3-access-logging", () => {
        const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
        const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
        const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
        it("versioning must be Enabled, not Suspended", async () => {
            assert.deepEqual(await judge(storage.s3Versioning, bucketWith([[VERSIONING, { versioningConfiguration: { status: "Suspended" } }]])), [
                "bucket b: versioning is not enabled",
            ]);
            assert.deepEqual(await judge(storage.s3Versioning, bucketWith([[VERSIONING, { versioningConfiguration: [{ status: "Enabled" }] }]])), []);
        });
        it("object lock: required by purpose, retention-class tag or name; needs a mode and a positive period", async () => {
            const lockOf = (defaultRetention: object) => [LOCK, { rule: { defaultRetention } }] as [string, Record<string, any>];
            const evidence = { objectLockEnabled: true, tags: { ...PROD_TAGS, "bucket-purpose": "evidence" } };
            assert.deepEqual(await judge(storage.s3ObjectLock, bucketWith([lockOf({ mode: "COMPLIANCE", years: 7 })], evidence)), []);
            for (const bad of [{ mode: "COMPLIANCE", days: 0 }, { mode: "LEGAL", days: 30 }, {}]) {
                assert.deepEqual(
                    await judge(storage.s3ObjectLock, bucketWith([lockOf(bad)], evidence)),
                    ["bucket b: has no Object Lock configuration with a default retention (mode and days)"],
                    JSON.stringify(bad),
                );
            }
            assert.deepEqual(await judge(storage.s3ObjectLock, bucketWith([lockOf({ mode: "GOVERNANCE", days: 30 })], evidence)), [
                "bucket b: uses GOVERNANCE retention; prod requires COMPLIANCE",
            ]);
            for (const inputs of [{ tags: { "retention-class": "object-lock" } }, { bucket: "acme-prod-backups" }]) {
                assert.deepEqual(
                    await judge(storage.s3ObjectLock, bucketWith([], inputs)),
                    ["bucket b: must be created with objectLockEnabled (evidence/backups; it cannot be added later)"],
                    JSON.stringify(inputs),
                );
            }
            assert.deepEqual(await judge(storage.s3ObjectLock, bucketWith([], { bucket: "acme-prod-assets" })), []);
        });
        it("lifecycle: only Enabled rules count, each requirement on its own", async () => {
            const rules = (...r: object[]) => [LIFECYCLE, { rules: r }] as [string, Record<string, any>];
            const abort = { abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                expire = { noncurrentVersionExpiration: { noncurrentDays: 30 } };
            assert.deepEqual(await judge(storage.s3Lifecycle, bucketWith([rules({ status: "Disabled", ...abort, ...expire })])), [
                "bucket b: has no enabled lifecycle rules",
            ]);
            assert.deepEqual(
                await judge(
                    storage.s3Lifecycle,
                    bucketWith([rules({ status: "Enabled", ...expire, abortIncompleteMultipartUpload: { daysAfterInitiation: 0 } })]),
                ),
                ["bucket b: lifecycle rules do not abort incomplete multipart uploads"],
            );
            assert.deepEqual(await judge(storage.s3Lifecycle, bucketWith([rules({ status: "Enabled", ...abort })])), [
                "bucket b: lifecycle rules do not expire noncurrent versions",
            ]);
            const evidence = { tags: { "bucket-purpose": "evidence" } };
            assert.deepEqual(
                await judge(
                    storage.s3Lifecycle,
                    bucketWith([rules({ status: "Enabled", ...abort, ...expire, transitions: [{ storageClass: "GLACIER", days: 30 }] })], evidence),
                ),
                ["bucket b: lifecycle rules do not move evidence to DEEP_ARCHIVE"],
            );
            assert.deepEqual(
                await judge(
                    storage.s3Lifecycle,
                    bucketWith([rules({ status: "Enabled", ...abort, ...expire, transitions: [{ storageClass: "DEEP_ARCHIVE", days: 30 }] })], evidence),
                ),
                [],
            );
        });
        it("access logging: a log target and an access-logs bucket are exempt; others need a target", async () => {
            const LOGGING = "aws:s3/bucketLogging:BucketLogging";
            const target = fake(BUCKET, "logs", {});
            const source = fake(BUCKET, "src", {});
            const logging = fake(LOGGING, "src-logging", {}, { bucket: [source], targetBucket: [target] });
            assert.deepEqual(await judge(storage.s3AccessLogging, [target, source, logging]), []);
            assert.deepEqual(await judge(storage.s3AccessLogging, [fake(BUCKET, "al", { tags: { "bucket-purpose": "access-logs" } })]), []);
            const byName = fake(BUCKET, "n", {});
            assert.deepEqual(
                await judge(storage.s3AccessLogging, [byName, fake(LOGGING, "n-logging", { targetBucket: "logs-bucket" }, { bucket: [byName] })]),
                [],
            );
            assert.deepEqual(await judge(storage.s3AccessLogging, [byName, fake(LOGGING, "n-logging", {}, { bucket: [byName] })]), [
                "bucket n: has no server access logging",
            ]);
        });
    });
});
