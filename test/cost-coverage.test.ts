import * as assert from "assert";
import { stackPlan } from "../offline/testing";

describe("cost coverage of the real stacks", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        it(`${stack}: every resource the program creates is priced (billable or known free), none unpriced`, async () => {
            const plan = await stackPlan(stack);
            const unpriced = plan.cost.unpriced.map((u) => `${u.type} ${u.name}: ${u.reason}`);
            assert.deepStrictEqual(unpriced, [], `add a price rule / price entry or a free type in offline/cost/ for:\n${unpriced.join("\n")}`);
            const custom = plan.run.resources.filter((r) => r.custom).length;
            assert.strictEqual(plan.cost.items.length, custom, "one line item per custom resource");
            assert.ok(plan.cost.monthly > 0, "a stack costs something");
        });
    }
});
