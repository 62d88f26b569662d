import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { fake } from "../../offline/testing";
import { toPolicyResources } from "../../offline/policy-runner";
import { conditionKeys, conditionValues, coversAction, glob, identityAllows, policiesOfRole, serviceStatements } from "./statements";

// The statement readers every preflight grant rule decides with: IAM's wildcard matching, which statements a service
// principal gets, which identity policies reach a role. A reader that matched too much would pass a missing grant.
describe("preflight statement readers", () => {
    it("glob: IAM's * and ? wildcards, case-insensitive, anchored, every other character literal", () => {
        assert.ok(glob("kms:GenerateDataKey*").test("kms:GenerateDataKeyWithoutPlaintext"));
        assert.ok(glob("kms:generatedatakey*").test("kms:GenerateDataKey"));
        assert.ok(glob("kms:?ecrypt").test("kms:Decrypt"));
        assert.ok(!glob("kms:?ecrypt").test("kms:ReEncrypt"), "? is one character");
        assert.ok(!glob("kms:Decrypt").test("kms:DecryptX") && !glob("kms:Decrypt").test("xkms:Decrypt"), "anchored at both ends");
        assert.ok(!glob("a.b").test("axb") && glob("a.b").test("A.B"), "a dot is a dot");
        for (const special of ["a+b", "a^b", "a$b", "a{b}", "a(b)", "a|b", "a[b]", "a\\b"]) assert.ok(glob(special).test(special), special);
        assert.ok(!glob("a+b").test("aab") && !glob("a|b").test("a") && !glob("a[b]").test("ab"), "regex metacharacters are literal");
        assert.ok(glob("arn:aws:logs:*:1:log-group:*").test("arn:aws:logs:eu-central-1:1:log-group:/x"));
    });
    it("coversAction: a string or a list of actions or patterns", () => {
        assert.ok(coversAction({ Action: "kms:*" }, "kms:Decrypt"));
        assert.ok(coversAction({ Action: ["kms:Encrypt", "kms:Decrypt*"] }, "kms:Decrypt"));
        assert.ok(!coversAction({ Action: ["kms:Encrypt"] }, "kms:Decrypt"));
        assert.ok(!coversAction({}, "kms:Decrypt"), "no Action covers nothing");
    });
    it("conditionKeys and conditionValues read every operator block, keys case-insensitively", () => {
        const s = { Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:a", "arn:b"], "aws:SourceArn": "arn:c" }, Bool: null } };
        assert.deepEqual(conditionKeys(s), ["kms:viaservice", "kms:encryptioncontext:aws:logs:arn", "aws:sourcearn"]);
        assert.deepEqual(conditionValues(s, "KMS:EncryptionContext:aws:logs:ARN"), ["arn:a", "arn:b"]);
        assert.deepEqual(conditionValues({ Condition: { NumericLessThan: { "n": 5 } } }, "n"), ["5"], "values as strings");
        assert.deepEqual([conditionKeys({}), conditionValues({}, "x")], [[], []]);
    });
    it("serviceStatements: Allow statements whose service principal list holds exactly that service", () => {
        const doc = JSON.stringify({ Statement: [
            { Sid: "a", Effect: "Allow", Principal: { Service: ["logs.eu-central-1.amazonaws.com", "cloudtrail.amazonaws.com"] }, Action: "kms:*" },
            { Sid: "b", Effect: "Deny", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:*" },
            { Sid: "c", Effect: "Allow", Principal: { AWS: "cloudtrail.amazonaws.com" }, Action: "kms:*" },
            { Sid: "d", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:Decrypt" },
            { Sid: "e", Effect: "Allow", Principal: "*", Action: "kms:*" },
            { Sid: "f", Effect: "Allow", Action: "kms:*" },
        ] });
        assert.deepEqual(serviceStatements(doc, "cloudtrail.amazonaws.com").map((s) => s.Sid), ["a", "d"]);
        assert.deepEqual(serviceStatements(doc, "logs.amazonaws.com"), [], "the global logs principal is not the regional one");
    });
    it("identityAllows: an Allow statement covering the action on a resource the caller accepts", () => {
        const doc = { Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: ["arn:k1", "arn:k2"] },
            { Effect: "Deny", Action: "kms:*", Resource: "arn:k3" }] };
        assert.ok(identityAllows(doc, "kms:Decrypt", (r) => r === "arn:k2"));
        assert.ok(!identityAllows(doc, "kms:Decrypt", (r) => r === "arn:k3"), "a Deny statement allows nothing");
        assert.ok(!identityAllows(doc, "kms:Encrypt", () => true));
        assert.ok(!identityAllows({ Statement: [{ Effect: "Allow", Action: "kms:Decrypt" }] }, "kms:Decrypt", () => true), "no Resource, no grant");
    });
    it("policiesOfRole: inline policies and attached managed policies, by dependency or by role name; nobody else's", () => {
        const role = fake("aws:iam/role:Role", "task", { name: "task-role" });
        const other = fake("aws:iam/role:Role", "other", { name: "other-role" });
        const managed = fake("aws:iam/policy:Policy", "managed", { policy: "{}" });
        // An attachment whose ARN was read from elsewhere (a parameter): not a policy document this graph holds.
        const param = fake("aws:ssm/parameter:Parameter", "policy-arn", { value: "arn:aws:iam::1:policy/x" });
        const graph = [role, other, managed, param,
            fake("aws:iam/rolePolicy:RolePolicy", "by-dep", { policy: "{}" }, { role: [role] }),
            fake("aws:iam/rolePolicy:RolePolicy", "by-name", { role: "task-role", policy: "{}" }),
            fake("aws:iam/rolePolicy:RolePolicy", "others", { role: "other-role", policy: "{}" }, { role: [other] }),
            fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", { role: "task-role" }, { policyArn: [managed] }),
            fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach-aws", { role: "task-role", policyArn: "arn:aws:iam::aws:policy/X" }),
            fake("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach-param", { role: "task-role" }, { policyArn: [param] }),
            fake("aws:iam/userPolicy:UserPolicy", "user", { user: "task-role", role: "task-role", policy: "{}" }),
        ];
        const resources = toPolicyResources(graph);
        const of = (r: PolicyResource) => policiesOfRole(r, resources).map((p) => p.name);
        assert.deepEqual(of(resources[0]), ["by-dep", "by-name", "managed"]);
        assert.deepEqual(of(resources[1]), ["others"]);
        const unnamed = toPolicyResources([fake("aws:iam/role:Role", "unnamed", {}), fake("aws:iam/rolePolicy:RolePolicy", "p", { policy: "{}" })]);
        assert.deepEqual(policiesOfRole(unnamed[0], unnamed), [], "a role without a known name matches no policy that names no role");
    });
});
