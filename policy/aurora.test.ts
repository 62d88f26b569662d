import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import { PlatformPolicy } from "./lib/kit";
import * as data from "./data";
import * as enc from "./encryption";
import * as audit from "./audit";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const goodCluster = {
    engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: KEY, backupRetentionPeriod: 35, copyTagsToSnapshot: true, deletionProtection: true,
    skipFinalSnapshot: false, finalSnapshotIdentifier: "final", iamDatabaseAuthenticationEnabled: true, enabledCloudwatchLogsExports: ["postgresql"],
    manageMasterUserPassword: true, masterUserSecretKmsKeyId: KEY, tags: PROD_TAGS,
};
const goodInstance = { clusterIdentifier: "c", publiclyAccessible: false, autoMinorVersionUpgrade: true, monitoringInterval: 60,
    monitoringRoleArn: "arn:aws:iam::1:role/m",
    performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY, tags: PROD_TAGS };

/** Each RDS instance rule, with its Aurora equivalent: the resource type, a breaking change and the expected message. */
const cases: Array<[PlatformPolicy, string, Record<string, any>, RegExp]> = [
    [enc.rdsEncryptedCmk, CLUSTER, { storageEncrypted: false }, /storage is not encrypted/],
    [enc.rdsEncryptedCmk, CLUSTER, { kmsKeyId: "alias/aws/rds" }, /AWS-managed key/],
    [enc.perfInsightsCmk, CLUSTER_INSTANCE, { performanceInsightsKmsKeyId: undefined }, /Performance Insights is not encrypted/],
    [data.rdsNotPublic, CLUSTER_INSTANCE, { publiclyAccessible: true }, /is publicly accessible/],
    [data.rdsBackups, CLUSTER, { backupRetentionPeriod: 7 }, /keeps automated backups 7 days; at least 35 required/],
    [data.rdsBackups, CLUSTER, { copyTagsToSnapshot: false }, /does not copy tags to snapshots/],
    [data.rdsDeletionProtection, CLUSTER, { deletionProtection: false }, /no deletion protection/],
    [data.rdsDeletionProtection, CLUSTER, { skipFinalSnapshot: true }, /without a final snapshot/],
    [data.rdsLogs, CLUSTER, { enabledCloudwatchLogsExports: [] }, /does not export postgresql/],
    [data.rdsIamAuth, CLUSTER, { iamDatabaseAuthenticationEnabled: false }, /IAM database authentication is off/],
    [data.rdsMonitoring, CLUSTER_INSTANCE, { monitoringInterval: 0 }, /enhanced monitoring is off/],
    [data.rdsMinorUpgrades, CLUSTER_INSTANCE, { autoMinorVersionUpgrade: false }, /automatic minor version upgrades are off/],
    [data.rdsManagedPassword, CLUSTER, { masterPassword: "x" }, /sets a master password/],
    [data.rdsManagedPassword, CLUSTER, { manageMasterUserPassword: false }, /not managed by RDS/],
];

describe("Aurora (RDS cluster) parity: each RDS instance rule also judges clusters and cluster instances", () => {
    it("passes a compliant Aurora PostgreSQL cluster and instance under every rule", async () => {
        for (const policy of new Set(cases.map(([p]) => p))) {
            assert.deepEqual(await violationsOf(policy, [fake(CLUSTER, "c", goodCluster), fake(CLUSTER_INSTANCE, "c-1", goodInstance)]), [], policy.name);
        }
    });
    for (const [policy, type, change, expected] of cases) {
        it(`${policy.name} flags ${type.split(":").pop()} ${JSON.stringify(change)}`, async () => {
            const base = type === CLUSTER ? goodCluster : goodInstance;
            assert.match((await violationsOf(policy, [fake(type, "c", { ...base, ...change })])).join("\n"), expected);
        });
    }

    it("backup-plan-coverage requires an Aurora cluster in a backup selection", async () => {
        const cluster = fake(CLUSTER, "c", { ...goodCluster, clusterIdentifier: "platform-prod-eu-aurora" });
        assert.deepEqual(await violationsOf(audit.backupPlanCoverage, [cluster]), ["Aurora cluster c is not selected by any AWS Backup plan"]);
        const selection = fake("aws:backup/selection:Selection", "s", { resources: ["arn:aws:rds:eu-central-1:1:cluster:platform-prod-eu-aurora"] });
        assert.deepEqual(await violationsOf(audit.backupPlanCoverage, [cluster, selection]), []);
    });
});

describe("Aurora (RDS cluster) parity: TLS and Multi-AZ", () => {
    const CPG = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
    const forceSsl = (value: string) => fake(CPG, "cpg", { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value }] });
    const clusterWith = (group: ReturnType<typeof fake>) =>
        fake(CLUSTER, "c", { ...goodCluster, dbClusterParameterGroupName: "cpg" }, { dbClusterParameterGroupName: [group] });

    it("rds-force-ssl: an Aurora PostgreSQL cluster's cluster parameter group sets rds.force_ssl=1", async () => {
        const good = forceSsl("1");
        assert.deepEqual(await violationsOf(data.rdsForceSsl, [good, clusterWith(good)]), []);
        const bad = forceSsl("0");
        assert.match((await violationsOf(data.rdsForceSsl, [bad, clusterWith(bad)])).join(), /c: cluster parameter group cpg does not set rds.force_ssl=1/);
        assert.match((await violationsOf(data.rdsForceSsl, [fake(CLUSTER, "c", goodCluster)])).join(), /c: uses no cluster parameter group of this stack/);
    });

    it("rds-cluster-multi-az: a production Aurora cluster has instances in at least two Availability Zones", async () => {
        const cluster = fake(CLUSTER, "c", goodCluster);
        const member = (n: string, az: string) => fake(CLUSTER_INSTANCE, n, { ...goodInstance, availabilityZone: az }, { clusterIdentifier: [cluster] });
        assert.deepEqual(await violationsOf(data.rdsClusterMultiAz, [cluster, member("i1", "eu-central-1a"), member("i2", "eu-central-1b")]), []);
        assert.match((await violationsOf(data.rdsClusterMultiAz, [cluster, member("i1", "eu-central-1a")])).join(), /c: a production cluster has 1 instance/);
        assert.match((await violationsOf(data.rdsClusterMultiAz, [cluster, member("i1", "eu-central-1a"), member("i2", "eu-central-1a")])).join(),
            /c: .*all in eu-central-1a/);
        const dev = fake(CLUSTER, "d", { ...goodCluster, tags: { ...PROD_TAGS, environment: "dev" } });
        assert.deepEqual(await violationsOf(data.rdsClusterMultiAz, [dev]), []);
    });
});
