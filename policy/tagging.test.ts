import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import { TAGGABLE_TYPES, requiredTags } from "./tagging";

describe("required-tags", () => {
    it("knows taggable types from @pulumi/aws (tagsAll output), not from a hand list", () => {
        assert.ok(TAGGABLE_TYPES.has("aws:s3/bucket:Bucket") && TAGGABLE_TYPES.has("aws:rds/instance:Instance"));
        assert.ok(!TAGGABLE_TYPES.has("aws:kms/alias:Alias"), "aliases take no tags");
        assert.ok(TAGGABLE_TYPES.size > 500);
    });
    it("passes a resource with every required tag", async () => {
        assert.deepEqual(await violationsOf(requiredTags, [fake("aws:sns/topic:Topic", "alerts", { tags: PROD_TAGS })]), []);
    });
    it("flags missing and empty tags, naming them", async () => {
        const [message] = await violationsOf(requiredTags, [
            fake("aws:sns/topic:Topic", "alerts", { tags: { ...PROD_TAGS, owner: " ", "cost-center": undefined } }),
        ]);
        assert.match(message, /missing required tags: owner, cost-center/);
    });
    it("flags an environment outside the allowed set", async () => {
        const found = await violationsOf(requiredTags, [fake("aws:sns/topic:Topic", "alerts", { tags: { ...PROD_TAGS, environment: "staging" } })]);
        assert.match(found.join("\n"), /environment tag "staging"; allowed: dev, prod/);
    });
    it("ignores resources that take no tags", async () => {
        assert.deepEqual(await violationsOf(requiredTags, [fake("aws:kms/alias:Alias", "a", {})]), []);
    });
    it("takes the required keys from the pack config", async () => {
        const found = await violationsOf(requiredTags, [fake("aws:sns/topic:Topic", "t", { tags: PROD_TAGS })], { requiredTags: ["team"] });
        assert.match(found.join(), /missing required tags: team/);
    });
});
