import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlertTopic, EmailSending } from "../../components";
import { PlatformConfig } from "../config";

/** The AWS services that publish to the alerts topic (the alerts key's policy lets exactly these use it). */
// budgets.amazonaws.com: AWS Budgets alerts (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com", "ses.amazonaws.com", "budgets.amazonaws.com"];

export interface NotificationsInputs {
    /** The account the stack deploys into. */
    accountId: pulumi.Input<string>;
    /** The alerts key (KeyRing `alerts`), in the stack's region. */
    alertsKeyArn: pulumi.Input<string>;
    /**
     * Optional provider for the SES region. Not needed: the SES resources name `cfg.email.sesRegion` themselves
     * (AWS provider 7 per-resource region). Pass one only to use other credentials or default tags there.
     */
    sesProvider?: aws.Provider;
    /**
     * Key for the e-mail events topic when SES sends from another region than the stack's (an SNS topic can only
     * use a key of its own region; that key's policy must admit ses.amazonaws.com). Defaults to alertsKeyArn,
     * which is right whenever `cfg.email.sesRegion` is the stack's region (every current stack).
     */
    sesRegionAlertsKeyArn?: pulumi.Input<string>;
}

export interface NotificationsOutputs {
    /** Every layer's alarms, EventBridge rules and Backup notifications go here. */
    alertsTopicArn: pulumi.Output<string>;
    /** SES bounce/complaint/reject events (in the SES region); the application subscribes to suppress addresses. */
    emailEventsTopicArn: pulumi.Output<string>;
    /** Easy DKIM tokens, for the edge layer: CNAME `<token>._domainkey.<domain>` -> `<token>.dkim.amazonses.com`. */
    dkimTokens: pulumi.Output<string>[];
    /** MAIL FROM domain, for the edge layer: MX `10 <mailFromMxHost>` and TXT `v=spf1 include:amazonses.com ~all`. */
    mailFromDomain: string;
    mailFromMxHost: string;
    /** Region SES sends from (the application's SES client must use it). */
    sesRegion: string;
    configurationSetName: pulumi.Output<string>;
    identityArn: pulumi.Output<string>;
}

/**
 * Notifications: the CMK-encrypted alerts topic (built early: every layer sends alerts to it) with the configured
 * e-mail and webhook subscriptions, and SES for the stack's domain in `cfg.email.sesRegion`.
 */
export function buildNotifications(cfg: PlatformConfig, inputs: NotificationsInputs, opts: pulumi.ComponentResourceOptions): NotificationsOutputs {
    const sesElsewhere = cfg.email.sesRegion !== cfg.region;
    if (sesElsewhere && !inputs.sesRegionAlertsKeyArn) {
        throw new Error(`buildNotifications: platform:email.sesRegion is ${cfg.email.sesRegion}, not the stack's ${cfg.region}; pass sesRegionAlertsKeyArn (a key in ${cfg.email.sesRegion} that admits ses.amazonaws.com)`);
    }
    const alerts = new AlertTopic("alerts", {
        topicName: `${cfg.namePrefix}-alerts`,
        kmsKeyArn: inputs.alertsKeyArn,
        accountId: inputs.accountId,
        publishers: ALERT_PUBLISHERS,
        emails: cfg.alerts.emails,
        webhookUrl: cfg.secretValues.slackWebhookUrl,
    }, opts);
    const email = new EmailSending("email", {
        domain: cfg.edge.domain,
        mailFromSubdomain: cfg.email.mailFromSubdomain,
        configurationSetName: `${cfg.namePrefix}-transactional`,
        eventsTopicName: `${cfg.namePrefix}-email-events`,
        eventsTopicKeyArn: sesElsewhere ? inputs.sesRegionAlertsKeyArn! : inputs.alertsKeyArn,
        accountId: inputs.accountId,
        sendingRegion: cfg.email.sesRegion,
    }, inputs.sesProvider ? { ...opts, providers: [inputs.sesProvider] } : opts);
    return {
        alertsTopicArn: alerts.topicArn,
        emailEventsTopicArn: email.eventsTopicArn,
        dkimTokens: email.dkimTokens,
        mailFromDomain: email.mailFromDomain,
        mailFromMxHost: email.mailFromMxHost,
        sesRegion: cfg.email.sesRegion,
        configurationSetName: email.configurationSetName,
        identityArn: email.identityArn,
    };
}
