import { strict as assert } from "assert";
import { RecordedResource } from "../offline/engine";
import { runPolicies } from "../offline/policy-runner";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as enc from "./encryption";
import * as st from "./storage";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const T = {
    bucket: "aws:s3/bucket:Bucket",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    website: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    acl: "aws:s3/bucketAcl:BucketAcl",
    secret: "aws:secretsmanager/secret:Secret",
    rotation: "aws:secretsmanager/secretRotation:SecretRotation",
};

const tlsDeny = (name: string) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const doc = (...statements: any[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

interface BucketSpec {
    purpose?: string;
    tags?: Record<string, string>;
    lock?: { mode: string; days: number };
    statements?: any[];
    transitions?: any[];
    omit?: string[];
    logTarget?: RecordedResource;
}

/** A bucket with the companions SecureBucket creates, joined through property dependencies; `omit` drops some. */
function securedBucket(name: string, spec: BucketSpec = {}): RecordedResource[] {
    const bucket = fake(T.bucket, name, {
        bucket: name,
        objectLockEnabled: spec.lock ? true : undefined,
        tags: { ...(spec.purpose ? { "bucket-purpose": spec.purpose } : {}), ...spec.tags },
    });
    const on = { bucket: [bucket] };
    const companions: Record<string, RecordedResource> = {
        sse: fake(
            T.sse,
            `${name}-sse`,
            { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }] },
            on,
        ),
        pab: fake(T.pab, `${name}-pab`, { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, on),
        ownership: fake(T.ownership, `${name}-ownership`, { rule: { objectOwnership: "BucketOwnerEnforced" } }, on),
        policy: fake(T.policy, `${name}-policy`, { policy: doc(tlsDeny(name), ...(spec.statements ?? [])) }, on),
        versioning: fake(T.versioning, `${name}-versioning`, { versioningConfiguration: { status: "Enabled" } }, on),
        lifecycle: fake(T.lifecycle, `${name}-lifecycle`, { rules: [
            { id: "abort", status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
            { id: "noncurrent", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } },
            ...(spec.transitions ? [{ id: "transitions", status: "Enabled", transitions: spec.transitions }] : []),
        ] }, on),
        ...(spec.logTarget ? {
            logging: fake(T.logging, `${name}-logging`, { targetBucket: spec.logTarget.inputs.bucket, targetPrefix: `${name}/` },
                { bucket: [bucket], targetBucket: [spec.logTarget] }),
        } : {}),
        ...(spec.lock ? { lock: fake(T.lock, `${name}-lock`, { rule: { defaultRetention: spec.lock } }, on) } : {}),
    };
    return [bucket, ...Object.entries(companions).filter(([k]) => !spec.omit?.includes(k)).map(([, r]) => r)];
}

/** A compliant log bucket and a compliant data bucket logging into it. */
function compliantPair(spec: BucketSpec = {}): RecordedResource[] {
    const logs = securedBucket("logs", { purpose: "access-logs" });
    return [...logs, ...securedBucket("data", { ...spec, logTarget: logs[0] })];
}

async function violations(policy: Parameters<typeof violationsOf>[0], resources: RecordedResource[], config?: Record<string, unknown>) {
    return (await violationsOf(policy, resources, config)).join("\n");
}

describe("storage policies", () => {
    describe("s3-tls-only", () => {
        it("passes a bucket whose joined policy denies aws:SecureTransport false", async () =>
            assert.equal(await violations(st.s3TlsOnly, compliantPair()), ""));
        it("flags a bucket without a bucket policy", async () =>
            assert.match(await violations(st.s3TlsOnly, compliantPair({ omit: ["policy"] })), /bucket data: has no bucket policy/));
        it("honours an exception tag with its reason on the website bucket, and only there", async () => {
            const name = "app.example.com";
            const ranges = ["173.245.48.0/20"];
            const statements = [
                {
                    Effect: "Deny",
                    Principal: "*",
                    NotAction: "s3:GetObject",
                    Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: `arn:aws:s3:::${name}/*`,
                    Condition: { IpAddress: { "aws:SourceIp": ranges } },
                },
            ];
            const reason = "The S3 website endpoint speaks HTTP only.";
            const [bucket, ...rest] = securedBucket(name, { omit: ["policy"], tags: { "compliance-exception:s3-tls-only": reason } });
            const policy = fake(T.policy, "app-policy", { policy: doc(...statements) }, { bucket: [bucket] });
            assert.equal(await violations(st.s3TlsOnly, [bucket, ...rest, policy]), "");
            const [plain, ...others] = securedBucket(name, { omit: ["policy"] });
            const samePolicy = fake(T.policy, "app-policy", { policy: doc(...statements) }, { bucket: [plain] });
            assert.match(await violations(st.s3TlsOnly, [plain, ...others, samePolicy]), /does not deny requests without TLS/);
        });
        it("flags a policy whose TLS deny covers only some actions", async () => {
            const rs = compliantPair();
            const policy = rs.find((r) => r.name === "data-policy")!;
            policy.inputs.policy = doc({ ...tlsDeny("data"), Action: "s3:PutObject" });
            assert.match(await violations(st.s3TlsOnly, rs), /does not deny requests without TLS/);
        });
    });

    describe("s3-public-access-block", () => {
        it("passes all four flags", async () => assert.equal(await violations(st.s3PublicAccessBlock, compliantPair()), ""));
        it("flags a block with restrictPublicBuckets off", async () => {
            const rs = compliantPair();
            rs.find((r) => r.name === "data-pab")!.inputs.restrictPublicBuckets = false;
            assert.match(await violations(st.s3PublicAccessBlock, rs), /leaves restrictPublicBuckets off/);
        });
        it("flags a bucket without one", async () =>
            assert.match(await violations(st.s3PublicAccessBlock, compliantPair({ omit: ["pab"] })), /no public access block/));
    });

    describe("s3-ownership-enforced", () => {
        it("passes BucketOwnerEnforced", async () => assert.equal(await violations(st.s3OwnershipEnforced, compliantPair()), ""));
        it("flags a bucket that keeps ACLs", async () =>
            assert.match(await violations(st.s3OwnershipEnforced, compliantPair({ omit: ["ownership"] })), /not BucketOwnerEnforced/));
        it("flags any BucketAcl resource", async () => {
            const rs = compliantPair();
            const acl = fake(T.acl, "data-acl", { acl: "public-read" }, { bucket: [rs.find((r) => r.name === "data")!] });
            assert.match(await violations(st.s3OwnershipEnforced, [...rs, acl]), /data-acl: bucket ACL resources are not allowed/);
        });
    });

    describe("bucket-policy-not-public", () => {
        const withAllow = (statement: any) => compliantPair({ statements: [statement] });
        it('passes an Allow to "*" restricted to fixed source IPs, and to a service principal', async () => {
            const rs = withAllow({
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::data/*",
                Condition: { IpAddress: { "aws:SourceIp": ["173.245.48.0/20"] } },
            });
            assert.equal(await violations(st.bucketPolicyNotPublic, rs), "");
        });
        it('flags an Allow to "*" without a condition', async () => {
            assert.match(
                await violations(
                    st.bucketPolicyNotPublic,
                    withAllow({ Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }),
                ),
                /Open allows "\*" without a condition/,
            );
        });
        it('flags an Allow to "*" whose condition does not fix the source (SecureTransport only)', async () => {
            assert.match(
                await violations(
                    st.bucketPolicyNotPublic,
                    withAllow({
                        Sid: "TlsOnly",
                        Effect: "Allow",
                        Principal: "*",
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::data/*",
                        Condition: { Bool: { "aws:SecureTransport": "true" } },
                    }),
                ),
                /TlsOnly allows/,
            );
        });
        it("flags a foreign account without a condition, but not the stack's own account or a trusted one", async () => {
            const ownKey = fake("aws:kms/key:Key", "k", {
                policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }),
            });
            const foreign = withAllow({
                Sid: "Foreign",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::999999999999:root" },
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::data/*",
            });
            assert.match(await violations(st.bucketPolicyNotPublic, [ownKey, ...foreign]), /Foreign allows account 999999999999/);
            assert.equal(await violations(st.bucketPolicyNotPublic, [ownKey, ...foreign], { trustedAccountIds: ["999999999999"] }), "");
            const own = withAllow({
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111111111111:role/app" },
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::data/*",
            });
            assert.equal(await violations(st.bucketPolicyNotPublic, [ownKey, ...own]), "");
        });
    });

    describe("s3-versioning", () => {
        it("passes versioning Enabled", async () => assert.equal(await violations(st.s3Versioning, compliantPair()), ""));
        it("flags suspended versioning", async () => {
            const rs = compliantPair();
            rs.find((r) => r.name === "data-versioning")!.inputs.versioningConfiguration.status = "Suspended";
            assert.match(await violations(st.s3Versioning, rs), /bucket data: versioning is not enabled/);
        });
    });

    describe("s3-object-lock", () => {
        const lock = { mode: "COMPLIANCE", days: 2557 };
        it("passes an evidence bucket created with Object Lock and a default retention", async () => {
            assert.equal(await violations(st.s3ObjectLock, compliantPair({ purpose: "evidence", lock, tags: PROD_TAGS })), "");
        });
        it("leaves buckets that are neither evidence nor backups alone", async () =>
            assert.equal(await violations(st.s3ObjectLock, compliantPair({ purpose: "documents" })), ""));
        it("flags an evidence bucket without Object Lock", async () => {
            assert.match(await violations(st.s3ObjectLock, compliantPair({ purpose: "evidence" })), /bucket data: must be created with objectLockEnabled/);
        });
        it("flags a bucket named like backups without the tag, too", async () => {
            const rs = securedBucket("platform-prod-eu-backups");
            assert.match(await violations(st.s3ObjectLock, rs), /platform-prod-eu-backups: must be created with objectLockEnabled/);
        });
        it("flags Object Lock enabled without a default retention", async () => {
            assert.match(
                await violations(st.s3ObjectLock, compliantPair({ purpose: "backups", lock, omit: ["lock"] })),
                /no Object Lock configuration with a default retention/,
            );
        });
        it("flags GOVERNANCE mode in prod", async () => {
            assert.match(
                await violations(st.s3ObjectLock, compliantPair({ purpose: "evidence", lock: { mode: "GOVERNANCE", days: 7 }, tags: PROD_TAGS })),
                /prod requires COMPLIANCE/,
            );
        });
    });

    describe("s3-lifecycle", () => {
        it("passes abort-multipart and noncurrent-expiry rules (and Deep Archive for evidence)", async () => {
            assert.equal(
                await violations(st.s3Lifecycle, compliantPair({ purpose: "evidence", transitions: [{ days: 365, storageClass: "DEEP_ARCHIVE" }] })),
                "",
            );
        });
        it("flags a bucket without a lifecycle configuration", async () =>
            assert.match(await violations(st.s3Lifecycle, compliantPair({ omit: ["lifecycle"] })), /no enabled lifecycle rules/));
        it("flags evidence that never reaches Deep Archive", async () =>
            assert.match(await violations(st.s3Lifecycle, compliantPair({ purpose: "evidence" })), /move evidence to DEEP_ARCHIVE/));
    });

    describe("s3-access-logging", () => {
        it("passes a bucket logging to the log bucket, which is itself exempt", async () =>
            assert.equal(await violations(st.s3AccessLogging, compliantPair()), ""));
        it("flags a bucket that does not log", async () =>
            assert.match(await violations(st.s3AccessLogging, securedBucket("data")), /bucket data: has no server access logging/));
    });

    describe("secrets-rotation", () => {
        const secret = fake(T.secret, "db", { kmsKeyId: KEY, tags: { rotation: "lambda" } });
        it("passes a Lambda-rotated secret with a SecretRotation within the limit, and a manual one", async () => {
            const rotation = fake(
                T.rotation,
                "db-rotation",
                { rotationLambdaArn: "arn:aws:lambda:eu-central-1:111111111111:function:rotate", rotationRules: { automaticallyAfterDays: 30 } },
                { secretId: [secret] },
            );
            const manual = fake(T.secret, "jwt", { kmsKeyId: KEY, tags: { rotation: "manual" } });
            assert.equal(await violations(st.secretsRotation, [secret, rotation, manual]), "");
        });
        it("flags a Lambda-rotated secret without a SecretRotation", async () =>
            assert.match(await violations(st.secretsRotation, [secret]), /secret db has a rotation Lambda but no SecretRotation/));
        it("flags a schedule longer than maxRotationDays", async () => {
            const rotation = fake(T.rotation, "db-rotation", { rotationRules: { automaticallyAfterDays: 365 } }, { secretId: [secret] });
            assert.match(await violations(st.secretsRotation, [secret, rotation]), /less often than every 90 days/);
        });
    });

    describe("protect-stateful", () => {
        it("passes protected prod buckets, keys and secrets, and unprotected dev ones", async () => {
            const prod = [T.bucket, "aws:kms/key:Key", T.secret, "aws:rds/instance:Instance", "aws:backup/vault:Vault"].map((t, i) =>
                fake(t, `r${i}`, { tags: PROD_TAGS }, {}, { protect: true }),
            );
            const dev = fake(T.bucket, "dev", { tags: { ...PROD_TAGS, environment: "dev" } });
            assert.equal(await violations(st.protectStateful, [...prod, dev]), "");
        });
        it("flags an unprotected prod bucket and a prod bucket with forceDestroy", async () => {
            const out = await violations(st.protectStateful, [
                fake(T.bucket, "open", { tags: PROD_TAGS }),
                fake(T.bucket, "wipe", { tags: PROD_TAGS, forceDestroy: true }, {}, { protect: true }),
            ]);
            assert.match(out, /open: prod Bucket is not protected/);
            assert.match(out, /wipe: forceDestroy is set/);
        });
    });

    describe("the pack against a bucket built without SecureBucket", () => {
        it("flags a bare bucket under every S3 baseline policy", async () => {
            const bare = fake(T.bucket, "bare", { bucket: "platform-prod-eu-bare", tags: PROD_TAGS });
            const fired = new Set((await runPolicies([...st.storagePolicies, ...enc.encryptionPolicies], [bare])).map((v) => v.policy));
            for (const policy of [
                "s3-sse-kms",
                "s3-tls-only",
                "s3-public-access-block",
                "s3-ownership-enforced",
                "s3-versioning",
                "s3-lifecycle",
                "s3-access-logging",
                "protect-stateful",
            ]) {
                assert.ok(fired.has(policy), `${policy} did not flag the bare bucket`);
            }
        });
        it("flags a bare bucket named as evidence under s3-object-lock as well", async () => {
            const bare = fake(T.bucket, "bare", { bucket: "platform-prod-eu-evidence" });
            assert.match(await violations(st.s3ObjectLock, [bare]), /must be created with objectLockEnabled/);
        });
    });

    describe("s3-sse-kms: exceptions are explicit, not recognised by shape", () => {
        const sseS3 = (tags: Record<string, string>, extra: RecordedResource[] = []) => {
            const [bucket, ...rest] = securedBucket("alb-logs", { omit: ["sse"], tags });
            return [
                bucket,
                ...rest,
                ...extra,
                fake(T.sse, "alb-logs-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { bucket: [bucket] }),
            ];
        };
        it("accepts SSE-S3 on a bucket whose exception tag gives the reason", async () => {
            const rs = sseS3({ "compliance-exception:s3-sse-kms": "ALB access log delivery supports only SSE-S3 on the target bucket." });
            assert.equal(await violations(enc.s3SseKms, rs), "");
        });
        it("rejects SSE-S3 without the tag, even on a bucket shaped like the ALB log bucket (Sid ElbLogDelivery)", async () => {
            const grant = {
                Sid: "ElbLogDelivery",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::054676820928:root" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::alb-logs/AWSLogs/111111111111/*",
            };
            const rs = sseS3({}).map((r) => (r.type === T.policy ? { ...r, inputs: { policy: doc(tlsDeny("alb-logs"), grant) } } : r));
            assert.match(await violations(enc.s3SseKms, rs), /not encrypted with a customer-managed KMS key/);
        });
        it("an exception for one policy does not excuse another", async () => {
            const rs = sseS3({ "compliance-exception:s3-versioning": "Not a reason for encryption." });
            assert.match(await violations(enc.s3SseKms, rs), /not encrypted with a customer-managed KMS key/);
        });
    });

    describe("bucket-policy-not-public: ALB log delivery by AWS's published ELB accounts", () => {
        const grant = (account: string, resource = "arn:aws:s3:::alb-logs/AWSLogs/111111111111/*") =>
            ({ Sid: "AnyName", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "s3:PutObject", Resource: resource });
        it("accepts PutObject under AWSLogs/ by a regional ELB account, whatever the Sid", async () => {
            const [bucket, ...rest] = securedBucket("alb-logs", { statements: [grant("054676820928")] });
            assert.equal(await violations(st.bucketPolicyNotPublic, [bucket, ...rest]), "");
        });
        it("flags the same grant to an account that is not an ELB account", async () => {
            const [bucket, ...rest] = securedBucket("alb-logs", { statements: [grant("222222222222")] });
            assert.match(await violations(st.bucketPolicyNotPublic, [bucket, ...rest]), /allows account 222222222222 without a condition/);
        });
        it("flags an ELB account granted more than log delivery", async () => {
            const [bucket, ...rest] = securedBucket("alb-logs", { statements: [grant("054676820928", "arn:aws:s3:::alb-logs/*")] });
            assert.match(await violations(st.bucketPolicyNotPublic, [bucket, ...rest]), /allows account 054676820928/);
        });
    });
});
