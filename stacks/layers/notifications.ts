import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ALERT_PUBLISHERS, AlertTopic, ChatChannel, EmailSending, SEVERITIES, SEVERITY_ROUTES, SecuritySignals, Severity } from "../../components";
import { PlatformConfig } from "../config";

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
    /** The `high` severity topic (`<prefix>-alerts`): alarms and events that have no severity of their own go here. */
    alertsTopicArn: pulumi.Output<string>;
    /** One topic per severity; `high` is alertsTopicArn. Alarms pick theirs by runbook id (ALARM_SEVERITY). */
    topicsBySeverity: Record<Severity, pulumi.Output<string>>;
    /** The Slack channel configuration (AWS Chatbot), when `platform:alerts.chat` is set. */
    chatConfigurationArn?: pulumi.Output<string>;
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

/** Physical topic name per severity; `high` keeps the original `<prefix>-alerts` (and logical name `alerts`). */
function alertTopicName(cfg: PlatformConfig, severity: Severity): string {
    return severity === "high" ? `${cfg.namePrefix}-alerts` : `${cfg.namePrefix}-alerts-${severity}`;
}

/** PagerDuty's Amazon CloudWatch integration endpoint for an integration key. */
function pagerDutyEndpoint(integrationKey: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`https://events.pagerduty.com/integration/${integrationKey}/enqueue`;
}

/**
 * One CMK-encrypted topic per severity with the subscriptions SEVERITY_ROUTES gives it: the on-call tool, SMS and
 * e-mail subscribe directly; the chat channel subscribes itself (ChatChannel). Low alerts fall back to e-mail when
 * the stack has no chat channel.
 */
function alertTopics(cfg: PlatformConfig, inputs: NotificationsInputs, opts: pulumi.ComponentResourceOptions): Record<Severity, pulumi.Output<string>> {
    const onCallKey = cfg.secretValues.onCallIntegrationKey;
    if (cfg.alerts.onCall && !onCallKey) throw new Error("buildNotifications: platform:alerts.onCall is set; set the secret platform:onCallIntegrationKey");
    const entries = SEVERITIES.map((severity) => {
        const route = SEVERITY_ROUTES[severity];
        const email = route.email === true || (route.email === "without-chat" && !cfg.alerts.chat);
        const topic = new AlertTopic(severity === "high" ? "alerts" : `alerts-${severity}`, {
            topicName: alertTopicName(cfg, severity),
            kmsKeyArn: inputs.alertsKeyArn,
            accountId: inputs.accountId,
            publishers: ALERT_PUBLISHERS,
            emails: email ? cfg.alerts.emails : [],
            smsNumbers: route.sms ? cfg.alerts.smsNumbers : [],
            onCallEndpoint: route.onCall && cfg.alerts.onCall && onCallKey ? pagerDutyEndpoint(onCallKey) : undefined,
        }, opts);
        return [severity, topic.topicArn] as const;
    });
    return Object.fromEntries(entries) as Record<Severity, pulumi.Output<string>>;
}

/**
 * Notifications: the CMK-encrypted alert topics per severity (built early: every layer sends alerts to it) with the configured
 * subscriptions of each, the Slack channel (AWS Chatbot), and SES for the stack's domain in `cfg.email.sesRegion`.
 */
export function buildNotifications(cfg: PlatformConfig, inputs: NotificationsInputs, opts: pulumi.ComponentResourceOptions): NotificationsOutputs {
    const sesElsewhere = cfg.email.sesRegion !== cfg.region;
    if (sesElsewhere && !inputs.sesRegionAlertsKeyArn) {
        throw new Error(
            `buildNotifications: platform:email.sesRegion is ${cfg.email.sesRegion}, not the stack's ${cfg.region}; pass sesRegionAlertsKeyArn (a ` +
            `key in ${cfg.email.sesRegion} that admits ses.amazonaws.com)`,
        );
    }
    const topics = alertTopics(cfg, inputs, opts);
    const chat = cfg.alerts.chat ? new ChatChannel("alerts-chat", {
        configurationName: `${cfg.namePrefix}-alerts`,
        slackTeamId: cfg.alerts.chat.slackTeamId,
        slackChannelId: cfg.alerts.chat.slackChannelId,
        apiRegion: cfg.alerts.chat.apiRegion,
        topicArns: SEVERITIES.filter((s) => SEVERITY_ROUTES[s].chat).map((s) => topics[s]),
    }, opts) : undefined;
    // ECR scan findings and Config non-compliance: working-hours follow-up, so the high topic (chat and e-mail).
    new SecuritySignals("security-signals", {
        namePrefix: cfg.namePrefix, topicArn: topics.high, ecrMinimumSeverity: cfg.alerts.securitySignals.ecrMinimumSeverity,
        runbookBaseUrl: cfg.alerts.runbookBaseUrl,
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
        alertsTopicArn: topics.high,
        topicsBySeverity: topics,
        chatConfigurationArn: chat?.configurationArn,
        emailEventsTopicArn: email.eventsTopicArn,
        dkimTokens: email.dkimTokens,
        mailFromDomain: email.mailFromDomain,
        mailFromMxHost: email.mailFromMxHost,
        sesRegion: cfg.email.sesRegion,
        configurationSetName: email.configurationSetName,
        identityArn: email.identityArn,
    };
}
