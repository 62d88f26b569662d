import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { Tracing, TracingArgs, traceQueryLink } from "./tracing";

const args: TracingArgs = { namePrefix: "app-dev", region: "eu-west-1", accountId: "111122223333", services: ["api", "ai"] };

describe("Tracing", () => {
    it("turns on Transaction Search after admitting only this account's X-Ray to the span log groups", async () => {
        const r = await record(() => new Tracing("tracing", args), { region: "eu-west-1" });
        const policy = r.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "tracing-spans");
        const [st] = JSON.parse(r.inputsOf(policy).policyDocument).Statement;
        assert.deepEqual([st.Principal, st.Action], [{ Service: "xray.amazonaws.com" }, "logs:PutLogEvents"]);
        assert.deepEqual(st.Resource, [
            "arn:aws:logs:eu-west-1:111122223333:log-group:aws/spans:*", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/application-signals/data:*",
        ]);
        assert.equal(st.Condition.StringEquals["aws:SourceAccount"], "111122223333");
        assert.equal(st.Condition.ArnLike["aws:SourceArn"], "arn:aws:xray:eu-west-1:111122223333:*");
        const destination = r.one("aws:xray/traceSegmentDestination:TraceSegmentDestination", "tracing-destination");
        assert.equal(destination.inputs.destination, "CloudWatchLogs");
        assert.ok(destination.dependencies.includes(policy.urn), "X-Ray can write spans before it is switched to CloudWatch Logs");
    });
    it("leaves the account-wide Transaction Search setting alone when another stack owns it", async () => {
        const r = await record(() => new Tracing("tracing", { ...args, manageTransactionSearch: false }));
        assert.equal(r.ofType("aws:xray/traceSegmentDestination:TraceSegmentDestination").length, 0);
        assert.equal(r.ofType("aws:cloudwatch/logResourcePolicy:LogResourcePolicy").length, 0);
    });
    it("samples and groups exactly the services' traces, and tells each service where to export them", async () => {
        let tracing: Tracing | undefined;
        const r = await record(() => { tracing = new Tracing("tracing", { ...args, sampleRate: 0.1 }); }, { region: "eu-west-1" });
        const rule = r.inputsOf(r.one("aws:xray/samplingRule:SamplingRule", "tracing-sampling"));
        assert.deepEqual([rule.serviceName, rule.fixedRate, rule.reservoirSize], ["app-dev-*", 0.1, 1]);
        const group = r.inputsOf(r.one("aws:xray/group:Group", "tracing-group"));
        assert.equal(group.filterExpression, 'service("app-dev-api") OR service("app-dev-ai")');
        assert.equal(group.insightsConfiguration.insightsEnabled, true);
        const env = tracing!.environment("api");
        assert.equal(env.OTEL_SERVICE_NAME, "app-dev-api");
        assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "https://xray.eu-west-1.amazonaws.com/v1/traces");
        assert.deepEqual(tracing!.taskStatements[0].Action, ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"]);
    });
    it("never samples the untraced paths: a zero-rate rule per path, evaluated before the services' rule", async () => {
        const r = await record(() => new Tracing("tracing", { ...args, untracedPaths: ["/health", "/ready"] }));
        const rule = r.inputsOf(r.one("aws:xray/samplingRule:SamplingRule", "tracing-sampling"));
        const skips = [0, 1].map((i) => r.inputsOf(r.one("aws:xray/samplingRule:SamplingRule", `tracing-skip${i}`)));
        assert.deepEqual(skips.map((s) => [s.ruleName, s.urlPath, s.fixedRate, s.reservoirSize, s.serviceName]),
            [["app-dev-skip0", "/health", 0, 0, "app-dev-*"], ["app-dev-skip1", "/ready", 0, 0, "app-dev-*"]]);
        assert.ok(skips.every((s) => s.priority < rule.priority));
        assert.equal(traceQueryLink("il-central-1", "app-dev-api"),
            'https://console.aws.amazon.com/cloudwatch/home?region=il-central-1#xray:traces/query (filter service("app-dev-api"))');
    });
    it("rejects a sample rate outside 0-1 and a prefix too long for a sampling rule name", async () => {
        await assert.rejects(record(() => new Tracing("t", { ...args, sampleRate: 5 })), /sampleRate must be between 0 and 1, got 5/);
        await assert.rejects(record(() => new Tracing("t", { ...args, namePrefix: "a-very-long-application-prefix" })), /exceeds 32 characters/);
    });
});
