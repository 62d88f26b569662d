import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PolicyStatement } from "../compute/fargate-service";

/** The arguments of Tracing: the services traced, the sampling and whether Transaction Search is switched on. */
export interface TracingArgs {
    /** Prefix of names (e.g. `ai-app-prod`): the sampling rule, the group and the services' trace names derive from it. */
    readonly namePrefix: string;
    /** Region and account the traces are written in (the OTLP endpoint's region; the logs resource policy's scope). */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** Task families that send traces (e.g. `web`, `api`, `ai`); each traces as `<namePrefix>-<family>`. */
    readonly services: readonly string[];
    /** Share of requests traced beyond the reservoir, 0-1. Default 0.05. */
    readonly sampleRate?: number;
    /** Requests per second traced before sampleRate applies (so quiet services still show up). Default 1. */
    readonly reservoirPerSecond?: number;
    /**
     * Turn on CloudWatch Transaction Search for the account and region (spans stored as structured logs in `aws/spans`,
     * and the OTLP endpoint the services export to). It is one setting per account and region: let exactly one stack
     * of the account own it, and set false in every other one. Default true.
     */
    readonly manageTransactionSearch?: boolean;
    /** X-Ray Insights on the group (anomaly detection on fault rates), with notifications to EventBridge. Default true. */
    readonly insights?: boolean;
    /** URL paths never traced (e.g. `/health`: load balancer and container health checks). Default none. */
    readonly untracedPaths?: readonly string[];
}

/**
 * The CloudWatch console's trace query of one traced service (Transaction Search / X-Ray traces), for alarm
 * descriptions: the filter expression is given beside the link, since the console keeps it out of the URL.
 */
export function traceQueryLink(region: string, traceName: string): string {
    return `https://console.aws.amazon.com/cloudwatch/home?region=${region}#xray:traces/query (filter service("${traceName}"))`;
}

/** Trace sampling rule names: 1-32 characters (X-Ray CreateSamplingRule). */
const RULE_NAME_MAX = 32;

/**
 * Distributed tracing for a set of Fargate services, collector-less: each service's OpenTelemetry SDK (ADOT) exports
 * spans over HTTPS to the X-Ray OTLP endpoint (no daemon sidecar, so the read-only, non-root container stays as it is).
 * What this sets up: Transaction Search (the OTLP endpoint needs it; spans land in CloudWatch Logs), a sampling rule
 * and an X-Ray group (service map, Insights) for exactly these services, and what each task needs (`taskStatements`:
 * the actions of AWSXrayWriteOnlyAccess, which X-Ray grants only on "*"; `environment(family)`: the SDK settings).
 * The X-Ray SDKs and daemon are in maintenance mode and reach end of support on 2027-02-25; AWS recommends OpenTelemetry
 * (https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-daemon-timeline.html).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-OTLP-UsingADOT.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Enable-TransactionSearch.html
 */
export class Tracing extends pulumi.ComponentResource {
    /** The OTLP traces endpoint of the region. */
    public readonly otlpTracesEndpoint: string;
    public readonly groupArn: pulumi.Output<string>;
    public readonly samplingRuleArn: pulumi.Output<string>;
    /** Task role statements that let a service send spans and read sampling decisions. */
    public readonly taskStatements: readonly PolicyStatement[];
    private readonly namePrefix: string;

