import * as pulumi from "@pulumi/pulumi";

/**
 * IAM policy documents of the identity layer as plain functions (testable without the runtime, readable by the
 * policy pack in a preview because they depend only on names and the account id).
 */

/** Actions a user without MFA may still call: exactly what it takes to sign in, set a password and enrol a device. */
export const MFA_SELF_SERVICE_ACTIONS = [
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices",
    "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:ChangePassword", "iam:GetAccountPasswordPolicy",
];

/**
 * AWS's documented "MFA-authenticated IAM users manage their own MFA device" policy: users may manage their own
 * password and MFA device; everything else is denied while `aws:MultiFactorAuthPresent` is false or missing
 * (BoolIfExists: long-term access keys carry no MFA context, so they are denied too).
 */
export function mfaRequiredPolicy(): string {
    // A user's ARN carries its path (user/humans/alice): match the user at the root path and under any path, and no
    // one else (a single `user/*${aws:username}` would also match user "malice" for "alice").
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns (read 2026-12-03)
    const self = ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:user/*/${aws:username}"];
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AllowViewAccountInfo", Effect: "Allow", Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], Resource: "*" },
            { Sid: "AllowManageOwnPasswords", Effect: "Allow", Action: ["iam:ChangePassword", "iam:GetUser"], Resource: self },
            { Sid: "AllowManageOwnVirtualMFADevice", Effect: "Allow", Action: ["iam:CreateVirtualMFADevice"], Resource: "arn:aws:iam::*:mfa/*" },
            {
                Sid: "AllowManageOwnUserMFA", Effect: "Allow",
                Action: ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"], Resource: self,
            },
            {
                Sid: "DenyAllExceptListedIfNoMFA", Effect: "Deny", NotAction: MFA_SELF_SERVICE_ACTIONS, Resource: "*",
                Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
            },
        ],
    });
}

/**
 * Developers: read ECS, ECR and CloudWatch (logs, metrics, alarms) in this region, and open Session Manager sessions
 * to the bastion only (selected by its Name tag), including port forwarding to the database. No write access to
 * infrastructure; changes go through the pipeline.
 */
export function developerPolicy(region: string, accountId: pulumi.Input<string>, bastionName: string): pulumi.Output<string> {
    const arn = (service: string, resource: string) => pulumi.interpolate`arn:aws:${service}:${region}:${accountId}:${resource}`;
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                // List/Describe calls of these services do not support resource-level permissions: AWS requires "*".
                Sid: "ReadWithoutResourceLevelPermissions", Effect: "Allow", Resource: "*",
                Action: ["ecs:ListClusters", "ecs:ListServices", "ecs:ListTasks", "ecs:ListTaskDefinitions", "ecs:DescribeTaskDefinition",
                    "ecr:DescribeRepositories", "ecr:GetAuthorizationToken", "logs:DescribeLogGroups", "cloudwatch:GetMetricData",
                    "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarms", "cloudwatch:ListDashboards", "ssm:DescribeInstanceInformation",
                    "ssm:DescribeSessions", "ssm:GetConnectionStatus", "ec2:DescribeInstances"],
            },
            { Sid: "EcsRead", Effect: "Allow", Action: ["ecs:Describe*", "ecs:List*"], Resource: arn("ecs", "*") },
            {
                Sid: "EcrRead", Effect: "Allow",
                Action: ["ecr:DescribeImages", "ecr:ListImages", "ecr:DescribeImageScanFindings", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: arn("ecr", "repository/*"),
            },
            {
                Sid: "LogsRead", Effect: "Allow",
                Action: ["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery", "logs:StopQuery", "logs:GetQueryResults",
                    "logs:GetLogRecord"],
                Resource: arn("logs", "log-group:*"),
            },
            {
                Sid: "DashboardsRead", Effect: "Allow", Action: ["cloudwatch:GetDashboard"],
                Resource: pulumi.interpolate`arn:aws:cloudwatch::${accountId}:dashboard/*`,
            },
            {
                Sid: "SessionToBastionOnly", Effect: "Allow", Action: "ssm:StartSession", Resource: arn("ec2", "instance/*"),
                Condition: { StringEquals: { "ssm:resourceTag/Name": bastionName } },
            },
            {
                Sid: "SessionDocuments", Effect: "Allow", Action: "ssm:StartSession",
                Resource: [`arn:aws:ssm:${region}::document/AWS-StartPortForwardingSessionToRemoteHost`, arn("ssm", "document/SSM-SessionManagerRunShell")],
            },
            {
                Sid: "OwnSessionsOnly", Effect: "Allow", Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
                Resource: arn("ssm", "session/${aws:username}-*"),
            },
        ],
    });
}

