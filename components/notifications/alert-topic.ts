import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The arguments of AlertTopic: what the caller decides about the alerts topic. */
export interface AlertTopicArgs {
    /** Physical topic name (e.g. `platform-prod-eu-alerts`); stable, so subscriptions survive code changes. */
    topicName: string;
    /** Customer-managed key that encrypts messages at rest; its key policy must let every publisher use it. */
    kmsKeyArn: pulumi.Input<string>;
    /** The account that owns the topic: its root manages the topic and scopes the publishers (`aws:SourceAccount`). */
    accountId: pulumi.Input<string>;
    /** Service principals allowed to publish, e.g. `cloudwatch.amazonaws.com`; nobody else may. */
    publishers: string[];
    /** E-mail addresses subscribed to the topic (each confirms once by e-mail). */
    emails?: readonly string[];
    /** An HTTPS endpoint (e.g. a Slack relay) subscribed to the topic; a secret, never logged. */
    webhookUrl?: pulumi.Input<string>;
    /** Region of the topic when it is not the provider's (AWS provider 7 per-resource region). */
    region?: string;
}

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
        if (args.publishers.length === 0) throw new Error(`AlertTopic ${name}: at least one publishing service is required`);
        const region = args.region ? { region: args.region } : {};
        const topic = new aws.sns.Topic(`${name}`, {
            name: args.topicName,
            kmsMasterKeyId: args.kmsKeyArn,
            ...region,
        }, { parent: this });
        new aws.sns.TopicPolicy(`${name}`, {
            arn: topic.arn,
            policy: alertTopicPolicy(topic.arn, args.accountId, args.publishers),
            ...region,
        }, { parent: this });
        for (const email of args.emails ?? []) {
            new aws.sns.TopicSubscription(`${name}-email-${emailSlug(email)}`, {
                topic: topic.arn, protocol: "email", endpoint: email, ...region,
            }, { parent: this });
        }
        if (args.webhookUrl) {
            new aws.sns.TopicSubscription(`${name}-webhook`, {
                topic: topic.arn,
                protocol: "https",
                endpoint: pulumi.secret(args.webhookUrl),
                // The endpoint must confirm the subscription (SNS posts a SubscriptionConfirmation first).
                endpointAutoConfirms: false,
                ...region,
            }, { parent: this });
        }
        this.topicArn = topic.arn;
        this.topicName = topic.name;
        this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
    }
}

/** The topic policy: the account manages the topic; each service publishes only on behalf of this account. */
export function alertTopicPolicy(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>, publishers: string[]): pulumi.Output<string> {
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
