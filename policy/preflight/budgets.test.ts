import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightBudgetShape } from "./budgets";

const keyPolicy = (services: string[]) =>
    JSON.stringify({
        Statement: services.map((s) => ({
            Effect: "Allow",
            Principal: { Service: s },
            Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resource: "*",
        })),
    });
const topicPolicy = (services: string[]) =>
    JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: services }, Action: "sns:Publish", Resource: "t" }] });

function graph(opts: { publishers?: string[]; keyServices?: string[]; budget?: Record<string, unknown> } = {}) {
    const key = fake("aws:kms/key:Key", "alerts", { policy: keyPolicy(opts.keyServices ?? ["budgets.amazonaws.com"]) });
    const topic = fake("aws:sns/topic:Topic", "alerts", { name: "alerts" }, { kmsMasterKeyId: [key] });
    const policy = fake("aws:sns/topicPolicy:TopicPolicy", "alerts", { policy: topicPolicy(opts.publishers ?? ["budgets.amazonaws.com"]) }, { arn: [topic] });
    const budget = fake(
        "aws:budgets/budget:Budget",
        "budget",
        {
            name: "platform-dev-monthly",
            budgetType: "COST",
            timeUnit: "MONTHLY",
            limitAmount: "340.00",
            limitUnit: "USD",
            notifications: [
                { notificationType: "ACTUAL", threshold: 80, thresholdType: "PERCENTAGE", comparisonOperator: "GREATER_THAN", subscriberSnsTopicArns: ["t"] },
            ],
            ...opts.budget,
        },
        { notifications: [topic] },
    );
    return [key, topic, policy, budget];
}

describe("preflight-budget-shape", () => {
    it("passes a monthly USD budget alerting a topic that admits budgets.amazonaws.com", async () => {
        assert.deepEqual(await violationsOf(preflightBudgetShape, graph()), []);
    });
    it("flags a topic policy or key policy that leaves budgets.amazonaws.com out (the alert would never arrive)", async () => {
        assert.match(
            (await violationsOf(preflightBudgetShape, graph({ publishers: ["cloudwatch.amazonaws.com"] }))).join(),
            /does not let budgets\.amazonaws\.com call sns:Publish/,
        );
        assert.match(
            (await violationsOf(preflightBudgetShape, graph({ keyServices: ["events.amazonaws.com"] }))).join(),
            /encrypted with alerts, whose policy does not let budgets\.amazonaws\.com call kms:GenerateDataKey, kms:Decrypt/,
        );
    });
    it("flags what CreateBudget refuses: a bad name, a non-positive limit or another unit, too many subscribers", async () => {
        const v = (budget: Record<string, unknown>) => violationsOf(preflightBudgetShape, graph({ budget }));
        assert.match((await v({ name: "dev:monthly" })).join(), /1-100 characters without ":"/);
        assert.match((await v({ limitAmount: "0" })).join(), /positive limitAmount/);
        assert.match((await v({ limitUnit: "EUR" })).join(), /limitUnit is USD/);
        assert.match((await v({ notifications: [{ threshold: 80, subscriberSnsTopicArns: ["a", "b"] }] })).join(), /2 SNS and 0 e-mail subscribers/);
    });
});
