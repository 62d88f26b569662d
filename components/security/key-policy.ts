import * as pulumi from "@pulumi/pulumi";

/** A service that may use a key, and the condition that scopes it to this account's resources. */
export interface ServiceGrant {
    /** Service principal, e.g. `logs.eu-central-1.amazonaws.com`. */
    service: string;
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
                Sid: `Service${i}${g.service.split(".")[0].replace(/[^A-Za-z0-9]/g, "")}`,
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

/** The grants each data class's key needs, in `region` of `accountId`. */
export function serviceGrants(keyClass: string, region: string, accountId: pulumi.Input<string>): ServiceGrant[] {
    const sourceAccount = { StringEquals: { "aws:SourceAccount": accountId } };
    switch (keyClass) {
        case "logs":
            return [
                {
                    service: `logs.${region}.amazonaws.com`,
                    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:*` } },
                },
                {
                    service: "cloudtrail.amazonaws.com",
                    actions: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                    condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:aws:cloudtrail:*:${accountId}:trail/*` } },
                },
                { service: "delivery.logs.amazonaws.com", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], condition: sourceAccount },
            ];
        case "alerts":
            // Services that publish to the encrypted alerts topic need the data key to encrypt the message.
            return ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com", "ses.amazonaws.com"].map((service) => ({
                service, actions: ["kms:GenerateDataKey*", "kms:Decrypt"], condition: sourceAccount,
            }));
        case "backups":
            return [
                s3AccessLogDelivery(sourceAccount),
                { service: "cloudtrail.amazonaws.com", actions: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                  condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": pulumi.interpolate`arn:aws:cloudtrail:*:${accountId}:trail/*` } } },
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
