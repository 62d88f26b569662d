import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../security/service-trust";

/** GuardDuty protection plans this component enables, with their additional configuration. */
export const GUARDDUTY_FEATURES: readonly { name: string; additional?: string[] }[] = [
    { name: "S3_DATA_EVENTS" },
    { name: "RDS_LOGIN_EVENTS" },
    // Runtime monitoring for ECS on Fargate: GuardDuty manages the sidecar agent in every task.
    { name: "RUNTIME_MONITORING", additional: ["ECS_FARGATE_AGENT_MANAGEMENT"] },
];

/** The arguments of ThreatDetection: what the caller decides about GuardDuty. */
export interface ThreatDetectionArgs {
    /** Physical name prefix of the finding rule and its role, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /**
     * Where findings of at least `minimumSeverity` go: the alerts topic (its policy admits events.amazonaws.com), or, for
     * a secondary region, another region's event bus (whose own GuardDuty rule then routes them): exactly one of the two.
     */
    readonly alertsTopicArn?: pulumi.Input<string>;
    /** Event bus ARN in the home region that receives this region's findings (EventBridge targets are otherwise regional). */
    readonly forwardToEventBusArn?: pulumi.Input<string>;
    /** Lowest GuardDuty severity that is routed (4 = medium; 7 = high). */
    readonly minimumSeverity: number;
    /** Optional Firehose delivery stream (log shipping to the SIEM) that also receives the findings. */
    readonly findingsFirehoseArn?: pulumi.Input<string>;
    /** Readable message for the alerts topic (input transformer, e.g. guardDutyFindingMessage); the raw finding when omitted. */
    readonly alertsMessage?: { inputPaths: Record<string, string>; inputTemplate: string };
    /** Short label of this detector's region for physical names (e.g. `eu-west-1`); required with forwardToEventBusArn. */
    readonly regionLabel?: string;
    /**
     * Id of the region's existing detector, owned by another stack (GuardDuty allows one per account and region:
     * prod-eu's `guardduty-dr` in the recovery stack's region). It is adopted (`import`) with the same settings and kept
     * when this stack is destroyed (`retainOnDelete`), so the owner's detector survives a drill or a failback.
     * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html
     */
    readonly adoptDetectorId?: string;
}

/**
 * GuardDuty for the account and region: an enabled detector publishing every 15 minutes, with S3 data events, RDS
 * login events and ECS Fargate runtime monitoring, and an EventBridge rule routing findings of at least the given
 * severity to the alerts topic (and, when given, to the SIEM's Firehose, through a role that may only put records
 * into that one stream).
 */
export class ThreatDetection extends pulumi.ComponentResource {
    public readonly detectorId: pulumi.Output<string>;
    public readonly findingsRuleArn: pulumi.Output<string>;

    constructor(name: string, args: ThreatDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:audit:ThreatDetection", name, {}, opts);
        if (!args.alertsTopicArn === !args.forwardToEventBusArn) throw new Error(`ThreatDetection ${name}: set exactly one of alertsTopicArn or ` +
            `forwardToEventBusArn`);
        const child = { parent: this };
        const adopt = args.adoptDetectorId ? { import: args.adoptDetectorId, retainOnDelete: true } : {};
        const detector = new aws.guardduty.Detector(name, { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" }, { ...child, ...adopt });
        for (const feature of GUARDDUTY_FEATURES) {
            new aws.guardduty.DetectorFeature(`${name}-${feature.name.toLowerCase().replace(/_/g, "-")}`, {
                detectorId: detector.id,
                name: feature.name,
                status: "ENABLED",
                additionalConfigurations: feature.additional?.map((n) => ({ name: n, status: "ENABLED" })),
            }, { ...child, ...(args.adoptDetectorId ? { retainOnDelete: true } : {}) });
        }
        const rule = this.routeFindings(name, args);
        this.detectorId = detector.id;
        this.findingsRuleArn = rule.arn;
        this.registerOutputs({ detectorId: this.detectorId, findingsRuleArn: this.findingsRuleArn });
    }

    /** The findings rule and its targets: the alerts topic or another region's bus, and the SIEM's stream when given. */
    private routeFindings(name: string, args: ThreatDetectionArgs): aws.cloudwatch.EventRule {
        const child = { parent: this };
        const rule = new aws.cloudwatch.EventRule(`${name}-findings`, {
            name: `${args.namePrefix}-guardduty-findings`,
            description: `GuardDuty findings of severity ${args.minimumSeverity} or above`,
            eventPattern: JSON.stringify({
                source: ["aws.guardduty"],
                "detail-type": ["GuardDuty Finding"],
                detail: { severity: [{ numeric: [">=", args.minimumSeverity] }] },
            }),
        }, child);
        if (args.alertsTopicArn) {
            new aws.cloudwatch.EventTarget(`${name}-findings-alerts`, {
                rule: rule.name, arn: args.alertsTopicArn, ...(args.alertsMessage ? { inputTransformer: args.alertsMessage } : {}),
            }, child);
        }
        if (args.forwardToEventBusArn) this.forwardTo(name, args, rule, args.forwardToEventBusArn);

        if (args.findingsFirehoseArn) {
            const role = this.eventBridgeRole(`${name}-findings-firehose`, `${args.namePrefix}-guardduty-to-firehose`,
                "EventBridge puts GuardDuty findings into the log-shipping Firehose stream", rule);
            const put = new aws.iam.RolePolicy(`${name}-findings-firehose-put`, {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: args.findingsFirehoseArn }],
                }),
            }, child);
            new aws.cloudwatch.EventTarget(`${name}-findings-firehose`, {
                rule: rule.name, arn: args.findingsFirehoseArn, roleArn: role.arn,
            }, { ...child, dependsOn: [put] });
        }
        return rule;
    }

    /** A role only this rule's EventBridge targets may assume (confused-deputy guard: aws:SourceArn is the rule). */
    private eventBridgeRole(resourceName: string, roleName: string, description: string, rule: aws.cloudwatch.EventRule): aws.iam.Role {
        return new aws.iam.Role(resourceName, {
            name: roleName, description, maxSessionDuration: 3600,
            assumeRolePolicy: serviceTrustPolicy("events.amazonaws.com", { ArnEquals: { "aws:SourceArn": rule.arn } }),
        }, { parent: this });
    }

    /**
     * Sends matching findings to an event bus in another region through a role that may only put events there.
     * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html (read 2026-12-03)
     */
    private forwardTo(name: string, args: ThreatDetectionArgs, rule: aws.cloudwatch.EventRule, busArn: pulumi.Input<string>): void {
        const child = { parent: this };
        const roleName = `${args.namePrefix}-guardduty-forward-${args.regionLabel ?? name}`;
        if (roleName.length > 64) throw new Error(`ThreatDetection ${name}: role name ${roleName} is longer than IAM's 64 characters`);
        const role = this.eventBridgeRole(`${name}-findings-forward`, roleName, "EventBridge forwards GuardDuty findings to the home region's event bus", rule);
        const put = new aws.iam.RolePolicy(`${name}-findings-forward-put`, {
            role: role.name,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: busArn }] }),
        }, child);
        new aws.cloudwatch.EventTarget(`${name}-findings-forward`, { rule: rule.name, arn: busArn, roleArn: role.arn }, { ...child, dependsOn: [put] });
    }
}
