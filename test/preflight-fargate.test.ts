import { strict as assert } from "assert";
import generated from "../data/aws/fargate-cpu-memory.json";
import { FARGATE_MEMORY_BY_CPU } from "../policy/lib/fargate-sizes";

describe("Fargate CPU/memory pairs", () => {
    it("the table the program and the pack use (policy/lib/fargate-sizes.ts) equals cfn-lint's generated table", () => {
        const ours = Object.fromEntries(Object.entries(FARGATE_MEMORY_BY_CPU).map(([cpu, memory]) => [cpu, [...memory]]));
        assert.deepEqual(ours, generated.memoryByCpu, `regenerate data/aws/fargate-cpu-memory.json (${generated.source}) and update fargate-sizes.ts`);
    });
});
