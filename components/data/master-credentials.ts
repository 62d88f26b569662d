import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { POSTGRES_PORT } from "../../standards/ports";
import { AlarmWiring } from "../observability/runbooks";
import { RotationFunction } from "../secrets/rotation-function";
import { physicalName } from "./names";

/**
 * Characters generated passwords never contain: RDS refuses `/`, `@`, `"` and spaces in a master password, and the
 * rotation function's default exclusions add `'` and `\`.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (MasterUserPassword)
 */
export const PASSWORD_EXCLUDED_CHARACTERS = "/@\"'\\ ";
const PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?.,^~";
/** Length of generated master passwords (RDS allows 8-128 for PostgreSQL). */
const PASSWORD_LENGTH = 40;

/** The arguments of MasterCredentials: what the caller decides about the database master secret. */
export interface MasterCredentialsArgs {
    /** Prefix of physical names (secret, rotation stack and function). */
    readonly namePrefix: string;
    readonly region: pulumi.Input<string>;
    /** Master user name and the database the rotation function connects to. */
    readonly username: string;
    readonly databaseName: string;
    /** The secrets key: encrypts the secret; the rotation function decrypts with it. */
    readonly secretsKeyArn: pulumi.Input<string>;
    readonly recoveryWindowDays: number;
    /** Days between automatic rotations (1-1000). */
    readonly rotationDays: number;
    /** Where the rotation function runs: private subnets of the VPC (it reaches the Secrets Manager and RDS APIs on 443). */
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    /** The instance whose master password the function changes (ModifyDBInstance), and its account. */
    readonly instanceIdentifier: string;
    readonly accountId: pulumi.Input<string>;
    /** Logs key and retention of the rotation function's log group. */
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    /** Where a failed rotation alarms. */
    readonly wiring: AlarmWiring;
    readonly protect: boolean;
}

/**
 * The master password of a Postgres instance that has a read replica (RDS refuses a replica of an instance with an
 * RDS-managed password: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations).
 * A generated password is set write-only on the instance (`passwordWo`, never in the instance's state) and kept in a
 * Secrets Manager secret under the secrets key, as the JSON RDS Proxy and the rotation function read
 * (`engine`, `host`, `port`, `username`, `password`, `dbname`), rotated by the platform's single-user rotation function
 * (functions/rotation/postgres.mjs: ModifyDBInstance MasterUserPassword). It replaces AWS's Serverless Application
 * Repository function, whose CloudFormation-created role could not carry the stack's permissions boundary.
 */
export class MasterCredentials extends pulumi.ComponentResource {
    /** The generated first password (a Pulumi secret): pass as `passwordWo` with `passwordWoVersion` 1. */
    public readonly initialPassword: pulumi.Output<string>;
    /** The rotation function's log group once `store` has run (for the SIEM subscription). */
    public rotationLogGroupName?: pulumi.Output<string>;
    public secretArn!: pulumi.Output<string>;
    private readonly args: MasterCredentialsArgs;
    private readonly name: string;

    constructor(name: string, args: MasterCredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:MasterCredentials", name, {}, opts);
        if (!(Number.isInteger(args.rotationDays) && args.rotationDays >= 1 && args.rotationDays <= 1000)) {
            throw new Error(`MasterCredentials ${name}: rotationDays must be 1-1000, got ${args.rotationDays}`);
        }
        this.args = args;
        this.name = name;
        // Protected in prod: a new generated value would reach the secret but not the instance (passwordWoVersion stays 1).
        const password = new random.RandomPassword(`${name}-password`, {
            length: PASSWORD_LENGTH, special: true, overrideSpecial: PASSWORD_SPECIALS, minLower: 4, minUpper: 4, minNumeric: 4, minSpecial: 2,
        }, { parent: this, protect: args.protect });
        this.initialPassword = pulumi.secret(password.result);
    }

    /** Stores the credentials for `host` and rotates them; call once the instance exists. */
    store(host: pulumi.Input<string>, dependsOn: pulumi.Resource[]): pulumi.Output<string> {
        const a = this.args;
        const child = { parent: this };
        const secretName = physicalName("secret", `${a.namePrefix}/postgres/master`);
        const dbArn = pulumi.interpolate`arn:aws:rds:${a.region}:${a.accountId}:db:${a.instanceIdentifier}`;
        const secret = new aws.secretsmanager.Secret(this.name, {
            name: secretName,
            description: `Master user of ${a.namePrefix} Postgres (administration, RDS Proxy); rotated every ${a.rotationDays} days`,
            kmsKeyId: a.secretsKeyArn,
            recoveryWindowInDays: a.recoveryWindowDays,
            tags: { rotation: "lambda" },
        }, { parent: this, protect: a.protect });
        const version = new aws.secretsmanager.SecretVersion(`${this.name}-version`, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify({
                engine: "postgres", host, port: POSTGRES_PORT, username: a.username, password: this.initialPassword, dbname: a.databaseName,
            })),
        }, { parent: this, dependsOn, ignoreChanges: ["versionStages"] });
        // The platform's rotation function, in the private subnets; it changes the password through the RDS API only.
        const rotator = new RotationFunction(`${this.name}-rotation`, {
            kind: "postgres", functionName: `${a.namePrefix}-postgres-rotation`, region: a.region, accountId: a.accountId, secretName,
            secretsKeyArn: a.secretsKeyArn,
            environment: { DB_INSTANCE_ID: a.instanceIdentifier, PASSWORD_LENGTH: String(PASSWORD_LENGTH) },
            serviceStatements: [
                { Sid: "SetMasterPassword", Effect: "Allow", Action: "rds:ModifyDBInstance", Resource: dbArn },
                { Sid: "WatchInstance", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: dbArn },
            ],
            vpcId: a.vpcId, subnetIds: a.subnetIds, logsKeyArn: a.logsKeyArn, logRetentionDays: a.logRetentionDays, wiring: a.wiring,
        }, child);
        new aws.secretsmanager.SecretRotation(`${this.name}-rotation`, {
            secretId: secret.id,
            rotationLambdaArn: rotator.functionArn,
            rotationRules: { automaticallyAfterDays: a.rotationDays },
            rotateImmediately: false,
        }, { parent: this, dependsOn: [version, rotator.invokePermission] });
        this.secretArn = secret.arn;
        this.rotationLogGroupName = rotator.logGroupName;
        this.registerOutputs({ secretArn: this.secretArn });
        return secret.arn;
    }
}
