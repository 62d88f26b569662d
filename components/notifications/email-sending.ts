import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlertTopic } from "./alert-topic";

/** SES event types that mean a recipient or the receiving server refused a message. */
export const DELIVERY_PROBLEM_EVENTS = ["BOUNCE", "COMPLAINT", "REJECT"] as const;

/** The arguments of EmailSending: what the caller decides about SES sending. */
export interface EmailSendingArgs {
    /** The domain mail is sent from (an SES domain identity, e.g. `complyhub.io`). */
    readonly domain: string;
    /** Host label of the custom MAIL FROM domain (e.g. `mail` gives `mail.complyhub.io`). */
    readonly mailFromSubdomain: string;
    /** Physical name of the configuration set every message from the domain uses. */
    readonly configurationSetName: string;
    /** Physical name of the topic that receives bounce, complaint and reject events. */
    readonly eventsTopicName: string;
    /** Key that encrypts the events topic; must be in the sending region and let ses.amazonaws.com use it. */
    readonly eventsTopicKeyArn: pulumi.Input<string>;
    /** The account that owns the identity (scopes who may publish to the events topic). */
    readonly accountId: pulumi.Input<string>;
    /**
     * Region SES sends from (`platform:email.sesRegion`). Every resource of the component names it explicitly
     * (AWS provider 7 per-resource region), so SES can send from another region than the stack's without a
     * second provider; the events topic lives there too, because SES publishes only to a topic in its own region.
     */
    readonly sendingRegion: string;
}

/**
 * Transactional e-mail through SES for one domain: Easy DKIM with 2048-bit keys, a custom MAIL FROM domain that
 * rejects mail when its MX record is missing (so SPF alignment never silently falls back to amazonses.com), and a
 * default configuration set that requires TLS to the receiving server, tracks reputation, suppresses addresses
 * that bounced or complained, and sends bounce/complaint/reject events to a CMK-encrypted SNS topic. Mail from
 * the domain cannot bypass these settings: the configuration set is the identity's default.
 */
export class EmailSending extends pulumi.ComponentResource {
    public readonly identityArn: pulumi.Output<string>;
    public readonly configurationSetName: pulumi.Output<string>;
    /** The three Easy DKIM tokens: publish `<token>._domainkey.<domain>` CNAME `<token>.dkim.amazonses.com`. */
    public readonly dkimTokens: pulumi.Output<string>[];
    /** The MAIL FROM domain: publish MX `10 <mailFromMxHost>` and TXT `v=spf1 include:amazonses.com ~all` on it. */
    public readonly mailFromDomain: string;
    /** The MX target of the MAIL FROM domain in the sending region. */
    public readonly mailFromMxHost: string;
    public readonly eventsTopicArn: pulumi.Output<string>;

    constructor(name: string, args: EmailSendingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:notifications:EmailSending", name, {}, opts);
        const region = { region: args.sendingRegion };
        const eventsTopic = new AlertTopic(`${name}-events`, {
            topicName: args.eventsTopicName,
            kmsKeyArn: args.eventsTopicKeyArn,
            accountId: args.accountId,
            publishers: ["ses.amazonaws.com"],
            region: args.sendingRegion,
        }, { parent: this });
        const configurationSet = new aws.sesv2.ConfigurationSet(`${name}`, {
            configurationSetName: args.configurationSetName,
            deliveryOptions: { tlsPolicy: "REQUIRE" },
            reputationOptions: { reputationMetricsEnabled: true },
            sendingOptions: { sendingEnabled: true },
            suppressionOptions: { suppressedReasons: ["BOUNCE", "COMPLAINT"] },
            ...region,
        }, { parent: this });
        new aws.sesv2.ConfigurationSetEventDestination(`${name}-delivery-problems`, {
            configurationSetName: configurationSet.configurationSetName,
            eventDestinationName: "delivery-problems",
            eventDestination: {
                enabled: true,
                matchingEventTypes: [...DELIVERY_PROBLEM_EVENTS],
                snsDestination: { topicArn: eventsTopic.topicArn },
            },
            ...region,
        }, { parent: this });
        const identity = new aws.sesv2.EmailIdentity(`${name}`, {
            emailIdentity: args.domain,
            configurationSetName: configurationSet.configurationSetName,
            dkimSigningAttributes: { nextSigningKeyLength: "RSA_2048_BIT" },
            ...region,
        }, { parent: this });
        this.mailFromDomain = `${args.mailFromSubdomain}.${args.domain}`;
        new aws.sesv2.EmailIdentityMailFromAttributes(`${name}`, {
            emailIdentity: identity.emailIdentity,
            mailFromDomain: this.mailFromDomain,
            behaviorOnMxFailure: "REJECT_MESSAGE",
            ...region,
        }, { parent: this });

        this.identityArn = identity.arn;
        this.configurationSetName = configurationSet.configurationSetName;
        this.dkimTokens = [0, 1, 2].map((i) => identity.dkimSigningAttributes.apply((d) => d?.tokens?.[i] ?? ""));
        this.mailFromMxHost = `feedback-smtp.${args.sendingRegion}.amazonses.com`;
        this.eventsTopicArn = eventsTopic.topicArn;
        this.registerOutputs({
            identityArn: this.identityArn, configurationSetName: this.configurationSetName, dkimTokens: this.dkimTokens,
            mailFromDomain: this.mailFromDomain, eventsTopicArn: this.eventsTopicArn,
        });
    }
}
