import { strict as assert } from "assert";
import { Recorded, stackRecord } from "../../offline/testing";
import { parse, rejects } from "../fixtures/config-parse";

const T = {
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    samplingRule: "aws:xray/samplingRule:SamplingRule",
    group: "aws:xray/group:Group",
    destination: "aws:xray/traceSegmentDestination:TraceSegmentDestination",
    logsPolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
};
/** AWSXrayWriteOnlyAccess: what an OpenTelemetry SDK with the X-Ray remote sampler calls, and nothing else. */
const XRAY_ACTIONS = [
    "xray:GetSamplingRules",
    "xray:GetSamplingStatisticSummaries",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
];
const TRACED: Record<string, { region: string; families: string[] }> = {
    dev: { region: "eu-central-1", families: ["api", "api-workers", "scanner-workers"] },
    "prod-eu": { region: "eu-central-1", families: ["api", "api-workers", "scanner-workers"] },
    "prod-il": { region: "il-central-1", families: ["api", "api-workers", "scanner-workers", "ai-workers"] },
};
/** Every stack file of the project. */
const ALL_STACKS = ["dev", "nonprod", "prod-eu", "prod-eu-dr", "prod-il"];

for (const [stack, { region, families }] of Object.entries(TRACED)) {
    describe(`tracing in the ${stack} plan (OpenTelemetry over OTLP to X-Ray)`, () => {
        let rec: Recorded;
        before(async () => {
            rec = await stackRecord(stack);
        });
        const containers = (family: string) => JSON.parse(rec.inputsOf(rec.one(T.taskDefinition, family)).containerDefinitions);
        const envOf = (container: any) => Object.fromEntries(container.environment.map((e: any) => [e.name, e.value]));

        it("runs no X-Ray daemon sidecar: each api and worker task is its one container, exporting spans to the region's OTLP endpoint", () => {
            for (const family of families) {
                const [app, ...rest] = containers(family);
                assert.equal(rest.length, 0, `${family} has no sidecar`);
                const env = envOf(app);
                assert.equal(env.OTEL_SERVICE_NAME, `platform-${stack}-${family}`);
                assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, `https://xray.${region}.amazonaws.com/v1/traces`, "spans stay in the stack's region");
                assert.equal(env.OTEL_TRACES_EXPORTER, "otlp");
                assert.equal(env.OTEL_TRACES_SAMPLER, "xray", "sampled by the stack's X-Ray rules");
                assert.ok(!Object.keys(env).some((k) => k.startsWith("AWS_XRAY_")), "no daemon address");
            }
        });

        it("lets each traced task role write traces and read sampling decisions (AWSXrayWriteOnlyAccess actions, no more)", () => {
            for (const family of families) {
                const doc = JSON.parse(rec.inputsOf(rec.one(T.rolePolicy, `${family}-task`)).policy);
                const xray = doc.Statement.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith("xray:")));
                assert.equal(xray.length, 1);
                assert.deepEqual([...xray[0].Action].sort(), XRAY_ACTIONS);
            }
        });

        it("samples the stack's services (never /health) with rules whose names fit X-Ray's 32 characters, and groups exactly them", () => {
            const rules = rec.ofType(T.samplingRule).map((r) => rec.inputsOf(r));
            assert.equal(rules.length, 2);
            const health = rules.find((r) => r.urlPath === "/health")!;
            const rest = rules.find((r) => r.urlPath === "*")!;
            assert.deepEqual([health.fixedRate, health.reservoirSize], [0, 0]);
            assert.ok(health.priority < rest.priority, "the health-check rule is evaluated first");
            assert.deepEqual([rest.fixedRate, rest.reservoirSize], [0.05, 1], "platform:tracing.sampleRatePercent and 1 request a second");
            for (const r of rules) {
                assert.ok(r.ruleName.length <= 32, r.ruleName);
                assert.equal(r.serviceName, `platform-${stack}-*`);
            }
            const group = rec.inputsOf(rec.one(T.group, "tracing-group"));
            assert.equal(group.filterExpression, families.map((f) => `service("platform-${stack}-${f}")`).join(" OR "));
        });

        it("owns Transaction Search for its account and region: spans to CloudWatch Logs, written by this account's X-Ray only", () => {
            assert.equal(rec.one(T.destination, "tracing-destination").inputs.destination, "CloudWatchLogs");
            const policy = JSON.parse(rec.inputsOf(rec.one(T.logsPolicy, "tracing-spans")).policyDocument).Statement[0];
            assert.deepEqual(policy.Principal, { Service: "xray.amazonaws.com" });
            assert.equal(policy.Action, "logs:PutLogEvents");
            assert.match(policy.Condition.ArnLike["aws:SourceArn"], new RegExp(`^arn:aws:xray:${region}:\\d{12}:\\*$`));
        });

        it("links the api's traces from its 5xx and latency alarms, before the runbook link", () => {
            for (const name of ["alarms-target-5xx", "alarms-api-p99-latency"]) {
                const description: string = rec.one("aws:cloudwatch/metricAlarm:MetricAlarm", name).inputs.alarmDescription;
                assert.ok(description.includes(`#xray:traces/query (filter service("platform-${stack}-api"))`), description);
                assert.ok(description.includes(`region=${region}`), description);
                assert.match(description, /Runbook: \S+#(target-5xx|api-p99-latency)$/);
                assert.ok(description.length <= 1024, "CloudWatch's limit on alarm descriptions");
            }
        });

        it("leaves Keycloak untraced", () => {
            if (!rec.ofType(T.taskDefinition).some((t) => t.name === "keycloak")) return;
            const [kc, ...rest] = containers("keycloak");
            assert.equal(rest.length, 0);
            assert.ok(!Object.keys(envOf(kc)).some((k) => k.startsWith("OTEL_")));
        });
    });
}

describe("platform:tracing config", () => {
    it("has exactly one Transaction Search owner per account and region among the stacks that trace", () => {
        const owners = new Map<string, string[]>();
        for (const stack of ALL_STACKS) {
            const cfg = parse(stack);
            if (!cfg.tracing.enabled) continue;
            const where = `${cfg.accountId}/${cfg.region}`;
            if (!owners.has(where)) owners.set(where, []);
            if (cfg.tracing.transactionSearch === "owner") owners.get(where)!.push(stack);
        }
        for (const [where, stacks] of owners) assert.equal(stacks.length, 1, `${where}: owners ${stacks.join(", ") || "none"}`);
    });

    it("refuses the removed daemonImage with what replaced it, and an unknown ownership", () => {
        rejects("dev", (raw) => { raw.tracing = { daemonImage: "public.ecr.aws/xray/aws-xray-daemon:3.3.7" }; }, "platform:tracing.daemonImage",
            /X-Ray daemon sidecar was removed; services export spans over OTLP/);
        rejects("dev", (raw) => { raw.tracing = { transactionSearch: "yes" }; }, "platform:tracing.transactionSearch", /owner.*external/);
    });
});
