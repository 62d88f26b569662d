import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { GITHUB_OIDC_HOST, githubTrustPolicy } from "./policy-documents";

/** One workload environment the hub serves: its GitHub environments and the two roles its hub roles may assume. */
export interface HubEnvironment {
    /** Stack name (dev, prod-eu, ...): names the hub roles' logical names. */
    stack: string;
    /** GitHub environment of `pulumi up` (required reviewers in prod); previews run in `<deployEnvironment>-preview`. */
    deployEnvironment: string;
    /** Physical names of the two hub roles in this (shared-services) account. */
    hubRoleNames: { deploy: string; preview: string };
    /** ARNs of the workload account's deploy and preview roles (the only roles each hub role may assume). */
    targetRoleArns: { deploy: string; preview: string };
}

/** The arguments of GithubHubRoles: the repository and, per environment, the workload roles each hub role may assume. */
export interface GithubHubRolesArgs {
    /** `owner/repository` whose workflows may assume the hub roles. */
    readonly repository: string;
    readonly environments: HubEnvironment[];
    /** Session length of the hub roles in seconds (the OIDC session the chained AssumeRole starts from). */
    readonly maxSessionSeconds: number;
}

/**
 * The shared-services account's GitHub Actions entry point: the account's GitHub OIDC provider and, per workload
 * environment, two hub roles. The deploy hub role is trusted only by jobs of the repository running in the
 * environment's deploy environment and may do nothing but assume (and tag the session of) that environment's deploy
 * role; the preview hub role likewise for the `-preview` environment and the read-only preview role. Two hub roles per
 * environment, not one: a preview job (no reviewers) must never reach the deploy role.
 */
export class GithubHubRoles extends pulumi.ComponentResource {
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Hub role ARNs by stack and kind: the GitHub environment variable AWS_HUB_ROLE_ARN. */
    public readonly hubRoleArns: Record<string, { deploy: pulumi.Output<string>; preview: pulumi.Output<string> }>;

    constructor(name: string, args: GithubHubRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:GithubHubRoles", name, {}, opts);
        const child = { parent: this };
        const stacks = args.environments.map((e) => e.stack);
        if (new Set(stacks).size !== stacks.length) throw new Error(`GithubHubRoles ${name}: environments repeat a stack (${stacks.join(", ")})`);
        // IAM validates GitHub's certificate against its own trusted CAs, so no thumbprint is pinned.
        const provider = new aws.iam.OpenIdConnectProvider(
            `${name}-oidc`,
            {
                url: `https://${GITHUB_OIDC_HOST}`,
                clientIdLists: ["sts.amazonaws.com"],
            },
            child,
        );

        this.hubRoleArns = {};
        for (const env of args.environments) {
            const arns = {} as { deploy: pulumi.Output<string>; preview: pulumi.Output<string> };
            for (const kind of ["deploy", "preview"] as const) {
                const roleName = env.hubRoleNames[kind];
                if (roleName.length > 64) throw new Error(`GithubHubRoles ${name}: role name ${roleName} is longer than IAM's 64 characters`);
                const githubEnvironment = kind === "deploy" ? env.deployEnvironment : `${env.deployEnvironment}-preview`;
                const role = new aws.iam.Role(
                    `${name}-${env.stack}-${kind}`,
                    {
                        name: roleName,
                        description: `GitHub Actions (${args.repository}, environment ${githubEnvironment}) -> ${kind} role of ${env.stack}; nothing else`,
                        maxSessionDuration: args.maxSessionSeconds,
                        assumeRolePolicy: githubTrustPolicy(provider.arn, args.repository, githubEnvironment),
                    },
                    child,
                );
                // Only the one role; TagSession for the session tags configure-aws-credentials passes when it chains.
                new aws.iam.RolePolicy(
                    `${name}-${env.stack}-${kind}`,
                    {
                        role: role.id,
                        name: "assume-workload-role",
                        policy: JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Sid: `Assume${kind === "deploy" ? "Deploy" : "Preview"}RoleOnly`,
                                    Effect: "Allow",
                                    Action: ["sts:AssumeRole", "sts:TagSession"],
                                    Resource: env.targetRoleArns[kind],
                                },
                            ],
                        }),
                    },
                    child,
                );
                arns[kind] = role.arn;
            }
            this.hubRoleArns[env.stack] = arns;
        }
        this.oidcProviderArn = provider.arn;
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, hubRoleArns: this.hubRoleArns });
    }
}
