import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlarmWiring, RunbookId, runbookAlarm } from "./runbooks";

/** Namespace of the metrics the CloudTrail metric filters publish. */
export const SECURITY_NAMESPACE = "Platform/Security";

/** CIS AWS Foundations Benchmark 3.0 monitoring patterns (sections 4.x; 3.x in earlier versions). */
export const CLOUDTRAIL_PATTERNS = {
    /** CIS 4.3: usage of the root account. */
    rootAccountUse: `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
    /** CIS 4.4: IAM policy changes. */
    iamPolicyChanges: "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || "
        + "($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || "
        + "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || "
        + "($.eventName = SetDefaultPolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || "
        + "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)) }",
    /** CIS 4.2: management console sign-in without MFA. */
    consoleSigninWithoutMfa: `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
} as const;

/** Pattern matching any assumption of the break-glass role and any call made with its sessions. */
export function breakGlassPattern(roleArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`{ (($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "${roleArn}")) || ($.userIdentity.sessionContext.sessionIssuer.arn = "${roleArn}") }`;
}

export interface SecurityAlarmsArgs {
    /** Alarm name prefix, alerts topic and runbook document. */
    wiring: AlarmWiring;
    /** The CloudWatch log group the multi-region trail delivers to. */
    trailLogGroupName: pulumi.Input<string>;
    /** ARN of the break-glass role; any use of it raises an alarm. */
    breakGlassRoleArn: pulumi.Input<string>;
}

/**
 * Security alarms: CloudTrail metric filters (root use, IAM policy changes, console sign-in without MFA,
 * break-glass role use) each with an alarm on the first occurrence, and AWS Backup job or copy failures. Every
 * alarm notifies the alerts topic and links its runbook.
 */
export class SecurityAlarms extends pulumi.ComponentResource {
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:SecurityAlarms", name, {}, opts);
        const filters: { runbook: RunbookId; metricName: string; pattern: pulumi.Input<string>; summary: string }[] = [
            { runbook: "root-account-use", metricName: "RootAccountUse", pattern: CLOUDTRAIL_PATTERNS.rootAccountUse, summary: "The root user made an API call or signed in (CIS 4.3)." },
            { runbook: "iam-policy-changes", metricName: "IamPolicyChanges", pattern: CLOUDTRAIL_PATTERNS.iamPolicyChanges, summary: "An IAM policy was created, changed, attached or detached (CIS 4.4)." },
            { runbook: "console-signin-without-mfa", metricName: "ConsoleSigninWithoutMfa", pattern: CLOUDTRAIL_PATTERNS.consoleSigninWithoutMfa, summary: "An IAM user signed in to the console without MFA (CIS 4.2)." },
            { runbook: "break-glass-role-use", metricName: "BreakGlassRoleUse", pattern: breakGlassPattern(args.breakGlassRoleArn), summary: "The break-glass role was assumed or used." },
        ];
        const alarms = filters.map((f) => {
            const filter = new aws.cloudwatch.LogMetricFilter(`${name}-${f.runbook}`, {
                name: `${args.wiring.namePrefix}-${f.runbook}`,
                logGroupName: args.trailLogGroupName,
                pattern: f.pattern,
                metricTransformation: { name: f.metricName, namespace: SECURITY_NAMESPACE, value: "1", unit: "Count" },
            }, { parent: this });
            return runbookAlarm(`${name}-${f.runbook}`, args.wiring, {
                runbook: f.runbook, summary: f.summary,
                namespace: SECURITY_NAMESPACE, metricName: f.metricName, statistic: "Sum",
                period: 300, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
            }, { parent: this, dependsOn: [filter] });
        });

        const backupMetric = (metricName: string) => ({ namespace: "AWS/Backup", metricName, stat: "Sum", period: 3600 });
        alarms.push(runbookAlarm(`${name}-backup-job-failures`, args.wiring, {
            runbook: "backup-job-failures", summary: "At least one AWS Backup job or cross-vault copy job failed in the last hour.",
            metricQueries: [
                { id: "backups", metric: backupMetric("NumberOfBackupJobsFailed"), returnData: false },
                { id: "copies", metric: backupMetric("NumberOfCopyJobsFailed"), returnData: false },
                { id: "failed", expression: "FILL(backups, 0) + FILL(copies, 0)", label: "Failed backup and copy jobs", returnData: true },
            ],
            evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
        }, { parent: this }));

        this.alarmNames = alarms.map((a) => a.name);
        this.registerOutputs({ alarmNames: this.alarmNames });
    }
}
