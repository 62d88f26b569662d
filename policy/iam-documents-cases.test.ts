import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { actionMatches, iamLeastPrivilege, iamTrustPolicies, leastPrivilegeProblems, trustProblems } from "./iam-documents";

// One case per check of the IAM document policies (iam-documents.test.ts holds the pass/flag pairs).
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (extra: object) => ({ Sid: "S", Effect: "Allow", ...extra });

describe("IAM document policies, one check at a time", () => {
    it("actionMatches: IAM wildcards * and ?, case-insensitive, whole action only, dots literal", () => {
        assert.ok(actionMatches("iam:Put*Policy", "iam:PutRolePolicy"));
        assert.ok(actionMatches("IAM:passrole", "iam:PassRole"));
        assert.ok(actionMatches("iam:PassRol?", "iam:PassRole"));
        assert.ok(!actionMatches("iam:Pass", "iam:PassRole"));
        assert.ok(!actionMatches("am:PassRole", "iam:PassRole"));
        assert.ok(!actionMatches("s3.GetObject", "s3xGetObject"));
    });

    it('leastPrivilegeProblems: service-wide actions, NotAction, NotResource, escalation on "*" only; Deny never', () => {
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: ["s3:GetObject", "kms:*"], Resource: "arn:aws:s3:::b/*" }))), [
            "statement S allows every action of a service (kms:*)",
        ]);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: "s3:Get*", Resource: "*" }))), []);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: "xs3:*x", Resource: "r" }))), []);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ NotAction: "iam:*", Resource: "r" }))), [
            "statement S allows NotAction (everything except a list)",
        ]);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: "s3:GetObject", NotResource: "r" }))), [
            "statement S allows on NotResource (everything except a list)",
        ]);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: ["iam:Pass*", "sts:AssumeRole"], Resource: ["arn:x", "*"] }))), [
            'statement S allows privilege-escalation actions on "*" (iam:PassRole, sts:AssumeRole)',
        ]);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: "iam:PassRole", Resource: "arn:aws:iam::1:role/app" }))), []);
        assert.deepEqual(leastPrivilegeProblems(doc(allow({ Action: "*", Resource: "*" }))), [], '"*" on "*" is iam-no-wildcard-admin\'s to report');
        assert.deepEqual(leastPrivilegeProblems(doc({ Effect: "Deny", NotAction: "iam:*", Action: "s3:*", Resource: "*" })), []);
        assert.deepEqual(leastPrivilegeProblems(doc({ ...allow({ Action: "s3:*", Resource: "r" }), Sid: undefined })), [
            "statement (no Sid) allows every action of a service (s3:*)",
        ]);
    });

    it("iam-least-privilege reads policy resources and a role's inline policies, not other types", async () => {
        const bad = doc(allow({ Action: "s3:*", Resource: "r" }));
        assert.deepEqual(await violationsOf(iamLeastPrivilege, [fake("aws:iam/role:Role", "role", { inlinePolicies: [{ name: "i", policy: bad }] })]), [
            "role: statement S allows every action of a service (s3:*)",
        ]);
        assert.deepEqual(await violationsOf(iamLeastPrivilege, [fake("aws:iam/rolePolicy:RolePolicy", "rp", { policy: bad })]), [
            "rp: statement S allows every action of a service (s3:*)",
        ]);
        assert.deepEqual(await violationsOf(iamLeastPrivilege, [fake("aws:s3/bucketPolicy:BucketPolicy", "bp", { policy: bad })]), []);
    });

    describe("trustProblems", () => {
        const OIDC = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
        const github = (Condition: object) => doc(allow({ Principal: { Federated: OIDC }, Action: "sts:AssumeRoleWithWebIdentity", Condition }));
        const aud = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
        it("GitHub OIDC: pins the audience and a repository with a ref or environment; no trailing wildcard", () => {
            assert.deepEqual(
                trustProblems(
                    github({ StringEquals: { ...aud, "token.actions.githubusercontent.com:sub": "repo:acme/infra:environment:prod" } }),
                    new Set(),
                    [],
                ),
                [],
            );
            assert.deepEqual(
                trustProblems(github({ StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main" } }), new Set(), []),
                [`GitHub OIDC trust (${OIDC}) does not pin aud to sts.amazonaws.com`],
            );
            for (const sub of [undefined, "repo:acme/infra:*", "repo:acme/*", "acme/infra:ref:refs/heads/main", "repo:acme/infra:"]) {
                const cond = { StringLike: { ...aud, ...(sub ? { "token.actions.githubusercontent.com:sub": sub } : {}) } };
                assert.deepEqual(
                    trustProblems(github(cond), new Set(), []),
                    ["GitHub OIDC trust does not pin sub to a repository and a branch, environment or tag"],
                    String(sub),
                );
            }
            const both = { StringLike: { ...aud, "token.actions.githubusercontent.com:sub": ["repo:acme/infra:environment:prod", "repo:acme/infra:*"] } };
            assert.equal(trustProblems(github(both), new Set(), []).length, 1);
        });
        it("services: the listed ones and CloudWatch Logs (regional too) need a source condition; others do not", () => {
            const svc = (Service: string, Condition?: object) =>
                doc(allow({ Principal: { Service }, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) }));
            for (const service of ["ecs-tasks.amazonaws.com", "config.amazonaws.com", "logs.amazonaws.com", "logs.eu-central-1.amazonaws.com"]) {
                assert.deepEqual(
                    trustProblems(svc(service), new Set(), []),
                    [`trust in ${service} has no aws:SourceAccount or aws:SourceArn condition (confused deputy)`],
                    service,
                );
                assert.deepEqual(trustProblems(svc(service, { ArnLike: { "AWS:SourceArn": "arn:aws:ecs:x:1:*" } }), new Set(), []), [], service);
            }
            for (const service of ["rds.amazonaws.com", "ec2.amazonaws.com", "xlogs.amazonaws.com", "logs.amazonaws.com.evil", "logs..amazonaws.com"]) {
                assert.deepEqual(trustProblems(svc(service), new Set(), []), [], service);
            }
        });
        it("accounts: a foreign account needs sts:ExternalId unless trusted by config; the own account does not", () => {
            const acct = (AWS: string, Condition?: object) => doc(allow({ Principal: { AWS }, Action: "sts:AssumeRole", ...(Condition ? { Condition } : {}) }));
            assert.deepEqual(trustProblems(acct("arn:aws:iam::222222222222:root"), new Set(["111111111111"]), []), [
                "trust in account 222222222222 requires no sts:ExternalId",
            ]);
            assert.deepEqual(trustProblems(acct("arn:aws:iam::222222222222:root", { StringEquals: { "sts:ExternalId": "x" } }), new Set(), []), []);
            assert.deepEqual(trustProblems(acct("arn:aws:iam::222222222222:role/hub"), new Set(), ["222222222222"]), []);
            assert.deepEqual(trustProblems(acct("arn:aws:iam::111111111111:role/x"), new Set(["111111111111"]), []), []);
            assert.deepEqual(trustProblems(doc({ Effect: "Deny", Principal: { AWS: "222222222222" }, Action: "sts:AssumeRole" }), new Set(), []), []);
        });
    });

    it("iam-trust-policies judges every role with its stack's accounts and the configured partners", async () => {
        const role = (name: string, AWS: string) =>
            fake("aws:iam/role:Role", name, { assumeRolePolicy: doc(allow({ Principal: { AWS }, Action: "sts:AssumeRole" })) });
        const key = fake("aws:kms/key:Key", "k", {
            policy: doc(allow({ Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" })),
        });
        const rs = [key, role("own", "arn:aws:iam::111111111111:root"), role("partner", "333333333333"), role("stranger", "222222222222")];
        assert.deepEqual(await violationsOf(iamTrustPolicies, rs, { trustedAccountIds: ["333333333333"] }), [
            "role stranger: trust in account 222222222222 requires no sts:ExternalId",
        ]);
    });
});
