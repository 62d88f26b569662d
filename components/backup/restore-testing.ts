import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { VpcFunction } from "../functions/vpc-function";
import { AlarmWiring, runbookAlarm } from "../observability/runbooks";

/** Where functions/restore-validation publishes its counts and the overdue flag. */
export const RESTORE_TESTING_NAMESPACE = "Platform/RestoreTesting";

/** AWS managed policies of the role restore tests restore with (RDS and the rest; S3). */
export const RESTORE_ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

/** Restore testing plan and selection names: letters, digits and underscores, at most 50 (CreateRestoreTestingPlan). */
export function restoreTestingName(...parts: string[]): string {
    const name = parts.join("_").replace(/[^A-Za-z0-9_]/g, "_");
    if (name.length > 50) throw new Error(`restore testing name ${name} is longer than AWS Backup's 50 characters`);
    return name;
}

/** The arguments of RestoreTesting: the vaults, the resources restored each week, and where validation runs. */
export interface RestoreTestingArgs {
    /** Physical name prefix, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** When tests run: an AWS cron expression in UTC, e.g. `cron(0 6 ? * SAT *)` (weekly). */
    readonly schedule: string;
    /** Hours after the scheduled time a test may still start (1-168). */
    readonly startWindowHours: number;
    /** Hours a restored resource is kept for validation before AWS Backup deletes it (1-168). */
    readonly validationWindowHours: number;
    /** An alarm fires when no test completed within this many days (or the daily check stops reporting). */
    readonly maxDaysWithoutTest: number;
    /** Vaults whose recovery points are tested (the primary vault, and an in-region copy vault where there is one). */
    readonly vaultArns: pulumi.Input<string>[];
    /** The database: the RDS instance, the subnet group and VPC the restored copy is placed in. */
    readonly database: { instanceArn: pulumi.Input<string>; subnetGroupName: pulumi.Input<string>; vpcId: pulumi.Input<string> };
    /** Buckets restored by the tests (the evidence and documents buckets). */
    readonly bucketArns: pulumi.Input<string>[];
    /**
     * Keys the restores use: the backups key (recovery points in the vaults) and the data key (the database's and
     * the buckets' own key, which the restored copies are encrypted with).
     */
    readonly kmsKeyArns: pulumi.Input<string>[];
    /** The validation function runs here (private subnets). */
    readonly functionSubnetIds: pulumi.Input<string>[];
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly wiring: AlarmWiring;
}

/**
 * Weekly proof that backups restore: an AWS Backup restore testing plan over the stack's vaults with selections for
 * the database and the data buckets, restored with a role that can do nothing else; a function that validates each
 * restored copy (the database available and encrypted, the bucket holding objects) and reports the result to AWS
 * Backup; and two alarms: a test or its validation failed, or no test completed within `maxDaysWithoutTest` days.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html (read 2026-12-03)
 */
