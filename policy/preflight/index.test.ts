import { strict as assert } from "assert";
import { stackPlan } from "../../offline/testing";
import { allPolicies } from "../policies";
import { ADVISORY_UNTIL_FIXED, preflightPolicies } from "./index";

describe("the preflight group", () => {
    it("is in the pack, and every rule names the documentation page it rests on", () => {
        for (const p of preflightPolicies) {
            assert.ok(allPolicies.includes(p), p.name);
            assert.match(p.source, /^https:\/\/(docs\.aws\.amazon\.com|developers\.cloudflare\.com)\//, p.name);
            assert.equal(p.enforcementLevel, ADVISORY_UNTIL_FIXED.includes(p.name) ? "advisory" : "mandatory", p.name);
        }
    });

    it("runs advisory exactly the rules today's stacks still fail; every other rule is mandatory and clean on all three stacks", async function () {
        this.timeout(180000);
        const failing = new Set<string>();
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            for (const v of (await stackPlan(stack)).violations.filter((x) => x.policy.startsWith("preflight-"))) failing.add(v.policy);
        }
        // When a fix merges, its rule drops out of `failing`: remove it from ADVISORY_UNTIL_FIXED so it runs mandatory.
        assert.deepEqual([...failing].sort(), [...ADVISORY_UNTIL_FIXED].sort());
    });
});
