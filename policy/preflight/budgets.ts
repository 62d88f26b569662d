import { PolicyResource } from "@pulumi/policy";
import { asList } from "../lib/kit";
import { PreflightPolicy, eachOf, num, ofTypes, parsed } from "./kit";
import { coversAction, serviceStatements } from "./statements";

const BUDGETS = "budgets.amazonaws.com";
const TOPIC = "aws:sns/topic:Topic";

/** The topic policy resources attached to `topic` (by property dependency or by its ARN). */
function topicPolicies(topic: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    return ofTypes(resources, ["aws:sns/topicPolicy:TopicPolicy"]).filter(
        (p) => (p.propertyDependencies.arn ?? []).some((d) => d.urn === topic.urn) || (topic.props.arn !== undefined && p.props.arn === topic.props.arn),
    );
}

/** Why budgets.amazonaws.com could not deliver to `topic`: the topic policy, and the key of an encrypted topic. */
function deliveryProblems(topic: PolicyResource, resources: PolicyResource[]): string[] {
    const problems: string[] = [];
    const policies = topicPolicies(topic, resources);
    if (policies.length && !policies.some((p) => serviceStatements(parsed(p.props.policy), BUDGETS).some((s) => coversAction(s, "sns:Publish")))) {
        problems.push(`alerts go to topic ${topic.name}, whose policy does not let ${BUDGETS} call sns:Publish`);
    }
    const key = (topic.propertyDependencies.kmsMasterKeyId ?? []).find((d) => d.type === "aws:kms/key:Key");
    const lacking = key
        ? ["kms:GenerateDataKey", "kms:Decrypt"].filter((a) => !serviceStatements(parsed(key.props.policy), BUDGETS).some((s) => coversAction(s, a)))
        : [];
    if (key && lacking.length)
        problems.push(`topic ${topic.name} is encrypted with ${key.name}, whose policy does not let ${BUDGETS} call ${lacking.join(", ")}`);
    return problems;
}

export const preflightBudgetShape: PreflightPolicy = {
    name: "preflight-budget-shape",
    description:
        "An AWS Budget has a name, limit, notifications and subscribers AWS Budgets accepts, and its SNS topic lets " +
        "budgets.amazonaws.com publish (and encrypt, when the topic uses a KMS key).",
    enforcementLevel: "mandatory",
    severity: "medium",
    mappings: {}, // deploy validity: no compliance control
    source:
        "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_CreateBudget.html; " +
        "https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html",
    remediationSteps:
        "Name: 1-100 characters without ':' or '\\'. A COST budget needs a positive limitAmount in USD. At most 10 notifications, each with " +
        "a positive threshold and 1-11 subscribers (one SNS topic, up to 10 e-mails). Add budgets.amazonaws.com to the topic policy (sns:Publish) " +
        "and, for an " +
        "encrypted topic, to its key policy (kms:GenerateDataKey*, kms:Decrypt).",
    validateStack: eachOf(["aws:budgets/budget:Budget"], (b, args) => {
        const p = b.props;
        const problems: (string | undefined)[] = [];
        if (typeof p.name === "string" && !/^[^:\\]{1,100}$/.test(p.name)) problems.push(`name "${p.name}" must be 1-100 characters without ":" or "\\"`);
        if (p.budgetType === "COST" && !p.plannedLimits && !p.autoAdjustData) {
            const amount = num(p.limitAmount);
            if (amount === undefined || amount <= 0) problems.push(`a COST budget needs a positive limitAmount, got ${p.limitAmount}`);
            if (p.limitUnit !== "USD") problems.push(`a COST budget's limitUnit is USD, got ${p.limitUnit}`);
        }
        const notifications = asList<any>(p.notifications);
        if (notifications.length > 10) problems.push(`${notifications.length} notifications; a budget holds at most 10`);
        for (const [i, n] of notifications.entries()) {
            const sns = asList<string>(n?.subscriberSnsTopicArns);
            const emails = asList<string>(n?.subscriberEmailAddresses);
            if (sns.length > 1 || emails.length > 10 || sns.length + emails.length === 0) {
                problems.push(
                    `notification ${i + 1} has ${sns.length} SNS and ${emails.length} e-mail subscribers (allowed: 1-11, at most one SNS topic and 10 e-mails)`,
                );
            }
            const threshold = num(n?.threshold);
            if (threshold === undefined || threshold <= 0) problems.push(`notification ${i + 1} needs a positive threshold, got ${n?.threshold}`);
        }
        const topics = (b.propertyDependencies.notifications ?? []).filter((d) => d.type === TOPIC);
        return [...problems, ...topics.flatMap((t) => deliveryProblems(t, args.resources))];
    }),
};
