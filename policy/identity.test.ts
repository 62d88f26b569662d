import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { mfaRequiredPolicy } from "../components/identity/policy-documents";
import * as identity from "./identity";

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const trust = (principal: unknown, condition?: unknown) =>
    JSON.stringify({ Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] });

describe("identity policies", () => {
    describe("iam-no-wildcard-admin", () => {
        it("passes scoped policies and AdministratorAccess on the break-glass role with a conditional trust", async () => {
            const breakGlass = fake("aws:iam/role:Role", "break-glass", {
                tags: { "break-glass": "true" },
                assumeRolePolicy: trust({ AWS: "arn:aws:iam::1:root" }, { Bool: { "aws:MultiFactorAuthPresent": "true" } }),
            });
            const attach = fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "break-glass-admin", { policyArn: ADMIN }, { role: [breakGlass] });
            const scoped = fake("aws:iam/policy:Policy", "scoped", {
                policy: JSON.stringify({
                    Statement: [
                        { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
                        { Effect: "Deny", NotAction: "iam:ChangePassword", Resource: "*" },
                    ],
                }),
            });
            assert.deepEqual(await violationsOf(identity.iamNoWildcardAdmin, [breakGlass, attach, scoped]), []);
        });
        it("flags \"*\" on \"*\", AdministratorAccess on an untagged role or a group, and an open trust policy", async () => {
            const deploy = fake("aws:iam/role:Role", "deploy", { assumeRolePolicy: trust({ AWS: "*" }) });
            const attach = fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "deploy-admin", { policyArn: ADMIN }, { role: [deploy] });
            const groupAdmin = fake("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "admins-admin", { group: "admins", policyArn: ADMIN });
            const star = fake("aws:iam/rolePolicy:RolePolicy", "star", {
                policy: JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }),
            });
            const found = (await violationsOf(identity.iamNoWildcardAdmin, [deploy, attach, groupAdmin, star])).join("\n");
            for (const expected of [
                /star: a policy statement allows "\*" on "\*"/,
                /deploy-admin: AdministratorAccess attached to a role not tagged/,
                /admins-admin: AdministratorAccess attached to a group/,
                /role deploy: trust policy admits any principal/,
            ]) {
                assert.match(found, expected);
            }
        });
    });

    describe("iam-mfa", () => {
        const group = fake("aws:iam/group:Group", "developers", { name: "platform-dev-developers" });
        it("passes a group joined to the MFA-required policy through its attachment", async () => {
            const mfa = fake("aws:iam/policy:Policy", "mfa", { policy: mfaRequiredPolicy() });
            const attach = fake("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "developers-mfa", {}, { group: [group], policyArn: [mfa] });
            assert.deepEqual(await violationsOf(identity.iamMfa, [group, mfa, attach]), []);
        });
        it("flags a group whose policies do not deny without MFA", async () => {
            const readOnly = fake(
                "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
                "developers-ro",
                { policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
                { group: [group] },
            );
            const inline = fake(
                "aws:iam/groupPolicy:GroupPolicy",
                "developers-inline",
                { policy: JSON.stringify({ Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] }) },
                { group: [group] },
            );
            assert.deepEqual(await violationsOf(identity.iamMfa, [group, readOnly, inline]), ["group developers has no MFA-required deny policy"]);
        });
    });
});
