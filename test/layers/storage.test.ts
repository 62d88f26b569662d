import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { CLOUDFLARE_RANGES } from "../../components";
import { RecordedResource, isSecret } from "../../offline/engine";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { encryptionPolicies } from "../../policy/encryption";
import { storagePolicies } from "../../policy/storage";
import { PlatformConfig } from "../../stacks/config";
import { StorageOutputs, buildStorage } from "../../stacks/layers/storage";
import { stackCache } from "../fixtures/stack-cache";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const WEBSITE = "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const PARAMETER = "aws:ssm/parameter:Parameter";

const ACCOUNT = "123456789012";
const VPCE = "vpce-0a1b2c3d4e5f60718";
const key = (region: string, cls: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${cls}-0000`;

interface Run { rec: Recorded; outputs: StorageOutputs; cfg: PlatformConfig }

async function build(stack: string): Promise<Run> {
    let outputs!: StorageOutputs;
    let config!: PlatformConfig;
    const rec = await recordWithStackConfig(stack, (cfg) => {
        config = cfg;
        const drProvider = cfg.dr.mode === "cross-region" ? new aws.Provider("aws-dr", { region: cfg.dr.region as aws.Region }) : undefined;
        outputs = buildStorage(cfg, {
            accountId: ACCOUNT,
            dataKeyArn: key(cfg.region, "data"), secretsKeyArn: key(cfg.region, "secrets"), backupsKeyArn: key(cfg.region, "backups"),
            drBackupsKeyArn: drProvider ? key(cfg.dr.region!, "dr-backups") : undefined,
            drProvider,
            s3GatewayEndpointId: VPCE,
            cloudflareRanges: CLOUDFLARE_RANGES,
            alertsTopicArn: `arn:aws:sns:${cfg.region}:${ACCOUNT}:alerts`,
        }, {});
    });
    return { rec, outputs, cfg: config };
}

const runs = stackCache<Promise<Run>>();
const run = (stack: string) => {
    if (!runs.has(stack)) runs.set(stack, build(stack));
    return runs.get(stack)!;
};

/** The one companion of `type` pointing at `bucket` through its `bucket` input. */
function companion(rec: Recorded, type: string, bucket: RecordedResource): Record<string, any> {
    const found = rec.pointingAt(type, "bucket", bucket);
    assert.equal(found.length, 1, `${bucket.name}: expected one ${type.split(":").pop()}, found ${found.length}`);
    return rec.inputsOf(found[0]);
}
const statementsOf = (rec: Recorded, bucket: RecordedResource): any[] => JSON.parse(companion(rec, POLICY, bucket).policy).Statement;
const bucketNamed = (rec: Recorded, name: string) => rec.one(BUCKET, name);

/** Buckets each stack has (component name => physical name), and which key (if any) encrypts them. */
function expectedBuckets(stack: string, cfg: PlatformConfig): Record<string, { name: string; key?: string; logsTo?: string }> {
    const p = `platform-${stack}`;
    const region = cfg.region;
    const logsTo = `${p}-access-logs`;
    const buckets: Record<string, { name: string; key?: string; logsTo?: string }> = {
        "access-logs": { name: `${p}-access-logs`, key: key(region, "data") },
        "alb-logs": { name: `${p}-alb-logs`, logsTo },
        evidence: { name: `${p}-evidence`, key: key(region, "data"), logsTo },
        documents: { name: `${p}-documents`, key: key(region, "data"), logsTo },
        backups: { name: `${p}-backups`, key: key(region, "backups"), logsTo },
        artifacts: { name: `${p}-artifacts`, key: key(region, "data"), logsTo },
        frontend: { name: `app.${cfg.edge.domain}`, key: key(region, "data"), logsTo },
    };
    if (stack === "prod-eu") {
        buckets["dr-access-logs"] = { name: `${p}-access-logs-eu-west-1`, key: key("eu-west-1", "dr-backups") };
        buckets["backups-replica"] = { name: `${p}-backups-eu-west-1`, key: key("eu-west-1", "dr-backups"), logsTo: `${p}-access-logs-eu-west-1` };
    }
    return buckets;
}

describe("storage layer (buildStorage)", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        describe(`stack ${stack}`, () => {
            it("builds exactly the expected buckets, each through SecureBucket, with deterministic names of at most 63 characters", async () => {
                const { rec, cfg } = await run(stack);
                const expected = expectedBuckets(stack, cfg);
                assert.deepEqual(rec.ofType(BUCKET).map((b) => b.name).sort(), Object.keys(expected).sort());
                for (const [name, { name: physical }] of Object.entries(expected)) {
                    const bucket = bucketNamed(rec, name);
                    assert.equal(rec.inputsOf(bucket).bucket, physical);
                    assert.ok(physical.length <= 63 && /^[a-z0-9][a-z0-9.-]+[a-z0-9]$/.test(physical), physical);
                    const parent = rec.resources.find((r) => r.urn === bucket.parent);
                    assert.equal(parent?.type, "platform:storage:SecureBucket", `${name} is not built by SecureBucket`);
                }
            });

            it("gives every bucket the full baseline: encryption, public access block, ownership, TLS-only policy, versioning, lifecycle, access " +
                "logging", async () => {
                const { rec, cfg } = await run(stack);
                for (const [name, want] of Object.entries(expectedBuckets(stack, cfg))) {
                    const bucket = bucketNamed(rec, name);
                    const rule = companion(rec, SSE, bucket).rules[0];
                    if (want.key) {
                        assert.deepEqual(rule.applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: want.key }, name);
                        assert.equal(rule.bucketKeyEnabled, true, name);
                    } else {
                        assert.ok(["alb-logs"].includes(name), `${name} is SSE-S3 but is not a named exception`);
                        assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", name);
                    }
                    const pab = companion(rec, PAB, bucket);
                    for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"])
                        assert.equal(pab[flag], true, `${name} ${flag}`);
                    assert.equal(companion(rec, OWNERSHIP, bucket).rule.objectOwnership, "BucketOwnerEnforced", name);
                    const tls = statementsOf(rec, bucket).find((s) => s.Sid === "DenyInsecureTransport");
                    assert.equal(tls?.Effect, "Deny", name);
                    assert.equal(tls.Principal, "*");
                    assert.deepEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
                    assert.deepEqual(tls.Resource, [`arn:aws:s3:::${want.name}`, `arn:aws:s3:::${want.name}/*`]);
                    assert.equal(tls.Action, "s3:*", name);
                    assert.equal(companion(rec, VERSIONING, bucket).versioningConfiguration.status, "Enabled", name);
                    const rules = companion(rec, LIFECYCLE, bucket).rules;
                    assert.equal(rules.find((r: any) => r.abortIncompleteMultipartUpload)?.abortIncompleteMultipartUpload.daysAfterInitiation, 7, name);
                    assert.equal(
                        rules.find((r: any) => r.noncurrentVersionExpiration)?.noncurrentVersionExpiration.noncurrentDays,
                        cfg.storage.noncurrentVersionExpiryDays,
                        name,
                    );
                    assert.ok(rules.every((r: any) => r.status === "Enabled"));
                    const logging = rec.pointingAt(LOGGING, "bucket", bucket);
                    if (want.logsTo) {
                        assert.equal(logging.length, 1, `${name} does not log`);
                        assert.equal(rec.inputsOf(logging[0]).targetBucket, want.logsTo, name);
                        assert.equal(rec.inputsOf(logging[0]).targetPrefix, `${want.name}/`);
                    } else {
                        assert.equal(logging.length, 0, `${name} is a log target and must not log to itself`);
                    }
                    assert.notEqual(rec.inputsOf(bucket).forceDestroy, true, name);
                }
            });

            it("locks evidence and backups with the configured Object Lock mode and days, set at creation and after versioning", async () => {
                const { rec } = await run(stack);
                const want = stack === "dev" ? { mode: "GOVERNANCE", days: 7 } : { mode: "COMPLIANCE", days: 2557 };
                const locked = ["evidence", "backups", ...(stack === "prod-eu" ? ["backups-replica"] : [])];
                for (const name of locked) {
                    const bucket = bucketNamed(rec, name);
                    assert.equal(rec.inputsOf(bucket).objectLockEnabled, true, name);
                    assert.equal(rec.inputsOf(bucket).tags["retention-class"], "object-lock");
                    const lock = rec.pointingAt(LOCK, "bucket", bucket);
                    assert.equal(lock.length, 1, name);
                    assert.deepEqual(rec.inputsOf(lock[0]).rule.defaultRetention, want, name);
                    const versioning = rec.pointingAt(VERSIONING, "bucket", bucket)[0];
                    assert.ok(lock[0].dependencies.includes(versioning.urn), `${name}: the lock must wait for versioning`);
                }
                for (const b of rec.ofType(BUCKET).filter((b) => !locked.includes(b.name))) {
                    assert.notEqual(rec.inputsOf(b).objectLockEnabled, true, b.name);
                    assert.equal(rec.pointingAt(LOCK, "bucket", b).length, 0, b.name);
                }
            });

            it("moves evidence to Glacier Deep Archive after the configured days and expires log buckets after retention", async () => {
                const { rec, cfg } = await run(stack);
                const rules = companion(rec, LIFECYCLE, bucketNamed(rec, "evidence")).rules;
                assert.deepEqual(rules.find((r: any) => r.transitions)?.transitions, [
                    { days: cfg.storage.evidenceDeepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
                ]);
                const albRules = companion(rec, LIFECYCLE, bucketNamed(rec, "alb-logs")).rules;
                assert.equal(albRules.find((r: any) => r.expiration)?.expiration.days, cfg.retention.logDays);
            });

            it("protects every bucket and secret in prod and none in dev, and never sets forceDestroy", async () => {
                const { rec } = await run(stack);
                const stateful = [...rec.ofType(BUCKET), ...rec.ofType(SECRET)];
                assert.ok(stateful.length >= 9);
                for (const r of stateful) assert.equal(r.protect, stack !== "dev", r.name);
                for (const r of rec.resources) assert.notEqual(r.inputs.forceDestroy, true, r.name);
            });

            it("lets evidence and documents objects be used only through the S3 gateway endpoint, by stack roles, AWS services or break-glass", async () => {
                const { rec } = await run(stack);
                for (const name of ["evidence", "documents"]) {
                    const deny = statementsOf(rec, bucketNamed(rec, name)).find((s) => s.Sid === "DenyObjectAccessOutsideVpcEndpointsAndStackRoles");
                    assert.equal(deny?.Effect, "Deny", name);
                    assert.deepEqual(deny.Action, ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]);
                    assert.deepEqual(deny.Condition.StringNotEquals, { "aws:SourceVpce": [VPCE] });
                    assert.deepEqual(deny.Condition.ArnNotLike["aws:PrincipalArn"], [
                        `arn:aws:iam::${ACCOUNT}:role/platform-${stack}-*`, `arn:aws:iam::${ACCOUNT}:role/break-glass*`, `arn:aws:iam::${ACCOUNT}:root`,
                    ]);
                    assert.deepEqual(deny.Condition.BoolIfExists, { "aws:PrincipalIsAWSService": "false" });
                    assert.ok(!JSON.stringify(deny.Action).includes("PutBucketPolicy"), "the deny never covers policy management (no lock-out)");
                }
                assert.equal(statementsOf(rec, bucketNamed(rec, "backups")).some((s) => s.Sid === "DenyObjectAccessOutsideVpcEndpointsAndStackRoles"), false);
            });

            it("admits ALB log delivery to the ALB's prefixes only, with SSE-S3", async () => {
                const { rec, cfg } = await run(stack);
                const name = `platform-${stack}-alb-logs`;
                const statements = statementsOf(rec, bucketNamed(rec, "alb-logs"));
                const service = statements.find((s) => s.Principal?.Service === "logdelivery.elasticloadbalancing.amazonaws.com");
                assert.equal(service.Action, "s3:PutObject");
                assert.deepEqual(service.Resource, [
                    `arn:aws:s3:::${name}/alb/access/AWSLogs/${ACCOUNT}/*`,
                    `arn:aws:s3:::${name}/alb/connections/AWSLogs/${ACCOUNT}/*`,
                ]);
                // eu-central-1 predates August 2022: its regional ELB account is granted too; il-central-1 has none.
                const legacy = statements.find((s) => s.Sid === "ElbLogDelivery");
                if (cfg.region === "eu-central-1") assert.equal(legacy?.Principal.AWS, "arn:aws:iam::054676820928:root");
                else assert.equal(legacy, undefined);
            });

            it("keeps the SPA bucket app.<domain> private: no website endpoint, no grant to anyone, SSE-KMS (the edge's Worker reads it signed)", async () => {
                const { rec, outputs } = await run(stack);
                const bucket = bucketNamed(rec, "frontend");
                assert.equal(rec.pointingAt(WEBSITE, "bucket", bucket).length, 0);
                assert.deepEqual(statementsOf(rec, bucket).filter((s) => s.Effect === "Allow"), []);
                assert.equal((outputs.buckets.frontend as any).websiteEndpoint, undefined);
            });

            it("encrypts every secret with the secrets key, with the environment's recovery window, under <prefix>/", async () => {
                const { rec, cfg } = await run(stack);
                const secrets = rec.ofType(SECRET);
                const names = secrets.map((s) => rec.inputsOf(s).name).sort();
                const want = ["jwt-signing-key", "logzio-shipping-token", ...(cfg.identity.provider === "workos" ? ["workos-api-key"] : [])]
                    .map((n) => `platform-${stack}/${n}`).sort();
                assert.deepEqual(names.filter((n) => !n.endsWith("/slack-webhook-url")), want);
                for (const s of secrets) {
                    assert.equal(rec.inputsOf(s).kmsKeyId, key(cfg.region, "secrets"), s.name);
                    assert.equal(rec.inputsOf(s).recoveryWindowInDays, stack === "dev" ? 7 : 30, s.name);
                    assert.equal(rec.inputsOf(s).tags.rotation, "manual", s.name);
                }
                for (const v of rec.ofType(SECRET_VERSION)) assert.ok(isSecret(v.inputs.secretString), `${v.name}: the value is not kept secret`);
                const jwt = rec.one("random:index/randomPassword:RandomPassword", "jwt-signing-key-value");
                assert.equal(jwt.inputs.length, 64);
                assert.equal(jwt.protect, stack !== "dev");
            });

            it("publishes non-secret runtime config under /<prefix>/ as String parameters", async () => {
                const { rec, cfg, outputs } = await run(stack);
                const params = Object.fromEntries(rec.ofType(PARAMETER).map((p) => [rec.inputsOf(p).name, rec.inputsOf(p)]));
                const path = `/platform-${stack}/`;
                assert.equal(outputs.parameterPath, path);
                assert.ok(Object.keys(params).every((n) => n.startsWith(path)));
                assert.equal(params[`${path}buckets/evidence`].value, `platform-${stack}-evidence`);
                assert.equal(params[`${path}buckets/frontend`].value, `app.${cfg.edge.domain}`);
                assert.equal(params[`${path}features/ai-workers`].value, String(stack === "prod-il"));
                // The default provider; prod-il routes its residency (Nimbus) tenants to Keycloak (identity/residency-provider).
                assert.equal(params[`${path}identity/provider`].value, "workos");
                assert.equal(params[`${path}identity/residency-provider`]?.value, stack === "prod-il" ? "keycloak" : undefined);
                assert.equal(params[`${path}region`].value, cfg.region);
                for (const p of Object.values<Record<string, any>>(params)) assert.equal(p.type, "String");
                assert.deepEqual(Object.keys(outputs.parameterArns).sort(), Object.keys(params).map((n) => n.slice(path.length)).sort());
            });

            it("is clean under the storage and encryption policies", async () => {
                const { rec } = await run(stack);
                const violations = await runPolicies([...storagePolicies, ...encryptionPolicies], rec.resources);
                assert.deepEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
            });
        });
    }

    it("replicates backups in prod-eu to a locked replica in eu-west-1 encrypted with the DR backups key, with a least-privilege role", async () => {
        const { rec, outputs } = await run("prod-eu");
        const replica = bucketNamed(rec, "backups-replica");
        assert.match(replica.provider ?? "", /::aws-dr::/);
        assert.equal(rec.inputsOf(replica).tags["bucket-purpose"], "backups-replica", "the DR copy is not itself a data bucket to back up");
        assert.match(bucketNamed(rec, "dr-access-logs").provider ?? "", /::aws-dr::/);
        assert.doesNotMatch(bucketNamed(rec, "backups").provider ?? "", /::aws-dr::/);
        const config = rec.ofType(REPLICATION);
        assert.equal(config.length, 1);
        assert.ok((config[0].propertyDependencies.bucket ?? []).includes(bucketNamed(rec, "backups").urn), "replication is configured on the backups bucket");
        const rule = rec.inputsOf(config[0]).rules[0];
        assert.equal(rule.status, "Enabled");
        assert.equal(rule.destination.bucket, "arn:aws:s3:::platform-prod-eu-backups-eu-west-1");
        assert.equal(rule.destination.encryptionConfiguration.replicaKmsKeyId, key("eu-west-1", "dr-backups"));
        assert.equal(rule.deleteMarkerReplication.status, "Disabled");
        assert.equal(rule.sourceSelectionCriteria.sseKmsEncryptedObjects.status, "Enabled");
        const versionings = ["backups", "backups-replica"].map((n) => rec.pointingAt(VERSIONING, "bucket", bucketNamed(rec, n))[0].urn);
        for (const v of versionings) assert.ok(config[0].dependencies.includes(v), "replication waits for versioning on both buckets");
        const role = rec.one("aws:iam/role:Role", "backups-replication-role");
        assert.equal(rec.inputsOf(role).name, "platform-prod-eu-backups-replication");
        const trust = JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement[0];
        assert.equal(trust.Principal.Service, "s3.amazonaws.com");
        assert.equal(trust.Condition.StringEquals["aws:SourceAccount"], ACCOUNT);
        const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "backups-replication-policy")).policy).Statement;
        for (const s of policy) assert.ok(!JSON.stringify(s.Resource).includes("\"*\"") && s.Resource !== "*", `${s.Sid} uses a * resource`);
        assert.deepEqual(policy.find((s: any) => s.Sid === "WriteReplicas").Resource, "arn:aws:s3:::platform-prod-eu-backups-eu-west-1/*");
        assert.equal(policy.find((s: any) => s.Sid === "EncryptReplicas").Condition.StringEquals["kms:ViaService"], "s3.eu-west-1.amazonaws.com");
        const replicaName = await new Promise<string>((resolve) => outputs.buckets.backupsReplica!.name.apply(resolve));
        assert.equal(replicaName, "platform-prod-eu-backups-eu-west-1");
    });

    it("keeps prod-il backups in-region (data residency) and dev without DR: no replica, no replication, nothing in another region", async () => {
        for (const stack of ["prod-il", "dev"]) {
            const { rec, outputs } = await run(stack);
            assert.equal(rec.ofType(REPLICATION).length, 0, stack);
            assert.equal(outputs.buckets.backupsReplica, undefined, stack);
            assert.ok(rec.resources.every((r) => !/::aws-dr::/.test(r.provider ?? "")), stack);
            assert.equal(rec.ofType("aws:iam/role:Role").length, 0, stack);
        }
    });

    it("refuses a cross-region stack built without the DR provider and key", async () => {
        await assert.rejects(recordWithStackConfig("prod-eu", (cfg) => buildStorage(cfg, {
            accountId: ACCOUNT, dataKeyArn: "k", secretsKeyArn: "k", backupsKeyArn: "k", s3GatewayEndpointId: VPCE, cloudflareRanges: CLOUDFLARE_RANGES,
            alertsTopicArn: "arn:aws:sns:eu-central-1:111122223333:alerts",
        }, {})), /drProvider or drBackupsKeyArn/);
    });
});
