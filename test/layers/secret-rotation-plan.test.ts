import { strict as assert } from "assert";
import { stackRecord } from "../../offline/testing";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const FUNCTION = "aws:lambda/function:Function";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** Secrets rotated by a function in each stack, and the function that rotates each. */
const ROTATED: Record<string, string> = {
    "postgres-master": "postgres-master-rotation",
    "redis-auth": "redis-auth-rotation",
    "jwt-signing-key": "jwt-signing-key-rotation",
};
/** Keycloak's secrets (stacks that run Keycloak: prod-il). */
const KEYCLOAK_ROTATED: Record<string, string> = {
    "keycloak-database-password": "keycloak-database-password-rotation",
    "keycloak-bootstrap-admin-password": "keycloak-bootstrap-admin-password-rotation",
};
const KEYCLOAK_STACKS = ["prod-il"];
const rotatedIn = (stack: string) => (KEYCLOAK_STACKS.includes(stack) ? { ...ROTATED, ...KEYCLOAK_ROTATED } : ROTATED);

/**
 * Issue 21 item 2 in the real plans: every secret the platform owns either rotates through one of the platform's
 * functions every platform:secrets.rotationDays (30), or is rotated by hand and watched by an age alarm.
 */
for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`secret rotation in the plan of ${stack}`, () => {
        it("rotates the master password, the Redis AUTH token and the JWT key every 30 days through the platform's own functions", async () => {
            const rec = await stackRecord(stack);
            for (const [secretName, fnName] of Object.entries(rotatedIn(stack))) {
                const secret = rec.one(SECRET, secretName);
                const rotations = rec.pointingAt(ROTATION, "secretId", secret);
                assert.equal(rotations.length, 1, `${secretName} has one rotation`);
                assert.equal(rotations[0].inputs.rotationRules.automaticallyAfterDays, 30, "platform:secrets.rotationDays");
                const fn = rec.one(FUNCTION, fnName);
                assert.ok(rotations[0].propertyDependencies.rotationLambdaArn.includes(fn.urn), `${secretName} is rotated by ${fnName}`);
                assert.ok(
                    rotations[0].dependencies.includes(rec.one("aws:lambda/permission:Permission", `${fnName}-invoke`).urn),
                    "after the invoke permission",
                );
            }
            assert.equal(rec.ofType("aws:serverlessrepository/cloudFormationStack:CloudFormationStack").length, 0);
        });

        it("runs every function in the private compute subnets, with a bounded role of its own, Node.js 22 and a KMS-encrypted log group", async () => {
            const rec = await stackRecord(stack);
            const computeSubnets = rec
                .ofType("aws:ec2/subnet:Subnet")
                .filter((s) => s.name.includes("compute"))
                .map((s) => s.urn);
            assert.ok(computeSubnets.length > 0);
            for (const fn of rec.ofType(FUNCTION)) {
                assert.equal(fn.inputs.runtime, "nodejs22.x", fn.name);
                const subnets = fn.propertyDependencies.vpcConfig ?? [];
                assert.ok(
                    subnets.length > 0 && subnets.every((u) => computeSubnets.includes(u) || !u.includes("aws:ec2/subnet:Subnet")),
                    `${fn.name} in compute subnets`,
                );
                const role = rec.ofType("aws:iam/role:Role").find((r) => fn.propertyDependencies.role?.includes(r.urn))!;
                assert.ok(role.inputs.permissionsBoundary, `${fn.name}'s role carries the boundary`);
                assert.equal(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "lambda.amazonaws.com");
                const logGroup = rec.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => fn.propertyDependencies.loggingConfig?.includes(g.urn))!;
                assert.ok(logGroup.inputs.kmsKeyId, `${fn.name} logs under a CMK`);
            }
        });

        it("lets Secrets Manager invoke a rotation function only from this account, and lets the function use only its own secret", async () => {
            const rec = await stackRecord(stack);
            for (const [secretName, fnName] of Object.entries(rotatedIn(stack))) {
                const permission = rec.inputsOf(rec.one("aws:lambda/permission:Permission", `${fnName}-invoke`));
                assert.equal(permission.principal, "secretsmanager.amazonaws.com");
                assert.match(String(permission.sourceAccount), /^\d{12}$/);
                const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", `${fnName}-policy`)).policy);
                const own = policy.Statement.find((s: any) => s.Sid === "RotateThisSecret");
                const name = rec.inputsOf(rec.one(SECRET, secretName)).name;
                assert.ok(own.Resource.endsWith(`:secret:${name}-??????`), `${fnName} is scoped to ${name}`);
                const kms = policy.Statement.find((s: any) => s.Sid === "SecretsKeyThroughSecretsManager");
                assert.equal(kms.Resource, rec.inputsOf(rec.one(SECRET, secretName)).kmsKeyId, "the key that encrypts the secret");
                assert.match(kms.Condition.StringEquals["kms:ViaService"], /^secretsmanager\./);
            }
        });

        it("watches every secret rotated by hand with an age alarm, and every rotation function with an error alarm", async () => {
            const rec = await stackRecord(stack);
            const manual = rec.ofType(SECRET).filter((s) => s.inputs.tags?.rotation === "manual");
            assert.ok(manual.length >= 1);
            const check = rec.one(FUNCTION, "token-age");
            const watched = JSON.parse(rec.inputsOf(check).environment.variables.SECRETS);
            const ageAlarms = rec.ofType(ALARM).filter((a) => a.inputs.metricName === "SecretAgeDays");
            for (const s of manual) {
                const label = s.name;
                assert.ok(watched[label], `${s.name} is watched for age`);
                const alarm = ageAlarms.find((a) => a.inputs.dimensions.SecretName === label);
                assert.ok(alarm, `${s.name} has an age alarm`);
                assert.equal(alarm!.inputs.threshold, 180, "platform:secrets.externalTokenMaxAgeDays");
                assert.equal(alarm!.inputs.treatMissingData, "breaching", "a silent check alarms");
            }
            for (const fnName of Object.values(rotatedIn(stack))) {
                const errors = rec.one(ALARM, `${fnName}-errors`);
                assert.equal(errors.inputs.metricName, "Errors");
                assert.match(errors.inputs.alarmDescription, /#secret-rotation-failed$/);
            }
        });
    });
}

