import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../stacks/config";
import { ConfigError } from "../stacks/validate";
import { rawConfigOf } from "./fixtures/raw-config";

const SECRETS = { cloudflareApiToken: pulumi.secret("t"), logzioShippingToken: pulumi.secret("t") };

function refusal(stack: string, edit: (r: any) => void): ConfigError {
    const r = rawConfigOf(stack);
    edit(r);
    try {
        parseConfig(r, { project: "platform", stack, secretValues: SECRETS });
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
        return err;
    }
    throw new Error("config was accepted");
}

describe("instance classes and node types per region (stack config)", () => {
    it("refuses an RDS class il-central-1 does not offer for postgres, naming the key, the value and the region's allowed list", () => {
        const err = refusal("prod-il", (r) => { r.database.instanceClass = "db.r8g.large"; });
        assert.match(err.message,
            /^config platform:database\.instanceClass: got "db\.r8g\.large"; allowed: an instance class offered for postgres in il-central-1: /);
        assert.match(err.message, /db\.r7g\.large/);
        assert.doesNotMatch(err.message.split("allowed:")[1], /db\.r8g/);
    });

    it("refuses a replica class the region does not offer", () => {
        const err = refusal("prod-il", (r) => { r.database.replicaInstanceClass = "db.m8g.large"; });
        assert.match(err.message, /^config platform:database\.replicaInstanceClass: got "db\.m8g\.large"; allowed: .*il-central-1/);
    });

    it("refuses a cache node type the region does not offer, with the allowed list", () => {
        const err = refusal("prod-eu", (r) => { r.redis.nodeType = "cache.r7g.huge"; });
        assert.match(err.message,
            /^config platform:redis\.nodeType: got "cache\.r7g\.huge"; allowed: a node type offered in eu-central-1: .*cache\.r7g\.large/);
    });

    it("accepts today's classes in all three stacks", () => {
        for (const stack of ["dev", "prod-eu", "prod-il"]) parseConfig(rawConfigOf(stack), { project: "platform", stack, secretValues: SECRETS });
    });

    it("reads generated tables that name their source (standards/aws, shared with the policy pack)", () => {
        for (const file of ["rds-instance-classes.json", "elasticache-node-types.json", "fargate-cpu-memory.json"]) {
            const head = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "standards", "aws", file), "utf8"));
            assert.match(head.sourceCommit, /^[0-9a-f]{40}$/);
            assert.equal(head.generatedBy, "scripts/generate-aws-data.ts");
        }
    });
});
