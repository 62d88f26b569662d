import { strict as assert } from "assert";
import { FARGATE_MEMORY_BY_CPU, fargateSizeProblem } from "../standards/fargate";

describe("Fargate CPU/memory pairs (standards/fargate.ts, from cfn-lint's generated table)", () => {
    it("are AWS's documented pairs: 256 CPU takes 512-2048 MiB, 1024 CPU 2-8 GiB", () => {
        assert.deepEqual(FARGATE_MEMORY_BY_CPU[256], [512, 1024, 2048]);
        assert.deepEqual(FARGATE_MEMORY_BY_CPU[1024], [2048, 3072, 4096, 5120, 6144, 7168, 8192]);
    });
    it("name the allowed values when a pair is invalid", () => {
        assert.equal(fargateSizeProblem(256, 512), undefined);
        assert.match(fargateSizeProblem(256, 4096)!, /memory 4096 MiB is not valid with cpu 256 \(allowed: 512, 1024, 2048 MiB\)/);
        assert.match(fargateSizeProblem(300, 512)!, /cpu 300 is not a Fargate CPU value/);
    });
});
