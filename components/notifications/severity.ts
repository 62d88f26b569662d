/**
 * Alert severities and where each one goes. One SNS topic per severity; the channels subscribed to a topic follow
 * from this table, and every alarm picks its topic from its runbook id (ALARM_SEVERITY).
 */
export const SEVERITIES = ["critical", "high", "low"] as const;
/** How urgent an alert is: critical pages on-call, high goes to chat and e-mail, low to chat (or e-mail). */
export type Severity = typeof SEVERITIES[number];

/** The channels a severity reaches when they are configured. */
export interface SeverityRoute {
    /** The on-call tool (PagerDuty / Opsgenie): someone is woken up. */
    onCall: boolean;
    /** The chat channel (Slack through AWS Chatbot). */
    chat: boolean;
    /** The alert e-mail addresses; `"without-chat"` only when the stack has no chat channel (so nothing is lost). */
    email: boolean | "without-chat";
    /** The SMS numbers (last resort when the on-call tool itself is down). */
    sms: boolean;
}

/** Where each severity is delivered (the routing table of README "Alerting and on-call"). */
export const SEVERITY_ROUTES: Readonly<Record<Severity, SeverityRoute>> = {
    critical: { onCall: true, chat: true, email: true, sms: true },
    high: { onCall: false, chat: true, email: true, sms: false },
    low: { onCall: false, chat: true, email: "without-chat", sms: false },
};

/**
 * The severity of each alarm kind, by runbook id (components/observability/runbooks.ts). Kinds not listed are `high`.
 * Critical: users are failing now or data is at risk now (5xx, lost tasks, storage or Redis full, root or
 * break-glass use, a key scheduled for deletion). Low: expected change noise that a human reviews in working hours.
 */
export const ALARM_SEVERITY: Readonly<Record<string, Severity>> = {
    "alb-5xx": "critical",
    "target-5xx": "critical",
    "ecs-running-below-desired": "critical",
    "rds-free-storage": "critical",
    "redis-memory": "critical",
    "redis-evictions": "critical",
    "root-account-use": "critical",
    "break-glass-role-use": "critical",
    "kms-key-disable-or-deletion": "critical",
    "unauthorized-api-calls": "low",
    "console-auth-failures": "low",
    "security-group-changes": "low",
    "nacl-changes": "low",
    "network-gateway-changes": "low",
    "route-table-changes": "low",
    "vpc-changes": "low",
};

/** The severity of an alarm kind (`high` unless ALARM_SEVERITY says otherwise). */
export function severityOf(runbookId: string): Severity {
    return ALARM_SEVERITY[runbookId] ?? "high";
}
