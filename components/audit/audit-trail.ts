import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CLOUDTRAIL_PREFIX, trailArnOf } from "./bucket-statements";
import { serviceTrustPolicy } from "../security/service-trust";
import { componentAccountId, componentRegion } from "../provider-region";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";

/** The arguments of AuditTrail: what the caller decides about CloudTrail. */
export interface AuditTrailArgs {
    /** Physical trail name; with the region and account it fixes the trail ARN the archive bucket policy names. */
    readonly trailName: string;
    /**
     * Region and account of the trail: they scope the delivery role's trust to this trail's ARN.
     * Default: the provider's (`aws.getRegion`, `aws.getCallerIdentity`); a given region is checked against it.
     */
    readonly region?: string;
    readonly accountId?: pulumi.Input<string>;
    /** Physical name prefix of the delivery role, e.g. `platform-prod-eu` (role `<prefix>-cloudtrail-logs`). */
    readonly namePrefix: string;
    /** Archive bucket (Object Lock, backups key) that receives log files; its policy must carry `cloudTrailBucketStatements`. */
    readonly archiveBucketName: pulumi.Input<string>;
    /**
     * The archive bucket's policy resource: CloudTrail checks the bucket policy at CreateTrail
     * (InsufficientS3BucketPolicyException), so the trail is created after it.
     * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Errors; read 2026-12-03)
     */
    readonly archiveBucketPolicy?: pulumi.Resource;
    /** Customer-managed key that encrypts log files and the trail's log group (the logs key; it grants CloudTrail and CloudWatch Logs). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Days the trail's CloudWatch log group keeps events. Default: MIN_PROD_LOG_RETENTION_DAYS (365). */
    readonly logRetentionDays?: number;
    /** Protect the log group from deletion; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /**
     * ARNs of the buckets whose S3 object-level events (reads and writes: GetObject, PutObject, DeleteObject, ...) the
     * trail records, CIS 3.8/3.9. Empty or absent: management events only, CloudTrail's default. Never the archive bucket
     * itself (the trail would record its own deliveries). Each data event is billed, https://aws.amazon.com/cloudtrail/pricing/
     */
    readonly dataEventBucketArns?: pulumi.Input<string>[];
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
        const region = componentRegion(this, args.region, `AuditTrail ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        const roleName = `${args.namePrefix}-cloudtrail-logs`;
        if (roleName.length > 64) throw new Error(`AuditTrail ${name}: role name ${roleName} is longer than IAM's 64 characters`);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-events`, {
            name: `/aws/cloudtrail/${args.trailName}`,
            kmsKeyId: args.kmsKeyArn,
            retentionInDays: args.logRetentionDays ?? MIN_PROD_LOG_RETENTION_DAYS,
        }, { parent: this, protect: args.protect ?? true });

        const role = new aws.iam.Role(`${name}-logs-role`, {
            name: roleName,
            description: `CloudTrail ${args.trailName} delivers events to its CloudWatch log group`,
            assumeRolePolicy: serviceTrustPolicy("cloudtrail.amazonaws.com", {
                StringEquals: { "aws:SourceArn": trailArnOf(region, accountId, args.trailName) },
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
            advancedEventSelectors: eventSelectorsFor(args.dataEventBucketArns ?? []),
        }, { parent: this, dependsOn: [rolePolicy, ...(args.archiveBucketPolicy ? [args.archiveBucketPolicy] : [])] });

        this.trailArn = trail.arn;
        this.trailName = trail.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ trailArn: this.trailArn, trailName: this.trailName, logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
    }
}

/**
 * Advanced event selectors: every management event (read and write; advanced selectors replace CloudTrail's default, so
 * management events must be selected explicitly), plus S3 object events under `<bucketArn>/` for each data bucket.
 * undefined when there are no data buckets: the trail keeps CloudTrail's default (all management events).
 * A trail takes either basic or advanced selectors, not both; eventCategory and resources.type take only Equals, and
 * no readOnly field means reads and writes:
 * https://boto3.amazonaws.com/v1/documentation/api/1.35.39/reference/services/cloudtrail/client/put_event_selectors.html
 * https://docs.amazonaws.cn/AWSCloudFormation/latest/UserGuide/aws-properties-cloudtrail-trail-advancedfieldselector.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html (read 2026-12-03)
 */
function eventSelectorsFor(dataBucketArns: pulumi.Input<string>[]): aws.types.input.cloudtrail.TrailAdvancedEventSelector[] | undefined {
    if (dataBucketArns.length === 0) return undefined;
    return [
        { name: "All management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
            name: "S3 object events of the data buckets",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                // `<bucket ARN>/` matches every object in that bucket and no other bucket (a longer name starts differently).
                { field: "resources.ARN", startsWiths: dataBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
            ],
        },
    ];
}
