import { strict as assert } from "assert";
import { stackPlan, stackRecord } from "../offline/testing";
import { rawConfigOf } from "./fixtures/raw-config";

const STACKS = ["dev", "prod-eu", "prod-il"];
const statements = (policy: unknown): any[] => JSON.parse(String(policy)).Statement;
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).map(String);

describe("cost guardrails (the stack's AWS Budget)", () => {
    for (const stack of STACKS) {
        it(`${stack}: the budget is the plan's estimate plus the configured headroom, rounded up to $10 (not stale)`, async () => {
            const { cost } = await stackPlan(stack);
            const cfg = (rawConfigOf(stack) as any).cost;
            const sized = Math.ceil((cost.monthly * (1 + cfg.budgetHeadroomPercent / 100)) / 10) * 10;
            assert.equal(
                cfg.monthlyBudgetUsd,
                sized,
                `set platform:cost.monthlyBudgetUsd to ${sized} (estimate $${cost.monthly} + ${cfg.budgetHeadroomPercent}%)`,
            );
        });
    }

    it("alerts go to the alerts topic, whose policy lets budgets.amazonaws.com publish and whose key lets it encrypt", async () => {
        for (const stack of STACKS) {
            const rec = await stackRecord(stack);
            const budget = rec.one("aws:budgets/budget:Budget", "cost-budget");
            const topic = rec.one("aws:sns/topic:Topic", "alerts");
            assert.ok(budget.propertyDependencies.notifications.includes(topic.urn), `${stack}: budget notifies the alerts topic`);
            const types = rec.inputsOf(budget).notifications.map((n: any) => n.notificationType);
            assert.ok(types.includes("ACTUAL") && types.includes("FORECASTED"), stack);

            const policy = rec.ofType("aws:sns/topicPolicy:TopicPolicy").find((p) => p.propertyDependencies.arn?.includes(topic.urn))!;
            const publish = statements(rec.inputsOf(policy).policy).filter(
                (s) =>
                    s.Effect === "Allow" &&
                    list(s.Principal?.Service).includes("budgets.amazonaws.com") &&
                    list(s.Action).some((a) => /^sns:Publish$/i.test(a)),
            );
            assert.equal(publish.length, 1, `${stack}: topic policy admits budgets.amazonaws.com`);

            const keyUrn = topic.propertyDependencies.kmsMasterKeyId[0];
            const key = rec.resources.find((r) => r.urn === keyUrn)!;
            const grant = statements(rec.inputsOf(key).policy).find(
                (s) => s.Effect === "Allow" && list(s.Principal?.Service).includes("budgets.amazonaws.com"),
            );
            assert.ok(grant, `${stack}: the alerts key admits budgets.amazonaws.com`);
            for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
                assert.ok(
                    list(grant.Action).some((a) => new RegExp(`^${a.replace("*", ".*")}$`).test(action)),
                    `${stack}: ${action}`,
                );
            }
        }
    });

    it("exports the tag keys to activate, and activates none in a member account", async () => {
        const plan = await stackPlan("prod-eu");
        const out = plan.run.outputs.costGuardrails as any;
        assert.deepEqual(out.costAllocationTagKeys, [
            "cost-center",
            "data-classification",
            "environment",
            "managed-by",
            "owner",
            "project",
            "service",
            "stack",
        ]);
        assert.equal(out.costAllocationTagsActivatedHere, false);
        assert.equal((await stackRecord("prod-eu")).ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").length, 0);
    });
});
