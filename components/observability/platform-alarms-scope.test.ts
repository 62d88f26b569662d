import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { PlatformAlarms } from "./platform-alarms";
import { alarmThresholds } from "./thresholds";

const thresholds = alarmThresholds({ production: true, dbInstanceClass: "db.t4g.medium", dbAllocatedStorageGb: 50 });
const wiring = { namePrefix: "app-prod", alertsTopicArn: "arn:aws:sns:eu-central-1:111122223333:alerts", runbookBaseUrl: "https://example.com/runbooks.md" };
const watched = {
    environment: "prod", albArnSuffix: "app/app-prod-origin/1", targetGroupArnSuffixes: { api: "targetgroup/app-prod-api/1" },
    clusterName: "app-prod", serviceNames: { api: "api", ai: "ai" }, queues: [],
};

describe("PlatformAlarms for a program without a database or Redis", () => {
    it("raises the ALB, target and ECS alarms only, each with its runbook link and the alerts topic", async () => {
        const r = await record(() => new PlatformAlarms("alarms", { ...watched, wiring, thresholds }));
        const names = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs.name).sort();
        assert.deepEqual(names, ["app-prod-alb-5xx", "app-prod-api-p99-latency", "app-prod-ecs-running-below-desired-ai",
            "app-prod-ecs-running-below-desired-api", "app-prod-target-5xx", "app-prod-unhealthy-targets-api"]);
        for (const a of r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            assert.match(a.inputs.alarmDescription, /Runbook: https:\/\/example\.com\/runbooks\.md#[a-z0-9-]+$/);
            assert.deepEqual(a.inputs.alarmActions, [wiring.alertsTopicArn]);
        }
    });
    it("adds the RDS alarms when a database is watched", async () => {
        const r = await record(() => new PlatformAlarms("alarms", { ...watched, wiring, thresholds, dbInstanceIdentifier: "app-prod-db" }));
        const rds = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/RDS");
        assert.deepEqual(rds.map((a) => a.inputs.metricName).sort(), ["CPUUtilization", "DatabaseConnections", "FreeStorageSpace"]);
    });
});