export class RestoreTesting extends pulumi.ComponentResource {
    public readonly planArn: pulumi.Output<string>;
    public readonly planName: string;
    public readonly roleArn: pulumi.Output<string>;
    /** The validation function's log group, for the SIEM subscription. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: RestoreTestingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:backup:RestoreTesting", name, {}, opts);
        validate(name, args);
        const child = { parent: this };
        const p = args.namePrefix;

        // The role restore jobs run with (each selection's IamRoleArn). AWS Backup's own service-linked role
        // (AWSServiceRoleForBackupRestoreTesting) starts the jobs and deletes the restored resources.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html#restore-testing-iam (read 2026-12-03)
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `${p}-restore-testing`,
                description: "AWS Backup restore tests restore recovery points of the stack's database and buckets",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                maxSessionDuration: 3600,
            },
            child,
        );
        const attachments = RESTORE_ROLE_POLICIES.map(
            (policyArn) =>
                new aws.iam.RolePolicyAttachment(`${name}-role-${policyArn.endsWith("S3Restore") ? "s3" : "restores"}`, { role: role.name, policyArn }, child),
        );
        // Customer-managed keys: AWS Backup reads recovery points under the backups key and RDS and S3 write the restored
        // copies under the data key, each through its service; key policies delegate to IAM (the account statement).
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html (read 2026-12-03)
        const keyPolicy = new aws.iam.RolePolicy(
            `${name}-keys`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "UseKeysThroughServices",
                            Effect: "Allow",
                            Resource: args.kmsKeyArns,
                            Action: [
                                "kms:Decrypt",
                                "kms:Encrypt",
                                "kms:GenerateDataKey",
                                "kms:GenerateDataKeyWithoutPlaintext",
                                "kms:ReEncryptFrom",
                                "kms:ReEncryptTo",
                                "kms:DescribeKey",
                            ],
                            Condition: { StringEquals: { "kms:ViaService": ["backup", "rds", "s3"].map((s) => `${s}.${args.region}.amazonaws.com`) } },
                        },
                        {
                            Sid: "GrantsForAwsResources",
                            Effect: "Allow",
                            Action: "kms:CreateGrant",
                            Resource: args.kmsKeyArns,
                            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                        },
                    ],
                }),
            },
            child,
        );

        // The restored database gets a security group that admits nothing and sends nothing: it only has to come up.
        const isolated = new aws.ec2.SecurityGroup(
            `${name}-db`,
            {
                name: `${p}-restore-test-db`,
                description: "Databases restored by AWS Backup restore tests: no ingress, no egress",
                vpcId: args.database.vpcId,
                egress: [],
                tags: { Name: `${p}-restore-test-db` },
            },
            child,
        );

        this.planName = restoreTestingName(p, "weekly");
        const plan = new aws.backup.RestoreTestingPlan(
            `${name}-plan`,
            {
                name: this.planName,
                scheduleExpression: args.schedule,
                scheduleExpressionTimezone: "Etc/UTC",
                startWindowHours: args.startWindowHours,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: args.vaultArns,
                    recoveryPointTypes: ["SNAPSHOT", "CONTINUOUS"],
                    selectionWindowDays: 7,
                },
            },
            child,
        );
        const selection = { restoreTestingPlanName: plan.name, iamRoleArn: role.arn, validationWindowHours: args.validationWindowHours };
        const selectionOpts = { ...child, dependsOn: [...attachments, keyPolicy] };
        // Overrides as AWS lists them for RDS: the restored instance lands in the stack's data subnets, isolated.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html (read 2026-12-03)
        new aws.backup.RestoreTestingSelection(
            `${name}-database`,
            {
                ...selection,
                name: restoreTestingName(p, "database"),
                protectedResourceType: "RDS",
                protectedResourceArns: [args.database.instanceArn],
                restoreMetadataOverrides: {
                    dbsubnetgroupname: args.database.subnetGroupName,
                    vpcsecuritygroupids: pulumi.jsonStringify([isolated.id]),
                },
            },
            selectionOpts,
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-buckets`,
            {
                ...selection,
                name: restoreTestingName(p, "buckets"),
                protectedResourceType: "S3",
                protectedResourceArns: args.bucketArns,
            },
            selectionOpts,
        );

        const validator = new VpcFunction(
            `${name}-validation`,
            {
                functionName: `${p}-restore-validation`,
                description: "Validates AWS Backup restore tests and reports when none ran",
                files: { "index.mjs": "restore-validation/index.mjs" },
                environment: { RESTORE_TESTING_PLAN_ARN: plan.arn, MAX_DAYS_WITHOUT_TEST: String(args.maxDaysWithoutTest) },
                statements: [
                    // Restore jobs have no resource-level permissions.
                    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackup.html (read 2026-12-03)
                    {
                        Sid: "ReadAndJudgeRestoreJobs",
                        Effect: "Allow",
                        Resource: "*",
                        Action: ["backup:DescribeRestoreJob", "backup:ListRestoreJobs", "backup:PutRestoreValidationResult"],
                    },
                    {
                        Sid: "InspectRestoredDatabases",
                        Effect: "Allow",
                        Action: "rds:DescribeDBInstances",
                        Resource: pulumi.interpolate`arn:aws:rds:${args.region}:${args.accountId}:db:*`,
                    },
                    // Restored buckets get names AWS Backup chooses: listing keys (no object reads) of any bucket of the account.
                    { Sid: "ListRestoredBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::*" },
                    {
                        Sid: "PublishResults",
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": RESTORE_TESTING_NAMESPACE } },
                    },
                ],
                vpcId: args.database.vpcId,
                subnetIds: args.functionSubnetIds,
                logsKeyArn: args.logsKeyArn,
                logRetentionDays: args.logRetentionDays,
                timeoutSeconds: 120,
            },
            child,
        );
        const restoreJobs = new aws.cloudwatch.EventRule(
            `${name}-restore-jobs`,
            {
                name: `${p}-restore-test-jobs`,
                description: "AWS Backup restore jobs that finished: validated by the restore-validation function",
                eventPattern: JSON.stringify({
                    source: ["aws.backup"],
                    "detail-type": ["Restore Job State Change"],
                    detail: { status: ["COMPLETED", "FAILED", "ABORTED"] },
                }),
            },
            child,
        );
        const daily = new aws.cloudwatch.EventRule(
            `${name}-overdue-check`,
            {
                name: `${p}-restore-test-overdue-check`,
                description: "Checks every 6 hours that a restore test completed recently",
                scheduleExpression: "rate(6 hours)",
            },
            child,
        );
        for (const [key, rule] of [
            ["restore-jobs", restoreJobs],
            ["overdue-check", daily],
        ] as const) {
            new aws.cloudwatch.EventTarget(`${name}-${key}`, { rule: rule.name, arn: validator.functionArn }, child);
            new aws.lambda.Permission(
                `${name}-${key}`,
                {
                    function: validator.functionName,
                    action: "lambda:InvokeFunction",
                    principal: "events.amazonaws.com",
                    sourceArn: rule.arn,
                },
                child,
            );
        }

        const planDimension = { RestoreTestingPlan: this.planName };
        runbookAlarm(
            `${name}-failed`,
            args.wiring,
            {
                runbook: "restore-test-failed",
                summary: "An AWS Backup restore job failed, or a restore test's validation failed, in the last hour.",
                metricQueries: [
                    { id: "jobs", metric: { namespace: "AWS/Backup", metricName: "NumberOfRestoreJobsFailed", stat: "Sum", period: 3600 }, returnData: false },
                    {
                        id: "validation",
                        returnData: false,
                        metric: {
                            namespace: RESTORE_TESTING_NAMESPACE,
                            metricName: "RestoreTestsFailed",
                            dimensions: planDimension,
                            stat: "Sum",
                            period: 3600,
                        },
                    },
                    { id: "failed", expression: "FILL(jobs, 0) + FILL(validation, 0)", label: "Failed restore jobs and validations", returnData: true },
                ],
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
            },
            child,
        );
        runbookAlarm(
            `${name}-overdue`,
            args.wiring,
            {
                runbook: "restore-test-overdue",
                summary: `No restore test completed in the last ${args.maxDaysWithoutTest} days, or the check stopped reporting.`,
                namespace: RESTORE_TESTING_NAMESPACE,
                metricName: "RestoreTestOverdue",
                dimensions: planDimension,
                statistic: "Maximum",
                period: 86400,
                evaluationPeriods: 1,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "breaching",
            },
            child,
        );

        this.planArn = plan.arn;
        this.roleArn = role.arn;
        this.logGroupName = validator.logGroupName;
        this.registerOutputs({ planArn: this.planArn, planName: this.planName, roleArn: this.roleArn });
    }
}

function validate(name: string, args: RestoreTestingArgs): void {
    const fail = (problem: string) => {
        throw new Error(`RestoreTesting ${name}: ${problem}`);
    };
    const hours = (v: number) => Number.isInteger(v) && v >= 1 && v <= 168;
    if (!hours(args.startWindowHours)) fail(`startWindowHours must be 1-168, got ${args.startWindowHours}`);
    if (!hours(args.validationWindowHours)) fail(`validationWindowHours must be 1-168, got ${args.validationWindowHours}`);
    if (!Number.isInteger(args.maxDaysWithoutTest) || args.maxDaysWithoutTest < 1)
        fail(`maxDaysWithoutTest must be a positive integer, got ${args.maxDaysWithoutTest}`);
    if (!/^cron\(.+\)$/.test(args.schedule)) fail(`schedule must be an AWS cron expression such as cron(0 6 ? * SAT *), got ${args.schedule}`);
    if (args.vaultArns.length === 0) fail("no vaults to test");
}
