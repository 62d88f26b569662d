import { strict as assert } from "assert";
import { stackPlan } from "../offline/testing";

/**
 * The three stacks as the first `pulumi preview` of a new stack sees them (computed values unknown, the pack run by
 * @pulumi/policy's own analyzer): every policy decides, and none fails. A policy that read an unknown value would turn
 * into an advisory "can't run during preview" note in a real preview, and a new insecure resource would pass review.
 */
for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`first preview of ${stack}`, () => {
        it("leaves no policy undecided and no mandatory violation", async () => {
            const plan = await stackPlan(stack, { preview: true });
            assert.deepEqual(plan.undecided.map((u) => `${u.policy}: ${u.message}`), []);
            assert.deepEqual(plan.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} @ ${v.urn}: ${v.message}`), []);
        });
    });
}