describe("Keycloak's secrets rotate (issue 21, prod-il)", () => {
    const TASKDEF = "aws:ecs/taskDefinition:TaskDefinition";

    it("no stack without Keycloak has Keycloak secrets; every stack with Keycloak rotates both", async () => {
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const rec = await stackRecord(stack);
            const names = rec.ofType(SECRET).map((x) => x.name);
            const runsKeycloak = rec.ofType("aws:ecs/service:Service").some((x) => x.inputs.name === "keycloak");
            assert.equal(runsKeycloak, KEYCLOAK_STACKS.includes(stack), stack);
            for (const name of Object.keys(KEYCLOAK_ROTATED)) assert.equal(names.includes(name), runsKeycloak, `${stack}: ${name}`);
        }
    });

    it("keeps the secrets and generated passwords Keycloak already uses (same URNs: rotation replaces nothing stateful)", async () => {
        const rec = await stackRecord("prod-il");
        const prefix = "urn:pulumi:prod-il::platform::platform:secrets:ManagedSecret$";
        for (const key of ["database-password", "bootstrap-admin-password"]) {
            assert.equal(rec.one(SECRET, `keycloak-${key}`).urn, `${prefix}aws:secretsmanager/secret:Secret::keycloak-${key}`);
            const password = rec.one("random:index/randomPassword:RandomPassword", `keycloak-${key}-value`);
            assert.equal(password.urn, `${prefix}random:index/randomPassword:RandomPassword::keycloak-${key}-value`);
            assert.ok(password.protect, "protected in prod");
        }
    });

    it("the database login alternates users through the master secret, logs in on 5432 only, and restarts only the Keycloak service", async () => {
        const rec = await stackRecord("prod-il");
        const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "keycloak-database-password-rotation-policy")).policy);
        const master = policy.Statement.find((s: any) => s.Sid === "ReadMasterSecret");
        assert.deepEqual(master.Action, "secretsmanager:GetSecretValue");
        const policyResource = rec.one("aws:iam/rolePolicy:RolePolicy", "keycloak-database-password-rotation-policy");
        assert.ok(policyResource.propertyDependencies.policy.includes(rec.one(SECRET, "postgres-master").urn), "the master secret's own ARN");
        assert.ok(!String(master.Resource).includes("*"), `one secret, no wildcard: ${master.Resource}`);
        const redeploy = policy.Statement.find((s: any) => s.Sid === "RedeployKeycloak");
        assert.equal(redeploy.Action, "ecs:UpdateService");
        assert.match(redeploy.Resource, /^arn:aws:ecs:il-central-1:\d{12}:service\/[^/*]+\/keycloak$/);
        const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
        assert.ok(!actions.some((a: string) => a.endsWith("*")), "no wildcard action");

        const fn = rec.inputsOf(rec.one(FUNCTION, "keycloak-database-password-rotation"));
        assert.equal(fn.environment.variables.BASE_USER, "keycloak");
        assert.equal(fn.environment.variables.ECS_SERVICE, "keycloak");
        assert.equal(fn.environment.variables.NODE_EXTRA_CA_CERTS, "/var/runtime/ca-cert.pem", "TLS to RDS is verified against RDS's CA bundle");
        assert.equal(fn.timeout, 900);

        const fnSg = rec.one("aws:ec2/securityGroup:SecurityGroup", "keycloak-database-password-rotation");
        const ingress = rec.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "keycloak-database-password-rotation-in");
        assert.deepEqual([ingress.inputs.fromPort, ingress.inputs.toPort, ingress.inputs.ipProtocol], [5432, 5432, "tcp"]);
        assert.ok(ingress.propertyDependencies.referencedSecurityGroupId.includes(fnSg.urn), "admitted by security group, not CIDR");
        assert.ok(ingress.propertyDependencies.securityGroupId.includes(rec.one("aws:ec2/securityGroup:SecurityGroup", "postgres-db").urn), "to the instance");
    });

    it("Keycloak reads its database user and password from the rotated secret's JSON keys, and nothing from a fixed user name", async () => {
        const rec = await stackRecord("prod-il");
        const td = rec.ofType(TASKDEF).find((t) => t.inputs.family === "platform-prod-il-keycloak")!;
        const container = JSON.parse(rec.inputsOf(td).containerDefinitions)[0];
        const secrets = Object.fromEntries(container.secrets.map((x: any) => [x.name, x.valueFrom]));
        assert.match(secrets.KC_DB_USERNAME, /:secret:platform-prod-il\/keycloak\/database-password-.*:username::$/);
        assert.match(secrets.KC_DB_PASSWORD, /:secret:platform-prod-il\/keycloak\/database-password-.*:password::$/);
        assert.ok(!container.environment.some((e: any) => e.name === "KC_DB_USERNAME"));
        const secret = rec.one(SECRET, "keycloak-database-password");
        assert.equal(secret.inputs.tags.rotation, "lambda");
        const version = rec.one("aws:secretsmanager/secretVersion:SecretVersion", "keycloak-database-password-version");
        const service = rec.ofType("aws:ecs/service:Service").find((x) => x.inputs.name === "keycloak")!;
        assert.ok(service.dependencies.includes(version.urn), "tasks start after the JSON version exists (a plain value has no `username` key)");
        const value = JSON.parse(rec.inputsOf(version).secretString);
        assert.deepEqual([value.engine, value.port, value.dbname, value.username], ["postgres", 5432, "keycloak", "keycloak"]);
        assert.match(value.masterarn, /^arn:aws:secretsmanager:il-central-1:\d{12}:secret:/);
        const watched = JSON.parse(rec.inputsOf(rec.one(FUNCTION, "token-age")).environment.variables.SECRETS);
        assert.ok(!Object.keys(watched).some((k) => k.startsWith("keycloak")), "rotated secrets leave the age check");
    });
});
