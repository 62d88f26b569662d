import * as pulumi from "@pulumi/pulumi";
import { BreakGlassRole, GITHUB_OIDC_HOST, GithubDeployRoles, HumanAccess, RoleBoundary } from "../../components";
import { PlatformConfig } from "../config";
import { stateBucketName } from "../topology";

/** What the identity layer needs from other layers. */
export interface IdentityInputs {
    /** The account the stack deploys into. */
    accountId: pulumi.Input<string>;
    /** The alerts topic (notifications layer): every assumption of the break-glass role. */
    alertsTopicArn: pulumi.Input<string>;
    /** The stack's permissions boundary (buildRoleBoundary): the deploy role may manage roles only within it. */
    roleBoundary: RoleBoundary;
}

/** What other layers (and the operators) take from the identity layer. */
export interface IdentityOutputs {
    /** Physical group names: admins, developers, read-only. */
    groupNames: Record<"admins" | "developers" | "read-only", pulumi.Output<string>>;
    breakGlassRoleArn: pulumi.Output<string>;
    /** For the observability layer's CloudTrail metric filter on the role's use. */
    breakGlassRoleName: pulumi.Output<string>;
    /** The GitHub environment variable AWS_DEPLOY_ROLE_ARN. */
    deployRoleArn: pulumi.Output<string>;
    /** The GitHub `<stack>-preview` environment variable AWS_PREVIEW_ROLE_ARN. */
    previewRoleArn: pulumi.Output<string>;
    /** The account's GitHub OIDC provider (single-account topology only). */
    oidcProviderArn?: pulumi.Output<string>;
}

/** Sessions of the break-glass and preview roles last at most one hour. */
const SESSION_SECONDS = 3600;
/**
 * Deploy sessions last up to four hours: creating or replacing a Multi-AZ RDS primary, then its replica, proxy and a
 * Multi-AZ ElastiCache group can take well over an hour. The workflows must ask for it (role-duration-seconds: 14400).
 */
const DEPLOY_SESSION_SECONDS = 4 * 3600;

/** The identity roles an administrator manages; the deploy role may not change them and they carry no boundary. */
export function identityRoleNames(cfg: PlatformConfig): string[] {
    return [`${cfg.namePrefix}-github-deploy`, `${cfg.namePrefix}-github-preview`, `${cfg.namePrefix}-break-glass`];
}

/** The stack's permissions boundary; built before any role so every role can wait for it. */
export function buildRoleBoundary(cfg: PlatformConfig, accountId: pulumi.Input<string>, opts: pulumi.ComponentResourceOptions): RoleBoundary {
    return new RoleBoundary("role-boundary", { policyName: `${cfg.namePrefix}-role-boundary`, accountId }, opts);
}

/**
 * Human access (groups with MFA enforced, password policy), the break-glass role and the GitHub Actions roles. No IAM
 * users: people are added to the groups by an administrator, outside the program.
 */
export function buildIdentity(cfg: PlatformConfig, inputs: IdentityInputs, opts: pulumi.ComponentResourceOptions): IdentityOutputs {
    const humans = new HumanAccess("humans", {
        namePrefix: cfg.namePrefix,
        region: cfg.region,
        accountId: inputs.accountId,
        // The SessionManagerBastion's Name tag (components/compute/session-manager-bastion.ts).
        bastionName: `${cfg.namePrefix}-bastion`,
        // A recovery stack shares its account with the source stack, which owns the account's password policy.
        managePasswordPolicy: !cfg.recovery?.sharedAccount,
    }, opts);
    const breakGlassRoleName = `${cfg.namePrefix}-break-glass`;
    const breakGlass = new BreakGlassRole("break-glass", {
        roleName: breakGlassRoleName,
        accountId: inputs.accountId,
        maxSessionSeconds: SESSION_SECONDS,
        alertsTopicArn: inputs.alertsTopicArn,
    }, opts);
    // Shared-services topology: the roles trust the hub roles of the shared account, the state lives in its bucket
    // (each stack under its own prefix), and the stack's secrets stay encrypted with this account's key.
    const topo = cfg.topology;
    const hub = topo.mode === "shared-services" ? {
        trust: {
            kind: "hub" as const,
            deployHubRoleArn: `arn:aws:iam::${topo.accountId}:role/${topo.hubRoleNames.deploy}`,
            previewHubRoleArn: `arn:aws:iam::${topo.accountId}:role/${topo.hubRoleNames.preview}`,
        },
        stateBucketName: topo.stateBucket,
        stateLockPrefix: `.pulumi/locks/${cfg.project}/${cfg.stack}/`,
        // The shared account's state key (shared/): only through S3 in its region, so only for the state objects.
        stateBucketKey: { keyArns: `arn:aws:kms:${topo.region}:${topo.accountId}:key/*`, region: topo.region },
    } : undefined;
    const github = new GithubDeployRoles("github", {
        namePrefix: cfg.namePrefix,
        accountId: inputs.accountId,
        region: cfg.region,
        repository: cfg.cicd.githubRepository,
        deployEnvironment: cfg.cicd.deployEnvironment,
        previewEnvironment: `${cfg.cicd.deployEnvironment}-preview`,
        breakGlassRoleName,
        boundaryPolicyArn: inputs.roleBoundary.arn,
        adminsGroupName: `${cfg.namePrefix}-admins`,
        // bootstrap/index.ts: the state bucket and the secrets-provider key alias of this account and region.
        stateBucketName: hub?.stateBucketName ?? pulumi.output(inputs.accountId).apply((id) => stateBucketName(id, cfg.region)),
        secretsKeyAlias: "alias/pulumi-secrets",
        maxSessionSeconds: SESSION_SECONDS,
        deployMaxSessionSeconds: DEPLOY_SESSION_SECONDS,
        ...(hub ? { trust: hub.trust, stateLockPrefix: hub.stateLockPrefix, stateBucketKey: hub.stateBucketKey } : {}),
        // IAM is global: the source stack's GitHub OIDC provider serves the recovery stack of the same account too.
        ...(cfg.recovery?.sharedAccount?.githubOidcProvider === "source"
            ? { existingOidcProviderArn: pulumi.interpolate`arn:aws:iam::${inputs.accountId}:oidc-provider/${GITHUB_OIDC_HOST}` }
            : {}),
    }, opts);
    return {
        groupNames: humans.groupNames,
        breakGlassRoleArn: breakGlass.roleArn,
        breakGlassRoleName: breakGlass.roleName,
        deployRoleArn: github.deployRoleArn,
        previewRoleArn: github.previewRoleArn,
        oidcProviderArn: github.oidcProviderArn,
    };
}
