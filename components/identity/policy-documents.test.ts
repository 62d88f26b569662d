import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { allowing } from "../../test/invariants/program";
import {
    GITHUB_OIDC_HOST, MFA_SELF_SERVICE_ACTIONS, breakGlassTrustPolicy, deployIamPolicy, developerPolicy, githubTrustPolicy, mfaRequiredPolicy,
} from "./policy-documents";

const ACCOUNT = "111122223333";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const doc = (json: pulumi.Output<string>): Promise<any> => new Promise((resolve) => json.apply((text) => resolve(JSON.parse(text))));
const actionsOf = (statements: any[]) => statements.filter((s) => s.Effect === "Allow").flatMap((s) => [s.Action].flat());

/** IAM rejects (or silently narrows) documents with empty Sids, unknown effects or empty action lists. */
function assertWellFormed(document: any): void {
    assert.equal(document.Version, "2012-10-17");
    const sids = document.Statement.map((s: any) => s.Sid);
    assert.equal(new Set(sids).size, sids.length, "unique Sids");
    for (const s of document.Statement) {
        assert.match(String(s.Sid), /^[A-Za-z0-9]+$/, "Sid is alphanumeric and not empty");
        assert.ok(["Allow", "Deny"].includes(s.Effect), `${s.Sid}: Effect ${s.Effect}`);
        const actions = [s.Action ?? s.NotAction].flat();
        assert.ok(actions.length > 0 && actions.every((a: string) => /^[a-z0-9-]+:[A-Za-z*]+$/.test(a)), `${s.Sid}: actions ${JSON.stringify(actions)}`);
        const resources = [s.Resource ?? s.NotResource].flat();
        assert.ok(resources.length > 0 && resources.every((r: string) => r === "*" || /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9*]*:.+/.test(r)),
            `${s.Sid}: resource ${JSON.stringify(resources)}`);
    }
}

