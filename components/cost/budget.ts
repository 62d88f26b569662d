import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * Shape rules AWS Budgets enforces at create time (CreateBudget / CreateNotification,
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateNotification.html and
 * API_budgets_NotificationWithSubscribers.html, read 2026-12-03): a name of 1-100 characters without ":" or "\";
 * at most 10 notifications per budget; each notification one SNS subscriber and at most 10 e-mail subscribers.
 * The preflight policy `preflight-budget-shape` checks the same rules on any budget in a plan.
 */
export const BUDGET_LIMITS = { nameMax: 100, notificationsMax: 10, emailSubscribersMax: 10, snsSubscribersMax: 1 } as const;
/** The rule AWS Budgets applies to budget names (checked before any resource is registered). */
export const BUDGET_NAME = /^[^:\\]{1,100}$/;

/** The arguments of StackBudget: the monthly limit, the alert thresholds, the topic and the tag keys to activate. */
export interface StackBudgetArgs {
    /** The budget's name, unique in the account (e.g. `platform-prod-eu-monthly`). */
    readonly budgetName: string;
    /** Monthly limit in USD: the stack's estimate plus headroom (the caller sizes it; see docs/cost.md). */
    readonly monthlyLimitUsd: number;
    /** ACTUAL-spend alerts, each a percentage of the limit (e.g. [80, 100]). */
    readonly actualAlertPercents: readonly number[];
    /** FORECASTED-spend alert, a percentage of the limit (e.g. 100): warns before the month ends over budget. */
    readonly forecastedAlertPercent: number;
    /**
     * The alerts topic. Budgets publishes as budgets.amazonaws.com: the topic's policy must allow it sns:Publish and, for
     * a KMS-encrypted topic, the key must let it call kms:GenerateDataKey* and kms:Decrypt; the topic must be in this
     * account (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html, read 2026-12-03).
     */
    readonly alertsTopicArn: pulumi.Input<string>;
    /**
     * Tag keys to activate as cost allocation tags in this account, or none. Only the management account of an
     * organization, or an account outside any organization, may activate them; a tag key must already appear in the
     * billing data (up to 24 hours after resources carry it) or activation fails
     * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/activating-tags.html, read 2026-12-03).
     */
    readonly activateCostAllocationTagKeys?: readonly string[];
}

/**
 * A monthly cost budget for the stack's account with ACTUAL and FORECASTED alerts to the alerts topic, and (where
 * this account may do so) the program's tag keys activated as cost allocation tags, so Cost Explorer and the budget
 * can be broken down by environment, service and cost centre.
 */
export class StackBudget extends pulumi.ComponentResource {
    public readonly budgetName: pulumi.Output<string>;
    /** The tag keys activated here (empty when another account activates them). */
    public readonly activatedTagKeys: string[];

    constructor(name: string, args: StackBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cost:StackBudget", name, {}, opts);
        const problems = budgetArgProblems(args);
        if (problems.length) throw new Error(`StackBudget ${name}: ${problems.join("; ")}`);
        const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
            notificationType,
            threshold,
            thresholdType: "PERCENTAGE",
            comparisonOperator: "GREATER_THAN",
            subscriberSnsTopicArns: [args.alertsTopicArn],
        });
        const budget = new aws.budgets.Budget(
            name,
            {
                name: args.budgetName,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: args.monthlyLimitUsd.toFixed(2),
                limitUnit: "USD",
                notifications: [...args.actualAlertPercents.map((p) => notify("ACTUAL", p)), notify("FORECASTED", args.forecastedAlertPercent)],
            },
            { parent: this },
        );
        const keys = [...(args.activateCostAllocationTagKeys ?? [])];
        for (const key of keys) {
            new aws.costexplorer.CostAllocationTag(
                `${name}-tag-${key.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase()}`,
                {
                    tagKey: key,
                    status: "Active",
                },
                { parent: this },
            );
        }
        this.budgetName = budget.name;
        this.activatedTagKeys = keys;
        this.registerOutputs({ budgetName: this.budgetName, activatedTagKeys: keys });
    }
}

/** What AWS would refuse, or what would never alert, in these arguments; empty when they are sound. */
export function budgetArgProblems(args: Pick<StackBudgetArgs, "budgetName" | "monthlyLimitUsd" | "actualAlertPercents" | "forecastedAlertPercent">): string[] {
    const problems: string[] = [];
    if (!BUDGET_NAME.test(args.budgetName)) problems.push(`budgetName "${args.budgetName}" must be 1-100 characters without ":" or "\\"`);
    if (!(Number.isFinite(args.monthlyLimitUsd) && args.monthlyLimitUsd > 0))
        problems.push(`monthlyLimitUsd must be a positive amount, got ${args.monthlyLimitUsd}`);
    const percents = [...args.actualAlertPercents, args.forecastedAlertPercent];
    if (percents.some((p) => !(Number.isFinite(p) && p > 0 && p <= 1000)))
        problems.push(`alert percentages must be above 0 and at most 1000, got ${percents.join(", ")}`);
    if (new Set(args.actualAlertPercents).size !== args.actualAlertPercents.length) problems.push("actualAlertPercents repeats a threshold");
    if (percents.length > BUDGET_LIMITS.notificationsMax)
        problems.push(`at most ${BUDGET_LIMITS.notificationsMax} notifications per budget, got ${percents.length}`);
    return problems;
}
