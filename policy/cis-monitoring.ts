import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, asList, configOf, known, knownString, mapped } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

const TRAIL = "aws:cloudtrail/trail:Trail";
const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/**
 * CIS AWS Foundations 3.0 section 4: a CloudTrail log metric filter and an alarm per event class. Each control is
 * recognised by the event its filter must match (the benchmark's own filter patterns, as in prowler's cis_3.0_aws.json).
 */
const CIS_MONITORING: Readonly<Record<string, { event: RegExp; what: string }>> = {
    "4.1": { event: /UnauthorizedOperation|AccessDenied/, what: "unauthorized API calls" },
    "4.2": { event: /MFAUsed/, what: "console sign-in without MFA" },
    "4.3": { event: /"?Root"?/, what: "use of the root user" },
    "4.4": { event: /DeleteGroupPolicy|PutRolePolicy|AttachRolePolicy/, what: "IAM policy changes" },
    "4.5": { event: /StopLogging|UpdateTrail|DeleteTrail/, what: "CloudTrail configuration changes" },
    "4.6": { event: /Failed authentication/, what: "console authentication failures" },
    "4.7": { event: /ScheduleKeyDeletion|DisableKey/, what: "disabling or scheduled deletion of customer managed keys" },
    "4.8": { event: /PutBucketPolicy|DeleteBucketPolicy/, what: "S3 bucket policy changes" },
    "4.9": { event: /StopConfigurationRecorder|PutConfigurationRecorder/, what: "AWS Config configuration changes" },
    "4.10": { event: /AuthorizeSecurityGroupIngress|RevokeSecurityGroupIngress/, what: "security group changes" },
    "4.11": { event: /CreateNetworkAclEntry|DeleteNetworkAcl/, what: "network ACL changes" },
    "4.12": { event: /AttachInternetGateway|CreateCustomerGateway/, what: "network gateway changes" },
    "4.13": { event: /ReplaceRoute|CreateRoute\b/, what: "route table changes" },
    "4.14": { event: /CreateVpc|DeleteVpc|ModifyVpcAttribute/, what: "VPC changes" },
    "4.15": { event: /organizations\.amazonaws\.com/, what: "AWS Organizations changes" },
};

/** The metric names a filter publishes. */
const metricsOf = (f: PolicyResource) => asList<any>(known(() => f.props.metricTransformation)).map((m) => knownString(() => m?.name)).filter(Boolean);

export const cisMonitoring: PlatformPolicy = {
    name: "cis-monitoring",
    description:
        "A stack that carries the audit trail has, for each CIS 4.x event class, a log metric filter on the trail's events and an alarm on its " +
        "metric with an action.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ cis: Object.keys(CIS_MONITORING), nist: ["AU-6", "SI-4"], soc2: ["CC7.2"], iso: ["A.8.16"] }),
    remediationSteps: "Add the missing filters and alarms to the observability layer's security alarms (CLOUDTRAIL_PATTERNS in "
        + "components/observability/security-alarms.ts: CloudTrail log group, alarm to the alerts topic); see each CIS 4.x control for the pattern.",
    configSchema: { properties: { requiredControls: { type: "array", items: { type: "string" }, default: Object.keys(CIS_MONITORING),
        description: "CIS 4.x controls whose metric filter and alarm must exist" } } },
    validateStack: (args, reportViolation) => {
        if (!args.resources.some((r) => r.type === TRAIL)) return;
        const { requiredControls } = configOf(args, { requiredControls: Object.keys(CIS_MONITORING) });
        const filters = args.resources.filter((r) => r.type === FILTER);
        const alarmed = new Set(
            args.resources
                .filter(
                    (r) =>
                        r.type === ALARM &&
                        (knownString(() => r.props.alarmActions?.[0]) !== undefined || (r.propertyDependencies.alarmActions ?? []).length > 0),
                )
                .map((r) => knownString(() => r.props.metricName))
                .filter(Boolean),
        );
        for (const control of requiredControls.filter((c) => CIS_MONITORING[c])) {
            const { event, what } = CIS_MONITORING[control];
            const matching = filters.filter((f) => event.test(knownString(() => f.props.pattern) ?? ""));
            if (matching.length === 0) reportViolation(`CIS ${control}: no log metric filter for ${what}`);
            else if (!matching.some((f) => metricsOf(f).some((m) => alarmed.has(m))))
                reportViolation(`CIS ${control}: the ${what} filter has no alarm with an action`, matching[0].urn);
        }
    },
};

export const cisMonitoringPolicies: PlatformPolicy[] = honourExceptions([cisMonitoring]);
