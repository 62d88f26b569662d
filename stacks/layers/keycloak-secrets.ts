import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { GeneratedValue, ManagedSecret, RotationFunction } from "../../components";
import { POSTGRES_PORT } from "../../standards/ports";
import { PlatformConfig } from "../config";

/** Keycloak's own database and its owner/login user on the shared instance (bootstrap SQL in the README). */
export const KEYCLOAK_DATABASE = { name: "keycloak", user: "keycloak" };
/** The ECS service (family) Keycloak runs as: the database rotation restarts it. */
export const KEYCLOAK_SERVICE = "keycloak";
/** Length of Keycloak's generated passwords (letters and digits). */
const PASSWORD_LENGTH = 40;

/** What Keycloak's secrets need from other layers. */
export interface KeycloakSecretsInputs {
    accountId: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Private compute subnets: the rotation functions run there. */
    computeSubnetIds: pulumi.Input<string>[];
    keys: { secretsKeyArn: pulumi.Input<string>; logsKeyArn: pulumi.Input<string> };
    /** The primary Postgres instance Keycloak logs in to, its security group, and the master secret (a superuser). */
    postgres: { address: pulumi.Input<string>; securityGroupId: pulumi.Input<string>; masterSecretArn: pulumi.Input<string> };
    /** The ECS cluster Keycloak's service runs in. */
    clusterName: pulumi.Input<string>;
    /** Where a failed rotation alarms. */
    alertsTopicArn: pulumi.Input<string>;
}

/** Keycloak's two secrets, both rotated every platform:secrets.rotationDays, and the rotation functions' log groups. */
export interface KeycloakSecrets {
    /** JSON { engine, host, port, dbname, username, password, masterarn }: Keycloak reads `username` and `password`. */
    databaseSecretArn: pulumi.Output<string>;
    /** The bootstrap administrator's password (the whole secret string). */
    adminSecretArn: pulumi.Output<string>;
    rotationLogGroupNames: Record<string, pulumi.Output<string>>;
    /** The secrets' versions as Pulumi writes them: Keycloak's service waits for them (it reads the login by JSON key). */
    versions: pulumi.Resource[];
}

/**
 * Keycloak's database login rotates by alternating users (functions/rotation/postgres-users.mjs: `keycloak` and
 * `keycloak_clone`, changed by the master user, then the service is redeployed), so the login running tasks use stays
 * valid for a whole rotation period. Its bootstrap administrator password rotates as a value only the secret holds
 * (functions/rotation/keycloak-bootstrap-admin.mjs): Keycloak reads it only when it creates a temporary admin.
 */
export function buildKeycloakSecrets(cfg: PlatformConfig, inputs: KeycloakSecretsInputs, opts: pulumi.ComponentResourceOptions): KeycloakSecrets {
    const wiring = { namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl };
    const common = {
        region: cfg.region, accountId: inputs.accountId, secretsKeyArn: inputs.keys.secretsKeyArn, vpcId: inputs.vpcId, subnetIds: inputs.computeSubnetIds,
        logsKeyArn: inputs.keys.logsKeyArn, logRetentionDays: cfg.retention.logDays, wiring,
    };
    const secretName = (key: string) => `${cfg.namePrefix}/keycloak/${key}`;
    const serviceArn = pulumi.interpolate`arn:aws:ecs:${cfg.region}:${inputs.accountId}:service/${inputs.clusterName}/${KEYCLOAK_SERVICE}`;

    const databaseRotator = new RotationFunction("keycloak-database-password-rotation", {
        ...common,
        kind: "postgresUsers",
        functionName: `${cfg.namePrefix}-keycloak-db-rotation`,
        secretName: secretName("database-password"),
        environment: {
            BASE_USER: KEYCLOAK_DATABASE.user,
            PASSWORD_LENGTH: String(PASSWORD_LENGTH),
            ECS_CLUSTER: inputs.clusterName,
            ECS_SERVICE: KEYCLOAK_SERVICE,
            // RDS's CA bundle for the TLS login (Node.js 20+ runtimes no longer load it by default):
            // https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html (read 2026-12-04)
            NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem",
        },
        serviceStatements: [
            // The superuser secret of AWS's alternating-users strategy: the master user creates the clone and sets passwords.
            { Sid: "ReadMasterSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: inputs.postgres.masterSecretArn },
            // Tasks read the secret only when they start: the rotation restarts this one service.
            { Sid: "RedeployKeycloak", Effect: "Allow", Action: "ecs:UpdateService", Resource: serviceArn },
        ],
        egressToSecurityGroups: [
            { port: POSTGRES_PORT, securityGroupId: inputs.postgres.securityGroupId, description: "Keycloak's password rotation logs in to Postgres" },
        ],
    }, opts);
    new aws.vpc.SecurityGroupIngressRule("keycloak-database-password-rotation-in", {
        securityGroupId: inputs.postgres.securityGroupId, referencedSecurityGroupId: databaseRotator.securityGroupId,
        ipProtocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description: "Keycloak's password rotation function",
    }, { parent: databaseRotator });

    const adminRotator = new RotationFunction("keycloak-bootstrap-admin-password-rotation", {
        ...common,
        kind: "keycloakBootstrapAdmin",
        functionName: `${cfg.namePrefix}-keycloak-admin-rotation`,
        secretName: secretName("bootstrap-admin-password"),
        environment: { PASSWORD_LENGTH: String(PASSWORD_LENGTH) },
    }, opts);

    const secret = (key: string, description: string, rotator: RotationFunction, value: GeneratedValue) =>
        new ManagedSecret(`keycloak-${key}`, {
            secretName: secretName(key), description, kmsKeyId: inputs.keys.secretsKeyArn, recoveryWindowInDays: cfg.isProd ? 30 : 7, protect: cfg.isProd,
            value, rotation: { lambdaArn: rotator.functionArn, days: cfg.secrets.rotationDays, dependsOn: [rotator.invokePermission] },
        }, opts);
    // The generated password keeps its resource (keycloak-database-password-value): the JSON wraps the same password.
    const user = KEYCLOAK_DATABASE.user;
    const database = secret("database-password", `Keycloak's database login (${user} or ${user}_clone) on the platform Postgres instance`, databaseRotator, {
        generate: PASSWORD_LENGTH,
        json: {
            passwordKey: "password",
            fields: {
                engine: "postgres", host: inputs.postgres.address, port: POSTGRES_PORT, dbname: KEYCLOAK_DATABASE.name,
                username: user, masterarn: inputs.postgres.masterSecretArn,
            },
        },
    });
    const admin = secret("bootstrap-admin-password", "Keycloak's temporary bootstrap administrator (replace with a realm administrator after the first start)",
        adminRotator, { generate: PASSWORD_LENGTH });

    return {
        databaseSecretArn: database.arn,
        adminSecretArn: admin.arn,
        rotationLogGroupNames: { "keycloak-db-rotation": databaseRotator.logGroupName, "keycloak-admin-rotation": adminRotator.logGroupName },
        versions: [database.version, admin.version],
    };
}
