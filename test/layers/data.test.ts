import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { RecordedResource } from "../../offline/engine";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { dataPolicies } from "../../policy/data";
import { encryptionPolicies } from "../../policy/encryption";
import { DataOutputs, buildData } from "../../stacks/layers/data";
import { stackCache } from "../fixtures/stack-cache";

const RDS = "aws:rds/instance:Instance";
const RDS_PG = "aws:rds/parameterGroup:ParameterGroup";
const PROXY = "aws:rds/proxy:Proxy";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const EC_PG = "aws:elasticache/parameterGroup:ParameterGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Fake upstream values, as stacks/platform.ts would pass them. */
const key = (region: string, cls: string) => `arn:aws:kms:${region}:123456789012:key/${cls}-0000`;

interface Run { rec: Recorded; outputs: DataOutputs; }

async function build(stack: string): Promise<Run> {
    let outputs!: DataOutputs;
    const rec = await recordWithStackConfig(stack, (cfg) => {
        const drProvider = cfg.dr.mode === "cross-region" ? new aws.Provider("aws-dr", { region: cfg.dr.region as aws.Region }) : undefined;
        outputs = buildData(cfg, {
            vpcId: "vpc-0123456789abcdef0",
            dataSubnetIds: ["subnet-data-a", "subnet-data-b", "subnet-data-c"].slice(0, cfg.network.availabilityZones),
            computeSubnetIds: ["subnet-app-a", "subnet-app-b", "subnet-app-c"].slice(0, cfg.network.availabilityZones),
            dataKeyArn: key(cfg.region, "data"), secretsKeyArn: key(cfg.region, "secrets"), logsKeyArn: key(cfg.region, "logs"),
            accountId: "123456789012",
            drBackupsKeyArn: drProvider ? key(cfg.dr.region!, "dr-backups") : undefined,
            drProvider,
            alertsTopicArn: "arn:aws:sns:eu-central-1:123456789012:alerts",
        }, {});
    });
    return { rec, outputs };
}

const runs = stackCache<Promise<Run>>();
const run = (stack: string) => {
    if (!runs.has(stack)) runs.set(stack, build(stack));
    return runs.get(stack)!;
};

const params = (rec: Recorded, r: RecordedResource) => Object.fromEntries(rec.inputsOf(r).parameters.map((p: any) => [p.name, String(p.value)]));
/** The sources (security groups) admitted to `sg` on `port`. */
const sourcesOf = (rec: Recorded, sg: RecordedResource, port: number) => rec.pointingAt(INGRESS, "securityGroupId", sg)
    .filter((r) => r.inputs.fromPort <= port && r.inputs.toPort >= port)
    .map((r) => rec.ofType(SG).find((s) => (r.propertyDependencies.referencedSecurityGroupId ?? []).includes(s.urn))?.name ?? "not a security group");

