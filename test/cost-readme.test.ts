import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { stackPlan } from "../offline/testing";
import { costContextOfStack } from "../offline/cost/usage";
import { parseLevers, whatIf } from "../offline/cost/what-if";

const README = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

/** The rows of the README's lever table: lever -> [prod-eu, prod-il] whole dollars. */
function leverTable(): Map<string, [number, number]> {
    const table = README.slice(README.indexOf("<!-- cost-levers:begin -->"), README.indexOf("<!-- cost-levers:end -->"));
    const rows = new Map<string, [number, number]>();
    for (const m of table.matchAll(/^\| `([^`]+)` \| -?\$([0-9,]+) \| -?\$([0-9,]+) \|/gm)) {
        rows.set(m[1], [Number(m[2].replace(/,/g, "")), Number(m[3].replace(/,/g, ""))]);
    }
    return rows;
}

describe("README cost levers (what-if table)", () => {
    it("states each prod lever's monthly saving as `--what-if` computes it (whole dollars)", async () => {
        const rows = leverTable();
        assert.deepEqual([...rows.keys()], ["savings-plan", "reserved", "spot-workers", "graviton", "replica", "replica=none"]);
        for (const [i, stack] of ["prod-eu", "prod-il"].entries()) {
            const plan = await stackPlan(stack);
            const levers = parseLevers([...rows.keys()].join(","));
            assert.ok(typeof levers !== "string");
            const report = whatIf(plan.run.resources, costContextOfStack(stack), levers);
            assert.equal(report.base, plan.cost.monthly, "the what-if starts from the plan's own estimate");
            for (const row of report.rows) {
                assert.ok(row.delta <= 0, `${stack} ${row.lever} saves or changes nothing`);
                assert.equal(rows.get(row.lever)![i], Math.round(-row.delta) + 0, `${stack} ${row.lever}`);
            }
        }
    });
});
