import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { IAM_WRITE_ACTIONS, RoleBoundary, roleBoundaryPolicy } from "./role-boundary";

// The boundary document statement by statement (the behavioural check, which actions a bounded role keeps, is in
// identity-components.test.ts): each statement must stand on its own, because a later edit to one must not quietly
// re-open what another closes.
describe("RoleBoundary document", () => {
    it("is a 2012-10-17 document of three statements with distinct Sids, each on every resource", () => {
        const doc = JSON.parse(roleBoundaryPolicy());
        assert.equal(doc.Version, "2012-10-17", "the version that supports policy variables; IAM reads an older one differently");
        assert.deepEqual(doc.Statement.map((s: any) => s.Sid), ["EverythingButIdentityAndAccount", "IamReadAndPass", "NoIamWrites"]);
        // A boundary scoped to one resource would cap every role at that resource: every statement covers all.
        for (const s of doc.Statement) assert.equal(s.Resource, "*", s.Sid);
    });
    it("allows by NotAction everything but IAM, Organizations, Account and AssumeRoot", () => {
        const [all] = JSON.parse(roleBoundaryPolicy()).Statement;
        assert.deepEqual([all.Effect, all.NotAction, all.Action], ["Allow", ["iam:*", "organizations:*", "account:*", "sts:AssumeRoot"], undefined]);
    });
    it("gives back only IAM reads and PassRole", () => {
        const [, reads] = JSON.parse(roleBoundaryPolicy()).Statement;
        assert.deepEqual([reads.Effect, reads.Action], ["Allow", ["iam:Get*", "iam:List*", "iam:PassRole"]]);
    });
    it("denies every IAM write explicitly, so no later Allow in the boundary can re-open one", () => {
        const deny = JSON.parse(roleBoundaryPolicy()).Statement.find((s: any) => s.Effect === "Deny");
        assert.ok(deny, "an explicit Deny statement");
        assert.deepEqual(deny.Action, IAM_WRITE_ACTIONS);
        for (const verb of ["Create", "Delete", "Put", "Attach", "Detach", "Update", "Tag", "Untag", "Set", "Upload", "Add", "Remove"]) {
            assert.ok(IAM_WRITE_ACTIONS.includes(`iam:${verb}*`), verb);
        }
    });
    it("registers the named policy, described, under the component", async () => {
        const rec = await record(() => new RoleBoundary("rb", { policyName: "platform-test-role-boundary", accountId: "111111111111" }));
        const policy = rec.one("aws:iam/policy:Policy", "rb");
        assert.equal(policy.inputs.description, "Permissions boundary of every stack role: no IAM, Organizations or Account writes");
        assert.equal(policy.parent, rec.one("platform:identity:RoleBoundary", "rb").urn);
    });
});
