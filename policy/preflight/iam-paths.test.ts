import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { pathMiss, preflightIamPathArns } from "./iam-paths";

describe("preflight-iam-path-arns", () => {
    const group = fake("aws:iam/group:Group", "humans-admins", { name: "platform-prod-eu-admins", path: "/humans/" });
    const policy = (resource: string) => fake("aws:iam/policy:Policy", "github-deploy-iam", { policy: JSON.stringify({ Statement: [
        { Sid: "ManageStackGroups", Effect: "Allow", Action: "iam:AttachGroupPolicy", Resource: resource }] }) });
    it("flags group/<prefix>-* for a group created under /humans/ (today's deploy role)", async () => {
        assert.deepEqual(await violationsOf(preflightIamPathArns, [group, policy("arn:aws:iam::1:group/platform-prod-eu-*")]),
            ["github-deploy-iam: statement ManageStackGroups resource arn:aws:iam::1:group/platform-prod-eu-* matches the name platform-prod-eu-admins " +
                "but not its path /humans/ (the ARN is .../humans/platform-prod-eu-admins)"]);
    });
    it("passes group/humans/<prefix>-* and group/*<prefix>-*", async () => {
        assert.deepEqual(await violationsOf(preflightIamPathArns, [group, policy("arn:aws:iam::1:group/humans/platform-prod-eu-*")]), []);
        assert.deepEqual(await violationsOf(preflightIamPathArns, [group, policy("arn:aws:iam::1:group/*platform-prod-eu-*")]), []);
    });
    it("passes a statement whose sibling resource names the path (group/<prefix>-* beside group/humans/<prefix>-*)", async () => {
        const both = fake("aws:iam/policy:Policy", "github-deploy-iam", { policy: JSON.stringify({ Statement: [{
            Sid: "ManageStackGroups", Effect: "Allow", Action: "iam:AttachGroupPolicy",
            Resource: ["arn:aws:iam::1:group/platform-prod-eu-*", "arn:aws:iam::1:group/humans/platform-prod-eu-*"] }] }) });
        assert.deepEqual(await violationsOf(preflightIamPathArns, [group, both]), []);
    });
    it("treats policy variables as the entity's name (user/${aws:username} misses users under a path)", () => {
        assert.match(pathMiss("${aws:username}", "alice", "/humans/")!, /not its path/);
        assert.equal(pathMiss("*${aws:username}", "alice", "/humans/"), undefined);
        assert.equal(pathMiss("${aws:username}", "alice", "/"), undefined);
    });
});
