import { strict as assert } from "assert";
import { analyzerInfo } from "./analyzer/client";
import { allPolicies } from "../policy/policies";
import { planJson, planStack, planText } from "./plan";
import { runPolicies } from "./policy-runner";

const FIXTURE = "test/fixtures/preview-unknowns.program.ts";

describe("offline engine: the real @pulumi/policy analyzer", () => {
    it("serves the project's pack over the analyzer protocol (GetAnalyzerInfo)", async () => {
        const info = await analyzerInfo();
        assert.equal(info.name, "platform-baseline");
        assert.equal(info.supportsConfig, true);
        assert.deepEqual(info.policies.map((p) => p.name).sort(), allPolicies.map((p) => p.name).sort());
    });

    it("reports a policy that reads an unknown at preview as 'could not decide', and decides it after up", async () => {
        const preview = await planStack({ stack: "dev", program: FIXTURE, preview: true });
        const undecided = preview.undecided.filter((u) => u.policy === "required-tags");
        assert.equal(undecided.length, 1, JSON.stringify(preview.undecided));
        assert.match(undecided[0].urn ?? "", /fixture-logs$/);
        assert.ok(!preview.violations.some((v) => v.policy === "required-tags" && /fixture-logs$/.test(v.urn ?? "")), "an undecided policy is not a violation");
        const doc = planJson(preview) as any;
        assert.ok(doc.policies.undecided.some((u: any) => u.policy === "required-tags"));
        assert.equal(doc.policies.undecidedCount, preview.undecided.length);
        assert.match(planText(preview), /could not decide at preview: \d+/);

        const update = await planStack({ stack: "dev", program: FIXTURE });
        assert.equal(update.undecided.length, 0);
    });

    it("gives a subset of the pack on a planned run the verdicts a fresh analysis of that subset gives", async () => {
        // runPolicies reuses the plan's whole-pack verdicts for the same run (filtered); a copy of the run is analyzed afresh.
        const plan = await planStack({ stack: "dev", program: "test/fixtures/insecure-bucket.program.ts" });
        const subset = allPolicies.filter((p) => p.name === "required-tags" || p.name === "s3-sse-kms");
        const reused = await runPolicies(subset, plan.run.resources);
        const fresh = await runPolicies(subset, [...plan.run.resources]);
        assert.deepEqual(reused, fresh);
        assert.deepEqual([...new Set(fresh.map((v) => v.policy))].sort(), ["required-tags", "s3-sse-kms"], "both policies fail the bucket");
    });

    it("hands a resource policy the default provider and analyzes every registered resource", async () => {
        const plan = await planStack({ stack: "dev", program: "test/fixtures/insecure-bucket.program.ts" });
        assert.ok(plan.violations.some((v) => v.policy === "s3-sse-kms"));
        assert.ok(plan.analyzed.resources >= 2, "Analyze ran for each registered resource");
        assert.ok(plan.analyzed.providers.includes("urn:pulumi:dev::platform::pulumi:providers:aws::default_7_48_0"));
    });

    it("applies an `all` level from the pack config to every policy, under each policy's own entry", async () => {
        const packConfig = { all: "advisory", "s3-sse-kms": "mandatory" };
        const plan = await planStack({ stack: "dev", program: "test/fixtures/insecure-bucket.program.ts", packConfig });
        const levels = new Map(plan.violations.map((v) => [v.policy, v.enforcementLevel]));
        assert.equal(levels.get("required-tags"), "advisory");
        assert.equal(levels.get("s3-sse-kms"), "mandatory");
    });
});
