import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { allowing } from "../../test/invariants/program";
import { GITHUB_OIDC_HOST, MFA_SELF_SERVICE_ACTIONS, breakGlassTrustPolicy, deployIamPolicy, developerPolicy, githubTrustPolicy, mfaRequiredPolicy } from "./policy-documents";

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
        assert.ok([s.Resource].flat().every((r: string) => r === "*" || /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:[0-9*]*:.+/.test(r)), `${s.Sid}: resource ${s.Resource}`);
    }
}

describe("identity policy documents", () => {
    it("MFA policy: without MFA, everything but enrolling a device and changing one's password is denied", () => {
        // AWS's documented self-service policy: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html
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
        const self = "arn:aws:iam::*:user/${aws:username}";
        for (const s of Statement.filter((x: any) => x.Effect === "Allow")) {
            assert.ok([self, "*", "arn:aws:iam::*:mfa/*"].includes(s.Resource), `${s.Sid} reaches beyond the user's own credentials`);
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
            ["ecr:DescribeImages", `arn:aws:ecr:eu-central-1:${ACCOUNT}:repository/*`], ["logs:GetLogEvents", `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:*`],
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
            "arn:aws:ssm:eu-central-1::document/AWS-StartPortForwardingSessionToRemoteHost", `arn:aws:ssm:eu-central-1:${ACCOUNT}:document/SSM-SessionManagerRunShell`]);
        const own = Statement.find((s: any) => s.Sid === "OwnSessionsOnly");
        assert.deepEqual([own.Action, own.Resource], [["ssm:TerminateSession", "ssm:ResumeSession"], `arn:aws:ssm:eu-central-1:${ACCOUNT}:session/\${aws:username}-*`]);
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
                Sid: "GithubEnvironmentOnly", Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:complyhub/infra:environment:prod-eu",
                } },
            }],
        });
    });

    it("deploy IAM policy: writes only to the stack's own IAM names; AdministratorAccess attachable to the break-glass role only", async () => {
        const deploy = await doc(deployIamPolicy(ACCOUNT, "platform-prod-eu", "platform-prod-eu-break-glass"));
        assertWellFormed(deploy);
        const { Version, Statement } = deploy;
        assert.equal(Version, "2012-10-17");
        assert.deepEqual(actionsOf(Statement).filter((a: string) => a === "*" || a === "iam:*" || !/^iam:/.test(a)), []);
        const iam = (r: string) => `arn:aws:iam::${ACCOUNT}:${r}`;
        const allowedResources = ["*", iam("role/platform-prod-eu-*"), iam("role/platform-prod-eu-break-glass"), iam("policy/platform-prod-eu-*"),
            iam("instance-profile/platform-prod-eu-*"), iam("group/platform-prod-eu-*"), iam(`oidc-provider/${GITHUB_OIDC_HOST}`), iam("role/aws-service-role/*")];
        for (const s of Statement) assert.ok(allowedResources.includes(s.Resource), `${s.Sid}: ${s.Resource}`);
        // Unscoped statements grant reads and the account password policy only.
        const unscoped = actionsOf(Statement.filter((s: any) => s.Resource === "*")).sort();
        assert.deepEqual(unscoped, ["iam:DeleteAccountPasswordPolicy", "iam:Get*", "iam:List*", "iam:UpdateAccountPasswordPolicy"]);
        // Attaching policies: never AdministratorAccess on stack roles or groups; only AdministratorAccess on break-glass.
        for (const action of ["iam:AttachRolePolicy", "iam:AttachGroupPolicy", "iam:PutRolePolicy"]) {
            for (const s of allowing(Statement, action)) {
                if (s.Resource === iam("role/platform-prod-eu-break-glass")) assert.deepEqual(s.Condition, { ArnEquals: { "iam:PolicyARN": ADMIN } });
                else if (action !== "iam:PutRolePolicy") assert.deepEqual(s.Condition, { ArnNotEquals: { "iam:PolicyARN": ADMIN } }, s.Sid);
            }
        }
        assert.deepEqual(allowing(Statement, "iam:AttachRolePolicy").map((s: any) => s.Sid).sort(), ["AdminOnlyOnBreakGlass", "AttachPoliciesExceptAdmin"]);
        assert.deepEqual(allowing(Statement, "iam:PassRole").map((s: any) => s.Resource), [iam("role/platform-prod-eu-*")]);
        assert.deepEqual(allowing(Statement, "iam:CreateServiceLinkedRole")[0].Condition, { StringLike: { "iam:AWSServiceName": ["*.amazonaws.com"] } });
        assert.equal(new Set(Statement.map((s: any) => s.Sid)).size, Statement.length);
        const listed = [["ManageStackRoles", 10], ["ManageStackPolicies", 7], ["ManageStackInstanceProfiles", 6], ["ManageStackGroups", 7], ["ManageGithubOidcProvider", 7]] as const;
        for (const [sid, count] of listed) {
            const s = Statement.find((x: any) => x.Sid === sid);
            assert.equal(new Set(s.Action).size, count, `${sid} lists its actions one by one`);
            assert.ok(s.Action.every((a: string) => /^iam:[A-Z][A-Za-z]+$/.test(a)), `${sid}: no wildcard`);
        }
    });
});
