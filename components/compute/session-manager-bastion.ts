import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../security/service-trust";

/** The public SSM parameter holding the latest Amazon Linux 2023 ARM64 AMI. */
export const AL2023_ARM64_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/** The arguments of SessionManagerBastion: what the caller decides about the bastion. */
export interface SessionManagerBastionArgs {
    /** Physical name prefix (role, instance profile and Name tag), e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /** Graviton instance type (e.g. `t4g.nano`). */
    readonly instanceType: string;
    /** VPC, its CIDR (HTTPS to the SSM / KMS / Logs interface endpoints) and the private subnet the instance runs in. */
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    readonly subnetId: pulumi.Input<string>;
    /** Client security groups that let the instance reach the RDS Proxy / Postgres and Redis. */
    readonly clientSecurityGroupIds: pulumi.Input<string>[];
    /** Key that encrypts the root volume (the data key). */
    readonly volumeKmsKeyArn: pulumi.Input<string>;
    /** Prefix list of the S3 gateway endpoint: HTTPS to S3 for OS patches (AL2023 repositories live in S3); none when omitted. */
    readonly s3PrefixListId?: pulumi.Input<string>;
    /**
     * Session logging: every Session Manager session of the account and region is streamed to a log group encrypted
     * with `kmsKeyArn` (the logs key), which also encrypts the session itself. This writes the account-wide
     * `SSM-SessionManagerRunShell` preferences document: one bastion per account and region.
     */
    readonly sessionLogs: { kmsKeyArn: pulumi.Input<string>; retentionDays: number };
}

/** The document Session Manager reads its account-wide preferences from (one per account and region). */
export const SESSION_PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";

/**
 * A minimal jump host reachable only through AWS Systems Manager Session Manager: no SSH key, no public IP, no
 * inbound rule, IMDSv2 only, encrypted root volume, and an instance role with only the SSM core policy. Operators
 * use port forwarding through it to the RDS Proxy and Redis.
 */
export class SessionManagerBastion extends pulumi.ComponentResource {
    public readonly instanceId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly sessionLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: SessionManagerBastionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:SessionManagerBastion", name, {}, opts);
        if (!/^(t4g|m7g|c7g|m6g|c6g|m8g|c8g|r7g)\./.test(args.instanceType)) {
            throw new Error(`SessionManagerBastion ${name}: instanceType ${args.instanceType} is not a Graviton (ARM64) type; the AMI is arm64`);
        }
        const role = new aws.iam.Role(`${name}-role`, {
            name: `${args.namePrefix}-bastion`,
            description: "Session Manager bastion: SSM core only",
            // No source condition: EC2 assumes an instance profile's role for the instance, with no source to pin
            // (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html).
            assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
        }, { parent: this });
        new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, {
            role: role.name,
            policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        }, { parent: this });
        const profile = new aws.iam.InstanceProfile(`${name}-profile`, { name: `${args.namePrefix}-bastion`, role: role.name }, { parent: this });

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Session Manager bastion: no inbound rules; HTTPS to the VPC endpoints only",
            revokeRulesOnDelete: true,
            tags: { Name: `${args.namePrefix}-bastion` },
        }, { parent: this });
        new aws.vpc.SecurityGroupEgressRule(`${name}-egress-vpc-https`, {
            securityGroupId: securityGroup.id, description: "HTTPS to the SSM, KMS and Logs interface endpoints",
            ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr,
        }, { parent: this });

        if (args.s3PrefixListId) {
            new aws.vpc.SecurityGroupEgressRule(`${name}-egress-s3-https`, {
                securityGroupId: securityGroup.id, description: "HTTPS to S3 through the gateway endpoint (AL2023 package repositories)",
                ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: args.s3PrefixListId,
            }, { parent: this });
        }

        // Session logs: streamed, KMS-encrypted, to a log group created here. Schema of the preferences document:
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-schema.html and
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-preferences-cli.html
        const sessionLog = new aws.cloudwatch.LogGroup(`${name}-sessions`, {
            name: `/ssm/${args.namePrefix}/sessions`,
            kmsKeyId: args.sessionLogs.kmsKeyArn,
            retentionInDays: args.sessionLogs.retentionDays,
        }, { parent: this });
        new aws.ssm.Document(`${name}-session-preferences`, {
            name: SESSION_PREFERENCES_DOCUMENT,
            documentType: "Session",
            documentFormat: "JSON",
            content: pulumi.jsonStringify({
                schemaVersion: "1.0",
                description: `Session Manager preferences of ${args.namePrefix}: sessions encrypted and logged to CloudWatch Logs`,
                sessionType: "Standard_Stream",
                inputs: {
                    s3BucketName: "", s3KeyPrefix: "", s3EncryptionEnabled: true,
                    cloudWatchLogGroupName: sessionLog.name, cloudWatchEncryptionEnabled: true, cloudWatchStreamingEnabled: true,
                    kmsKeyId: args.sessionLogs.kmsKeyArn,
                    idleSessionTimeout: "20", maxSessionDuration: "120",
                    runAsEnabled: false, runAsDefaultUser: "",
                    shellProfile: { windows: "", linux: "" },
                },
            }),
        }, { parent: this });
        // What the instance needs to stream encrypted session logs: the log group, and the key for the session data.
        // https://docs.aws.amazon.com/systems-manager/latest/userguide/getting-started-create-iam-instance-profile.html
        new aws.iam.RolePolicy(`${name}-session-logs`, {
            role: role.id,
            name: "session-logs",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "WriteSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [sessionLog.arn, pulumi.interpolate`${sessionLog.arn}:log-stream:*`],
                    },
                    // DescribeLogGroups has no resource-level permissions: AWS requires "*".
                    { Sid: "FindSessionLogGroup", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: "*" },
                    { Sid: "SessionKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.sessionLogs.kmsKeyArn },
                ],
            }),
        }, { parent: this });

        const ami = aws.ssm.getParameterOutput({ name: AL2023_ARM64_AMI_PARAMETER }, { parent: this });
        const instance = new aws.ec2.Instance(`${name}`, {
            ami: ami.value,
            instanceType: args.instanceType,
            subnetId: args.subnetId,
            associatePublicIpAddress: false,
            vpcSecurityGroupIds: [securityGroup.id, ...args.clientSecurityGroupIds],
            iamInstanceProfile: profile.name,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            rootBlockDevice: { encrypted: true, kmsKeyId: args.volumeKmsKeyArn, volumeType: "gp3", deleteOnTermination: true },
            monitoring: true,
            tags: { Name: `${args.namePrefix}-bastion` },
        }, {
            parent: this,
            // A new AMI release must not replace the instance on every plan; patching happens through SSM.
            ignoreChanges: ["ami"],
        });
        this.instanceId = instance.id;
        this.securityGroupId = securityGroup.id;
        this.roleArn = role.arn;
        this.sessionLogGroupName = sessionLog.name;
        this.registerOutputs({ instanceId: this.instanceId, securityGroupId: this.securityGroupId, roleArn: this.roleArn });
    }
}
