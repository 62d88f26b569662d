import * as pulumi from "@pulumi/pulumi";
import { StackBudget } from "../../components";
import { PlatformConfig } from "../config";

export interface CostInputs {
    /** The alerts topic (its policy admits budgets.amazonaws.com; the alerts key admits it for the topic's data keys). */
    alertsTopicArn: pulumi.Input<string>;
}

export interface CostOutputs {
    budgetName: pulumi.Output<string>;
    monthlyBudgetUsd: number;
    /** The tag keys the program applies: activated here (`activate`) or by the management account. */
    costAllocationTagKeys: string[];
    costAllocationTagsActivatedHere: boolean;
}

/** Cost guardrails: the account's monthly budget with alerts to the alerts topic, and the cost allocation tags. */
export function buildCost(cfg: PlatformConfig, inputs: CostInputs, opts: pulumi.ComponentResourceOptions): CostOutputs {
    // Every tag key the program puts on resources (stacks/tagging.ts applies cfg.tags to each taggable resource).
    const tagKeys = Object.keys(cfg.tags).sort();
    const here = cfg.cost.costAllocationTags === "activate";
    const budget = new StackBudget(
        "cost-budget",
        {
            budgetName: `${cfg.namePrefix}-monthly`,
            monthlyLimitUsd: cfg.cost.monthlyBudgetUsd,
            actualAlertPercents: cfg.cost.actualAlertPercents,
            forecastedAlertPercent: cfg.cost.forecastedAlertPercent,
            alertsTopicArn: inputs.alertsTopicArn,
            activateCostAllocationTagKeys: here ? tagKeys : [],
        },
        opts,
    );
    return {
        budgetName: budget.budgetName,
        monthlyBudgetUsd: cfg.cost.monthlyBudgetUsd,
        costAllocationTagKeys: tagKeys,
        costAllocationTagsActivatedHere: here,
    };
}
