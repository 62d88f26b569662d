import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";

/**
 * Cloudflare alert types the edge subscribes to (notification API alert_type values, listed in the provider's
 * NotificationPolicy docs and https://developers.cloudflare.com/notifications/notification-available/).
 */
export const EDGE_ALERT_TYPES = {
    /** Per-hostname AOP client certificate nearing expiry: the ALB refuses Cloudflare once it lapses. */
    aopCertificateExpiry: "hostname_aop_custom_certificate_expiration_type",
    /** HTTP DDoS attack mitigated. */
    httpDdos: "dos_attack_l7",
    /** Origin 5xx error-rate alert (Enterprise). */
    originErrors: "http_alert_origin_error",
    /** Security events spike (WAF/rate-limit/bot mitigations above normal; Business and Enterprise). */
    securityEvents: "clickhouse_alert_fw_anomaly",
} as const;

/** The arguments of EdgeAlerts: what the caller decides about Cloudflare's notifications. */
export interface EdgeAlertsArgs {
    readonly accountId: pulumi.Input<string>;
    readonly zoneId: pulumi.Input<string>;
    /** The alert channel: e-mail addresses notified. */
    readonly emails: string[];
    /** Optional webhook (e.g. the Slack incoming webhook of the alerts channel), a secret: notified as well. */
    readonly webhookUrl?: pulumi.Input<string>;
    /** The alerts to subscribe to (keys of EDGE_ALERT_TYPES): the zone's plan decides which exist. */
    readonly alerts: (keyof typeof EDGE_ALERT_TYPES)[];
    /** Name prefix of the policies (e.g. platform-prod-eu). */
    readonly namePrefix: string;
    /** Logpush destination_conf for the zone's firewall events (Enterprise only); none when omitted. */
    readonly logpushDestination?: string;
}

/**
 * Edge visibility: Cloudflare notification policies (AOP certificate expiry, HTTP DDoS, origin errors, security event
 * spikes) to the alert e-mails, and, where the plan allows (Enterprise), a Logpush job shipping firewall events.
 */
export class EdgeAlerts extends pulumi.ComponentResource {
    public readonly alertTypes: string[];
    /** The notification policies themselves, by alert key (e.g. `httpDdos`). */
    public readonly policies: Readonly<Record<string, cloudflare.NotificationPolicy>>;

    constructor(name: string, args: EdgeAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:EdgeAlerts", name, {}, opts);
        if (args.emails.length === 0) throw new Error(`EdgeAlerts ${name}: at least one alert e-mail is required`);
        const child = { parent: this };
        const webhook = args.webhookUrl
            ? new cloudflare.NotificationPolicyWebhooks(`${name}-webhook`, {
                accountId: args.accountId, name: `${args.namePrefix}-alerts`, url: pulumi.secret(args.webhookUrl),
            }, child)
            : undefined;
        const mechanisms = { emails: args.emails.map((id) => ({ id })), ...(webhook ? { webhooks: [{ id: webhook.id }] } : {}) };
        const zoneFilter = { zones: [args.zoneId] };
        const policies: Record<string, cloudflare.NotificationPolicy> = {};
        for (const key of args.alerts) {
            const alertType = EDGE_ALERT_TYPES[key];
            policies[key] = new cloudflare.NotificationPolicy(`${name}-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, {
                accountId: args.accountId, name: `${args.namePrefix}: ${key}`, alertType, enabled: true, mechanisms,
                // Zone-scoped where the alert type filters by zone; the AOP certificate alert covers the account's zones.
                ...(key === "aopCertificateExpiry" ? {} : { filters: zoneFilter }),
            }, child);
        }
        if (args.logpushDestination) {
            new cloudflare.LogpushJob(`${name}-firewall-events`, {
                zoneId: args.zoneId, name: `${args.namePrefix}-firewall-events`.slice(0, 64).replace(/[^a-zA-Z0-9-.]/g, "-"),
                dataset: "firewall_events", destinationConf: args.logpushDestination, enabled: true,
            }, child);
        }
        this.alertTypes = args.alerts.map((k) => EDGE_ALERT_TYPES[k]);
        this.policies = policies;
        this.registerOutputs({ alertTypes: this.alertTypes });
    }
}
