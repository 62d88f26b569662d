import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { VpcFunction } from "../functions/vpc-function";
import { AlarmWiring, runbookAlarm } from "../observability/runbooks";

/** Where functions/secret-age publishes ages. */
export const SECRET_AGE_METRIC = { namespace: "Platform/Secrets", metricName: "SecretAgeDays", dimension: "SecretName" } as const;

/** The arguments of TokenAgeCheck: the hand-rotated secrets to watch, their age limit and where it runs. */
export interface TokenAgeCheckArgs {
    /** Physical name of the check function, e.g. `platform-prod-eu-token-age`. */
    readonly functionName: string;
    /**
     * The secrets to watch, by label (the metric's SecretName dimension and the alarm's qualifier, e.g.
     * `workos-api-key`) -> ARN: third-party tokens and other values rotated by hand (docs/runbooks.md).
     */
    readonly secrets: Record<string, pulumi.Input<string>>;
    /** Age limit in days: an alarm fires for each secret whose current value is older. */
    readonly maxAgeDays: number;
    /** Where the function runs (it reads version metadata only, which needs no decryption, and writes a metric). */
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly wiring: AlarmWiring;
}

/**
 * Age limits for tokens no function can rotate (WorkOS, Logz.io, the Slack webhook): a daily scheduled function
 * publishes the age of each secret's AWSCURRENT version, and one alarm per secret fires when it passes `maxAgeDays`,
 * or when the check stops reporting (missing data alarms). Secrets Manager's own rotation metadata does not cover
 * values set by hand (DescribeSecret LastRotatedDate is for Secrets Manager rotations only:
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html, read 2026-12-03), and the
 * Config rule secretsmanager-secret-periodic-rotation reads that same date.
 */
export class TokenAgeCheck extends pulumi.ComponentResource {
    public readonly functionArn: pulumi.Output<string>;
    /** The check's log group, for the SIEM subscription. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: TokenAgeCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:secrets:TokenAgeCheck", name, {}, opts);
        if (!Number.isInteger(args.maxAgeDays) || args.maxAgeDays < 1)
            throw new Error(`TokenAgeCheck ${name}: maxAgeDays must be a positive integer, got ${args.maxAgeDays}`);
        const labels = Object.keys(args.secrets);
        if (labels.length === 0) throw new Error(`TokenAgeCheck ${name}: no secrets to watch`);
        const bad = labels.find((l) => !/^[a-z0-9-]{1,64}$/.test(l));
        if (bad) throw new Error(`TokenAgeCheck ${name}: label "${bad}" must be lowercase letters, digits and - (it names an alarm)`);
        const child = { parent: this };
        const fn = new VpcFunction(
            name,
            {
                functionName: args.functionName,
                description: "Publishes the age of operator-managed tokens (Platform/Secrets SecretAgeDays)",
                files: { "index.mjs": "secret-age/index.mjs" },
                environment: { SECRETS: pulumi.jsonStringify(args.secrets) },
                statements: [
                    {
                        Sid: "ReadVersionMetadata",
                        Effect: "Allow",
                        Action: "secretsmanager:ListSecretVersionIds",
                        Resource: Object.values(args.secrets),
                    },
                    {
                        Sid: "PublishAges",
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": SECRET_AGE_METRIC.namespace } },
                    },
                ],
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                logsKeyArn: args.logsKeyArn,
                logRetentionDays: args.logRetentionDays,
                timeoutSeconds: 60,
            },
            child,
        );
        const schedule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            {
                name: `${args.functionName}-daily`,
                description: "Daily age check of operator-managed tokens",
                scheduleExpression: "rate(1 day)",
            },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-schedule`, { rule: schedule.name, arn: fn.functionArn }, child);
        new aws.lambda.Permission(
            `${name}-schedule`,
            {
                function: fn.functionName,
                action: "lambda:InvokeFunction",
                principal: "events.amazonaws.com",
                sourceArn: schedule.arn,
            },
            child,
        );
        for (const label of labels) {
            runbookAlarm(
                `${name}-${label}`,
                args.wiring,
                {
                    runbook: "external-token-age",
                    qualifier: label,
                    summary: `The current value of the ${label} secret is older than ${args.maxAgeDays} days, or the daily age check stopped reporting.`,
                    namespace: SECRET_AGE_METRIC.namespace,
                    metricName: SECRET_AGE_METRIC.metricName,
                    dimensions: { [SECRET_AGE_METRIC.dimension]: label },
                    statistic: "Maximum",
                    period: 86400,
                    evaluationPeriods: 2,
                    threshold: args.maxAgeDays,
                    comparisonOperator: "GreaterThanThreshold",
                    treatMissingData: "breaching",
                },
                child,
            );
        }
        this.functionArn = fn.functionArn;
        this.logGroupName = fn.logGroupName;
        this.registerOutputs({ functionArn: this.functionArn });
    }
}
