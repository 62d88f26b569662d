import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../security/service-trust";

/**
 * Regions whose SNS topics AWS Chatbot (Amazon Q Developer in chat applications) can deliver from, as listed under
 * "Supported Regions" and "Opt-in Regions" in https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-regions.html
 * (read 2026-12-04; Israel (Tel Aviv) is among the opt-in ones): config refuses a chat channel for a stack elsewhere.
 */
export const CHATBOT_TOPIC_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-3",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "sa-east-1",
    // Opt-in regions (enabled in the account first).
    "af-south-1",
    "ap-east-1",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-5",
    "ap-southeast-4",
    "ap-southeast-7",
    "ca-west-1",
    "eu-south-1",
    "eu-south-2",
    "eu-central-2",
    "il-central-1",
    "me-south-1",
    "me-central-1",
    "mx-central-1",
] as const;

/**
 * Regions with the Chatbot API, where a channel configuration is created (the console is us-east-2 only):
 * https://docs.aws.amazon.com/chatbot/latest/APIReference/Welcome.html (read 2026-12-03).
 */
export const CHATBOT_API_REGIONS = ["us-east-2", "us-west-2", "ap-southeast-1", "eu-west-1"] as const;

/**
 * What the channel role may read to render alarm notifications (graphs of the alarm's metric): the statements of
 * AWS's "notifications only" Chatbot policy, read-only CloudWatch. https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html
 */
const CHATBOT_NOTIFICATION_ACTIONS = ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"];

/** Channel members can do at most this, whatever their own role allows (channel guardrail). */
export const CHATBOT_GUARDRAIL_POLICY_ARN = "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess";

/** The arguments of ChatChannel: the Slack workspace and channel, and the topics AWS Chatbot relays. */
export interface ChatChannelArgs {
    /** Physical name of the configuration and its role, e.g. `platform-prod-eu-alerts`. */
    readonly configurationName: string;
    /** The Slack workspace (team) id, e.g. `T07EA123LEP`: the workspace must be authorised once in the Chatbot console. */
    readonly slackTeamId: string;
    /** The Slack channel id, e.g. `C07EZ1ABC23` (channel details, About tab). Private channels need `/invite @aws` first. */
    readonly slackChannelId: string;
    /** The SNS topics whose messages the channel shows (any supported region; CHATBOT_TOPIC_REGIONS). */
    readonly topicArns: pulumi.Input<string>[];
    /** Region of the Chatbot API the configuration is created in (CHATBOT_API_REGIONS). */
    readonly apiRegion: string;
}

/**
 * A Slack channel that shows the alert topics' messages through AWS Chatbot. Chatbot subscribes itself to the topics
 * (SNS decrypts the encrypted topics' messages before delivery, so the subscriber needs no key grant: only publishers
 * do, https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). The channel's role and guardrail are
 * read-only CloudWatch, and every member's own IAM role must allow an action as well (user role required), so
 * nobody can change the account from the channel.
 */
export class ChatChannel extends pulumi.ComponentResource {
    public readonly configurationArn: pulumi.Output<string>;

    constructor(name: string, args: ChatChannelArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:notifications:ChatChannel", name, {}, opts);
        if (!(CHATBOT_API_REGIONS as readonly string[]).includes(args.apiRegion)) {
            throw new Error(`ChatChannel ${name}: apiRegion ${args.apiRegion} has no Chatbot API; use one of ${CHATBOT_API_REGIONS.join(", ")}`);
        }
        if (!/^T[A-Z0-9]{6,}$/.test(args.slackTeamId)) throw new Error(`ChatChannel ${name}: slackTeamId "${args.slackTeamId}" is not a Slack team id (T...)`);
        if (!/^[CG][A-Z0-9]{6,}$/.test(args.slackChannelId)) {
            throw new Error(`ChatChannel ${name}: slackChannelId "${args.slackChannelId}" is not a Slack channel id (C... or G...)`);
        }
        if (args.configurationName.length > 64)
            throw new Error(`ChatChannel ${name}: configurationName ${args.configurationName} is longer than 64 characters`);

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `${args.configurationName}-chatbot`,
                description: "AWS Chatbot: renders alert notifications in Slack (read-only CloudWatch)",
                // AWS's documented Chatbot trust has no aws:SourceAccount/SourceArn condition, and we found no statement
                // that Chatbot sends them (https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html):
                // a condition it does not satisfy would silently stop every notification. Only configurations in this
                // account can name the role, and the role can only read CloudWatch.
                assumeRolePolicy: serviceTrustPolicy("chatbot.amazonaws.com"),
            },
            { parent: this },
        );
        new aws.iam.RolePolicy(
            `${name}-role`,
            {
                role: role.id,
                name: "notifications-only",
                // Describe/Get/List on CloudWatch have no resource-level scoping for these reads: AWS requires "*".
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Sid: "ReadAlarmGraphs", Effect: "Allow", Action: CHATBOT_NOTIFICATION_ACTIONS, Resource: "*" }],
                }),
            },
            { parent: this },
        );
        const channel = new aws.chatbot.SlackChannelConfiguration(
            `${name}`,
            {
                configurationName: args.configurationName,
                iamRoleArn: role.arn,
                slackTeamId: args.slackTeamId,
                slackChannelId: args.slackChannelId,
                snsTopicArns: args.topicArns,
                guardrailPolicyArns: [CHATBOT_GUARDRAIL_POLICY_ARN],
                userAuthorizationRequired: true,
                loggingLevel: "ERROR",
                region: args.apiRegion,
            },
            { parent: this },
        );
        this.configurationArn = channel.chatConfigurationArn;
        this.registerOutputs({ configurationArn: this.configurationArn });
    }
}
