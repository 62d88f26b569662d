import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AlarmWiring, RunbookId, runbookAlarm } from "./runbooks";

/** Namespace of the metrics the CloudTrail metric filters publish. */
export const SECURITY_NAMESPACE = "Platform/Security";

/**
 * CIS AWS Foundations Benchmark 3.0 section 4 monitoring patterns (3.x in earlier versions), as the benchmark's
 * remediation gives them. Source: prowler's copy of the benchmark,
 * https://github.com/prowler-cloud/prowler/blob/master/prowler/compliance/aws/cis_3.0_aws.json (controls 4.1-4.15).
 */
export const CLOUDTRAIL_PATTERNS = {
    /**
     * CIS 4.1: unauthorized API calls. The benchmark's v3.0 text joins the two exclusions with `||`, which matches
     * almost every event; this is the intended form (as in CIS 1.4/1.5 and Security Hub CloudWatch.2):
     * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
     */
    unauthorizedApiCalls: `{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && `
        + `($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }`,
    /** CIS 4.3: usage of the root account. */
    rootAccountUse: `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
    /** CIS 4.4: IAM policy changes. */
    iamPolicyChanges: "{ ($.eventSource = iam.amazonaws.com) && (($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || "
        + "($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || "
        + "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || "
        + "($.eventName = SetDefaultPolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || "
        + "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)) }",
    /** CIS 4.2: management console sign-in without MFA. */
    consoleSigninWithoutMfa: `{ (`
        + `$.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && `
        + `($.responseElements.ConsoleLogin = "Success") }`,
    /** CIS 4.5: CloudTrail configuration changes. */
    cloudTrailConfigChanges: "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
        + "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
    /** CIS 4.6: management console authentication failures. */
    consoleAuthFailures: `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
    /** CIS 4.7: disabling or scheduled deletion of customer managed KMS keys. */
    kmsKeyDisableOrDeletion: "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
    /** CIS 4.8: S3 bucket policy (and ACL, CORS, lifecycle, replication) changes. */
    s3BucketPolicyChanges: "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || "
        + "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || "
        + "($.eventName = DeleteBucketPolicy) || "
        + "($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }",
    /** CIS 4.9: AWS Config configuration changes. */
    awsConfigChanges: "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || "
        + "($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }",
    /** CIS 4.10: security group changes. */
    securityGroupChanges: "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
        + "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
        + "($.eventName = DeleteSecurityGroup) }",
    /** CIS 4.11: network ACL changes. */
    naclChanges: "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || "
        + "($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }",
    /** CIS 4.12: network gateway changes. */
    networkGatewayChanges: "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || "
        + "($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
    /** CIS 4.13: route table changes. */
    routeTableChanges: "{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || "
        + "($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || "
        + "($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }",
    /** CIS 4.14: VPC changes (the ClassicLink events are in the benchmark's pattern; they no longer occur). */
    vpcChanges: "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || "
        + "($.eventName = AcceptVpcPeeringConnection) || "
        + "($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || "
        + "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || "
        + "($.eventName = EnableVpcClassicLink) }",
    /** CIS 4.15: AWS Organizations changes (recorded in the management account's trail). */
    organizationsChanges: `{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || `
        + `($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || `
        + `($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || `
        + `($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || `
        + `($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || `
        + `($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || `
        + `($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || `
        + `($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`,
} as const;

/*
 * Limits: at most 100 metric filters per log group (16 on the trail's group here), and a filter pattern of at most
 * 1024 characters (the longest here, 4.15, is under 800; the layer test checks both names and lengths):
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
 */
/** One CloudTrail metric filter and its alarm: the runbook id names both, the metric is published in SECURITY_NAMESPACE. */
interface TrailFilter { runbook: RunbookId; metricName: string; pattern: pulumi.Input<string>; summary: string }

/** The CIS 4.x filters, in benchmark order (4.2-4.4 keep the order, and so the names, they had before 4.1 and 4.5-4.15 came). */
const CIS_FILTERS: TrailFilter[] = [
    { runbook: "root-account-use", metricName: "RootAccountUse", pattern: CLOUDTRAIL_PATTERNS.rootAccountUse,
        summary: "The root user made an API call or signed in (CIS 4.3)." },
    { runbook: "iam-policy-changes", metricName: "IamPolicyChanges", pattern: CLOUDTRAIL_PATTERNS.iamPolicyChanges,
        summary: "An IAM policy was created, changed, attached or detached (CIS 4.4)." },
    { runbook: "console-signin-without-mfa", metricName: "ConsoleSigninWithoutMfa", pattern: CLOUDTRAIL_PATTERNS.consoleSigninWithoutMfa,
        summary: "An IAM user signed in to the console without MFA (CIS 4.2)." },
    { runbook: "unauthorized-api-calls", metricName: "UnauthorizedApiCalls", pattern: CLOUDTRAIL_PATTERNS.unauthorizedApiCalls,
        summary: "At least one API call was denied as unauthorized in 5 minutes (CIS 4.1)." },
    { runbook: "cloudtrail-config-changes", metricName: "CloudTrailConfigChanges", pattern: CLOUDTRAIL_PATTERNS.cloudTrailConfigChanges,
        summary: "A trail was created, updated or deleted, or its logging started or stopped (CIS 4.5)." },
    { runbook: "console-auth-failures", metricName: "ConsoleAuthFailures", pattern: CLOUDTRAIL_PATTERNS.consoleAuthFailures,
        summary: "A console sign-in failed authentication (CIS 4.6)." },
    { runbook: "kms-key-disable-or-deletion", metricName: "KmsKeyDisableOrDeletion", pattern: CLOUDTRAIL_PATTERNS.kmsKeyDisableOrDeletion,
        summary: "A KMS key was disabled or scheduled for deletion (CIS 4.7)." },
    { runbook: "s3-bucket-policy-changes", metricName: "S3BucketPolicyChanges", pattern: CLOUDTRAIL_PATTERNS.s3BucketPolicyChanges,
        summary: "An S3 bucket policy, ACL, CORS, lifecycle or replication configuration changed (CIS 4.8)." },
    { runbook: "aws-config-changes", metricName: "AwsConfigChanges", pattern: CLOUDTRAIL_PATTERNS.awsConfigChanges,
        summary: "The AWS Config recorder was stopped or changed, or a delivery channel changed (CIS 4.9)." },
    { runbook: "security-group-changes", metricName: "SecurityGroupChanges", pattern: CLOUDTRAIL_PATTERNS.securityGroupChanges,
        summary: "A security group or one of its rules was created, changed or deleted (CIS 4.10)." },
    { runbook: "nacl-changes", metricName: "NetworkAclChanges", pattern: CLOUDTRAIL_PATTERNS.naclChanges,
        summary: "A network ACL, its entries or associations changed (CIS 4.11)." },
    { runbook: "network-gateway-changes", metricName: "NetworkGatewayChanges", pattern: CLOUDTRAIL_PATTERNS.networkGatewayChanges,
        summary: "An internet or customer gateway was created, attached, detached or deleted (CIS 4.12)." },
    { runbook: "route-table-changes", metricName: "RouteTableChanges", pattern: CLOUDTRAIL_PATTERNS.routeTableChanges,
        summary: "A route table, route or route table association changed (CIS 4.13)." },
    { runbook: "vpc-changes", metricName: "VpcChanges", pattern: CLOUDTRAIL_PATTERNS.vpcChanges,
        summary: "A VPC, its attributes or a peering connection changed (CIS 4.14)." },
    { runbook: "organizations-changes", metricName: "OrganizationsChanges", pattern: CLOUDTRAIL_PATTERNS.organizationsChanges,
        summary: "AWS Organizations accounts, units or policies changed (CIS 4.15)." },
];

/** Pattern matching any assumption of the break-glass role and any call made with its sessions. */
export function breakGlassPattern(roleArn: pulumi.Input<string>): pulumi.Output<string> {
    const sessionIssuer = "$.userIdentity.sessionContext.sessionIssuer.arn";
    return pulumi.interpolate`{ (($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "${roleArn}")) || (${sessionIssuer} = "${roleArn}") }`;
}

/** The arguments of SecurityAlarms: what the caller decides about the CIS security alarms. */
export interface SecurityAlarmsArgs {
    /** Alarm name prefix, alerts topic and runbook document. */
    readonly wiring: AlarmWiring;
    /** The CloudWatch log group the multi-region trail delivers to. */
    readonly trailLogGroupName: pulumi.Input<string>;
    /** ARN of the break-glass role; any use of it raises an alarm. */
    readonly breakGlassRoleArn: pulumi.Input<string>;
}

/**
 * Security alarms: CloudTrail metric filters (every CIS 4.1-4.15 event class, and break-glass role use) each with an
 * alarm on the first occurrence in 5 minutes (the benchmark's Sum >= 1 over 300 s), and AWS Backup job or copy failures. Every
 * alarm notifies the alerts topic and links its runbook.
 */
export class SecurityAlarms extends pulumi.ComponentResource {
    public readonly alarmNames: pulumi.Output<string>[];

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:SecurityAlarms", name, {}, opts);
        const filters: TrailFilter[] = [
            ...CIS_FILTERS,
            { runbook: "break-glass-role-use", metricName: "BreakGlassRoleUse", pattern: breakGlassPattern(args.breakGlassRoleArn),
                summary: "The break-glass role was assumed or used." },
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
