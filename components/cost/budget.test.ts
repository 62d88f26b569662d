import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { StackBudget, StackBudgetArgs, budgetArgProblems } from "./budget";

const topic = "arn:aws:sns:eu-central-1:111122223333:platform-test-alerts";
const base: StackBudgetArgs = {
    budgetName: "platform-test-monthly",
    monthlyLimitUsd: 340,
    actualAlertPercents: [80, 100],
    forecastedAlertPercent: 100,
    alertsTopicArn: topic,
};

describe("StackBudget", () => {
    it("creates a monthly USD cost budget with an ACTUAL alert per threshold and a FORECASTED alert, all to the topic", async () => {
        const r = await record(() => new StackBudget("cost", base));
        const b = r.inputsOf(r.one("aws:budgets/budget:Budget", "cost"));
        assert.deepEqual([b.budgetType, b.timeUnit, b.limitAmount, b.limitUnit], ["COST", "MONTHLY", "340.00", "USD"]);
        assert.deepEqual(
            b.notifications.map((n: any) => [n.notificationType, n.threshold, n.thresholdType, n.comparisonOperator]),
            [
                ["ACTUAL", 80, "PERCENTAGE", "GREATER_THAN"],
                ["ACTUAL", 100, "PERCENTAGE", "GREATER_THAN"],
                ["FORECASTED", 100, "PERCENTAGE", "GREATER_THAN"],
            ],
        );
        assert.ok(b.notifications.every((n: any) => n.subscriberSnsTopicArns.length === 1 && n.subscriberSnsTopicArns[0] === topic));
        assert.equal(r.ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").length, 0, "no activation unless asked");
    });

    it("activates each given tag key as a cost allocation tag when this account may", async () => {
        const r = await record(() => new StackBudget("cost", { ...base, activateCostAllocationTagKeys: ["environment", "cost-center"] }));
        const tags = r.ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => r.inputsOf(t));
        assert.deepEqual(
            tags.map((t) => [t.tagKey, t.status]),
            [
                ["environment", "Active"],
                ["cost-center", "Active"],
            ],
        );
    });

    it("refuses what AWS Budgets would reject (name characters, limit, thresholds, notification count) before creating anything", async () => {
        assert.deepEqual(budgetArgProblems(base), []);
        assert.match(budgetArgProblems({ ...base, budgetName: "a:b" })[0], /without ":"/);
        assert.match(budgetArgProblems({ ...base, monthlyLimitUsd: 0 })[0], /positive amount/);
        assert.match(budgetArgProblems({ ...base, actualAlertPercents: [0] })[0], /above 0/);
        assert.match(budgetArgProblems({ ...base, actualAlertPercents: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] })[0], /at most 10 notifications/);
        await assert.rejects(
            record(() => new StackBudget("cost", { ...base, monthlyLimitUsd: -5 })),
            /StackBudget cost: monthlyLimitUsd must be a positive amount/,
        );
    });
});
