import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RecordedResource } from "../offline/engine";
import { runPolicies } from "../offline/policy-runner";
import { Recorded, stackRecord } from "../offline/testing";
import { rdsManagedPassword } from "../policy/data";

/**
 * Issue 14 (data and compute side): properties AWS checks at deploy or run time, asserted over the rendered plan of
 * every stack (the real program under the offline engine), one describe per finding.
 */
const STACKS = ["dev", "prod-eu", "prod-il"] as const;
const REGION: Record<string, string> = { dev: "eu-central-1", "prod-eu": "eu-central-1", "prod-il": "il-central-1" };
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const TASKDEF = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const RDS = "aws:rds/instance:Instance";
const APP_FAMILIES = ["api", "api-workers", "scanner-workers"];

const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const statementsOf = (rec: Recorded, r: RecordedResource): any[] => list(json(rec.inputsOf(r).policy).Statement);
const allows = (s: any, action: string) => list<string>(s.Action).includes(action);
const accountOf = (rec: Recorded): string => json(rec.one(ROLE, "api-task").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals["aws:SourceAccount"];
const containerOf = (rec: Recorded, family: string) => json(rec.inputsOf(rec.one(TASKDEF, family)).containerDefinitions)[0];
const familiesOf = (rec: Recorded) => rec.ofType(TASKDEF).map((t) => t.name);
const logGroupNamed = (rec: Recorded, name: string) => rec.ofType(LOG_GROUP).find((g) => g.inputs.name === name);
/** True when `prop` of `r` was computed from the KeyRing key of `keyClass` (`keys-<class>`). */
const usesKey = (rec: Recorded, r: RecordedResource, prop: string, keyClass: string) =>
    (r.propertyDependencies[prop] ?? []).includes(rec.one("aws:kms/key:Key", `keys-${keyClass}`).urn);

describe("issue 14: data and compute deployability (whole plan)", () => {
    for (const stack of STACKS) {
        describe(`stack ${stack}`, () => {
            const region = REGION[stack];

            it("11. trusts rds.amazonaws.com for the RDS Proxy role without global condition keys (RDS Proxy supports none)", async () => {
                const rec = await stackRecord(stack);
                for (const role of rec.ofType(ROLE).filter((r) => r.name === "postgres-proxy")) {
                    for (const s of list<any>(json(role.inputs.assumeRolePolicy).Statement)) assert.equal(s.Condition, undefined, JSON.stringify(s));
                }
            });

            it("8. lets api-workers send through the identity's configuration set (its real ARN: SES region, account, name)", async () => {
                const rec = await stackRecord(stack);
                const configSet = rec.ofType("aws:sesv2/configurationSet:ConfigurationSet")[0];
                const sesRegion = String(configSet.inputs.region ?? region);
                const arn = `arn:aws:ses:${sesRegion}:${accountOf(rec)}:configuration-set/${configSet.inputs.configurationSetName}`;
                const send = statementsOf(rec, rec.one(ROLE_POLICY, "api-workers-task")).find((s) => allows(s, "ses:SendEmail"));
                assert.ok(list(send.Resource).includes(arn), `${JSON.stringify(send.Resource)} lacks ${arn}`);
                assert.ok(allows(send, "ses:SendRawEmail"));
            });

            it("9. lets every execution role pull the GuardDuty Fargate agent of the stack's region", async () => {
                const rec = await stackRecord(stack);
                const agent: Record<string, string> = {
                    "eu-central-1": "arn:aws:ecr:eu-central-1:323658145986:repository/aws-guardduty-agent-fargate",
                    "il-central-1": "arn:aws:ecr:il-central-1:870907303882:repository/aws-guardduty-agent-fargate",
                };
                for (const family of familiesOf(rec)) {
                    const pull = statementsOf(rec, rec.one(ROLE_POLICY, `${family}-execution`)).find((s) => allows(s, "ecr:BatchGetImage"));
                    assert.ok(list(pull.Resource).includes(agent[region]), `${family}: ${JSON.stringify(pull.Resource)}`);
                    for (const action of ["ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]) assert.ok(allows(pull, action), action);
                }
            });

            it("16. lets the application task roles read the stack's SSM parameter path, and tells the task the path", async () => {
                const rec = await stackRecord(stack);
                const prefix = `platform-${stack}`;
                const account = accountOf(rec);
                for (const family of APP_FAMILIES) {
                    const read = statementsOf(rec, rec.one(ROLE_POLICY, `${family}-task`)).find((s) => allows(s, "ssm:GetParametersByPath"));
                    assert.ok(read, `${family} cannot read its parameters`);
                    for (const a of ["ssm:GetParameter", "ssm:GetParameters"]) assert.ok(allows(read, a), `${family}: ${a}`);
                    assert.deepEqual(list(read.Resource).sort(), [
                        `arn:aws:ssm:${region}:${account}:parameter/${prefix}`, `arn:aws:ssm:${region}:${account}:parameter/${prefix}/*`,
                    ]);
                    const env = Object.fromEntries(containerOf(rec, family).environment.map((e: any) => [e.name, e.value]));
                    assert.equal(env.RUNTIME_PARAMETERS_PATH, `/${prefix}/`);
                }
            });

            it("7. gives every writable path of a read-only, non-root container a tmpfs owned by the container user", async () => {
                const rec = await stackRecord(stack);
                for (const family of familiesOf(rec)) {
                    const c = containerOf(rec, family);
                    assert.equal(c.readonlyRootFilesystem, true);
                    assert.equal(c.user, "1000:1000");
                    assert.deepEqual(c.mountPoints ?? [], [], `${family}: a bind mount is root-owned 0755 on Fargate`);
                    const tmpfs = c.linuxParameters.tmpfs as { containerPath: string; size: number; mountOptions: string[] }[];
                    const paths = tmpfs.map((t) => t.containerPath);
                    assert.ok(paths.includes("/tmp"), `${family}: /tmp (worker heartbeats, os.tmpdir())`);
                    if (family === "keycloak") assert.ok(paths.includes("/opt/keycloak/data"), "keycloak data dir");
                    for (const t of tmpfs) {
                        assert.ok(t.size > 0);
                        for (const o of ["uid=1000", "gid=1000", "nosuid", "nodev"])
                            assert.ok(t.mountOptions.includes(o), `${family} ${t.containerPath}: ${o}`);
                    }
                    assert.deepEqual(rec.inputsOf(rec.one(TASKDEF, family)).volumes ?? [], []);
                }
            });

            it("also: ECS Exec is off (the SSM agent cannot run on a read-only root file system)", async () => {
                const rec = await stackRecord(stack);
                for (const s of rec.ofType(SERVICE)) assert.equal(s.inputs.enableExecuteCommand, false, s.name);
            });

            it("also: pre-creates the service-created log groups (Container Insights, RDSOSMetrics) with the logs key and retention", async () => {
                const rec = await stackRecord(stack);
                for (const name of [`/aws/ecs/containerinsights/platform-${stack}/performance`, "RDSOSMetrics"]) {
                    const group = logGroupNamed(rec, name);
                    assert.ok(group, `${name} is not pre-created`);
                    assert.ok(usesKey(rec, group!, "kmsKeyId", "logs"), `${name} is not under the logs key`);
                    assert.ok(Number(group!.inputs.retentionInDays) > 0);
                }
                const cluster = rec.one("aws:ecs/cluster:Cluster", "cluster");
                assert.ok(cluster.dependencies.includes(logGroupNamed(rec, `/aws/ecs/containerinsights/platform-${stack}/performance`)!.urn));
                const db = rec.one(RDS, "postgres");
                assert.ok(db.dependencies.includes(logGroupNamed(rec, "RDSOSMetrics")!.urn));
            });

            it("10. services log in as the IAM-auth application role, never as the master user", async () => {
                const rec = await stackRecord(stack);
                const master = rec.inputsOf(rec.one(RDS, "postgres")).username;
                for (const family of APP_FAMILIES) {
                    const env = Object.fromEntries(containerOf(rec, family).environment.map((e: any) => [e.name, e.value]));
                    assert.equal(env.DATABASE_USER, "platform_app");
                    assert.notEqual(env.DATABASE_USER, master);
                    const connect = statementsOf(rec, rec.one(ROLE_POLICY, `${family}-task`)).find((s) => allows(s, "rds-db:connect"));
                    for (const arn of list<string>(connect.Resource)) assert.match(arn, /\/platform_app$/);
                }
            });

            it("2. keeps the master password in a CMK-encrypted secret with rotation, and satisfies rds-managed-password", async () => {
                const rec = await stackRecord(stack);
                const db = rec.inputsOf(rec.one(RDS, "postgres"));
                assert.notEqual(db.manageMasterUserPassword, true, "RDS refuses a replica of a primary with an RDS-managed password");
                assert.equal(db.password, undefined);
                const secret = rec.one("aws:secretsmanager/secret:Secret", "postgres-master");
                assert.ok(usesKey(rec, secret, "kmsKeyId", "secrets"));
                const rotation = rec.ofType("aws:secretsmanager/secretRotation:SecretRotation").find((r) => r.dependencies.includes(secret.urn));
                assert.ok(rotation, "no rotation on the master secret");
                assert.ok(Number(rotation!.inputs.rotationRules.automaticallyAfterDays) <= 90);
                const policyResults = await runPolicies([rdsManagedPassword], rec.resources, {});
                assert.deepEqual(policyResults.map((v) => v.message), []);
            });
        });
    }

    describe("prod stacks", () => {
        for (const stack of ["prod-eu", "prod-il"]) {
            it(`2. ${stack} has a read replica and a proxy that reads the generated master secret`, async () => {
                const rec = await stackRecord(stack);
                assert.ok(rec.ofType(RDS).some((r) => r.name === "postgres-replica"));
                const secret = rec.one("aws:secretsmanager/secret:Secret", "postgres-master");
                const proxy = rec.one("aws:rds/proxy:Proxy", "postgres");
                assert.ok((proxy.propertyDependencies.auths ?? []).includes(secret.urn));
            });
            it(`also: ${stack} gives Keycloak ~300 s of health-check grace for its first start`, async () => {
                const rec = await stackRecord(stack);
                const keycloak = rec.ofType(SERVICE).find((s) => s.name === "keycloak");
                if (keycloak) assert.equal(keycloak.inputs.healthCheckGracePeriodSeconds, 300);
            });
        }
    });

    describe("17. bastion", () => {
        for (const stack of STACKS) {
            it(`${stack}: reaches S3 (AL2023 repositories) through the gateway endpoint's prefix list`, async () => {
                const rec = await stackRecord(stack);
                if (!rec.ofType(ROLE).some((r) => r.name === "bastion-role")) return;
                const rule = rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").find((r) => r.name === "bastion-egress-s3-https");
                assert.ok(rule, "no HTTPS egress to the S3 prefix list");
                assert.match(String(rule!.inputs.prefixListId), /^pl-/);
            });
            it(`${stack}: logs Session Manager sessions to a KMS-encrypted log group the bastion role may write`, async () => {
                const rec = await stackRecord(stack);
                if (!rec.ofType(ROLE).some((r) => r.name === "bastion-role")) return;
                const doc = rec.one("aws:ssm/document:Document", "bastion-session-preferences");
                assert.equal(doc.inputs.name, "SSM-SessionManagerRunShell");
                assert.equal(doc.inputs.documentType, "Session");
                const content = json(doc.inputs.content);
                assert.equal(content.sessionType, "Standard_Stream");
                assert.equal(content.inputs.cloudWatchEncryptionEnabled, true);
                const group = logGroupNamed(rec, content.inputs.cloudWatchLogGroupName);
                assert.ok(group, "the session log group is not in the plan");
                assert.ok(usesKey(rec, group!, "kmsKeyId", "logs"));
                assert.ok(usesKey(rec, doc, "content", "logs"));
                assert.equal(content.inputs.kmsKeyId, group!.inputs.kmsKeyId);
                const statements = statementsOf(rec, rec.one(ROLE_POLICY, "bastion-session-logs"));
                const logGroupName = content.inputs.cloudWatchLogGroupName;
                assert.ok(statements.some((s) => allows(s, "logs:PutLogEvents") && list<string>(s.Resource).some((r) => r.includes(logGroupName))));
                assert.ok(statements.some((s) => allows(s, "kms:Decrypt")));
            });
        }
    });

    it("10. ships the migration that creates the IAM-auth application role (rds_iam, not the master user)", () => {
        const sql = fs.readFileSync(path.join(__dirname, "..", "sql", "001-app-role.sql"), "utf8");
        assert.match(sql, /CREATE ROLE platform_app\b[^;]*LOGIN/i);
        assert.match(sql, /GRANT rds_iam TO platform_app/i);
        assert.doesNotMatch(sql, /GRANT rds_iam TO platform_admin/i);
    });
});
