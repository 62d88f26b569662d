import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ALERT_PUBLISHERS } from "../../standards/notifications";
import { componentAccountId } from "../provider-region";

/** The arguments of AlertTopic: what the caller decides about the alerts topic. */
export interface AlertTopicArgs {
    /** Physical topic name (e.g. `platform-prod-eu-alerts`); stable, so subscriptions survive code changes. */
    readonly topicName: string;
    /** Customer-managed key that encrypts messages at rest; its key policy must let every publisher use it. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * The account that owns the topic: its root manages the topic and scopes the publishers (`aws:SourceAccount`).
     * Default: the provider's account (`aws.getCallerIdentity`).
     */
    readonly accountId?: pulumi.Input<string>;
    /**
     * Service principals allowed to publish, e.g. `cloudwatch.amazonaws.com`; nobody else may. The key's policy must
     * admit the same services (KeyRing's `alerts` key does, for ALERT_PUBLISHERS).
     * Default: ALERT_PUBLISHERS (CloudWatch alarms, EventBridge, AWS Backup, SES, AWS Budgets).
     */
    readonly publishers?: readonly string[];
    /** E-mail addresses subscribed to the topic (each confirms once by e-mail). */
    readonly emails?: readonly string[];
    /** Phone numbers (E.164, e.g. `+491701234567`) that get the topic's messages as SMS. */
    readonly smsNumbers?: readonly string[];
    /**
     * The on-call tool's integration URL (e.g. PagerDuty's Amazon CloudWatch integration), a secret. Subscribed over
     * HTTPS with the auto-confirm flag: the endpoint must confirm SNS subscriptions itself (PagerDuty's does).
     */
    readonly onCallEndpoint?: pulumi.Input<string>;
    /** Region of the topic when it is not the provider's (AWS provider 7 per-resource region). */
    readonly region?: string;
}

/** HTTPS delivery retries for the on-call subscription: 3 immediate, 2 at 1 s, then back-off to 60 s (~1 hour in all). */
export const ON_CALL_DELIVERY_POLICY = {
    healthyRetryPolicy: {
        minDelayTarget: 1, maxDelayTarget: 60, numRetries: 70,
        numNoDelayRetries: 3, numMinDelayRetries: 2, numMaxDelayRetries: 55, backoffFunction: "exponential",
    },
};

/** A stable resource-name fragment for an e-mail address (names must not depend on list order). */
export function emailSlug(address: string): string {
    return address.toLowerCase().replace(/@/g, "-at-").replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
}

/**
 * An SNS topic that is encrypted with a customer-managed key and whose policy admits only the listed AWS services
 * (from this account) as publishers, plus the account itself for management. No statement grants "*": a
 * misconfigured publisher cannot post into it, and nobody outside the account can subscribe.
 */
export class AlertTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly topicName: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:notifications:AlertTopic", name, {}, opts);
        const publishers = args.publishers ?? ALERT_PUBLISHERS;
        if (publishers.length === 0) throw new Error(`AlertTopic ${name}: at least one publishing service is required`);
        const region = args.region ? { region: args.region } : {};
        const topic = new aws.sns.Topic(`${name}`, {
            name: args.topicName,
            kmsMasterKeyId: args.kmsKeyArn,
            ...region,
        }, { parent: this });
        new aws.sns.TopicPolicy(`${name}`, {
            arn: topic.arn,
            policy: alertTopicPolicy(topic.arn, componentAccountId(this, args.accountId), publishers),
            ...region,
        }, { parent: this });
        for (const email of args.emails ?? []) {
            new aws.sns.TopicSubscription(`${name}-email-${emailSlug(email)}`, {
                topic: topic.arn, protocol: "email", endpoint: email, ...region,
            }, { parent: this });
        }
        for (const number of args.smsNumbers ?? []) {
            if (!/^\+[1-9]\d{6,14}$/.test(number)) throw new Error(`AlertTopic ${name}: SMS number "${number}" is not E.164 (+<country><number>)`);
            new aws.sns.TopicSubscription(`${name}-sms-${number.slice(1)}`, {
                topic: topic.arn, protocol: "sms", endpoint: number, ...region,
            }, { parent: this });
        }
        if (args.onCallEndpoint) {
            // PagerDuty's Amazon CloudWatch integration URL confirms the SNS subscription by itself
            // (https://oneuptime.com/blog/post/2026-02-12-cloudwatch-alarms-pagerduty/view, "PagerDuty automatically confirms
            // the SNS subscription"; https://www.pagerduty.com/docs/guides/aws-cloudwatch-integration-guide/; read 2026-12-03).
            new aws.sns.TopicSubscription(`${name}-on-call`, {
                topic: topic.arn,
                protocol: "https",
                endpoint: pulumi.secret(args.onCallEndpoint),
                endpointAutoConfirms: true,
                confirmationTimeoutInMinutes: 5,
                // A page must not be lost to a short outage of the tool: retry for about an hour, backing off
                // (limits: https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html).
                deliveryPolicy: JSON.stringify(ON_CALL_DELIVERY_POLICY),
                ...region,
            }, { parent: this });
        }
        this.topicArn = topic.arn;
        this.topicName = topic.name;
        this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
    }
}

/** The topic policy: the account manages the topic; each service publishes only on behalf of this account. */
export function alertTopicPolicy(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>, publishers: readonly string[]): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountManagesTopic",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` },
                Action: ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
                    "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish"],
                Resource: topicArn,
            },
            {
                Sid: "ServicesPublishForThisAccount",
                Effect: "Allow",
                Principal: { Service: [...publishers] },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}
