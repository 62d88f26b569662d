import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlarmWiring, RunbookId, runbookAlarm } from "../observability/runbooks";
import { FUNCTION_SOURCES } from "./function-sources";
import { serviceTrustPolicy } from "../security/service-trust";


/**
 * The Lambda runtime: Node.js 22, whose AWS SDK for JavaScript v3 is built in, so the code needs no bundling or
 * node_modules (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included, read 2026-12-03).
 */
export const FUNCTION_RUNTIME = "nodejs22.x";

/** Actions a function in a VPC needs for its network interfaces; AWS documents them on `*`.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions (read 2026-12-03) */
export const VPC_ENI_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
];

/** One IAM policy statement of the function's role. */
export interface FunctionStatement {
    Sid: string;
    Effect: "Allow";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** The arguments of VpcFunction: its code, permissions, network placement, logs and alarm wiring. */
export interface VpcFunctionArgs {
    /** Physical name of the function, its role, security group and log group (`/aws/lambda/<name>`); at most 64 characters. */
    readonly functionName: string;
    readonly description: string;
    /**
     * Code: archive file name -> module under functions/ (carried by function-sources.ts, generated from that folder).
     * The entry module is `index.mjs` (handler `index.handler`).
     */
    readonly files: Record<string, string>;
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** What the function may do besides writing its own logs and managing its network interfaces. */
    readonly statements: FunctionStatement[];
    /** Private subnets it runs in and their VPC; it reaches AWS APIs on 443 (interface endpoints, else the NAT gateway). */
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    /** Further egress: a port to a security group (e.g. Redis). */
    readonly egressToSecurityGroups?: { port: number; securityGroupId: pulumi.Input<string>; description: string }[];
    /** Logs key and retention of the function's log group. */
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly timeoutSeconds: number;
    readonly memoryMb?: number;
    /** An alarm on the function's errors (each error is a failed rotation or check), with its runbook. */
    readonly errorsAlarm?: { wiring: AlarmWiring; runbook: RunbookId; summary: string };
}

/**
 * A Lambda function of the platform's own code: Node.js 22 on arm64 in the private subnets, its own security group
 * (HTTPS out, nothing in), its own role (the stack's permissions boundary is added by the stack transformation), a
 * KMS-encrypted log group with the stack's retention, and an alarm on errors when asked.
 */
export class VpcFunction extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly lambda: aws.lambda.Function;
    /** `/aws/lambda/<name>`: its log group (KMS-encrypted), for the SIEM subscription. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: VpcFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:functions:VpcFunction", name, {}, opts);
        if (!/^[A-Za-z0-9_-]{1,61}$/.test(args.functionName)) {
            throw new Error(`VpcFunction ${name}: functionName "${args.functionName}" must be 1-61 letters, digits, - or _ (the role adds -fn)`);
        }
        if (!args.files["index.mjs"]) throw new Error(`VpcFunction ${name}: files must contain the entry module index.mjs`);
        if (!Number.isInteger(args.timeoutSeconds) || args.timeoutSeconds < 1 || args.timeoutSeconds > 900) {
            throw new Error(`VpcFunction ${name}: timeoutSeconds must be 1-900 (Lambda's maximum), got ${args.timeoutSeconds}`);
        }
        const child = { parent: this };

        const sg = new aws.ec2.SecurityGroup(
            name,
            {
                name: `${args.functionName}-fn`,
                description: `Lambda ${args.functionName}: HTTPS to AWS APIs, no ingress`,
                vpcId: args.vpcId,
                tags: { Name: `${args.functionName}-fn` },
            },
            child,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https`,
            {
                securityGroupId: sg.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to AWS APIs (interface endpoints in the VPC, the others through NAT)",
            },
            child,
        );
        for (const e of args.egressToSecurityGroups ?? []) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-to-${e.port}`,
                {
                    securityGroupId: sg.id,
                    referencedSecurityGroupId: e.securityGroupId,
                    ipProtocol: "tcp",
                    fromPort: e.port,
                    toPort: e.port,
                    description: e.description,
                },
                child,
            );
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            {
                name: `/aws/lambda/${args.functionName}`,
                kmsKeyId: args.logsKeyArn,
                retentionInDays: args.logRetentionDays,
            },
            child,
        );

        this.logGroupName = logGroup.name;

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `${args.functionName}-fn`,
                description: `Lambda ${args.functionName}`,
                // No source condition: AWS documents the execution role's trust without one
                // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html); Lambda assumes it only for
                // functions of this account that were passed the role (iam:PassRole).
                assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com"),
                maxSessionDuration: 3600,
            },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "OwnLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:*`,
                        },
                        { Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: VPC_ENI_ACTIONS, Resource: "*" },
                        ...args.statements,
                    ],
                }),
            },
            child,
        );

        const code: Record<string, pulumi.asset.Asset> = {};
        for (const [archiveName, file] of Object.entries(args.files)) {
            const source = FUNCTION_SOURCES[file];
            if (source === undefined) {
                const known = Object.keys(FUNCTION_SOURCES).join(", ");
                throw new Error(`VpcFunction ${name}: files.${archiveName} names ${file}, not a module under functions/ (${known})`);
            }
            code[archiveName] = new pulumi.asset.StringAsset(source);
        }
        this.lambda = new aws.lambda.Function(
            name,
            {
                name: args.functionName,
                description: args.description,
                runtime: FUNCTION_RUNTIME,
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive(code),
                role: role.arn,
                timeout: args.timeoutSeconds,
                memorySize: args.memoryMb ?? 256,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [sg.id] },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                environment: args.environment ? { variables: args.environment } : undefined,
            },
            { ...child, dependsOn: [policy, logGroup] },
        );

        if (args.errorsAlarm) {
            runbookAlarm(
                `${name}-errors`,
                args.errorsAlarm.wiring,
                {
                    runbook: args.errorsAlarm.runbook,
                    qualifier: args.functionName.replace(`${args.errorsAlarm.wiring.namePrefix}-`, ""),
                    summary: args.errorsAlarm.summary,
                    namespace: "AWS/Lambda",
                    metricName: "Errors",
                    dimensions: { FunctionName: this.lambda.name },
                    statistic: "Sum",
                    period: 3600,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                },
                child,
            );
        }

        this.functionArn = this.lambda.arn;
        this.functionName = this.lambda.name;
        this.roleArn = role.arn;
        this.securityGroupId = sg.id;
        this.registerOutputs({ functionArn: this.functionArn, functionName: this.functionName, roleArn: this.roleArn, securityGroupId: this.securityGroupId });
    }
}
