import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { record } from "../offline/testing";
import { RoleBoundary } from "../components";
import { applyRoleBoundary } from "./role-boundary";

// The stack-wide transform that caps every role at the permissions boundary: a role that escapes it could grant itself
// IAM writes; an exempt role that gets it could no longer administer identity.
describe("applyRoleBoundary", () => {
    it("gives every role registered after it the boundary and a dependency on the boundary policy, except the exempt ones", async () => {
        const rec = await record(() => {
            const boundary = new RoleBoundary("rb", { policyName: "platform-test-role-boundary", accountId: "111111111111" });
            applyRoleBoundary(boundary, ["platform-test-deploy"]);
            new aws.iam.Role("app", { name: "platform-test-app", assumeRolePolicy: "{}" });
            new aws.iam.Role("unnamed", { assumeRolePolicy: "{}" });
            new aws.iam.Role("deploy", { name: "platform-test-deploy", assumeRolePolicy: "{}" });
            new aws.iam.Policy("not-a-role", { name: "p", policy: "{}" });
        });
        const boundaryPolicy = rec.one("aws:iam/policy:Policy", "rb");
        const arn = "arn:aws:iam::111111111111:policy/platform-test-role-boundary";
        for (const name of ["app", "unnamed"]) {
            const role = rec.one("aws:iam/role:Role", name);
            assert.equal(rec.inputsOf(role).permissionsBoundary, arn, `${name} is capped by the boundary`);
            assert.ok(role.dependencies.includes(boundaryPolicy.urn), `${name} waits for the boundary policy (CreateRole needs it to exist)`);
        }
        for (const name of ["deploy"]) {
            const role = rec.one("aws:iam/role:Role", name);
            assert.equal(role.inputs.permissionsBoundary, undefined, `${name} keeps no boundary`);
            assert.ok(!role.dependencies.includes(boundaryPolicy.urn));
        }
        assert.equal(rec.one("aws:iam/policy:Policy", "not-a-role").inputs.permissionsBoundary, undefined, "only roles get a boundary");
    });
});
