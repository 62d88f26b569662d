import * as assert from "assert";
import { ConfigError } from "../../stacks/validate";
import { USAGE_DEFAULTS, costContextOfStack, parseUsage } from "./usage";

describe("usage assumptions (platform:usage)", () => {
    it("are the documented defaults when the stack sets none", () => {
        assert.deepStrictEqual(parseUsage(undefined), USAGE_DEFAULTS);
    });

    it("merge a stack's overrides key by key over the defaults", () => {
        const u = parseUsage({ natProcessedGb: 300, logIngestGb: { "/ecs/": 20 }, s3Gb: { evidence: { deepArchive: 7 } } });
        assert.strictEqual(u.natProcessedGb, 300);
        assert.deepStrictEqual(u.logIngestGb, { ...USAGE_DEFAULTS.logIngestGb, "/ecs/": 20 });
        assert.deepStrictEqual(u.s3Gb.evidence, { ...USAGE_DEFAULTS.s3Gb.evidence, deepArchive: 7 });
        assert.strictEqual(u.interfaceEndpointGb, USAGE_DEFAULTS.interfaceEndpointGb);
    });

    it("reject an unknown key, a negative figure and a Spot factor above 1, naming the key", () => {
        assert.throws(
            () => parseUsage({ natGb: 1 }),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:usage.natGb",
        );
        assert.throws(
            () => parseUsage({ natProcessedGb: -1 }),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:usage.natProcessedGb",
        );
        assert.throws(
            () => parseUsage({ fargateSpotPriceFactor: 2 }),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:usage.fargateSpotPriceFactor",
        );
        assert.throws(
            () => parseUsage({ s3Gb: { evidence: { glacier: 1 } } }),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:usage.s3Gb.evidence.glacier",
        );
        assert.throws(
            () => parseUsage("lots"),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:usage",
        );
    });

    it("are read per stack from the stack file", () => {
        assert.strictEqual(costContextOfStack("dev").usage.natProcessedGb, 30);
        assert.strictEqual(costContextOfStack("prod-il").region, "il-central-1");
    });
});
