import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { ServiceAutoscaling } from "./service-autoscaling";

const base = { resourceId: "service/app-dev/api", minTasks: 1, maxTasks: 4, alarmNamePrefix: "app-dev-api" };

describe("ServiceAutoscaling on CPU and memory", () => {
    it("adds a memory target-tracking policy beside the CPU one when a memory target is given", async () => {
        const r = await record(() => new ServiceAutoscaling("api-scaling", { ...base, scaling: { kind: "cpu", targetPercent: 60, memoryTargetPercent: 75 } }));
        const policies = r.ofType("aws:appautoscaling/policy:Policy").map((p) => p.inputs.targetTrackingScalingPolicyConfiguration);
        assert.deepEqual(policies.map((c) => [c.predefinedMetricSpecification.predefinedMetricType, c.targetValue]),
            [["ECSServiceAverageCPUUtilization", 60], ["ECSServiceAverageMemoryUtilization", 75]]);
    });
    it("keeps CPU only when no memory target is given", async () => {
        const r = await record(() => new ServiceAutoscaling("api-scaling", { ...base, scaling: { kind: "cpu", targetPercent: 60 } }));
        assert.equal(r.ofType("aws:appautoscaling/policy:Policy").length, 1);
    });
    it("rejects a memory target outside 0-100", async () => {
        await assert.rejects(record(() => new ServiceAutoscaling("s", { ...base, scaling: { kind: "cpu", targetPercent: 60, memoryTargetPercent: 120 } })),
            /memoryTargetPercent must be above 0 and at most 100, got 120/);
    });
});
