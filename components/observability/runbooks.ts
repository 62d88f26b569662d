import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Severity, severityOf } from "../notifications/severity";

/**
 * Every alarm kind the platform raises, by runbook id. The id is the alarm name's suffix and the anchor of its
 * section in docs/runbooks.md (a test checks each anchor exists there).
 */
export const RUNBOOKS = {
    "alb-5xx": "The load balancer itself answered with 5xx responses",
    "target-5xx": "Targets behind the load balancer answered with 5xx responses",
    "api-p99-latency": "API p99 response time is above its threshold",
    "unhealthy-targets": "A target group has unhealthy targets",
    "ecs-running-below-desired": "An ECS service runs fewer tasks than it wants",
    "rds-cpu": "Database CPU is high",
    "rds-free-storage": "Database free storage is low",
    "rds-connections": "Database connections are near the instance's maximum",
    "rds-replica-lag": "The read replica lags behind the primary",
    "redis-memory": "Redis memory use is high (BullMQ runs with noeviction: writes fail when full)",
    "redis-evictions": "Redis evicted keys (BullMQ requires noeviction: jobs may have been lost)",
    "queue-depth": "A BullMQ queue has a backlog",
    "dead-letter-depth": "Jobs are failing into a BullMQ dead-letter queue",
    "backup-job-failures": "An AWS Backup or copy job failed",
    "root-account-use": "The root user was used",
    "iam-policy-changes": "An IAM policy was changed",
    "console-signin-without-mfa": "An IAM user signed in to the console without MFA",
    "break-glass-role-use": "The break-glass role was assumed or used",
    "unauthorized-api-calls": "API calls were denied as unauthorized (CIS 4.1)",
    "cloudtrail-config-changes": "A trail's configuration or logging changed (CIS 4.5)",
    "console-auth-failures": "A console sign-in failed authentication (CIS 4.6)",
    "kms-key-disable-or-deletion": "A KMS key was disabled or scheduled for deletion (CIS 4.7)",
    "s3-bucket-policy-changes": "An S3 bucket policy or ACL changed (CIS 4.8)",
    "aws-config-changes": "The AWS Config recorder or delivery channel changed (CIS 4.9)",
    "security-group-changes": "A security group changed (CIS 4.10)",
    "nacl-changes": "A network ACL changed (CIS 4.11)",
    "network-gateway-changes": "An internet or customer gateway changed (CIS 4.12)",
    "route-table-changes": "A route table changed (CIS 4.13)",
    "vpc-changes": "A VPC or peering connection changed (CIS 4.14)",
    "organizations-changes": "AWS Organizations changed (CIS 4.15)",
    "replication-failed": "Objects failed to replicate to the DR copy of a bucket",
    "aop-client-certificate-expiry": "The Cloudflare Authenticated Origin Pulls client certificate is close to expiry",
    "restore-test-failed": "A weekly AWS Backup restore test failed or its validation failed",
    "restore-test-overdue": "No AWS Backup restore test completed within its allowed interval",
    "secret-rotation-failed": "A secret's rotation function failed a rotation step",
    "external-token-age": "An operator-managed API token is older than its age limit",
} as const;

/** The id of a runbook: an anchor in docs/runbooks.md. */
export type RunbookId = keyof typeof RUNBOOKS;

/** The link an alarm carries: `<base>#<id>` (base is the runbook document, e.g. docs/runbooks.md on GitHub). */
export function runbookLink(baseUrl: string, id: RunbookId): string {
    return `${baseUrl}#${id}`;
}

/** Where every alarm sends its notifications, and where its runbook lives. */
export interface AlarmWiring {
    /** Physical name prefix of alarms, e.g. `platform-prod-eu`. */
    namePrefix: string;
    /** The alerts topic: both ALARM and OK transitions go there (unless the alarm's severity has its own topic). */
    alertsTopicArn: pulumi.Input<string>;
    /** Topic per severity (notifications layer): an alarm notifies the topic of its severity (severityOf its runbook). */
    topicsBySeverity?: Partial<Record<Severity, pulumi.Input<string>>>;
    /** Runbook document URL without anchor. */
    runbookBaseUrl: string;
}

/** An alarm's own settings; the wiring adds name, actions and the runbook link. */
export type AlarmSpec = Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "okActions" | "alarmDescription"> & {
    runbook: RunbookId;
    /** Distinguishes instances of one kind (a service, a queue); part of the alarm name. */
    qualifier?: string;
    /** What the alarm watches, in a sentence, including the threshold; the runbook link is appended. */
    summary: string;
};

/** A name fragment safe for alarm and resource names. */
export function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * A metric alarm that always notifies the topic of its severity on ALARM and on OK, and whose description names the
 * severity and ends with its runbook link. Missing data does not alarm unless the spec says otherwise.
 */
export function runbookAlarm(resourceName: string, wiring: AlarmWiring, spec: AlarmSpec, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    const { runbook, qualifier, summary, ...alarm } = spec;
    const alarmName = [wiring.namePrefix, runbook, qualifier && slug(qualifier)].filter(Boolean).join("-");
    const severity = severityOf(runbook);
    const topic = wiring.topicsBySeverity?.[severity] ?? wiring.alertsTopicArn;
    return new aws.cloudwatch.MetricAlarm(resourceName, {
        treatMissingData: "notBreaching",
        ...alarm,
        name: alarmName,
        alarmDescription: `${summary} Severity: ${severity}. Runbook: ${runbookLink(wiring.runbookBaseUrl, runbook)}`,
        alarmActions: [topic],
        okActions: [topic],
    }, opts);
}
