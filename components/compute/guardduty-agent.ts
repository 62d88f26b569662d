/**
 * The ECR repository each region's GuardDuty Runtime Monitoring sidecar for Fargate (ECS) is pulled from. With
 * `ECS_FARGATE_AGENT_MANAGEMENT` on, GuardDuty adds the sidecar to every task, pulled with the task's execution role;
 * without these ECR permissions the sidecar never starts and the task runs unmonitored ("Unhealthy" coverage).
 *
 * Source: https://docs.aws.amazon.com/guardduty/latest/ug/ecs-runtime-agent-ecr-image-uri.html (listed from
 * runtime-monitoring-ecr-repository-gdu-agent.html), read 2026-12-03. Add a region here before a stack uses it.
 */
export const GUARDDUTY_FARGATE_AGENT_ACCOUNTS: Readonly<Record<string, string>> = {
    "eu-central-1": "323658145986", // Europe (Frankfurt)
    "eu-west-1": "694911143906", // Europe (Ireland): prod-eu's DR region
    "il-central-1": "870907303882", // Israel (Tel Aviv)
};

/** Repository name of the Fargate agent (the same in every region). */
export const GUARDDUTY_FARGATE_AGENT_REPOSITORY = "aws-guardduty-agent-fargate";

/** ARN of the GuardDuty Fargate agent repository of `region`; throws naming the region when the table lacks it. */
export function guardDutyAgentRepositoryArn(region: string): string {
    const account = GUARDDUTY_FARGATE_AGENT_ACCOUNTS[region];
    if (!account) {
        const known = Object.keys(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).join(", ");
        throw new Error(`GuardDuty Fargate agent repository for region ${region} is not known (known: ${known}); `
            + "add it from the GuardDuty user guide (ecs-runtime-agent-ecr-image-uri.html) to components/compute/guardduty-agent.ts");
    }
    return `arn:aws:ecr:${region}:${account}:repository/${GUARDDUTY_FARGATE_AGENT_REPOSITORY}`;
}
