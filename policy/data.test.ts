import { strict as assert } from "assert";
import { PlatformPolicy } from "./lib/kit";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as data from "./data";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const DEV_TAGS = { ...PROD_TAGS, environment: "dev" };
const RDS = data.RDS_INSTANCE;
const RG = data.REPLICATION_GROUP;

/** A primary that passes every data policy. */
const goodPrimary = {
    engine: "postgres", publiclyAccessible: false, multiAz: true, backupRetentionPeriod: 35, copyTagsToSnapshot: true,
    deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final", enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    iamDatabaseAuthenticationEnabled: true, monitoringInterval: 30, monitoringRoleArn: "arn:aws:iam::111111111111:role/m", performanceInsightsEnabled: true,
    autoMinorVersionUpgrade: true, manageMasterUserPassword: true, masterUserSecretKmsKeyId: KEY, tags: PROD_TAGS,
};
const replica = { ...goodPrimary, engine: undefined, replicateSourceDb: "db", multiAz: false, backupRetentionPeriod: 0, copyTagsToSnapshot: true,
    skipFinalSnapshot: true, finalSnapshotIdentifier: undefined, manageMasterUserPassword: undefined, masterUserSecretKmsKeyId: undefined };
const goodRedis = { transitEncryptionEnabled: true, transitEncryptionMode: "required", authToken: "t", automaticFailoverEnabled: true, multiAzEnabled: true,
    snapshotRetentionLimit: 7, tags: PROD_TAGS };

