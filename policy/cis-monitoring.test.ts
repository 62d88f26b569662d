import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { cisMonitoring } from "./cis-monitoring";

const trail = fake("aws:cloudtrail/trail:Trail", "trail", {});
const topic = fake("aws:sns/topic:Topic", "alerts", {});
const filter = (name: string, pattern: string) =>
    fake("aws:cloudwatch/logMetricFilter:LogMetricFilter", name, { pattern, metricTransformation: { name, namespace: "CISBenchmark", value: "1" } });
const alarm = (metric: string) =>
    fake(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        `${metric}-alarm`,
        { metricName: metric, alarmActions: ["arn:aws:sns:eu-central-1:1:alerts"] },
        { alarmActions: [topic] },
    );

describe("cis-monitoring", () => {
    const root = filter("root", '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }');
    it("passes a required control whose filter has an alarm with an action", async () => {
        assert.deepEqual(await violationsOf(cisMonitoring, [trail, topic, root, alarm("root")], { requiredControls: ["4.3"] }), []);
    });
    it("flags a missing filter, and a filter without an alarm", async () => {
        assert.deepEqual(await violationsOf(cisMonitoring, [trail, topic, root], { requiredControls: ["4.3", "4.7"] }), [
            "CIS 4.3: the use of the root user filter has no alarm with an action",
            "CIS 4.7: no log metric filter for disabling or scheduled deletion of customer managed keys",
        ]);
    });
    it("is mandatory: a stack with the trail and a missing control fails the preview", () => assert.equal(cisMonitoring.enforcementLevel, "mandatory"));
    it("applies only to a stack carrying the trail", async () => assert.deepEqual(await violationsOf(cisMonitoring, [topic]), []));
});
