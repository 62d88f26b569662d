import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import * as identity from "./identity";

// One case per check of the identity policies, each on its own graph, so a check that stops firing or fires on a
// neighbour's shape fails here (identity.test.ts holds the pass/flag pairs on realistic graphs).
const ROLE = "aws:iam/role:Role";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const trust = (Principal: unknown, Condition?: object) => doc({ Effect: "Allow", Principal, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) });
const wildcard = (policy: typeof identity.iamNoWildcardAdmin, ...resources: ReturnType<typeof fake>[]) => violationsOf(policy, resources);

describe("identity policies, one check at a time", () => {
    describe("iam-no-wildcard-admin: documents", () => {
        for (const [what, statement] of [
            ['"*" among named actions', { Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "*" }],
            ['"*:*"', { Effect: "Allow", Action: "*:*", Resource: ["*"] }],
        ] as const) {
            it(`flags ${what} on "*" in a managed, group, role or user policy`, async () => {
                for (const type of [
                    "aws:iam/policy:Policy",
                    "aws:iam/groupPolicy:GroupPolicy",
                    "aws:iam/rolePolicy:RolePolicy",
                    "aws:iam/userPolicy:UserPolicy",
                ]) {
                    assert.deepEqual(
                        await wildcard(identity.iamNoWildcardAdmin, fake(type, "p", { policy: doc(statement) })),
                        ['p: a policy statement allows "*" on "*" (full administrator)'],
                        type,
                    );
                }
            });
        }
        it('flags "*" on "*" in a role\'s inline policy', async () => {
            const role = fake(ROLE, "app", {
                assumeRolePolicy: trust({ Service: "ecs-tasks.amazonaws.com" }),
                inlinePolicies: [{ name: "all", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }],
            });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, role), ['app: a policy statement allows "*" on "*" (full administrator)']);
        });
        it('passes "*" on a named resource, a named action on "*", and a Deny of "*" on "*"', async () => {
            const p = fake("aws:iam/policy:Policy", "p", {
                policy: doc(
                    { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::bucket/*" },
                    { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" },
                    { Effect: "Deny", Action: "*", Resource: "*" },
                ),
            });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, p), []);
        });
        it("does not read policy documents of resources that are not IAM policies", async () => {
            const topic = fake("aws:sns/topicPolicy:TopicPolicy", "t", {
                policy: doc({ Effect: "Allow", Action: "*", Resource: "*", Principal: { AWS: "arn:aws:iam::1:root" } }),
            });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, topic), []);
        });
    });

    describe("iam-no-wildcard-admin: AdministratorAccess", () => {
        const role = (name: string, tags?: Record<string, string>, extra: object = {}) =>
            fake(ROLE, name, { name, assumeRolePolicy: trust({ AWS: "arn:aws:iam::111111111111:root" }), ...(tags ? { tags } : {}), ...extra });
        it("finds the attached role by name when the attachment has no dependency on it", async () => {
            const tagged = role("break-glass", { "break-glass": "true" });
            const untagged = role("deploy");
            const ok = fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bg-admin", { role: "break-glass", policyArn: ADMIN });
            const bad = fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "deploy-admin", { role: "deploy", policyArn: ADMIN });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, tagged, untagged, ok, bad), [
                "deploy-admin: AdministratorAccess attached to a role not tagged break-glass: true",
            ]);
        });
        it('counts only break-glass: "true" as the tag', async () => {
            const notQuite = role("bg", { "break-glass": "false" });
            const attach = fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "bg-admin", { policyArn: ADMIN }, { role: [notQuite] });
            assert.equal((await wildcard(identity.iamNoWildcardAdmin, notQuite, attach)).length, 1);
        });
        it("flags AdministratorAccess in an untagged role's managedPolicyArns, not in the break-glass role's", async () => {
            const plain = role("ops", undefined, { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN] });
            const bg = role("bg", { "break-glass": "true" }, { managedPolicyArns: [ADMIN] });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, plain, bg), [
                "role ops: AdministratorAccess in managedPolicyArns without the break-glass tag",
            ]);
        });
        it("flags AdministratorAccess on a user, and other managed policies on nobody", async () => {
            const user = fake("aws:iam/userPolicyAttachment:UserPolicyAttachment", "alice-admin", { user: "alice", policyArn: ADMIN });
            const ro = fake("aws:iam/userPolicyAttachment:UserPolicyAttachment", "alice-ro", {
                user: "alice",
                policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
            });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, user, ro), [
                "alice-admin: AdministratorAccess attached to a group or user (only the break-glass role may carry it)",
            ]);
        });
    });

    describe("iam-no-wildcard-admin: trust policies", () => {
        it('flags "*" and {AWS: "*"} without a condition; passes them with one, and a Deny of "*"', async () => {
            const open = fake(ROLE, "open", { assumeRolePolicy: trust("*") });
            const conditioned = fake(ROLE, "cond", { assumeRolePolicy: trust({ AWS: "*" }, { StringEquals: { "aws:PrincipalOrgID": "o-abc" } }) });
            const denied = fake(ROLE, "deny", { assumeRolePolicy: doc({ Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" }) });
            assert.deepEqual(await wildcard(identity.iamNoWildcardAdmin, open, conditioned, denied), [
                'role open: trust policy admits any principal ("*") without a condition',
            ]);
        });
    });

    describe("deniesWithoutMfa", () => {
        const deny = (extra: object) => doc({ Effect: "Deny", Resource: "*", ...extra });
        it('accepts Bool or BoolIfExists aws:MultiFactorAuthPresent false (string or boolean) over NotAction or "*"', () => {
            assert.ok(
                identity.deniesWithoutMfa(deny({ NotAction: ["iam:ChangePassword"], Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } })),
            );
            assert.ok(identity.deniesWithoutMfa(deny({ Action: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": false } } })));
        });
        it("rejects an Allow, an MFA-present condition, no condition, and a deny of named actions", () => {
            assert.ok(
                !identity.deniesWithoutMfa(
                    doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }),
                ),
            );
            assert.ok(!identity.deniesWithoutMfa(deny({ NotAction: "iam:*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } })));
            assert.ok(!identity.deniesWithoutMfa(deny({ NotAction: "iam:*" })));
            assert.ok(!identity.deniesWithoutMfa(deny({ Action: ["s3:*"], Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } })));
        });
    });

    describe("iam-mfa", () => {
        const mfaDoc = doc({
            Effect: "Deny",
            NotAction: ["iam:ChangePassword"],
            Resource: "*",
            Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
        });
        it("finds the MFA policy by ARN when the attachment has no dependency on it, and only that policy", async () => {
            const group = fake("aws:iam/group:Group", "ops", { name: "ops" });
            const mfa = fake("aws:iam/policy:Policy", "mfa", { arn: "arn:aws:iam::1:policy/mfa", policy: mfaDoc });
            const other = fake("aws:iam/policy:Policy", "other", {
                arn: "arn:aws:iam::1:policy/other",
                policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
            });
            const good = fake("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "ops-mfa", { policyArn: "arn:aws:iam::1:policy/mfa" }, { group: [group] });
            assert.deepEqual(await violationsOf(identity.iamMfa, [group, mfa, other, good]), []);
            const wrong = fake(
                "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
                "ops-other",
                { policyArn: "arn:aws:iam::1:policy/other" },
                { group: [group] },
            );
            assert.deepEqual(await violationsOf(identity.iamMfa, [group, mfa, other, wrong]), ["group ops has no MFA-required deny policy"]);
        });
        it("accepts the MFA deny as the group's inline policy, and judges each group on its own", async () => {
            const a = fake("aws:iam/group:Group", "a", { name: "a" });
            const b = fake("aws:iam/group:Group", "b", { name: "b" });
            const inline = fake("aws:iam/groupPolicy:GroupPolicy", "a-mfa", { policy: mfaDoc }, { group: [a] });
            assert.deepEqual(await violationsOf(identity.iamMfa, [a, b, inline]), ["group b has no MFA-required deny policy"]);
        });
    });
});
