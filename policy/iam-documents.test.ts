import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { actionMatches, iamLeastPrivilege, iamTrustPolicies } from "./iam-documents";

const doc = (...statements: any[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const POLICY = "aws:iam/policy:Policy";
const ROLE = "aws:iam/role:Role";
const KEY = "aws:kms/key:Key";
/** A key whose policy names the stack's account, so the pack knows which account is its own. */
const ownKey = fake(KEY, "k", { policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }) });
const role = (name: string, ...statements: any[]) => fake(ROLE, name, { assumeRolePolicy: doc(...statements) });

describe("IAM documents", () => {
    describe("iam-least-privilege", () => {
        it("passes named actions on named resources, and escalation actions scoped to resources", async () => {
            const ok = fake(POLICY, "ok", { policy: doc(
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*" },
                { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/platform-dev-*" },
                { Effect: "Deny", NotAction: "iam:ChangePassword", Resource: "*" },
                { Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }) });
            assert.deepEqual(await violationsOf(iamLeastPrivilege, [ok]), []);
        });
        it("flags service-wide wildcards", async () => {
            const p = fake(POLICY, "p", { policy: doc({ Sid: "All", Effect: "Allow", Action: ["s3:*", "iam:*"], Resource: "arn:aws:s3:::b" }) });
            assert.deepEqual(await violationsOf(iamLeastPrivilege, [p]), ["p: statement All allows every action of a service (s3:*, iam:*)"]);
        });
        it("flags NotAction and NotResource allows", async () => {
            const p = fake("aws:iam/rolePolicy:RolePolicy", "p", {
                policy: doc(
                    { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
                    { Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret/*" },
                ),
            });
            assert.deepEqual(await violationsOf(iamLeastPrivilege, [p]), [
                "p: statement (no Sid) allows NotAction (everything except a list)",
                "p: statement (no Sid) allows on NotResource (everything except a list)",
            ]);
        });
        it('flags privilege-escalation actions on "*", also through wildcards, in inline role policies too', async () => {
            const r = fake(ROLE, "r", {
                assumeRolePolicy: doc(),
                inlinePolicies: [
                    { name: "x", policy: doc({ Sid: "Esc", Effect: "Allow", Action: ["iam:PassRole", "iam:Put*Policy", "sts:AssumeRole"], Resource: "*" }) },
                ],
            });
            assert.deepEqual(await violationsOf(iamLeastPrivilege, [r]), [
                'r: statement Esc allows privilege-escalation actions on "*" (iam:PassRole, iam:PutRolePolicy, iam:PutUserPolicy, ' +
                'iam:PutGroupPolicy, sts:AssumeRole)',
            ]);
        });
        it("matches IAM action patterns case-insensitively with * and ?", () => {
            assert.ok(actionMatches("iam:Attach*", "iam:AttachRolePolicy"));
            assert.ok(actionMatches("IAM:passrole", "iam:PassRole"));
            assert.ok(!actionMatches("iam:Get*", "iam:PassRole"));
        });
    });

    describe("iam-trust-policies", () => {
        const github = (condition: any) =>
            role("gh", {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: condition,
            });
        it("passes GitHub OIDC trust pinned to the audience and one repository environment", async () => {
            const ok = github({
                StringEquals: {
                    "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    "token.actions.githubusercontent.com:sub": "repo:acme/infra:environment:prod",
                },
            });
            assert.deepEqual(await violationsOf(iamTrustPolicies, [ownKey, ok]), []);
        });
        it("flags GitHub OIDC trust without aud, or with a sub open to any repository or ref", async () => {
            const noAud = github({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main" } });
            assert.match((await violationsOf(iamTrustPolicies, [ownKey, noAud])).join(), /does not pin aud/);
            const anyRef = github({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:*" },
            });
            assert.match((await violationsOf(iamTrustPolicies, [ownKey, anyRef])).join(), /does not pin sub/);
            const anyRepo = github({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" },
            });
            assert.match((await violationsOf(iamTrustPolicies, [ownKey, anyRepo])).join(), /does not pin sub/);
        });
        it("requires sts:ExternalId for another account, not for the stack's own", async () => {
            const partner = role("partner", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" });
            assert.match((await violationsOf(iamTrustPolicies, [ownKey, partner])).join(), /account 999999999999 requires no sts:ExternalId/);
            const withId = role("partner", {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::999999999999:root" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "x1" } },
            });
            assert.deepEqual(await violationsOf(iamTrustPolicies, [ownKey, withId]), []);
            const own = role("own", {
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111111111111:root" },
                Action: "sts:AssumeRole",
                Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
            });
            assert.deepEqual(await violationsOf(iamTrustPolicies, [ownKey, own]), []);
        });
        it("requires source conditions for services that support them, and exempts RDS Proxy (rds.amazonaws.com)", async () => {
            const ecs = role("task", { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" });
            assert.match((await violationsOf(iamTrustPolicies, [ownKey, ecs])).join(), /ecs-tasks.amazonaws.com has no aws:SourceAccount/);
            const pinned = role("task", {
                Effect: "Allow",
                Principal: { Service: "ecs-tasks.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
            });
            assert.deepEqual(await violationsOf(iamTrustPolicies, [ownKey, pinned]), []);
            const proxy = role("proxy", { Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole" });
            assert.deepEqual(await violationsOf(iamTrustPolicies, [ownKey, proxy]), []);
        });
    });
});
