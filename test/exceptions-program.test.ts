import { strict as assert } from "assert";
import { stackPlan } from "../offline/testing";
import { toPolicyResources } from "../offline/policy-runner";
import { listSuppressions } from "../policy/lib/exceptions";

// The whole-program half of policy/exceptions.test.ts (which holds the pack's unit cases and stays fast).
describe("compliance exceptions in the real program", () => {
    it("the real program excepts exactly the ALB log bucket (SSE-S3) and the permissions boundary, each with its reason and owner", async function () {
        this.timeout(120000);
        const plan = await stackPlan("prod-eu");
        const list = listSuppressions(toPolicyResources(plan.run.resources)).map((s) => `${s.policy} ${s.urn.split("::").pop()} ${s.owner}`);
        // The SPA bucket is private and SSE-KMS (served through the Worker), so it needs no exception any more.
        assert.deepEqual(list.sort(), ["iam-least-privilege role-boundary platform-engineering", "s3-sse-kms alb-logs platform-engineering"]);
        assert.equal(plan.violations.filter((v) => v.policy === "s3-sse-kms" || v.policy === "compliance-exceptions").length, 0);
    });
});