describe("data layer (buildData)", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        describe(`stack ${stack}`, () => {
            it("encrypts Postgres with the data key, sets the master password write-only from a secrets-key secret, forces TLS and IAM auth", async () => {
                const { rec } = await run(stack);
                const region = stack === "prod-il" ? "il-central-1" : "eu-central-1";
                const db = rec.inputsOf(rec.one(RDS, "postgres"));
                assert.equal(db.engine, "postgres");
                assert.equal(db.engineVersion, "16");
                assert.equal(db.storageType, "gp3");
                assert.equal(db.storageEncrypted, true);
                assert.equal(db.kmsKeyId, key(region, "data"));
                assert.equal(db.performanceInsightsKmsKeyId, key(region, "data"));
                assert.equal(db.manageMasterUserPassword, undefined, "RDS refuses a replica of a primary with an RDS-managed password");
                assert.ok(db.passwordWo !== undefined && db.passwordWoVersion === 1);
                assert.equal(rec.inputsOf(rec.one("aws:secretsmanager/secret:Secret", "postgres-master")).kmsKeyId, key(region, "secrets"));
                assert.equal(db.password, undefined);
                assert.equal(db.iamDatabaseAuthenticationEnabled, true);
                assert.equal(db.publiclyAccessible, false);
                assert.ok(db.maxAllocatedStorage > db.allocatedStorage);
                assert.deepEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                assert.ok(db.monitoringInterval > 0 && db.autoMinorVersionUpgrade === true && db.copyTagsToSnapshot === true);
            });

            it("rotates the master secret every platform:secrets.rotationDays with the platform's function in the compute subnets, changing only " +
                "this instance", async () => {
                const { rec } = await run(stack);
                const region = stack === "prod-il" ? "il-central-1" : "eu-central-1";
                assert.equal(
                    rec.ofType("aws:serverlessrepository/cloudFormationStack:CloudFormationStack").length,
                    0,
                    "no CloudFormation role outside the boundary",
                );
                const fn = rec.inputsOf(rec.one("aws:lambda/function:Function", "postgres-master-rotation"));
                assert.equal(fn.runtime, "nodejs22.x");
                assert.match(fn.vpcConfig.subnetIds.join(","), /^subnet-app-a(,subnet-app-[bc])*$/);
                assert.equal(fn.environment.variables.DB_INSTANCE_ID, rec.inputsOf(rec.one(RDS, "postgres")).identifier);
                const rotation = rec.one("aws:secretsmanager/secretRotation:SecretRotation", "postgres-master-rotation");
                assert.equal(rotation.inputs.rotationRules.automaticallyAfterDays, 30);
                const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "postgres-master-rotation-policy")).policy);
                const modify = policy.Statement.find((st: any) => st.Action === "rds:ModifyDBInstance");
                assert.match(modify.Resource, new RegExp(`^arn:aws:rds:${region}:123456789012:db:platform-[a-z-]+-postgres$`));
                const kms = policy.Statement.find((st: any) => st.Sid === "SecretsKeyThroughSecretsManager");
                assert.equal(kms.Resource, key(region, "secrets"));
                assert.equal(kms.Condition.StringEquals["kms:ViaService"], `secretsmanager.${region}.amazonaws.com`);
                const permission = rec.inputsOf(rec.one("aws:lambda/permission:Permission", "postgres-master-rotation-invoke"));
                assert.deepEqual([permission.principal, permission.sourceAccount], ["secretsmanager.amazonaws.com", "123456789012"]);
                const sg = rec.one(SG, "postgres-master-rotation");
                assert.equal(rec.pointingAt(INGRESS, "securityGroupId", sg).length, 0, "nothing may connect to the rotation function");
            });

            it("rotates the Redis AUTH token with the platform's function, which reaches Redis on 6379 and may modify only this group", async () => {
                const { rec } = await run(stack);
                const secret = rec.one("aws:secretsmanager/secret:Secret", "redis-auth");
                assert.equal(rec.inputsOf(secret).tags.rotation, "lambda");
                const rotation = rec.pointingAt("aws:secretsmanager/secretRotation:SecretRotation", "secretId", secret);
                assert.equal(rotation.length, 1);
                assert.equal(rotation[0].inputs.rotationRules.automaticallyAfterDays, 30);
                assert.ok(
                    rotation[0].dependencies.includes(rec.one("aws:lambda/permission:Permission", "redis-auth-rotation-invoke").urn),
                    "rotation waits for the invoke permission",
                );
                const fn = rec.inputsOf(rec.one("aws:lambda/function:Function", "redis-auth-rotation"));
                assert.equal(
                    fn.environment.variables.REPLICATION_GROUP_ID,
                    rec.inputsOf(rec.one("aws:elasticache/replicationGroup:ReplicationGroup", "redis")).replicationGroupId,
                );
                const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "redis-auth-rotation-policy")).policy);
                const modify = policy.Statement.find((st: any) => st.Sid === "RotateAuthToken");
                assert.ok(modify.Resource.every((r: string) => r.includes(":platform-") && r.includes("-redis")), "this replication group only");
                const sg = rec.one(SG, "redis-auth-rotation");
                const sources = rec.pointingAt(INGRESS, "referencedSecurityGroupId", sg).map((r) => r.name);
                assert.deepEqual(sources, ["redis-rotation-in"]);
            });

            it("sets force_ssl, the preload list, slow-statement and connection logging in the postgres16 parameter group", async () => {
                const { rec } = await run(stack);
                const pg = rec.one(RDS_PG, "postgres");
                assert.equal(pg.inputs.family, "postgres16");
                assert.deepEqual(params(rec, pg), {
                    "rds.force_ssl": "1", shared_preload_libraries: "pg_stat_statements,pg_cron", "cron.database_name": "platform",
                    log_min_duration_statement: "500", log_connections: "1", log_disconnections: "1",
                });
                const preload = rec.inputsOf(pg).parameters.find((p: any) => p.name === "shared_preload_libraries");
                assert.equal(preload.applyMethod, "pending-reboot");
                assert.ok(rec.pointingAt(RDS, "parameterGroupName", pg).some((r) => r.name === "postgres"));
            });

            it("creates the exported-log groups with the logs key before the instance", async () => {
                const { rec } = await run(stack);
                const db = rec.one(RDS, "postgres");
                for (const log of ["postgresql", "upgrade"]) {
                    const group = rec.one(LOG_GROUP, `postgres-${log}`);
                    assert.equal(group.inputs.name, `/aws/rds/instance/${db.inputs.identifier}/${log}`);
                    assert.ok(group.inputs.kmsKeyId.endsWith("key/logs-0000"));
                    assert.ok(db.dependencies.includes(group.urn));
                }
            });

            it("gives Redis noeviction, TLS required, an AUTH token held in a secrets-key secret, CMK at rest and encrypted log delivery", async () => {
                const { rec, outputs } = await run(stack);
                const rgRes = rec.one(RG, "redis");
                const rg = rec.inputsOf(rgRes);
                assert.equal(rg.engine, "redis");
                assert.equal(rg.engineVersion, "7.1");
                assert.equal(rg.transitEncryptionEnabled, true);
                assert.equal(rg.transitEncryptionMode, "required");
                assert.equal(rg.atRestEncryptionEnabled, true);
                assert.ok(rg.kmsKeyId.endsWith("key/data-0000"));
                // The token is generated (a RandomPassword), kept secret in state, and never a literal in the program.
                const password = rec
                    .ofType("random:index/randomPassword:RandomPassword")
                    .filter((p) => (rgRes.propertyDependencies.authToken ?? []).includes(p.urn));
                assert.equal(password.length, 1, "the AUTH token comes from a generated password");
                assert.ok(rgRes.inputs.authToken !== rg.authToken || typeof rgRes.inputs.authToken !== "string", "the AUTH token input is a secret");
                assert.equal(rg.authTokenUpdateStrategy, "ROTATE", "a token change keeps the old token valid while clients reconnect");
                assert.ok(rg.snapshotRetentionLimit >= 1);
                const pg = rec.one(EC_PG, "redis");
                assert.equal(pg.inputs.family, "redis7");
                assert.equal(params(rec, pg)["maxmemory-policy"], "noeviction");
                assert.ok((rgRes.propertyDependencies.parameterGroupName ?? []).includes(pg.urn));
                const secret = rec.one("aws:secretsmanager/secret:Secret", "redis-auth");
                assert.ok(secret.inputs.kmsKeyId.endsWith("key/secrets-0000"));
                const version = rec.pointingAt("aws:secretsmanager/secretVersion:SecretVersion", "secretId", secret);
                assert.equal(version.length, 1);
                assert.equal(rec.inputsOf(version[0]).secretString, rg.authToken, "the whole secret string is the AUTH token");
                assert.equal(outputs.redis.replicationGroupId, `platform-${stack}-redis`);
                assert.deepEqual(rg.logDeliveryConfigurations.map((l: any) => l.logType), ["slow-log", "engine-log"]);
                for (const logType of ["slow-log", "engine-log"]) {
                    const group = rec.one(LOG_GROUP, `redis-${logType}`);
                    assert.ok(group.inputs.kmsKeyId.endsWith("key/logs-0000"));
                    assert.ok(group.inputs.retentionInDays > 0);
                }
            });

            it("admits 5432 and 6379 only from security groups, never from CIDRs", async () => {
                const { rec } = await run(stack);
                const rules = rec.ofType(INGRESS);
                assert.ok(rules.length > 0);
                for (const r of rules) {
                    assert.equal(r.inputs.cidrIpv4, undefined, r.name);
                    assert.equal(r.inputs.cidrIpv6, undefined, r.name);
                    assert.equal(r.inputs.prefixListId, undefined, r.name);
                    assert.ok((r.propertyDependencies.referencedSecurityGroupId ?? []).length === 1, `${r.name} names a source security group`);
                }
                assert.deepEqual(
                    sourcesOf(rec, rec.one(SG, "redis"), 6379).sort(),
                    ["redis-auth-rotation", "redis-clients"],
                    "clients and the token rotation function",
                );
                const clients = rec
                    .ofType(SG)
                    .filter((g) => g.name.endsWith("clients") || g.name.endsWith("admins"))
                    .map((g) => g.name);
                assert.ok(clients.length >= 3);
                for (const client of clients) {
                    assert.deepEqual(rec.pointingAt(INGRESS, "securityGroupId", rec.one(SG, client)), [], `${client} has no ingress`);
                }
            });

            it("keeps every identifier deterministic and within AWS limits", async () => {
                const { rec } = await run(stack);
                for (const r of rec.ofType(RDS))
                    assert.ok(r.inputs.identifier.length <= 63 && /^[a-z][a-z0-9-]*$/.test(r.inputs.identifier), r.inputs.identifier);
                for (const r of rec.ofType(RG)) assert.ok(r.inputs.replicationGroupId.length <= 40, r.inputs.replicationGroupId);
                for (const r of rec.ofType(PROXY)) assert.ok(r.inputs.name.length <= 63);
                for (const r of rec.ofType("aws:iam/role:Role")) assert.ok(r.inputs.name.length <= 64);
                assert.equal(rec.one(RDS, "postgres").inputs.identifier, `platform-${stack}-postgres`);
                assert.equal(rec.one(RDS_PG, "postgres").inputs.name, `platform-${stack}-postgres16`);
            });

            it("is clean under the data and encryption policies", async () => {
                const { rec } = await run(stack);
                const found = await runPolicies([...dataPolicies, ...encryptionPolicies], rec.resources);
                assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
            });
        });
    }

    describe("dev", () => {
        it("runs single-AZ with no replica, no proxy, no cross-region backups and no protection", async () => {
            const { rec, outputs } = await run("dev");
            const db = rec.one(RDS, "postgres");
            assert.equal(db.inputs.multiAz, false);
            assert.equal(db.inputs.availabilityZone, "eu-central-1a");
            assert.equal(db.inputs.deletionProtection, false);
            assert.equal(db.inputs.skipFinalSnapshot, true);
            assert.equal(db.inputs.backupRetentionPeriod, 7);
            assert.equal(db.protect, false);
            assert.equal(rec.ofType(RDS).length, 1);
            assert.equal(rec.ofType(PROXY).length, 0);
            assert.equal(rec.ofType(BACKUP_REPLICATION).length, 0);
            assert.equal(outputs.postgres.proxyEndpoint, undefined);
            assert.equal(outputs.postgres.replicaEndpoint, undefined);
            assert.match(await new Promise<string>((done) => outputs.postgres.iamResourceId.apply(done)), /^db-/);
        });
        it("lets Postgres clients reach the instance directly (no proxy), besides the admin group", async () => {
            const { rec } = await run("dev");
            assert.deepEqual(sourcesOf(rec, rec.one(SG, "postgres-db"), 5432).sort(), ["postgres-admins", "postgres-clients"]);
        });
        it("runs one Redis node without failover", async () => {
            const { rec } = await run("dev");
            const rg = rec.one(RG, "redis").inputs;
            assert.equal(rg.numCacheClusters, 1);
            assert.equal(rg.automaticFailoverEnabled, false);
            assert.equal(rg.multiAzEnabled, false);
        });
    });

    for (const stack of ["prod-eu", "prod-il"]) {
        describe(`${stack} (production)`, () => {
            it("runs a protected Multi-AZ primary with 35-day PITR, deletion protection and a deterministic final snapshot", async () => {
                const { rec } = await run(stack);
                const db = rec.one(RDS, "postgres");
                assert.equal(db.inputs.multiAz, true);
                assert.equal(db.inputs.availabilityZone, undefined);
                assert.equal(db.inputs.backupRetentionPeriod, 35);
                assert.equal(db.inputs.deletionProtection, true);
                assert.equal(db.inputs.skipFinalSnapshot, false);
                assert.equal(db.inputs.finalSnapshotIdentifier, `platform-${stack}-postgres-final`);
                assert.equal(db.inputs.performanceInsightsRetentionPeriod, 731);
                assert.equal(db.protect, true);
            });
            it("adds one encrypted read replica of the primary in the last data AZ, with its own security group", async () => {
                const { rec, outputs } = await run(stack);
                const region = stack === "prod-il" ? "il-central-1" : "eu-central-1";
                const primary = rec.one(RDS, "postgres");
                const replica = rec.one(RDS, "postgres-replica");
                assert.ok((replica.propertyDependencies.replicateSourceDb ?? []).includes(primary.urn));
                assert.equal(replica.inputs.replicateSourceDb, primary.inputs.identifier);
                assert.equal(replica.inputs.kmsKeyId, key(region, "data"));
                assert.equal(replica.inputs.availabilityZone, `${region}c`);
                assert.equal(replica.inputs.multiAz, false);
                assert.equal(replica.protect, true);
                assert.ok((replica.propertyDependencies.parameterGroupName ?? []).includes(rec.one(RDS_PG, "postgres").urn));
                assert.deepEqual(sourcesOf(rec, rec.one(SG, "postgres-replica"), 5432).sort(), ["postgres-admins", "postgres-clients"]);
                assert.equal(outputs.postgres.replicaIdentifier, `platform-${stack}-postgres-replica`);
            });
            it("fronts the primary with RDS Proxy: TLS and IAM required, the managed secret, timeouts from config", async () => {
                const { rec } = await run(stack);
                const proxy = rec.inputsOf(rec.one(PROXY, "postgres"));
                assert.equal(proxy.engineFamily, "POSTGRESQL");
                assert.equal(proxy.requireTls, true);
                assert.equal(proxy.idleClientTimeout, 1800);
                assert.equal(proxy.auths.length, 1);
                assert.equal(proxy.auths[0].iamAuth, "REQUIRED");
                assert.match(proxy.auths[0].secretArn, /:secret:platform-prod-[a-z]+\/postgres\/master-/);
                assert.equal(proxy.defaultAuthScheme, "IAM_AUTH", "end-to-end IAM: the application role has rds_iam and no password");
                const tg = rec.one("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", "postgres");
                assert.equal(tg.inputs.connectionPoolConfig.connectionBorrowTimeout, 120);
                const target = rec.one("aws:rds/proxyTarget:ProxyTarget", "postgres");
                assert.ok((target.propertyDependencies.dbInstanceIdentifier ?? []).includes(rec.one(RDS, "postgres").urn));
                const policy = JSON.parse(rec.one("aws:iam/rolePolicy:RolePolicy", "postgres-proxy").inputs.policy);
                const region = stack === "prod-il" ? "il-central-1" : "eu-central-1";
                assert.deepEqual(policy.Statement.slice(0, 2).map((s: any) => s.Resource), [proxy.auths[0].secretArn, key(region, "secrets")]);
                assert.deepEqual(policy.Statement[2].Action, "rds-db:connect");
                const appUser = new RegExp(`^arn:aws:rds-db:${region}:123456789012:dbuser:db-[A-Z0-9]+/platform_app$`);
                assert.match(policy.Statement[2].Resource[0], appUser, "the proxy connects as the app role");
            });
            it("admits 5432 on the proxy only from clients, and on the primary only from the proxy, the admin group and (Keycloak stacks) direct " +
                "clients", async () => {
                const { rec, outputs } = await run(stack);
                assert.deepEqual(sourcesOf(rec, rec.one(SG, "postgres-proxy"), 5432), ["postgres-clients"]);
                const keycloak = stack === "prod-il";
                assert.deepEqual(sourcesOf(rec, rec.one(SG, "postgres-db"), 5432).sort(),
                    keycloak ? ["postgres-admins", "postgres-direct-clients", "postgres-proxy"]
                        : ["postgres-admins", "postgres-proxy"]);
                assert.equal(outputs.clientSecurityGroups.postgresDirectClients !== undefined, keycloak);
            });
            it("names the proxy in IAM database-auth grants", async () => {
                const { outputs } = await run(stack);
                assert.match(await new Promise<string>((done) => outputs.postgres.iamResourceId.apply(done)), /^prx-/);
            });
            it("runs Redis Multi-AZ with automatic failover, one node per AZ", async () => {
                const { rec } = await run(stack);
                const rg = rec.one(RG, "redis");
                assert.equal(rg.inputs.numCacheClusters, 3);
                assert.equal(rg.inputs.automaticFailoverEnabled, true);
                assert.equal(rg.inputs.multiAzEnabled, true);
                assert.equal(new Set(rg.inputs.preferredCacheClusterAzs).size, 3);
                assert.equal(rg.protect, true);
            });
        });
    }

    it("replicates automated backups to eu-west-1 with the DR key in prod-eu only", async () => {
        const { rec } = await run("prod-eu");
        const [replication] = rec.ofType(BACKUP_REPLICATION);
        assert.ok(replication, "prod-eu replicates its backups");
        assert.equal(replication.inputs.kmsKeyId, key("eu-west-1", "dr-backups"));
        assert.equal(replication.inputs.retentionPeriod, 35);
        assert.ok((replication.propertyDependencies.sourceDbInstanceArn ?? []).includes(rec.one(RDS, "postgres").urn));
        const provider = rec.resources.find((r) => replication.provider?.startsWith(`${r.urn}::`));
        assert.equal(provider?.type, "pulumi:providers:aws");
        assert.equal(provider?.inputs.region, "eu-west-1");
        assert.equal(replication.protect, true);
        assert.equal((await run("prod-il")).rec.ofType(BACKUP_REPLICATION).length, 0, "prod-il keeps backups in il-central-1 (residency)");
    });
});