    constructor(name: string, args: TracingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:Tracing", name, {}, opts);
        const sampleRate = args.sampleRate ?? 0.05;
        const reservoir = args.reservoirPerSecond ?? 1;
        if (!(sampleRate >= 0 && sampleRate <= 1)) throw new Error(`Tracing ${name}: sampleRate must be between 0 and 1, got ${sampleRate}`);
        if (!(Number.isInteger(reservoir) && reservoir >= 0)) {
            throw new Error(`Tracing ${name}: reservoirPerSecond must be a whole number >= 0, got ${reservoir}`);
        }
        if (args.services.length === 0) throw new Error(`Tracing ${name}: at least one service is required`);
        const ruleName = `${args.namePrefix}-services`;
        if (ruleName.length > RULE_NAME_MAX) {
            throw new Error(`Tracing ${name}: sampling rule name ${ruleName} exceeds ${RULE_NAME_MAX} characters; shorten namePrefix`);
        }
        this.namePrefix = args.namePrefix;
        const traceNames = args.services.map((s) => this.traceName(s));

        let destination: aws.xray.TraceSegmentDestination | undefined;
        if (args.manageTransactionSearch ?? true) {
            // X-Ray writes the spans into CloudWatch Logs; this policy admits it for this account's X-Ray only.
            const partition = aws.getPartitionOutput({}, { parent: this }).partition;
            const logGroup = (group: string) => pulumi.interpolate`arn:${partition}:logs:${args.region}:${args.accountId}:log-group:${group}:*`;
            const logsPolicy = new aws.cloudwatch.LogResourcePolicy(`${name}-spans`, {
                policyName: `${args.namePrefix}-transaction-search`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{
                        Sid: "TransactionSearchXRayAccess",
                        Effect: "Allow",
                        Principal: { Service: "xray.amazonaws.com" },
                        Action: "logs:PutLogEvents",
                        Resource: [logGroup("aws/spans"), logGroup("/aws/application-signals/data")],
                        Condition: {
                            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:xray:${args.region}:${args.accountId}:*` },
                            StringEquals: { "aws:SourceAccount": args.accountId },
                        },
                    }],
                }),
            }, { parent: this });
            destination = new aws.xray.TraceSegmentDestination(`${name}-destination`, {
                destination: "CloudWatchLogs",
            }, { parent: this, dependsOn: [logsPolicy] });
        }

        // A lower priority number is evaluated first: these rules keep health checks out of the traces.
        // https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html (read 2026-12-04)
        (args.untracedPaths ?? []).forEach((urlPath, i) => {
            const skipName = `${args.namePrefix}-skip${i}`;
            if (skipName.length > RULE_NAME_MAX) throw new Error(`Tracing ${name}: sampling rule name ${skipName} exceeds ${RULE_NAME_MAX} characters`);
            new aws.xray.SamplingRule(`${name}-skip${i}`, {
                ruleName: skipName, priority: 100 + i, version: 1, fixedRate: 0, reservoirSize: 0,
                serviceName: `${args.namePrefix}-*`, serviceType: "*", host: "*", httpMethod: "*", urlPath, resourceArn: "*",
            }, { parent: this });
        });

        const rule = new aws.xray.SamplingRule(`${name}-sampling`, {
            ruleName,
            priority: 1000,
            version: 1,
            fixedRate: sampleRate,
            reservoirSize: reservoir,
            serviceName: `${args.namePrefix}-*`,
            serviceType: "*",
            host: "*",
            httpMethod: "*",
            urlPath: "*",
            resourceArn: "*",
        }, { parent: this });

        const group = new aws.xray.Group(`${name}-group`, {
            groupName: args.namePrefix,
            filterExpression: traceNames.map((n) => `service("${n}")`).join(" OR "),
            insightsConfiguration: { insightsEnabled: args.insights ?? true, notificationsEnabled: args.insights ?? true },
        }, { parent: this, dependsOn: destination ? [destination] : [] });

        this.otlpTracesEndpoint = `https://xray.${args.region}.amazonaws.com/v1/traces`;
        this.groupArn = group.arn;
        this.samplingRuleArn = rule.arn;
        this.taskStatements = [{
            Sid: "WriteTraces",
            Effect: "Allow",
            Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
                "xray:GetSamplingStatisticSummaries"],
            Resource: "*",
        }];
        this.registerOutputs({ groupArn: this.groupArn, samplingRuleArn: this.samplingRuleArn, otlpTracesEndpoint: this.otlpTracesEndpoint });
    }

    /** The name a family's spans carry (`<namePrefix>-<family>`): the sampling rule and the group match it. */
    traceName(family: string): string {
        return `${this.namePrefix}-${family}`;
    }

    /**
     * The OpenTelemetry SDK settings of one service (ADOT auto-instrumentation reads them): spans over OTLP/HTTP to
     * the region's X-Ray endpoint, sampled by the X-Ray rules, X-Ray and W3C propagation; no metrics or logs export
     * (logs go to CloudWatch Logs through the awslogs driver).
     */
    environment(family: string): Record<string, string> {
        return {
            OTEL_SERVICE_NAME: this.traceName(family),
            OTEL_TRACES_EXPORTER: "otlp",
            OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/protobuf",
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: this.otlpTracesEndpoint,
            OTEL_TRACES_SAMPLER: "xray",
            OTEL_PROPAGATORS: "tracecontext,baggage,xray",
            OTEL_METRICS_EXPORTER: "none",
            OTEL_LOGS_EXPORTER: "none",
            OTEL_AWS_APPLICATION_SIGNALS_ENABLED: "false",
        };
    }
}
