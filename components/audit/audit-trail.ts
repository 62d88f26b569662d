import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CLOUDTRAIL_PREFIX, trailArnOf } from "./bucket-statements";

export interface AuditTrailArgs {
    /** Physical trail name; with the region and account it fixes the trail ARN the archive bucket policy names. */
    trailName: string;
    /** Region and account of the trail: they scope the delivery role's trust to this trail's ARN. */
    region: string;
    accountId: pulumi.Input<string>;
    /** Physical name prefix of the delivery role, e.g. `platform-prod-eu` (role `<prefix>-cloudtrail-logs`). */
    namePrefix: string;
    /** Archive bucket (Object Lock, backups key) that receives log files; its policy must carry `cloudTrailBucketStatements`. */
    archiveBucketName: pulumi.Input<string>;
    /**
     * The archive bucket's policy resource: CloudTrail checks the bucket policy at CreateTrail
     * (InsufficientS3BucketPolicyException), so the trail is created after it.
     * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Errors; read 2026-12-03)
     */
    archiveBucketPolicy?: pulumi.Resource;
    /** Customer-managed key that encrypts log files and the trail's log group (the logs key; it grants CloudTrail and CloudWatch Logs). */
    kmsKeyArn: pulumi.Input<string>;
    /** Days the trail's CloudWatch log group keeps events. */
    logRetentionDays: number;
    /** Protect the log group from deletion (prod). */
    protect: boolean;
}

/**
 * The account's CloudTrail: one multi-region trail with global service events and digest files (log file
 * validation), KMS-encrypted, delivered both to the Object-Locked archive bucket and to an encrypted CloudWatch log
 * group (for metric-filter alarms). Its delivery role can write only to that one log group.
 */
export class AuditTrail extends pulumi.ComponentResource {
    public readonly trailArn: pulumi.Output<string>;
    public readonly trailName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:audit:AuditTrail", name, {}, opts);
        const roleName = `${args.namePrefix}-cloudtrail-logs`;
        if (roleName.length > 64) throw new Error(`AuditTrail ${name}: role name ${roleName} is longer than IAM's 64 characters`);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-events`, {
            name: `/aws/cloudtrail/${args.trailName}`,
            kmsKeyId: args.kmsKeyArn,
            retentionInDays: args.logRetentionDays,
        }, { parent: this, protect: args.protect });

        const role = new aws.iam.Role(`${name}-logs-role`, {
            name: roleName,
            description: `CloudTrail ${args.trailName} delivers events to its CloudWatch log group`,
            assumeRolePolicy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceArn": trailArnOf(args.region, args.accountId, args.trailName) } },
                }],
            }),
            maxSessionDuration: 3600,
        }, { parent: this });
        const rolePolicy = new aws.iam.RolePolicy(`${name}-logs-write`, {
            role: role.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    // Streams are named <account>_CloudTrail_<region>; the group's ARN with :log-stream:* covers exactly them.
                    Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                }],
            }),
        }, { parent: this });

        const trail = new aws.cloudtrail.Trail(name, {
            name: args.trailName,
            s3BucketName: args.archiveBucketName,
            s3KeyPrefix: CLOUDTRAIL_PREFIX,
            kmsKeyId: args.kmsKeyArn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            // CloudTrail wants the group ARN with the `:*` stream wildcard.
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: role.arn,
        }, { parent: this, dependsOn: [rolePolicy, ...(args.archiveBucketPolicy ? [args.archiveBucketPolicy] : [])] });

        this.trailArn = trail.arn;
        this.trailName = trail.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ trailArn: this.trailArn, trailName: this.trailName, logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
    }
}