/** Trust for the break-glass role: IAM users of this account only, with MFA used within the last hour. */
export function breakGlassTrustPolicy(accountId: pulumi.Input<string>, maxMfaAgeSeconds: number): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "AccountUsersWithRecentMfa", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:aws:iam::${accountId}:root` }, Action: "sts:AssumeRole",
            Condition: {
                Bool: { "aws:MultiFactorAuthPresent": "true" },
                NumericLessThan: { "aws:MultiFactorAuthAge": String(maxMfaAgeSeconds) },
                // Humans only: roles (the deploy role, workloads) never get MFA context, this makes the intent explicit.
                ArnLike: { "aws:PrincipalArn": pulumi.interpolate`arn:aws:iam::${accountId}:user/*` },
            },
        }],
    });
}

/** The GitHub Actions OIDC issuer (host and path, as IAM condition keys use it). */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** Trust for a GitHub Actions role: only jobs of `repository` running in GitHub environment `environment`. */
export function githubTrustPolicy(providerArn: pulumi.Input<string>, repository: string, environment: string): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "GithubEnvironmentOnly", Effect: "Allow", Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
                    [`${GITHUB_OIDC_HOST}:sub`]: `repo:${repository}:environment:${environment}`,
                },
            },
        }],
    });
}

/**
 * Trust for a workload's deploy or preview role in the shared-services topology: exactly one hub role of the
 * shared-services account, which GitHub Actions assumed through OIDC first (role chaining). sts:TagSession lets
 * aws-actions/configure-aws-credentials pass its session tags (Repository, Workflow, Actor, Commit...) on the chained
 * AssumeRole, so CloudTrail in the workload account names the run.
 * https://github.com/aws-actions/configure-aws-credentials#session-tagging-and-name (read 2026-12-03);
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_permissions-required
 */
export function hubTrustPolicy(hubRoleArn: string, externalId: string): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "SharedServicesHubRoleOnly", Effect: "Allow", Principal: { AWS: hubRoleArn }, Action: ["sts:AssumeRole", "sts:TagSession"],
            // The pack's iam-trust-policies requires sts:ExternalId on trust in another account. Within one organisation
            // the exact hub role ARN is the real pin; the id names the intended target role (the workflows pass it).
            Condition: { StringEquals: { "sts:ExternalId": externalId } },
        }],
    });
}

/** AWS managed policies broad enough to grant IAM or everything; the deploy role never attaches them to a role. */
const BROAD_MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/*FullAccess",
];

/** What bounds the deploy role's IAM powers (all names; the ARNs are built from them). */
export interface DeployIamBounds {
    /** ARN of the permissions boundary every role it creates or changes must carry (RoleBoundary). */
    boundaryPolicyArn: pulumi.Input<string>;
    /** Roles it may not change at all: itself, the preview role, the break-glass role (administrator-managed). */
    protectedRoleNames: string[];
    /** Customer policies it may not rewrite: the boundary and its own IAM policy. */
    protectedPolicyNames: string[];
    /** The human admins group: the one group PowerUserAccess may be attached to (HumanAccess). */
    adminsGroupName: string;
    /** The account's GitHub OIDC provider is the stack's to manage (single-account); false when the hub holds it. */
    manageGithubOidcProvider?: boolean;
}

/**
 * What a Pulumi deploy needs beyond PowerUserAccess (which excludes IAM): managing the stack's own roles, policies,
 * instance profiles and groups (all named `<prefix>-*`; groups under `/humans/`), the account password policy and the
 * GitHub OIDC provider, and passing the stack's roles to services. It cannot escalate: every role it creates or
 * changes must carry the stack's permissions boundary (which denies IAM writes), it cannot remove a boundary, cannot
 * touch the deploy, preview and break-glass roles or rewrite the boundary and its own policy (administrators do that,
 * see README "Identity"), and cannot attach AdministratorAccess, PowerUserAccess or any *FullAccess policy to a role
 * (PowerUserAccess only to the admins group).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (delegation example; read 2026-12-03)
 */
