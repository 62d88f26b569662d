import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { FunctionStatement, VpcFunction } from "../functions/vpc-function";
import { AlarmWiring } from "../observability/runbooks";

/** The rotation functions in functions/rotation/, by the kind of secret they rotate. */
export const ROTATION_FUNCTIONS = {
    jwt: "rotation/jwt.mjs",
    redis: "rotation/redis.mjs",
    postgres: "rotation/postgres.mjs",
    /** An application's Postgres password login, alternating users (Keycloak's database login). */
    postgresUsers: "rotation/postgres-users.mjs",
    /** Keycloak's bootstrap administrator password (read only when Keycloak creates a temporary admin). */
    keycloakBootstrapAdmin: "rotation/keycloak-bootstrap-admin.mjs",
} as const;
/** The rotations the platform implements (functions/rotation/): a JWT signing key, a Redis AUTH token, Postgres passwords, Keycloak's bootstrap admin. */
export type RotationKind = keyof typeof ROTATION_FUNCTIONS;

/** Modules an entry module imports besides steps.mjs, uploaded beside it under their own names. */
const ROTATION_MODULES: Partial<Record<RotationKind, string[]>> = {
    postgresUsers: ["pg-wire.mjs"],
    keycloakBootstrapAdmin: ["jwt.mjs"],
};

/** Rotations that wait on a service (RDS, ElastiCache, a database login) get Lambda's 15 minutes; the others 30 s. */
const SLOW_ROTATIONS: readonly RotationKind[] = ["redis", "postgres", "postgresUsers"];

/** The arguments of RotationFunction: which rotation, the one secret it may touch, and where it runs. */
export interface RotationFunctionArgs {
    readonly kind: RotationKind;
    /** Physical name of the function, e.g. `platform-prod-eu-redis-rotation`. */
    readonly functionName: string;
    /** Region of the secret and the function (the secret's ARN, `kms:ViaService`). */
    readonly region: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** Name of the one secret the function rotates: its permissions are scoped to that secret's ARN. */
    readonly secretName: string;
    /** The secrets key that encrypts the secret. */
    readonly secretsKeyArn: pulumi.Input<string>;
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** What the function does to the service that uses the secret (e.g. ModifyReplicationGroup on one group). */
    readonly serviceStatements?: FunctionStatement[];
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly egressToSecurityGroups?: { port: number; securityGroupId: pulumi.Input<string>; description: string }[];
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    /** Alarm wiring: a failed rotation step (a function error) alarms with runbook `secret-rotation-failed`. */
    readonly wiring: AlarmWiring;
}

/** The ARN pattern of a secret by name: Secrets Manager appends `-` and six random characters. */
export function secretArnPattern(region: pulumi.Input<string>, accountId: pulumi.Input<string>, secretName: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:secretsmanager:${region}:${accountId}:secret:${secretName}-??????`;
}

/**
 * A rotation function from functions/rotation/ for one secret: the four rotation steps in the private subnets,
 * allowed to read and stage versions of that secret only (plus GetRandomPassword, which has no resource), to use the
 * secrets key only through Secrets Manager, and invokable by Secrets Manager from this account only.
 * Permissions as AWS lists them for rotation functions:
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html (read 2026-12-03)
 */
export class RotationFunction extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** The function's log group, for the SIEM subscription. */
    public readonly logGroupName: pulumi.Output<string>;
    /** Secrets Manager's permission to invoke the function: a SecretRotation must wait for it. */
    public readonly invokePermission: aws.lambda.Permission;

    constructor(name: string, args: RotationFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:secrets:RotationFunction", name, {}, opts);
        const child = { parent: this };
        const secretArn = secretArnPattern(args.region, args.accountId, args.secretName);
        const fn = new VpcFunction(
            name,
            {
                functionName: args.functionName,
                description: `Rotates the secret ${args.secretName} (${args.kind})`,
                files: {
                    "index.mjs": ROTATION_FUNCTIONS[args.kind],
                    "steps.mjs": "rotation/steps.mjs",
                    ...Object.fromEntries((ROTATION_MODULES[args.kind] ?? []).map((m) => [m, `rotation/${m}`])),
                },
                environment: args.environment,
                statements: [
                    {
                        Sid: "RotateThisSecret",
                        Effect: "Allow",
                        Resource: secretArn,
                        Action: [
                            "secretsmanager:DescribeSecret",
                            "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue",
                            "secretsmanager:UpdateSecretVersionStage",
                            "secretsmanager:ListSecretVersionIds",
                        ],
                    },
                    { Sid: "GeneratePasswords", Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
                    {
                        Sid: "SecretsKeyThroughSecretsManager",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.secretsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${args.region}.amazonaws.com` } },
                    },
                    ...(args.serviceStatements ?? []),
                ],
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                egressToSecurityGroups: args.egressToSecurityGroups,
                logsKeyArn: args.logsKeyArn,
                logRetentionDays: args.logRetentionDays,
                // A Redis token change or an RDS password change takes minutes; Lambda allows 15.
                timeoutSeconds: SLOW_ROTATIONS.includes(args.kind) ? 900 : 30,
                errorsAlarm: { wiring: args.wiring, runbook: "secret-rotation-failed", summary: `A rotation step of ${args.secretName} failed.` },
            },
            child,
        );
        this.invokePermission = new aws.lambda.Permission(
            `${name}-invoke`,
            {
                function: fn.functionName,
                action: "lambda:InvokeFunction",
                principal: "secretsmanager.amazonaws.com",
                sourceAccount: args.accountId,
            },
            child,
        );
        this.functionArn = fn.functionArn;
        this.securityGroupId = fn.securityGroupId;
        this.logGroupName = fn.logGroupName;
        this.registerOutputs({ functionArn: this.functionArn, securityGroupId: this.securityGroupId });
    }
}