/** Each resource policy with one compliant and one non-compliant resource. */
const cases: Array<[PlatformPolicy, string, Record<string, any>, Record<string, any>, RegExp]> = [
    [data.rdsNotPublic, RDS, goodPrimary, { ...goodPrimary, publiclyAccessible: true }, /publicly accessible/],
    [data.rdsMultiAz, RDS, goodPrimary, { ...goodPrimary, multiAz: false }, /not Multi-AZ/],
    [data.rdsBackups, RDS, goodPrimary, { ...goodPrimary, backupRetentionPeriod: 7 }, /7 days; at least 35/],
    [data.rdsDeletionProtection, RDS, goodPrimary, { ...goodPrimary, deletionProtection: false }, /no deletion protection/],
    [data.rdsLogs, RDS, goodPrimary, { ...goodPrimary, enabledCloudwatchLogsExports: ["postgresql"] }, /does not export upgrade/],
    [data.rdsIamAuth, RDS, goodPrimary, { ...goodPrimary, iamDatabaseAuthenticationEnabled: false }, /IAM database authentication is off/],
    [data.rdsMonitoring, RDS, goodPrimary, { ...goodPrimary, monitoringInterval: 0 }, /enhanced monitoring is off/],
    [data.rdsMinorUpgrades, RDS, goodPrimary, { ...goodPrimary, autoMinorVersionUpgrade: false }, /minor version upgrades are off/],
    [data.rdsManagedPassword, RDS, goodPrimary, { ...goodPrimary, manageMasterUserPassword: false, password: "hunter2" }, /sets a master password/],
    [
        data.rdsProxyTls,
        data.RDS_PROXY,
        { requireTls: true, auths: [{ iamAuth: "REQUIRED", secretArn: "s" }] },
        { requireTls: true, auths: [{ iamAuth: "DISABLED", secretArn: "s" }] },
        /IAM authentication/,
    ],
    [data.redisInTransit, RG, goodRedis, { ...goodRedis, transitEncryptionMode: "preferred" }, /mode is preferred/],
    [data.redisFailover, RG, goodRedis, { ...goodRedis, automaticFailoverEnabled: false }, /no automatic failover/],
    [
        data.dataTierSgOnly,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-1" },
        { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16" },
        /port 5432 from 10.0.0.0\/16/,
    ],
];

describe("data policies", () => {
    for (const [policy, type, good, bad, expected] of cases) {
        describe(policy.name, () => {
            it("passes a compliant resource", async () => assert.deepEqual(await violationsOf(policy, [fake(type, "good", good)]), []));
            it("flags a non-compliant resource", async () => assert.match((await violationsOf(policy, [fake(type, "bad", bad)])).join("\n"), expected));
        });
    }

    describe("exemptions and thresholds", () => {
        it("exempts read replicas from Multi-AZ, backups, final snapshot and managed-password rules", async () => {
            for (const policy of [data.rdsMultiAz, data.rdsBackups, data.rdsDeletionProtection, data.rdsManagedPassword]) {
                assert.deepEqual(await violationsOf(policy, [fake(RDS, "replica", replica)]), [], policy.name);
            }
        });
        it("rds-deletion-protection flags a prod primary that skips its final snapshot", async () => {
            assert.match(
                (await violationsOf(data.rdsDeletionProtection, [fake(RDS, "db", { ...goodPrimary, skipFinalSnapshot: true })])).join(),
                /without a final snapshot/,
            );
        });
        it("does not hold dev to Multi-AZ, deletion protection or 35-day backups", async () => {
            const dev = { ...goodPrimary, tags: DEV_TAGS, multiAz: false, deletionProtection: false, skipFinalSnapshot: true, backupRetentionPeriod: 7 };
            for (const policy of [data.rdsMultiAz, data.rdsBackups, data.rdsDeletionProtection])
                assert.deepEqual(await violationsOf(policy, [fake(RDS, "dev", dev)]), [], policy.name);
        });
        it("rds-backups takes its prod minimum from config and always requires copyTagsToSnapshot", async () => {
            assert.deepEqual(
                await violationsOf(data.rdsBackups, [fake(RDS, "db", { ...goodPrimary, backupRetentionPeriod: 14 })], { minRetentionDaysProd: 14 }),
                [],
            );
            assert.match(
                (await violationsOf(data.rdsBackups, [fake(RDS, "db", { ...goodPrimary, tags: DEV_TAGS, copyTagsToSnapshot: false })])).join(),
                /copy tags/,
            );
            assert.match(
                (await violationsOf(data.rdsBackups, [fake(RDS, "db", { ...goodPrimary, tags: DEV_TAGS, backupRetentionPeriod: 0 })])).join(),
                /0 days; at least 1/,
            );
        });
        it("rds-monitoring flags an instance without Performance Insights", async () => {
            assert.match(
                (await violationsOf(data.rdsMonitoring, [fake(RDS, "db", { ...goodPrimary, performanceInsightsEnabled: false })])).join(),
                /Performance Insights is off/,
            );
        });
        it("rds-managed-password requires a customer-managed key for the managed secret", async () => {
            assert.match(
                (await violationsOf(data.rdsManagedPassword, [fake(RDS, "db", { ...goodPrimary, masterUserSecretKmsKeyId: undefined })])).join(),
                /master secret is not encrypted with a customer-managed key \(masterUserSecretKmsKeyId missing\)/,
            );
            assert.match(
                (
                    await violationsOf(data.rdsManagedPassword, [fake(RDS, "db", { ...goodPrimary, masterUserSecretKmsKeyId: "alias/aws/secretsmanager" })])
                ).join(),
                /uses the AWS-managed key alias\/aws\/secretsmanager/,
            );
        });
        describe("rds-managed-password with a write-only password held in a rotated secret (a primary with a replica)", () => {
            const SECRET = "aws:secretsmanager/secret:Secret";
            const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
            const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
            const generated = fake("random:index/randomPassword:RandomPassword", "pw", { length: 40 });
            const wo = {
                ...goodPrimary,
                manageMasterUserPassword: undefined,
                masterUserSecretKmsKeyId: undefined,
                passwordWo: "[secret]",
                passwordWoVersion: 1,
            };
            const chain = (secretProps: Record<string, unknown>, rotated: boolean) => {
                const secret = fake(SECRET, "master", secretProps);
                const version = fake(VERSION, "master-version", { secretString: "[secret]" }, { secretId: [secret], secretString: [generated] });
                const rotation = fake(ROTATION, "master-rotation", { rotationRules: { automaticallyAfterDays: 30 } }, { secretId: [secret] });
                return [generated, secret, version, ...(rotated ? [rotation] : [])];
            };
            const db = fake(RDS, "db", wo, { passwordWo: [generated] });
            it("passes when the generated password is also in a CMK-encrypted secret with rotation", async () => {
                assert.deepEqual(await violationsOf(data.rdsManagedPassword, [db, ...chain({ kmsKeyId: KEY }, true)]), []);
            });
            it("flags the secret without rotation, or under the AWS-managed key", async () => {
                assert.match((await violationsOf(data.rdsManagedPassword, [db, ...chain({ kmsKeyId: KEY }, false)])).join(), /no rotation/);
                assert.match((await violationsOf(data.rdsManagedPassword, [db, ...chain({}, true)])).join(), /customer-managed key/);
            });
            it("flags a write-only password kept in no secret, and a primary with neither model", async () => {
                assert.match((await violationsOf(data.rdsManagedPassword, [db, generated])).join(), /not kept in a Secrets Manager secret/);
                const none = { ...wo, passwordWo: undefined };
                assert.match(
                    (await violationsOf(data.rdsManagedPassword, [fake(RDS, "db", none)])).join(),
                    /not managed by RDS .*nor is it a write-only password/,
                );
            });
            it("judges a first preview, where the generated value and the key ARN are still unknown, by their dependencies", async () => {
                const key = fake("aws:kms/key:Key", "secrets", {});
                const unknownDb = fake(RDS, "db", { ...wo, passwordWo: undefined }, { passwordWo: [generated] });
                const secret = fake(SECRET, "master", {}, { kmsKeyId: [key] });
                const version = fake(VERSION, "master-version", {}, { secretId: [secret], secretString: [generated] });
                const rotation = fake(ROTATION, "master-rotation", {}, { secretId: [secret] });
                assert.deepEqual(await violationsOf(data.rdsManagedPassword, [unknownDb, generated, key, secret, version, rotation]), []);
            });
            it("still flags a plain password (it is stored in state)", async () => {
                const plain = fake(RDS, "db", { ...wo, password: "x" }, { passwordWo: [generated] });
                assert.match((await violationsOf(data.rdsManagedPassword, [plain, ...chain({ kmsKeyId: KEY }, true)])).join(), /sets a master password/);
            });
        });
        it("rds-proxy-tls flags a proxy that accepts plain-text clients", async () => {
            assert.match(
                (await violationsOf(data.rdsProxyTls, [fake(data.RDS_PROXY, "p", { requireTls: false, auths: [{ iamAuth: "REQUIRED" }] })])).join(),
                /does not require TLS/,
            );
        });
        it("redis-in-transit flags a group without AUTH token or user group", async () => {
            assert.match((await violationsOf(data.redisInTransit, [fake(RG, "r", { ...goodRedis, authToken: undefined })])).join(), /not authenticated/);
            assert.deepEqual(await violationsOf(data.redisInTransit, [fake(RG, "r", { ...goodRedis, authToken: undefined, userGroupIds: ["ug"] })]), []);
        });
        it("redis-failover requires snapshots everywhere but failover only in prod", async () => {
            const dev = { ...goodRedis, tags: DEV_TAGS, automaticFailoverEnabled: false, multiAzEnabled: false };
            assert.deepEqual(await violationsOf(data.redisFailover, [fake(RG, "r", dev)]), []);
            assert.match((await violationsOf(data.redisFailover, [fake(RG, "r", { ...dev, snapshotRetentionLimit: 0 })])).join(), /keeps no snapshots/);
            assert.match((await violationsOf(data.redisFailover, [fake(RG, "r", { ...goodRedis, multiAzEnabled: false })])).join(), /not Multi-AZ/);
        });
    });

    describe("data-tier-sg-only in every rule form", () => {
        it("flags an inline security group ingress from a CIDR to 6379", async () => {
            const sg = fake("aws:ec2/securityGroup:SecurityGroup", "redis", {
                ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["10.0.0.0/8"] }],
            });
            assert.match((await violationsOf(data.dataTierSgOnly, [sg])).join(), /port 6379 from 10.0.0.0\/8/);
        });
        it("flags an all-traffic securityGroupRule from a CIDR, and a port range spanning 5432", async () => {
            const all = fake("aws:ec2/securityGroupRule:SecurityGroupRule", "all", {
                type: "ingress",
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["0.0.0.0/0"],
            });
            const range = fake("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "range", {
                ipProtocol: "tcp",
                fromPort: 5000,
                toPort: 6000,
                prefixListId: "pl-1",
            });
            assert.equal((await violationsOf(data.dataTierSgOnly, [all, range])).length, 2);
        });
        it("passes security-group sources, egress rules and CIDR ingress to other ports", async () => {
            const sgSource = fake("aws:ec2/securityGroupRule:SecurityGroupRule", "sg", {
                type: "ingress",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                sourceSecurityGroupId: "sg-1",
            });
            const egress = fake("aws:ec2/securityGroupRule:SecurityGroupRule", "eg", {
                type: "egress",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrBlocks: ["10.0.0.0/16"],
            });
            const https = fake("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "10.0.0.0/16",
            });
            assert.deepEqual(await violationsOf(data.dataTierSgOnly, [sgSource, egress, https]), []);
        });
    });

    describe("rds-force-ssl", () => {
        const pg = (force: string) =>
            fake(data.RDS_PARAMETER_GROUP, "pg", {
                name: "platform-prod-eu-postgres16",
                family: "postgres16",
                parameters: [{ name: "rds.force_ssl", value: force }],
            });
        it("passes an instance joined through propertyDependencies to a group that forces TLS", async () => {
            const group = pg("1");
            assert.deepEqual(
                await violationsOf(data.rdsForceSsl, [
                    group,
                    fake(RDS, "db", { ...goodPrimary, parameterGroupName: undefined }, { parameterGroupName: [group] }),
                ]),
                [],
            );
        });
        it("falls back to matching the group by name", async () => {
            assert.deepEqual(
                await violationsOf(data.rdsForceSsl, [pg("1"), fake(RDS, "db", { ...goodPrimary, parameterGroupName: "platform-prod-eu-postgres16" })]),
                [],
            );
        });
        it("flags an instance whose group leaves rds.force_ssl at 0", async () => {
            const group = pg("0");
            assert.match(
                (await violationsOf(data.rdsForceSsl, [group, fake(RDS, "db", goodPrimary, { parameterGroupName: [group] })])).join(),
                /does not set rds.force_ssl=1/,
            );
        });
        it("flags an instance (or replica) on the default parameter group", async () => {
            assert.match((await violationsOf(data.rdsForceSsl, [fake(RDS, "replica", replica)])).join(), /replica: uses no parameter group/);
        });
    });

    describe("redis-noeviction", () => {
        const pg = (policy: string) =>
            fake(data.ELASTICACHE_PARAMETER_GROUP, "pg", {
                name: "platform-prod-eu-redis7",
                family: "redis7",
                parameters: [{ name: "maxmemory-policy", value: policy }],
            });
        it("passes a replication group whose parameter group sets noeviction", async () => {
            const group = pg("noeviction");
            assert.deepEqual(await violationsOf(data.redisNoeviction, [group, fake(RG, "redis", goodRedis, { parameterGroupName: [group] })]), []);
        });
        it("flags an evicting policy", async () => {
            const group = pg("allkeys-lru");
            assert.match(
                (await violationsOf(data.redisNoeviction, [group, fake(RG, "redis", goodRedis, { parameterGroupName: [group] })])).join(),
                /does not set maxmemory-policy noeviction/,
            );
        });
        it("flags the default parameter group", async () => {
            assert.match(
                (await violationsOf(data.redisNoeviction, [fake(RG, "redis", { ...goodRedis, parameterGroupName: "default.redis7" })])).join(),
                /default parameter group/,
            );
        });
    });
});
