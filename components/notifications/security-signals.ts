import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** ECR basic-scan severities, lowest first (the `finding-severity-counts` keys of an "ECR Image Scan" event). */
export const ECR_SEVERITIES = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
/** ECR image-scan finding severities, lowest first. */
export type EcrSeverity = typeof ECR_SEVERITIES[number];

/** An input transformer for an SNS target: variables from the event, and the message template. */
export interface SignalMessage {
    inputPaths: Record<string, string>;
    inputTemplate: string;
}

/**
 * A message AWS Chatbot renders (its "custom notification" schema: version, source "custom", content with title and
 * description, https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html) and that reads as text in an
 * e-mail. EventBridge fills `<variable>` placeholders inside the JSON strings
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html, read 2026-12-03).
 */
export function signalMessage(title: string, description: string, inputPaths: Record<string, string>): SignalMessage {
    const template = { version: "1.0", source: "custom", content: { textType: "client-markdown", title, description } };
    return { inputPaths, inputTemplate: JSON.stringify(template) };
}

/** The "ECR Image Scan" event pattern: a completed basic scan with at least one finding of `minimum` or above. */
export function ecrScanPattern(minimum: EcrSeverity): Record<string, unknown> {
    const atOrAbove = ECR_SEVERITIES.slice(ECR_SEVERITIES.indexOf(minimum));
    // A severity with no findings is absent from finding-severity-counts, so "> 0" matches only real findings.
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-eventbridge.html (read 2026-12-03)
    return {
        source: ["aws.ecr"],
        "detail-type": ["ECR Image Scan"],
        detail: {
            "scan-status": ["COMPLETE"],
            $or: atOrAbove.map((s) => ({ "finding-severity-counts": { [s]: [{ numeric: [">", 0] }] } })),
        },
    };
}

/** AWS Config rule evaluations that turned NON_COMPLIANT. https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html */
export const CONFIG_NONCOMPLIANT_PATTERN = {
    source: ["aws.config"],
    "detail-type": ["Config Rules Compliance Change"],
    detail: { messageType: ["ComplianceChangeNotification"], newEvaluationResult: { complianceType: ["NON_COMPLIANT"] } },
};

/** The readable message of a GuardDuty finding (used on the GuardDuty rule's alert target). */
export function guardDutyFindingMessage(runbookUrl: string): SignalMessage {
    return signalMessage("GuardDuty finding <severity>: <type>",
        "<title> (account <account>, region <region>, finding <id>). "
            + `Console: https://console.aws.amazon.com/guardduty/home?region=<region>#/findings?fId=<id> Runbook: ${runbookUrl}`,
        { severity: "$.detail.severity", type: "$.detail.type", title: "$.detail.title", id: "$.detail.id", account: "$.account", region: "$.region" });
}

/** The arguments of SecuritySignals: the thresholds and the topic that receives the findings. */
export interface SecuritySignalsArgs {
    /** Physical name prefix of the rules, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /** The topic the signals go to; its policy admits events.amazonaws.com and its key lets EventBridge encrypt. */
    readonly topicArn: pulumi.Input<string>;
    /** Lowest ECR scan severity that raises a signal. */
    readonly ecrMinimumSeverity: EcrSeverity;
    /** Runbook document URL without anchor; the messages link `#ecr-scan-findings` and `#config-noncompliant`. */
    readonly runbookBaseUrl: string;
}

/**
 * Security signals that are events, not metrics, routed to an alert topic with a readable message: ECR image scans
 * with findings at or above a severity, and AWS Config rules turning NON_COMPLIANT. (GuardDuty findings have their
 * rule in ThreatDetection; it takes guardDutyFindingMessage.) EventBridge publishes to an SSE-KMS topic only when the
 * key policy lets events.amazonaws.com use the key (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-troubleshooting.html,
 * "encrypted Amazon SNS topic"): the alerts key does (components/security/key-policy.ts).
 */
export class SecuritySignals extends pulumi.ComponentResource {
    public readonly ruleNames: pulumi.Output<string>[];

    constructor(name: string, args: SecuritySignalsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:notifications:SecuritySignals", name, {}, opts);
        const runbook = (id: string) => `${args.runbookBaseUrl}#${id}`;
        const signals: { id: string; description: string; pattern: unknown; message: SignalMessage }[] = [
            {
                id: "ecr-scan-findings",
                description: `ECR image scans with findings of severity ${args.ecrMinimumSeverity} or above`,
                pattern: ecrScanPattern(args.ecrMinimumSeverity),
                message: signalMessage("ECR scan findings in <repository>",
                    `Image <digest> of <repository> has CRITICAL: <critical>, HIGH: <high>, MEDIUM: <medium> findings (account <account>, region <region>). ` +
                    `Runbook: ${runbook("ecr-scan-findings")}`,
                    {
                        repository: "$.detail.repository-name", digest: "$.detail.image-digest", account: "$.account", region: "$.region",
                        critical: "$.detail.finding-severity-counts.CRITICAL", high: "$.detail.finding-severity-counts.HIGH",
                        medium: "$.detail.finding-severity-counts.MEDIUM",
                    }),
            },
            {
                id: "config-noncompliant",
                description: "AWS Config rule evaluations that turned NON_COMPLIANT",
                pattern: CONFIG_NONCOMPLIANT_PATTERN,
                message: signalMessage("AWS Config: <rule> is NON_COMPLIANT",
                    `<resourceType> <resourceId> does not comply with <rule> (account <account>, region <region>). Runbook: ${runbook("config-noncompliant")}`,
                    {
                        rule: "$.detail.configRuleName", resourceType: "$.detail.resourceType", resourceId: "$.detail.resourceId",
                        account: "$.account", region: "$.region",
                    }),
            },
        ];
        this.ruleNames = signals.map((signal) => {
            const rule = new aws.cloudwatch.EventRule(`${name}-${signal.id}`, {
                name: `${args.namePrefix}-${signal.id}`,
                description: signal.description,
                eventPattern: JSON.stringify(signal.pattern),
            }, { parent: this });
            new aws.cloudwatch.EventTarget(`${name}-${signal.id}`, {
                rule: rule.name,
                arn: args.topicArn,
                inputTransformer: signal.message,
            }, { parent: this });
            return rule.name;
        });
        this.registerOutputs({ ruleNames: this.ruleNames });
    }
}
