import * as pulumi from "@pulumi/pulumi";

/**
 * Archive-bucket policy statements for the services that deliver audit records into it, as plain functions: the
 * lead passes them to the storage layer's archive (backups) SecureBucket as `policyStatements`, so the bucket does not
 * wait for the audit layer and the trail does not wait for the bucket policy's author. Every grant is scoped to this
 * account, and CloudTrail's to this one trail.
 */

/** One IAM policy statement; values may be Inputs (the document is built with `pulumi.jsonStringify`). */
export type PolicyStatement = Record<string, pulumi.Input<any>>;

/** Key prefixes in the archive bucket under which CloudTrail and AWS Config deliver. */
export const CLOUDTRAIL_PREFIX = "cloudtrail";
/** The key prefix AWS Config delivers under in the audit bucket. */
export const CONFIG_PREFIX = "config";

/**
 * The ARN of a trail, built from its name so the bucket policy can name it before the trail exists (CloudTrail checks
 * the bucket policy when the trail is created, so the policy must come first).
 */
export function trailArnOf(region: pulumi.Input<string>, accountId: pulumi.Input<string>, trailName: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/** CloudTrail may read the bucket ACL and write log files under `cloudtrail/AWSLogs/<account>/`, for `trailArn` only. */
export function cloudTrailBucketStatements(
    bucketArn: pulumi.Input<string>, trailArn: pulumi.Input<string>, accountId: pulumi.Input<string>,
): PolicyStatement[] {
    const thisTrail = { StringEquals: { "aws:SourceArn": trailArn } };
    return [
        {
            Sid: "CloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucketArn,
            Condition: thisTrail,
        },
        {
            Sid: "CloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/${CLOUDTRAIL_PREFIX}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
        },
    ];
}

/** AWS Config may check the ACL, list the bucket and write snapshots and history under `config/AWSLogs/<account>/Config/`. */
export function configBucketStatements(bucketArn: pulumi.Input<string>, accountId: pulumi.Input<string>): PolicyStatement[] {
    const thisAccount = { StringEquals: { "aws:SourceAccount": accountId } };
    return [
        {
            Sid: "ConfigAclCheck", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: bucketArn,
            Condition: thisAccount,
        },
        {
            Sid: "ConfigBucketExistenceCheck", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:ListBucket", Resource: bucketArn,
            Condition: thisAccount,
        },
        {
            Sid: "ConfigWrite", Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${accountId}/Config/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": accountId } },
        },
    ];
}
