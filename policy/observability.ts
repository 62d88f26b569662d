import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, knownItems, configOf, forType, isProd, known, mapped, statements, publicAllowProblem } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../standards/logs";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SES_CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/;


/** The problem with an alarm's actions, or undefined. Unknown ARNs (a topic not created yet) count when the input depends on a topic. */
function alarmActionProblem(alarm: PolicyResource): string | undefined {
    // A topic of this stack in the dependencies decides first: its ARN is unknown until the topic exists.
    if ((alarm.propertyDependencies.alarmActions ?? []).some((d) => d.type === TOPIC)) return undefined;
    const actions = knownItems(() => alarm.props.alarmActions);
    if (actions.length === 0) return "has no alarmActions: nobody is notified when it fires";
    const arns = actions.filter((a): a is string => typeof a === "string");
    if (arns.some((a) => SNS_ARN.test(a))) return undefined;
    return `alarmActions (${arns.join(", ") || "not an SNS topic of this stack"}) include no SNS topic`;
}

export const alarmsHaveActions: PlatformPolicy = {
    name: "alarms-have-actions",
    description: "Every CloudWatch metric alarm notifies an SNS topic when it fires.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["CloudWatch.15"], nist: ["SI-4", "IR-4"], soc2: ["CC7.2", "CC7.3"], iso: ["A.8.16"] }),
    remediationSteps: "Create alarms with runbookAlarm() (components/observability/runbooks.ts), which sets alarmActions and okActions to the alerts topic.",
    validateStack: (args, reportViolation) => {
        for (const alarm of args.resources.filter((r) => r.type === ALARM)) {
            const problem = alarmActionProblem(alarm);
            if (problem) reportViolation(`alarm ${alarm.name} ${problem}`, alarm.urn);
        }
    },
};

export const sesTls: PlatformPolicy = {
    name: "ses-tls",
    description: "SES configuration sets require TLS to the receiving mail server (no plain-text fallback).",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-8", "SC-8(1)"], soc2: ["CC6.7"], iso: ["A.5.14", "A.8.24"] }),
    remediationSteps: "Set deliveryOptions: { tlsPolicy: \"REQUIRE\" } on the sesv2 ConfigurationSet (the EmailSending component does).",
    validateResource: forType(SES_CONFIGURATION_SET, (p) =>
        p.deliveryOptions?.tlsPolicy === "REQUIRE"
            ? undefined
            : `delivery TLS policy is ${p.deliveryOptions?.tlsPolicy ?? "OPTIONAL (default)"}; REQUIRE is needed`,
    ),
};

const RETENTION_DEFAULTS = { minimumRetentionDays: MIN_PROD_LOG_RETENTION_DAYS };

export const logRetentionProd: PlatformPolicy = {
    name: "log-retention-prod",
    description: "Production log groups keep logs at least the configured number of days (365 by default); never-expire also complies.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["CloudWatch.16"], nist: ["AU-11"], soc2: ["CC7.2"], iso: ["A.8.15"] }),
    remediationSteps: "Set retentionInDays from platform:retention.logDays (365 or more in prod).",
    configSchema: {
        properties: {
            minimumRetentionDays: {
                type: "number",
                default: RETENTION_DEFAULTS.minimumRetentionDays,
                description: "Fewest days a production log group may keep logs.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== LOG_GROUP || !isProd(args.props)) return;
        const { minimumRetentionDays } = configOf(args, RETENTION_DEFAULTS);
        const days = args.props.retentionInDays;
        // 0 or unset means logs never expire, which satisfies a minimum (logs-cmk asks for a bounded retention).
        if (days === undefined || Number(days) === 0) return;
        if (Number(days) < minimumRetentionDays) reportViolation(`${args.name}: keeps logs ${days} days; production needs at least ${minimumRetentionDays}`);
    },
};


export const snsTopicPolicyScoped: PlatformPolicy = {
    name: "sns-topic-policy-scoped",
    description: "SNS topic policies never allow \"*\" without a condition (an open topic lets anyone publish or subscribe).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["SNS.4"], nist: ["AC-3"], soc2: ["CC6.1"], iso: ["A.5.15", "A.8.3"] }),
    remediationSteps:
        'Name the publishing services as principals with an aws:SourceAccount condition (AlertTopic does), or add a condition to the "*" statement.',
    validateResource: (args, reportViolation) => {
        if (args.type !== TOPIC_POLICY && args.type !== TOPIC) return;
        // Deny statements with "*" restrict access, so only Allow statements are a risk.
        for (const problem of statements(known(() => args.props.policy)).map(publicAllowProblem).filter(Boolean)) reportViolation(`${args.name}: ${problem}`);
    },
};

export const observabilityPolicies: PlatformPolicy[] = honourExceptions([alarmsHaveActions, sesTls, logRetentionProd, snsTopicPolicyScoped]);
