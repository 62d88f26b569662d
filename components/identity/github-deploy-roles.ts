import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { GITHUB_OIDC_HOST, deployIamPolicy, githubTrustPolicy, hubTrustPolicy } from "./policy-documents";

/**
 * Who may assume the roles: GitHub Actions directly (single-account installs: this component creates the account's
 * GitHub OIDC provider), or one hub role per kind in the shared-services account (which holds the OIDC provider).
 */
export type GithubRoleTrust =
    | { kind: "github-oidc" }
    | { kind: "hub"; deployHubRoleArn: string; previewHubRoleArn: string };

/** The arguments of GithubDeployRoles: what the caller decides about the CI roles. */
export interface GithubDeployRolesArgs {
    /** Physical name prefix of the roles and policy, e.g. `platform-prod-eu` (roles `<prefix>-github-deploy`, `<prefix>-github-preview`). */
    readonly namePrefix: string;
    /** The account the roles live in. */
    readonly accountId: pulumi.Input<string>;
    /** Region of the stack's Pulumi state bucket and secrets key (see bootstrap/). */
    readonly region: string;
    /** `owner/repository` whose workflows may assume the roles. */
    readonly repository: string;
    /** GitHub environment (with required reviewers in prod) whose jobs may assume the deploy role. */
    readonly deployEnvironment: string;
    /** GitHub environment whose jobs may assume the read-only preview role (pull requests). */
    readonly previewEnvironment: string;
    /** The break-glass role's name: administrator-managed, the deploy role may not change it. */
    readonly breakGlassRoleName: string;
    /** ARN of the permissions boundary (RoleBoundary) every role the deploy role creates or changes must carry. */
    readonly boundaryPolicyArn: pulumi.Input<string>;
    /** Name of the human admins group (HumanAccess): the only group PowerUserAccess may be attached to. */
    readonly adminsGroupName: string;
    /** The Pulumi state bucket (bootstrap/): the preview role may write only its lock objects there. */
    readonly stateBucketName: pulumi.Input<string>;
    /** Alias of the Pulumi secrets-provider key (bootstrap/): the preview role may decrypt with it. */
    readonly secretsKeyAlias: string;
    /** Session length in seconds of the preview role. */
    readonly maxSessionSeconds: number;
    /** Session length in seconds of the deploy role: long enough for a Multi-AZ RDS or ElastiCache create/replace. */
    readonly deployMaxSessionSeconds: number;
    /** GitHub OIDC directly (default) or the shared-services hub roles. */
    readonly trust?: GithubRoleTrust;
    /**
     * Where the stack's state lives when it is not the account's own bucket (shared-services topology): the preview
     * role may take its lock only under `lockPrefix` there.
     */
    readonly stateLockPrefix?: string;
    /**
     * The key that encrypts a state bucket in another account (shared-services topology): the preview role may use it
     * through S3 in that region only, to read state and write its lock. The own account's key is covered above.
     */
    readonly stateBucketKey?: { keyArns: string; region: string };
    /**
     * ARN of the account's GitHub OIDC provider when another stack of the account owns it (IAM allows one provider per
     * URL and account, so a second stack there, e.g. the region-recovery stack, trusts the existing one). Default: create it.
     */
    readonly existingOidcProviderArn?: pulumi.Input<string>;
}

/**
 * GitHub Actions' OIDC identity provider and the two roles the workflows assume: the deploy role, trusted only by jobs
 * of the configured repository running in the configured GitHub environment, with PowerUserAccess plus IAM limited to
 * the stack's own `<prefix>-*` roles, policies, profiles and groups, each role within the stack's permissions boundary
 * (never `*` on `*`, never itself, the preview or the break-glass role); and a read-only preview role for pull requests.
 * Neither trust policy accepts a branch, a pull request or another repository.
 */
export class GithubDeployRoles extends pulumi.ComponentResource {
    /** The account's GitHub OIDC provider; none when the roles trust the shared-services hub roles. */
    public readonly oidcProviderArn?: pulumi.Output<string>;
    public readonly deployRoleArn: pulumi.Output<string>;
    public readonly previewRoleArn: pulumi.Output<string>;

