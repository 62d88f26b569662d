import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { BREAK_GLASS_TAG, BreakGlassRole } from "./break-glass-role";
import { HUMAN_GROUPS, HumanAccess } from "./human-access";
import { BOUNDARY_EXCEPTION_REASON, IAM_WRITE_ACTIONS, RoleBoundary, roleBoundaryPolicy } from "./role-boundary";
// IAM's action matching (* and ?, case-insensitive), as the pack implements it.
import { actionMatches } from "../../policy/iam-documents";

// The identity components on their own: what each builds, and the properties the deploy and audit paths rely on.
const ACCOUNT = "111111111111";

describe("identity components", () => {
    describe("RoleBoundary", () => {
        it("caps roles at everything but IAM writes, Organizations, Account and AssumeRoot; keeps IAM reads and PassRole", () => {
            const s = JSON.parse(roleBoundaryPolicy()).Statement;
            const allowedAction = (action: string) =>
                !s.some((x: any) => x.Effect === "Deny" && x.Action.some((p: string) => actionMatches(p, action))) &&
                s.some(
                    (x: any) =>
                        x.Effect === "Allow" &&
                        (x.NotAction ? !x.NotAction.some((p: string) => actionMatches(p, action)) : x.Action.some((p: string) => actionMatches(p, action))),
                );
            for (const action of ["s3:GetObject", "kms:Decrypt", "iam:GetRole", "iam:ListRoles", "iam:PassRole", "ecs:RunTask"])
                assert.ok(allowedAction(action), action);
            for (const action of [
                "iam:CreateRole",
                "iam:PutRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DeleteRolePermissionsBoundary",
                "iam:UpdateAssumeRolePolicy",
                "iam:TagRole",
                "iam:CreateAccessKey",
                "organizations:LeaveOrganization",
                "account:CloseAccount",
                "sts:AssumeRoot",
                "iam:AddUserToGroup",
            ]) {
                assert.ok(!allowedAction(action), action);
            }
            assert.ok(IAM_WRITE_ACTIONS.every((a) => a.startsWith("iam:") && a.endsWith("*")));
        });
        it("creates the named policy with its exception reason, and an ARN known before the policy exists", async () => {
            let boundary: RoleBoundary | undefined;
            const rec = await record(() => {
                boundary = new RoleBoundary("rb", { policyName: "platform-prod-eu-role-boundary", accountId: ACCOUNT });
            });
            const [policy] = rec.ofType("aws:iam/policy:Policy");
            assert.equal(policy.inputs.name, "platform-prod-eu-role-boundary");
            assert.equal(policy.inputs.policy, roleBoundaryPolicy());
            assert.deepEqual(policy.inputs.tags, { "compliance-exception:iam-least-privilege": BOUNDARY_EXCEPTION_REASON });
            assert.match(BOUNDARY_EXCEPTION_REASON, /^[\w\s.:/=+@-]{1,256}$/, "tag values allow letters, digits, spaces and _ . : / = + - @ up to 256");
            const arn = await new Promise((resolve) => boundary!.arn.apply(resolve));
            assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/platform-prod-eu-role-boundary`);
        });
    });

    describe("BreakGlassRole", () => {
        const args = {
            roleName: "platform-prod-eu-break-glass",
            accountId: ACCOUNT,
            maxSessionSeconds: 3600,
            alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts",
        };
        it("is the tagged role with AdministratorAccess, MFA-only trust of this account, bounded sessions, and an alert on every assumption", async () => {
            const rec = await record(() => new BreakGlassRole("bg", args));
            const [role] = rec.ofType("aws:iam/role:Role");
            assert.equal(role.inputs.name, args.roleName);
            assert.deepEqual(role.inputs.tags, { [BREAK_GLASS_TAG]: "true" });
            assert.equal(role.inputs.maxSessionDuration, 3600);
            const trust = JSON.parse(role.inputs.assumeRolePolicy).Statement;
            assert.ok(
                trust.every((s: any) => s.Effect !== "Allow" || JSON.stringify(s.Principal).includes(ACCOUNT)),
                "only this account",
            );
            assert.ok(
                trust.some((s: any) => JSON.stringify(s.Condition ?? {}).includes("aws:MultiFactorAuth")),
                "MFA required",
            );
            const [attachment] = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/AdministratorAccess");
            assert.deepEqual(attachment.propertyDependencies.role, [role.urn]);
            const [rule] = rec.ofType("aws:cloudwatch/eventRule:EventRule");
            const pattern = JSON.parse(rule.inputs.eventPattern);
            assert.deepEqual([pattern.source, pattern.detail.eventSource, pattern.detail.eventName], [["aws.sts"], ["sts.amazonaws.com"], ["AssumeRole"]]);
            assert.deepEqual(rule.propertyDependencies.eventPattern, [role.urn], "the pattern names this role's ARN");
            assert.ok(rule.inputs.name.length <= 64);
            const [target] = rec.ofType("aws:cloudwatch/eventTarget:EventTarget");
            assert.equal(target.inputs.arn, args.alertsTopicArn);
            assert.deepEqual(target.propertyDependencies.rule, [rule.urn]);
        });
        it("refuses names and session lengths IAM refuses, naming the value", async () => {
            await assert.rejects(
                record(() => new BreakGlassRole("bg", { ...args, roleName: "r".repeat(65) })),
                /longer than IAM's 64 characters/,
            );
            for (const s of [3599, 43201])
                await assert.rejects(
                    record(() => new BreakGlassRole("bg", { ...args, maxSessionSeconds: s })),
                    new RegExp(`must be 3600-43200, got ${s}`),
                );
            await record(() => new BreakGlassRole("bg", { ...args, roleName: "r".repeat(64), maxSessionSeconds: 43200 }));
        });
    });

    describe("HumanAccess", () => {
        it("joins every group to the MFA-required policy first, plus its managed policies; developers get the scoped policy", async () => {
            const rec = await record(
                () => new HumanAccess("humans", { namePrefix: "platform-prod-eu", region: "eu-central-1", accountId: ACCOUNT, bastionName: "bastion" }),
            );
            const groups = rec.ofType("aws:iam/group:Group");
            assert.deepEqual(
                groups.map((g) => g.inputs.name).sort(),
                Object.keys(HUMAN_GROUPS)
                    .map((g) => `platform-prod-eu-${g}`)
                    .sort(),
            );
            assert.ok(groups.every((g) => g.inputs.path === "/humans/"));
            const mfa = rec.ofType("aws:iam/policy:Policy").find((p) => p.inputs.name === "platform-prod-eu-mfa-required")!;
            const developer = rec.ofType("aws:iam/policy:Policy").find((p) => p.inputs.name === "platform-prod-eu-developer")!;
            for (const g of groups) {
                const group = g.inputs.name.replace("platform-prod-eu-", "") as keyof typeof HUMAN_GROUPS;
                const attached = rec.pointingAt("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "group", g);
                assert.deepEqual(
                    attached.filter((a) => (a.propertyDependencies.policyArn ?? []).includes(mfa.urn)).map((a) => a.name),
                    [`humans-${group}-mfa`],
                    group,
                );
                const managed = attached.map((a) => a.inputs.policyArn).filter((arn) => typeof arn === "string" && arn.startsWith("arn:aws:iam::aws:policy/"));
                assert.deepEqual(managed.sort(), [...HUMAN_GROUPS[group]].sort(), group);
                const usesDeveloper = attached.some((a) => (a.propertyDependencies.policyArn ?? []).includes(developer.urn));
                assert.equal(usesDeveloper, group === "developers", group);
            }
            assert.ok(
                !Object.values(HUMAN_GROUPS)
                    .flat()
                    .includes("arn:aws:iam::aws:policy/AdministratorAccess" as never),
                "no group is administrator",
            );
        });
        it("sets the password policy CIS asks for: 14+ characters, all classes, 90 days, 24 remembered", async () => {
            const rec = await record(() => new HumanAccess("humans", { namePrefix: "p", region: "eu-central-1", accountId: ACCOUNT, bastionName: "b" }));
            const [pp] = rec.ofType("aws:iam/accountPasswordPolicy:AccountPasswordPolicy");
            assert.ok(pp.inputs.minimumPasswordLength >= 14);
            for (const k of ["requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols", "allowUsersToChangePassword"])
                assert.equal(pp.inputs[k], true, k);
            assert.ok(pp.inputs.maxPasswordAge > 0 && pp.inputs.maxPasswordAge <= 90);
            assert.ok(pp.inputs.passwordReusePrevention >= 24);
            assert.equal(pp.inputs.hardExpiry, false, "an expired password is changed by its owner, not reset by an admin");
        });
    });
});
