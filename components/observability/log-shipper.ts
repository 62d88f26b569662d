import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DESTINATION_REGION_TAG } from "./log-destinations";
import { slug } from "./runbooks";
import { serviceTrustPolicy } from "../security/service-trust";
import { componentAccountId, componentRegion } from "../provider-region";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";

/** The arguments of LogShipper: what the caller decides about shipping logs out. */
export interface LogShipperArgs {
    /** Physical delivery stream name (<= 64 characters); also names the roles and the stream's own log group. */
    readonly streamName: string;
    /** The Logz.io Firehose listener URL (https). */
    readonly listenerUrl: string;
    /** The region the listener keeps data in; tagged on the stream so the `data-residency` policy can judge it. */
    readonly destinationRegion: string;
    /** Display name of the HTTP endpoint. */
    readonly endpointName: string;
    /** Secrets Manager secret holding the shipping token as `{"api_key": "<token>"}`; Firehose reads it itself. */
    readonly tokenSecretArn: pulumi.Input<string>;
    /** Key that encrypts that secret (the Firehose role may decrypt with it, through Secrets Manager only). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Key that encrypts the stream at rest and its own delivery-error log group (the logs key). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Bucket that keeps records Logz.io did not accept (FailedDataOnly backup). */
    readonly failedDeliveryBucketArn: pulumi.Input<string>;
    /** Key the failed-delivery bucket encrypts with; Firehose writes objects under it. */
    readonly failedDeliveryKeyArn: pulumi.Input<string>;
    /** Log groups to ship, by a stable label (the label names the subscription filter; the order does not matter). */
    readonly logGroups: Record<string, pulumi.Input<string>>;
    /** Retention of the stream's own delivery-error log group, in days. Default: MIN_PROD_LOG_RETENTION_DAYS (365). */
    readonly errorLogRetentionDays?: number;
    /**
     * Account and region of the stream: they scope the roles' trust and the keys' `kms:ViaService`.
     * Default: the provider's (`aws.getCallerIdentity`, `aws.getRegion`); a given region is checked against it.
     */
    readonly accountId?: pulumi.Input<string>;
    readonly region?: string;
}

/**
 * Ships CloudWatch Logs to Logz.io: a subscription filter on each log group feeds a Kinesis Data Firehose stream
 * (encrypted with the logs key) whose HTTP endpoint is the Logz.io listener. The shipping token is never an input
 * of any resource: Firehose reads it from Secrets Manager at delivery time. Records Logz.io rejects land,
 * encrypted, in the failed-delivery bucket. Both roles are scoped to the exact stream, bucket, secret and keys.
 */
export class LogShipper extends pulumi.ComponentResource {
    public readonly streamArn: pulumi.Output<string>;
    public readonly streamName: pulumi.Output<string>;

    constructor(name: string, args: LogShipperArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:LogShipper", name, {}, opts);
        const region = componentRegion(this, args.region, `LogShipper ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        if (!/^https:\/\//.test(args.listenerUrl)) throw new Error(`LogShipper ${name}: listenerUrl must be https, got ${args.listenerUrl}`);
        const errorLog = new aws.cloudwatch.LogGroup(`${name}-errors`, {
            name: `/aws/kinesisfirehose/${args.streamName}`,
            kmsKeyId: args.logsKeyArn,
            retentionInDays: args.errorLogRetentionDays ?? MIN_PROD_LOG_RETENTION_DAYS,
        }, { parent: this });
        const errorStream = new aws.cloudwatch.LogStream(`${name}-errors`, { name: "DestinationDelivery", logGroupName: errorLog.name }, { parent: this });

        const firehoseRole = new aws.iam.Role(`${name}-firehose`, {
            name: `${args.streamName}-firehose`,
            description: `Kinesis Data Firehose ${args.streamName}: delivers to Logz.io, keeps failed records`,
            assumeRolePolicy: serviceTrustPolicy("firehose.amazonaws.com", { StringEquals: { "aws:SourceAccount": accountId } }),
        }, { parent: this });
        const firehosePolicy = new aws.iam.RolePolicy(`${name}-firehose`, {
            role: firehoseRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "FailedDeliveryBucket", Effect: "Allow",
                      Action: ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads",
                          "s3:PutObject"],
                      Resource: [args.failedDeliveryBucketArn, pulumi.interpolate`${args.failedDeliveryBucketArn}/*`] },
                    { Sid: "FailedDeliveryKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: args.failedDeliveryKeyArn,
                      Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`s3.${region}.amazonaws.com` } } },
                    { Sid: "ShippingToken", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: args.tokenSecretArn },
                    { Sid: "ShippingTokenKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.secretsKeyArn,
                      Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } } },
                    { Sid: "DeliveryErrors", Effect: "Allow", Action: ["logs:PutLogEvents"],
                      Resource: pulumi.interpolate`${errorLog.arn}:log-stream:${errorStream.name}` },
                ],
            }),
        }, { parent: this });

        const stream = new aws.kinesis.FirehoseDeliveryStream(`${name}`, {
            name: args.streamName,
            destination: "http_endpoint",
            tags: { [DESTINATION_REGION_TAG]: args.destinationRegion },
            serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: args.logsKeyArn },
            httpEndpointConfiguration: {
                url: args.listenerUrl,
                name: args.endpointName,
                secretsManagerConfiguration: { enabled: true, secretArn: args.tokenSecretArn, roleArn: firehoseRole.arn },
                roleArn: firehoseRole.arn,
                requestConfiguration: { contentEncoding: "GZIP" },
                bufferingSize: 1,
                bufferingInterval: 60,
                retryDuration: 300,
                s3BackupMode: "FailedDataOnly",
                s3Configuration: {
                    bucketArn: args.failedDeliveryBucketArn,
                    roleArn: firehoseRole.arn,
                    compressionFormat: "GZIP",
                    kmsKeyArn: args.failedDeliveryKeyArn,
                    prefix: `firehose/${args.streamName}/failed/`,
                    errorOutputPrefix: `firehose/${args.streamName}/errors/!{firehose:error-output-type}/`,
                },
                cloudwatchLoggingOptions: { enabled: true, logGroupName: errorLog.name, logStreamName: errorStream.name },
            },
        }, { parent: this, dependsOn: [firehosePolicy] });

        // CloudWatch Logs (regional service principal) puts subscription records into this one stream only.
        const logsRole = new aws.iam.Role(`${name}-logs`, {
            name: `${args.streamName}-logs`,
            description: `CloudWatch Logs subscriptions: put records into ${args.streamName}`,
            assumeRolePolicy: serviceTrustPolicy(pulumi.interpolate`logs.${region}.amazonaws.com`, {
                StringLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:logs:${region}:${accountId}:*` },
            }),
        }, { parent: this });
        const logsPolicy = new aws.iam.RolePolicy(`${name}-logs`, {
            role: logsRole.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: stream.arn }],
            }),
        }, { parent: this });
        for (const [label, logGroupName] of Object.entries(args.logGroups)) {
            new aws.cloudwatch.LogSubscriptionFilter(`${name}-${slug(label)}`, {
                name: `${args.streamName}-${slug(label)}`,
                logGroup: logGroupName,
                filterPattern: "",
                destinationArn: stream.arn,
                roleArn: logsRole.arn,
            }, { parent: this, dependsOn: [logsPolicy] });
        }

        this.streamArn = stream.arn;
        this.streamName = stream.name;
        this.registerOutputs({ streamArn: this.streamArn, streamName: this.streamName });
    }
}
