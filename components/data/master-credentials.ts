import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { POSTGRES_PORT } from "../../standards/ports";
import { physicalName } from "./names";

/** AWS's single-user PostgreSQL rotation function, published in the Serverless Application Repository. */
export const POSTGRES_ROTATION_APPLICATION = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser";
/**
 * Characters generated passwords never contain: RDS refuses `/`, `@`, `"` and spaces in a master password, and the
 * rotation function's default exclusions add `'` and `\`.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (MasterUserPassword)
 */
export const PASSWORD_EXCLUDED_CHARACTERS = "/@\"'\\ ";
const PASSWORD_SPECIALS = "!#$%&*()-_=+[]{}<>:?.,^~";

/** The arguments of MasterCredentials: what the caller decides about the database master secret. */
export interface MasterCredentialsArgs {
    /** Prefix of physical names (secret, rotation stack and function). */
    namePrefix: string;
    region: string;
    /** Master user name and the database the rotation function connects to. */
    username: string;
    databaseName: string;
    /** The secrets key: encrypts the secret; the rotation function decrypts with it. */
    secretsKeyArn: pulumi.Input<string>;
    recoveryWindowDays: number;
    /** Days between automatic rotations (1-1000). */
    rotationDays: number;
    /** Where the rotation function runs: private subnets, and the VPC CIDR it reaches Secrets Manager's endpoint in. */
    vpcId: pulumi.Input<string>;
    vpcCidr: string;
    subnetIds: pulumi.Input<string>[];
    protect: boolean;
}

/**
 * The master password of a Postgres instance that has a read replica (RDS refuses a replica of an instance with an
 * RDS-managed password: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations).
 * A generated password is set write-only on the instance (`passwordWo`, never in the instance's state) and kept in a
 * Secrets Manager secret under the secrets key, as the JSON RDS Proxy and the rotation function read
 * (`engine`, `host`, `port`, `username`, `password`, `dbname`), rotated by AWS's single-user rotation function.
 */
export class MasterCredentials extends pulumi.ComponentResource {
    /** The generated first password (a Pulumi secret): pass as `passwordWo` with `passwordWoVersion` 1. */
    public readonly initialPassword: pulumi.Output<string>;
    /** The rotation function's security group: the database must admit it on 5432. */
    public readonly rotationSecurityGroup: aws.ec2.SecurityGroup;
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
            length: 40, special: true, overrideSpecial: PASSWORD_SPECIALS, minLower: 4, minUpper: 4, minNumeric: 4, minSpecial: 2,
        }, { parent: this, protect: args.protect });
        this.initialPassword = pulumi.secret(password.result);
        this.rotationSecurityGroup = new aws.ec2.SecurityGroup(`${name}-rotation`, {
            name: physicalName("securityGroup", args.namePrefix, "postgres-rotation"),
            description: "Postgres master-secret rotation function: 5432 to the primary, HTTPS to the Secrets Manager endpoint",
            vpcId: args.vpcId,
            tags: { Name: `${args.namePrefix}-postgres-rotation` },
        }, { parent: this });
        new aws.vpc.SecurityGroupEgressRule(`${name}-rotation-https`, {
            securityGroupId: this.rotationSecurityGroup.id, cidrIpv4: args.vpcCidr, ipProtocol: "tcp", fromPort: 443, toPort: 443,
            description: "HTTPS to the Secrets Manager interface endpoint",
        }, { parent: this });
    }

    /** Stores the credentials for `host` and rotates them; call once the instance exists. */
    store(host: pulumi.Input<string>, dependsOn: pulumi.Resource[]): pulumi.Output<string> {
        const a = this.args;
        const child = { parent: this };
        const secret = new aws.secretsmanager.Secret(this.name, {
            name: physicalName("secret", `${a.namePrefix}/postgres/master`),
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
        // AWS's rotation function, deployed from the Serverless Application Repository into the private subnets.
        // Parameters as AWS CDK's SecretRotation passes them (aws-cdk aws-secretsmanager/lib/secret-rotation.ts).
        const functionName = `${a.namePrefix}-postgres-rotation`;
        const rotator = new aws.serverlessrepository.CloudFormationStack(`${this.name}-rotation`, {
            name: functionName,
            applicationId: POSTGRES_ROTATION_APPLICATION,
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                endpoint: `https://secretsmanager.${a.region}.amazonaws.com`,
                functionName,
                vpcSubnetIds: pulumi.all(a.subnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: this.rotationSecurityGroup.id,
                kmsKeyArn: a.secretsKeyArn,
                excludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
            },
        }, child);
        new aws.secretsmanager.SecretRotation(`${this.name}-rotation`, {
            secretId: secret.id,
            rotationLambdaArn: rotator.outputs.apply((o) => o?.RotationLambdaARN ?? ""),
            rotationRules: { automaticallyAfterDays: a.rotationDays },
        }, { parent: this, dependsOn: [version] });
        this.secretArn = secret.arn;
        this.registerOutputs({ secretArn: this.secretArn });
        return secret.arn;
    }
}