describe("identity policy documents", () => {
    it("MFA policy: without MFA, everything but enrolling a device and changing one's password is denied", () => {
        // AWS's documented self-service policy:
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html
        assertWellFormed(JSON.parse(mfaRequiredPolicy()));
        const { Version, Statement } = JSON.parse(mfaRequiredPolicy());
        assert.equal(Version, "2012-10-17");
        const deny = Statement.find((s: any) => s.Effect === "Deny");
        assert.deepEqual(deny, {
            Sid: "DenyAllExceptListedIfNoMFA", Effect: "Deny", NotAction: MFA_SELF_SERVICE_ACTIONS, Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        });
        assert.deepEqual([...MFA_SELF_SERVICE_ACTIONS].sort(), [
            "iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetAccountPasswordPolicy", "iam:GetMFADevice", "iam:GetUser",
            "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken",
        ]);
        // The user's own ARN at the root path or under any path (users created with path /humans/), never a name suffix.
        const self = ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:user/*/${aws:username}"];
        for (const s of Statement.filter((x: any) => x.Effect === "Allow")) {
            const own = JSON.stringify(s.Resource) === JSON.stringify(self);
            assert.ok(own || ["*", "arn:aws:iam::*:mfa/*"].includes(s.Resource), `${s.Sid} reaches beyond the user's own credentials`);
            if (s.Resource === "*") assert.deepEqual(s.Action, ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"]);
        }
        assert.deepEqual(actionsOf(Statement).sort(), ["iam:ChangePassword", "iam:CreateVirtualMFADevice", "iam:DeactivateMFADevice", "iam:EnableMFADevice",
            "iam:GetAccountPasswordPolicy", "iam:GetMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice"]);
        assert.equal(new Set(Statement.map((s: any) => s.Sid)).size, Statement.length);
    });

    it("developer policy: reads in this region and account, and sessions to the bastion only", async () => {
        const developer = await doc(developerPolicy("eu-central-1", ACCOUNT, "platform-dev-bastion"));
        assertWellFormed(developer);
        const { Version, Statement } = developer;
        assert.equal(Version, "2012-10-17");
        // What a developer needs to see a deployment and reach the database through the bastion.
        const needs: [string, string][] = [["ecs:ListClusters", "*"], ["ecs:DescribeServices", `arn:aws:ecs:eu-central-1:${ACCOUNT}:*`],
            ["ecr:DescribeImages", `arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/*`],
            ["logs:GetLogEvents", `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:*`],
            ["logs:DescribeLogGroups", "*"], ["cloudwatch:GetMetricData", "*"], ["cloudwatch:DescribeAlarms", "*"], ["ssm:DescribeSessions", "*"],
            ["cloudwatch:GetDashboard", `arn:aws:cloudwatch::${ACCOUNT}:dashboard/*`], ["ec2:DescribeInstances", "*"]];
        for (const [action, resource] of needs) {
            assert.ok(allowing(Statement, action).some((s: any) => s.Resource === resource), `developers cannot ${action} on ${resource}`);
        }
        const reads = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Filter|StartQuery|StopQuery)[A-Za-z]*\*?$/;
        const sessions = ["ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession"];
        assert.deepEqual(actionsOf(Statement).filter((a: string) => !reads.test(a) && !sessions.includes(a)), []);
        for (const s of Statement.filter((x: any) => x.Resource !== "*")) {
            for (const r of [s.Resource].flat()) assert.match(r, /^arn:aws:[a-z0-9]+:(eu-central-1)?:(111122223333)?:/, `${s.Sid}: ${r}`);
        }
        const start = allowing(Statement, "ssm:StartSession");
        const onInstances = start.filter((s: any) => String(s.Resource).includes(":instance/"));
        assert.deepEqual(onInstances.map((s: any) => [s.Resource, s.Condition]),
            [[`arn:aws:ec2:eu-central-1:${ACCOUNT}:instance/*`, { StringEquals: { "ssm:resourceTag/Name": "platform-dev-bastion" } }]]);
        assert.deepEqual(start.filter((s: any) => s.Sid === "SessionDocuments")[0].Resource, [
            "arn:aws:ssm:eu-central-1::document/AWS-StartPortForwardingSessionToRemoteHost",
            `arn:aws:ssm:eu-central-1:${ACCOUNT}:document/SSM-SessionManagerRunShell`]);
        const own = Statement.find((s: any) => s.Sid === "OwnSessionsOnly");
        assert.deepEqual([own.Action, own.Resource],
            [["ssm:TerminateSession", "ssm:ResumeSession"], `arn:aws:ssm:eu-central-1:${ACCOUNT}:session/\${aws:username}-*`]);
        const global = Statement.find((s: any) => s.Resource === "*");
        assert.ok(global.Action.every((a: string) => reads.test(a) && !a.endsWith("*")), "unscoped reads are named one by one");
        assert.equal(Statement.find((s: any) => s.Sid === "DashboardsRead").Resource, `arn:aws:cloudwatch::${ACCOUNT}:dashboard/*`);
    });

    it("break-glass trust: IAM users of this account with MFA used within the limit, nothing else", async () => {
        assert.deepEqual(await doc(breakGlassTrustPolicy(ACCOUNT, 3600)), {
            Version: "2012-10-17",
            Statement: [{
                Sid: "AccountUsersWithRecentMfa", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole",
                Condition: {
                    Bool: { "aws:MultiFactorAuthPresent": "true" },
                    NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
                    ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT}:user/*` },
                },
            }],
        });
    });

    it("GitHub trust: only this repository's jobs in this environment, for STS", async () => {
        // https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
        assert.equal(GITHUB_OIDC_HOST, "token.actions.githubusercontent.com");
        assert.deepEqual(await doc(githubTrustPolicy("arn:aws:iam::1:oidc-provider/x", "complyhub/infra", "prod-eu")), {
            Version: "2012-10-17",
            Statement: [{
                Sid: "GithubEnvironmentOnly", Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:complyhub/infra:environment:prod-eu",
                } },
            }],
        });
    });

    it("deploy IAM policy: writes only to the stack's own IAM names, roles only within the boundary, never on the identity roles", async () => {
        const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/platform-prod-eu-role-boundary`;
        const deploy = await doc(deployIamPolicy(ACCOUNT, "platform-prod-eu", {
            boundaryPolicyArn: BOUNDARY, adminsGroupName: "platform-prod-eu-admins",
            protectedRoleNames: ["platform-prod-eu-github-deploy", "platform-prod-eu-github-preview", "platform-prod-eu-break-glass"],
            protectedPolicyNames: ["platform-prod-eu-role-boundary", "platform-prod-eu-github-deploy-iam"],
        }));
        assertWellFormed(deploy);
        const { Statement } = deploy;
        const iam = (r: string) => `arn:aws:iam::${ACCOUNT}:${r}`;
        assert.deepEqual(actionsOf(Statement).filter((a: string) => a === "*" || a === "iam:*" || !/^iam:/.test(a)), []);
        // Every action that gives a role permissions is allowed only with the boundary attached (iam:PermissionsBoundary).
        for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
            const grants = allowing(Statement, action);
            assert.ok(grants.length > 0, action);
            for (const g of grants) assert.deepEqual(g.Condition, { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } }, `${action} in ${g.Sid}`);
        }
        const denies = (sid: string) => Statement.find((x: any) => x.Sid === sid && x.Effect === "Deny");
        // The identity roles, the boundary and the deploy policy itself are out of reach; boundaries are never removed.
        assert.deepEqual(denies("DenyWritesOnIdentityRoles").Resource,
            ["github-deploy", "github-preview", "break-glass"].map((r) => iam(`role/platform-prod-eu-${r}`)));
        assert.ok(denies("DenyWritesOnIdentityRoles").Action.includes("iam:PutRolePolicy"));
        assert.deepEqual(denies("DenyRemovingBoundaries").Action, ["iam:DeleteRolePermissionsBoundary"]);
        assert.ok(denies("DenyRewritingBoundaryAndDeployPolicy").Resource.includes(BOUNDARY));
        assert.ok(denies("DenyRewritingBoundaryAndDeployPolicy").Resource.includes(iam("policy/platform-prod-eu-github-deploy-iam")));
        // Broad managed policies never attach; PowerUserAccess only to the admins group (under /humans/).
        const broad = denies("DenyBroadManagedPolicies").Condition.ArnLike["iam:PolicyARN"];
        for (const p of [ADMIN, "arn:aws:iam::aws:policy/IAMFullAccess"]) {
            assert.ok(broad.some((b: string) => new RegExp(`^${b.replace(/\*/g, ".*")}$`).test(p)), p);
        }
        assert.equal(denies("DenyPowerUserOnOtherGroups").NotResource, iam("group/humans/platform-prod-eu-admins"));
        assert.ok(allowing(Statement, "iam:AttachGroupPolicy").every((g: any) => [g.Resource].flat().includes(iam("group/humans/platform-prod-eu-*"))));
        assert.deepEqual(allowing(Statement, "iam:PassRole").map((s: any) => s.Resource), [iam("role/platform-prod-eu-*")]);
        assert.deepEqual(allowing(Statement, "iam:CreateServiceLinkedRole")[0].Condition, { StringLike: { "iam:AWSServiceName": ["*.amazonaws.com"] } });
        const unscoped = actionsOf(Statement.filter((s: any) => s.Effect === "Allow" && s.Resource === "*")).sort();
        assert.deepEqual(unscoped, ["iam:DeleteAccountPasswordPolicy", "iam:Get*", "iam:List*", "iam:UpdateAccountPasswordPolicy"]);
    });
});
