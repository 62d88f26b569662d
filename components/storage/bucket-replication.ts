import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { bucketArns } from "./bucket-policy-statements";
import { serviceTrustPolicy } from "../security/service-trust";

/** What a caller decides about replicating one bucket into another (usually in the DR region). */
export interface BucketReplicationArgs {
    /** Explicit name of the IAM role S3 assumes to replicate (<= 64 characters). */
    readonly roleName: string;
    /** Account that owns both buckets; scopes the role's trust to S3 acting for this account. */
    readonly accountId: pulumi.Input<string>;
    /**
     * The source bucket: its explicit name, its region and the CMK its objects are encrypted with, plus any other key
     * writers use there (CloudTrail encrypts its files with the logs key): without Decrypt on each, those objects fail.
     */
    readonly source: {
        bucketName: string; bucketId: pulumi.Input<string>; region: string; kmsKeyArn: pulumi.Input<string>; otherKmsKeyArns?: pulumi.Input<string>[];
    };
    /** The destination bucket: its explicit name, its region and the CMK replicas are encrypted with there. */
    readonly destination: { bucketName: string; region: string; kmsKeyArn: pulumi.Input<string> };
    /** Resources replication must wait for: versioning on both buckets (S3 refuses replication without it). */
    readonly dependsOn: pulumi.Resource[];
    /** Topic told when any object fails to replicate (the OperationsFailedReplication metric, summed over 5 minutes). */
    readonly alertsTopicArn: pulumi.Input<string>;
    /** Runbook the failure alarm links (appended to its description as `Runbook: <url>`). */
    readonly runbookUrl: string;
}

/** The replication rule's id; also the RuleId dimension of its CloudWatch metrics. */
const REPLICATION_RULE_ID = "replicate-everything";

/**
 * Same-account replication of every object version from one bucket into another, with a least-privilege role: read
 * replication data (including Object Lock retention and legal holds) from the source, replicate into the destination,
 * decrypt with the source key and encrypt with the destination key, each only through S3 in that bucket's region.
 * Delete markers are not replicated: a delete in the source never removes the copy.
 */
export class BucketReplication extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:storage:BucketReplication", name, {}, opts);
        if (args.roleName.length > 64) throw new Error(`BucketReplication ${name}: role name "${args.roleName}" is ${args.roleName.length} ` +
            `characters; IAM allows 64`);
        const child = { parent: this };
        const src = bucketArns(args.source.bucketName);
        const dst = bucketArns(args.destination.bucketName);

        const role = new aws.iam.Role(`${name}-role`, {
            name: args.roleName,
            description: `S3 replication of ${args.source.bucketName} into ${args.destination.bucketName}`,
            assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com", {
                StringEquals: { "aws:SourceAccount": args.accountId }, ArnLike: { "aws:SourceArn": src.bucket },
            }),
        }, child);

        new aws.iam.RolePolicy(`${name}-policy`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: src.bucket },
                    {
                        Sid: "ReadSourceVersions", Effect: "Allow",
                        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention",
                            "s3:GetObjectLegalHold"],
                        Resource: src.objects,
                    },
                    { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: dst.objects },
                    {
                        Sid: "DecryptSource", Effect: "Allow", Action: "kms:Decrypt", Resource: [args.source.kmsKeyArn, ...(args.source.otherKmsKeyArns ?? [])],
                        Condition: {
                            StringEquals: { "kms:ViaService": `s3.${args.source.region}.amazonaws.com` },
                            StringLike: { "kms:EncryptionContext:aws:s3:arn": [src.bucket, src.objects] },
                        },
                    },
                    {
                        Sid: "EncryptReplicas", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: args.destination.kmsKeyArn,
                        Condition: {
                            StringEquals: { "kms:ViaService": `s3.${args.destination.region}.amazonaws.com` },
                            StringLike: { "kms:EncryptionContext:aws:s3:arn": [dst.bucket, dst.objects] },
                        },
                    },
                ],
            }),
        }, child);

        const config = new aws.s3.BucketReplicationConfig(`${name}-config`, {
            bucket: args.source.bucketId,
            role: role.arn,
            rules: [{
                id: REPLICATION_RULE_ID,
                status: "Enabled",
                priority: 1,
                filter: { prefix: "" },
                deleteMarkerReplication: { status: "Disabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: {
                    bucket: dst.bucket,
                    storageClass: "STANDARD",
                    encryptionConfiguration: { replicaKmsKeyId: args.destination.kmsKeyArn },
                    // Replication metrics (no RTC needed) publish OperationsFailedReplication; without them nothing reports a failure.
                    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-metrics-events.html (read 2026-12-03)
                    metrics: { status: "Enabled" },
                },
            }],
        }, { ...child, dependsOn: args.dependsOn });

        // Dimensions as S3 publishes replication metrics: SourceBucket, DestinationBucket, RuleId.
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/metrics-dimensions.html (read 2026-12-03)
        new aws.cloudwatch.MetricAlarm(`${name}-failed`, {
            name: `${args.roleName}-failed`,
            alarmDescription: `Objects of ${args.source.bucketName} failed to replicate to ${args.destination.bucketName}: the DR copy is ` +
                `incomplete. Runbook: ${args.runbookUrl}`,
            namespace: "AWS/S3",
            metricName: "OperationsFailedReplication",
            dimensions: { SourceBucket: args.source.bucketName, DestinationBucket: args.destination.bucketName, RuleId: REPLICATION_RULE_ID },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            // No failures publishes no data points.
            treatMissingData: "notBreaching",
            alarmActions: [args.alertsTopicArn],
            okActions: [args.alertsTopicArn],
        }, { parent: this, dependsOn: [config] });

        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
