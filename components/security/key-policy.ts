import * as pulumi from "@pulumi/pulumi";
import { ALERT_PUBLISHERS } from "../../standards/notifications";

/** A service that may use a key, and the condition that scopes it to this account's resources. */
export interface ServiceGrant {
    /** Service principal, e.g. `logs.eu-central-1.amazonaws.com`. */
    service: pulumi.Input<string>;
    actions: string[];
    /** IAM condition block; required, so no grant is unconditional. */
    condition: Record<string, Record<string, pulumi.Input<string | string[]>>>;
}

/**
 * A key policy that lets the account administer the key through IAM (the AWS-recommended root statement, so the key
 * can never become unmanageable) and lets each listed service use it under its condition. Nothing is granted to "*".
 */
export function keyPolicy(accountId: pulumi.Input<string>, grants: ServiceGrant[]): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersThroughIam",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            ...grants.map((g, i) => ({
                Sid: pulumi.output(g.service).apply((service) => `Service${i}${service.split(".")[0].replace(/[^A-Za-z0-9]/g, "")}`),
                Effect: "Allow",
                Principal: { Service: g.service },
                Action: g.actions,
                Resource: "*",
                Condition: g.condition,
            })),
        ],
    });
}

function s3AccessLogDelivery(condition: ServiceGrant["condition"]): ServiceGrant {
    return { service: "logging.s3.amazonaws.com", actions: ["kms:GenerateDataKey*"], condition };
}

/**
 * CloudTrail's three required statements for a trail, each scoped to that trail by `aws:SourceArn`: encrypt (with the
 * encryption-context condition), describe the key (DescribeKey carries no encryption context, so only SourceArn), and
 * decrypt, which CloudTrail needs to create or update a trail delivering to a bucket with S3 Bucket Keys (ours).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html (read 2026-12-03)
 */
function cloudTrailGrants(accountId: pulumi.Input<string>, trailArn: pulumi.Input<string>): ServiceGrant[] {
    const service = "cloudtrail.amazonaws.com";
    const thisTrail = { "aws:SourceArn": trailArn };
    return [
        {
            service, actions: ["kms:GenerateDataKey*"],
            condition: {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:aws:cloudtrail:*:${accountId}:trail/*` },
                StringEquals: thisTrail,
            },
        },
        { service, actions: ["kms:DescribeKey"], condition: { StringEquals: thisTrail } },
        { service, actions: ["kms:Decrypt"], condition: { StringEquals: thisTrail } },
    ];
}

/** Per-stack facts some grants are scoped to. */
export interface GrantContext {
    /** The trail that encrypts with the logs key; without it the logs key grants CloudTrail nothing. */
    cloudTrailArn?: pulumi.Input<string>;
}

/** The grants each data class's key needs, in `region` of `accountId`. */
export function serviceGrants(keyClass: string, region: pulumi.Input<string>, accountId: pulumi.Input<string>, context: GrantContext = {}): ServiceGrant[] {
    const sourceAccount = { StringEquals: { "aws:SourceAccount": accountId } };
    switch (keyClass) {
        case "logs":
            return [
                {
                    service: pulumi.interpolate`logs.${region}.amazonaws.com`,
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:*` } },
                },
                ...(context.cloudTrailArn ? cloudTrailGrants(accountId, context.cloudTrailArn) : []),
                { service: "delivery.logs.amazonaws.com", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], condition: sourceAccount },
            ];
        case "alerts": {
            // Services that publish to the encrypted alerts topic need the data key to encrypt the message
            // (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html, "compatibility with AWS services").
            // They are scoped by the encryption context SNS puts on every request for a topic, as AWS's own examples do
            // (https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html), not by
            // aws:SourceAccount: EventBridge's calls to an encrypted topic do not carry the source keys, and AWS Backup's
            // documented topic statements use none. Read 2026-12-03.
            const topicsHere = { ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": pulumi.interpolate`arn:aws:sns:${region}:${accountId}:*` } };
            // AWS Budgets publishes its alerts to an encrypted topic only with GenerateDataKey*/Decrypt on the topic's key
            // (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html, read 2026-12-03).
            return ALERT_PUBLISHERS.map((service) => ({
                service, actions: ["kms:GenerateDataKey*", "kms:Decrypt"], condition: topicsHere,
            }));
        }
        case "backups":
            // The trail encrypts with the logs key, never this one: no CloudTrail grant here.
            return [
                s3AccessLogDelivery(sourceAccount),
                { service: "config.amazonaws.com", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], condition: sourceAccount },
            ];
        case "data":
            // S3 server access logs land in SSE-KMS buckets only when the key lets the logging service encrypt.
            return [s3AccessLogDelivery(sourceAccount)];
        default:
            // The secrets key (and the data key, beyond S3 logging) is used by services on behalf of IAM principals
            // (kms:ViaService), which the account statement covers; no service principal needs a direct grant.
            return [];
    }
}
