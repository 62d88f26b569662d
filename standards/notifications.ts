/**
 * The AWS services that publish to the encrypted alerts topic: the topic's policy lets exactly these publish, and the
 * alerts key's policy lets exactly these use the key (an SNS topic with a CMK needs both,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html, "compatibility with AWS services").
 * budgets.amazonaws.com: AWS Budgets alerts (https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-sns-policy.html).
 */
export const ALERT_PUBLISHERS: readonly string[] = [
    "cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com", "ses.amazonaws.com", "budgets.amazonaws.com",
];