    constructor(name: string, args: GithubDeployRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:GithubDeployRoles", name, {}, opts);
        const child = { parent: this };
        const trust = args.trust ?? { kind: "github-oidc" };
        // IAM validates GitHub's certificate against its own trusted CAs, so no thumbprint is pinned.
        const provider = trust.kind !== "github-oidc"
            ? undefined
            : args.existingOidcProviderArn
              ? { arn: pulumi.output(args.existingOidcProviderArn) }
              : new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: ["sts.amazonaws.com"] }, child);
        const trustPolicy = (kind: "deploy" | "preview", environment: string) => trust.kind === "hub"
            ? hubTrustPolicy(kind === "deploy" ? trust.deployHubRoleArn : trust.previewHubRoleArn, `${args.namePrefix}-github-${kind}`)
            : githubTrustPolicy(provider!.arn, args.repository, environment);

        const role = (suffix: "deploy" | "preview", environment: string, description: string, maxSessionSeconds: number) => {
            const roleName = `${args.namePrefix}-github-${suffix}`;
            if (roleName.length > 64) throw new Error(`GithubDeployRoles ${name}: role name ${roleName} is longer than IAM's 64 characters`);
            return new aws.iam.Role(`${name}-${suffix}`, {
                name: roleName, description, maxSessionDuration: maxSessionSeconds,
                assumeRolePolicy: trustPolicy(suffix, environment),
            }, child);
        };

        // IAM allows 1-12 hours; a prod `up` that creates or replaces the Multi-AZ primary, replica, proxy and Redis can
        // outlast one hour. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (MaxSessionDuration)
        const deploy = role("deploy", args.deployEnvironment, `pulumi up from ${args.repository} in GitHub environment ${args.deployEnvironment}`,
            args.deployMaxSessionSeconds);
        new aws.iam.RolePolicyAttachment(`${name}-deploy-power-user`, { role: deploy.name, policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, child);
        const deployIamName = `${args.namePrefix}-github-deploy-iam`;
        const deployIam = new aws.iam.Policy(`${name}-deploy-iam`, {
            name: deployIamName,
            description: "IAM management limited to the stack's own roles, policies, instance profiles and groups",
            policy: deployIamPolicy(args.accountId, args.namePrefix, {
                boundaryPolicyArn: args.boundaryPolicyArn,
                protectedRoleNames: [`${args.namePrefix}-github-deploy`, `${args.namePrefix}-github-preview`, args.breakGlassRoleName],
                protectedPolicyNames: [deployIamName],
                adminsGroupName: args.adminsGroupName,
                manageGithubOidcProvider: trust.kind === "github-oidc",
            }),
        }, child);
        new aws.iam.RolePolicyAttachment(`${name}-deploy-iam`, { role: deploy.name, policyArn: deployIam.arn }, child);

        const preview = role("preview", args.previewEnvironment, `pulumi preview from ${args.repository} in GitHub environment ${args.previewEnvironment}`,
            args.maxSessionSeconds);
        new aws.iam.RolePolicyAttachment(`${name}-preview-read-only`, { role: preview.name, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, child);
        new aws.iam.RolePolicy(`${name}-preview-state`, {
            role: preview.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    // `pulumi preview` takes the stack lock (an object under .pulumi/locks/) and removes it afterwards.
                    {
                        Sid: "StateLock", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"],
                        Resource: pulumi.interpolate`arn:aws:s3:::${args.stateBucketName}/${args.stateLockPrefix ?? ".pulumi/locks/"}*`,
                    },
                    // The secrets-provider key also encrypts the state bucket (bootstrap/): reading state and writing the lock need it.
                    {
                        Sid: "StackSecretsAndStateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: pulumi.interpolate`arn:aws:kms:${args.region}:${args.accountId}:key/*`,
                        Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": args.secretsKeyAlias } },
                    },
                    ...(args.stateBucketKey ? [{
                        Sid: "SharedStateBucketKeyThroughS3", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                        Resource: args.stateBucketKey.keyArns,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${args.stateBucketKey.region}.amazonaws.com` } },
                    }] : []),
                ],
            }),
        }, child);

        this.oidcProviderArn = provider?.arn;
        this.deployRoleArn = deploy.arn;
        this.previewRoleArn = preview.arn;
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn });
    }
}