export function deployIamPolicy(accountId: pulumi.Input<string>, namePrefix: string, bounds: DeployIamBounds): pulumi.Output<string> {
    const iam = (resource: string) => pulumi.interpolate`arn:aws:iam::${accountId}:${resource}`;
    const withBoundary = { StringEquals: { "iam:PermissionsBoundary": bounds.boundaryPolicyArn } };
    const powerUser = "arn:aws:iam::aws:policy/PowerUserAccess";
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            // IAM read calls (Get/List) are harmless and many (ListRoles, GetAccountPasswordPolicy) have no resource scope.
            { Sid: "IamRead", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
            {
                Sid: "ManageStackRoles", Effect: "Allow", Resource: iam(`role/${namePrefix}-*`),
                Action: ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:UntagRole",
                    "iam:PassRole"],
            },
            {
                // These actions support iam:PermissionsBoundary: a role is created or given permissions only with the boundary.
                Sid: "ChangeStackRolesOnlyWithinBoundary", Effect: "Allow", Resource: iam(`role/${namePrefix}-*`), Condition: withBoundary,
                Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy",
                    "iam:DetachRolePolicy"],
            },
            {
                Sid: "ManageStackPolicies", Effect: "Allow", Resource: iam(`policy/${namePrefix}-*`),
                Action: ["iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion",
                    "iam:TagPolicy", "iam:UntagPolicy"],
            },
            {
                Sid: "ManageStackInstanceProfiles", Effect: "Allow", Resource: iam(`instance-profile/${namePrefix}-*`),
                Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile",
                    "iam:TagInstanceProfile", "iam:UntagInstanceProfile"],
            },
            {
                // HumanAccess creates the groups under the /humans/ path; a group's ARN carries its path.
                Sid: "ManageStackGroups", Effect: "Allow", Resource: [iam(`group/${namePrefix}-*`), iam(`group/humans/${namePrefix}-*`)],
                // No PutGroupPolicy: HumanAccess attaches managed policies only; an inline group policy is not reviewable here.
                Action: ["iam:CreateGroup", "iam:DeleteGroup", "iam:UpdateGroup", "iam:DeleteGroupPolicy", "iam:AttachGroupPolicy", "iam:DetachGroupPolicy"],
            },
            ...(bounds.manageGithubOidcProvider === false ? [] : [{
                Sid: "ManageGithubOidcProvider", Effect: "Allow", Resource: iam(`oidc-provider/${GITHUB_OIDC_HOST}`),
                Action: ["iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:UpdateOpenIDConnectProviderThumbprint",
                    "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider", "iam:TagOpenIDConnectProvider",
                    "iam:UntagOpenIDConnectProvider"],
            }]),
            // The password policy is an account-wide setting without a resource ARN.
            { Sid: "ManagePasswordPolicy", Effect: "Allow", Action: ["iam:UpdateAccountPasswordPolicy", "iam:DeleteAccountPasswordPolicy"], Resource: "*" },
            {
                Sid: "ServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: iam("role/aws-service-role/*"),
                Condition: { StringLike: { "iam:AWSServiceName": ["*.amazonaws.com"] } },
            },
            {
                Sid: "DenyWritesOnIdentityRoles", Effect: "Deny", Resource: bounds.protectedRoleNames.map((n) => iam(`role/${n}`)),
                Action: ["iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
                    "iam:DeleteRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole"],
            },
            { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: "*" },
            {
                Sid: "DenyRewritingBoundaryAndDeployPolicy", Effect: "Deny",
                Resource: [bounds.boundaryPolicyArn, ...bounds.protectedPolicyNames.map((n) => iam(`policy/${n}`))],
                Action: ["iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"],
            },
            {
                Sid: "DenyBroadManagedPolicies", Effect: "Deny", Action: ["iam:AttachRolePolicy", "iam:AttachGroupPolicy"], Resource: "*",
                Condition: { ArnLike: { "iam:PolicyARN": BROAD_MANAGED_POLICIES.filter((p) => p !== powerUser) } },
            },
            {
                Sid: "DenyPowerUserOnRoles", Effect: "Deny", Action: ["iam:AttachRolePolicy"], Resource: "*",
                Condition: { ArnLike: { "iam:PolicyARN": [powerUser] } },
            },
            {
                // The admins group carries PowerUserAccess by design (HUMAN_GROUPS); no other group may.
                Sid: "DenyPowerUserOnOtherGroups", Effect: "Deny", Action: ["iam:AttachGroupPolicy"],
                NotResource: iam(`group/humans/${bounds.adminsGroupName}`),
                Condition: { ArnLike: { "iam:PolicyARN": [powerUser] } },
            },
        ],
    });
}
