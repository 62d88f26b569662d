import { strict as assert } from "assert";
import { UNKNOWN } from "./engine";
import { planJson, planStack } from "./plan";
import { stackPlan } from "./testing";

const FIXTURE = "test/fixtures/preview-unknowns.program.ts";

describe("offline engine: preview and update modes", () => {
    it("in preview, provider-computed outputs are unknown, apply on them does not run, invokes still answer", async () => {
        const plan = await planStack({ stack: "dev", program: FIXTURE, preview: true });
        const byName = (name: string) => plan.run.resources.find((r) => r.name === name);
        assert.equal(plan.run.mode, "preview");
        assert.equal(byName("fixture-alias")?.inputs.targetKeyId, UNKNOWN, "an input built from a new key's ARN is unknown");
        assert.equal(byName("fixture-late"), undefined, "a resource created inside apply on an unknown is not registered");
        assert.match(byName("fixture-key")?.inputs.description, /^key of \d{12}$/, "getCallerIdentity answers in preview");
        const doc = planJson(plan) as any;
        assert.equal(doc.mode, "preview");
        assert.equal(doc.resources.find((r: any) => r.name === "fixture-alias").inputs.targetKeyId, "[unknown]");
        assert.equal(doc.outputs.keyArn, "[unknown]");
        assert.match(doc.outputs.account, /^\d{12}$/);
    });

    it("in update mode every value is known and apply callbacks run", async () => {
        const plan = await planStack({ stack: "dev", program: FIXTURE });
        const alias = plan.run.resources.find((r) => r.name === "fixture-alias");
        assert.equal(plan.run.mode, "update");
        assert.match(alias?.inputs.targetKeyId, /^arn:aws:kms:eu-[a-z]+-\d:\d{12}:key\//);
        assert.ok(plan.run.resources.some((r) => r.name === "fixture-late"));
        const doc = planJson(plan) as any;
        assert.equal(doc.mode, "update");
        assert.match(doc.outputs.keyArn, /^arn:aws:kms:/);
    });

    it("gives the same preview JSON twice", async () => {
        // The suite's cached render against a fresh one in the same process (module state left by the first run counts).
        const first = JSON.stringify(planJson(await stackPlan("dev", { preview: true })));
        const second = JSON.stringify(planJson(await planStack({ stack: "dev", preview: true })));
        assert.equal(first, second);
        assert.ok(first.includes("[unknown]"));
    });

    it("registers the default providers the engine would, and points provider-less resources at them", async () => {
        const plan = await planStack({ stack: "dev", program: FIXTURE });
        const provider = plan.run.resources.find((r) => r.type === "pulumi:providers:aws" && /^default_\d+_\d+_\d+$/.test(r.name));
        assert.ok(provider, "a default aws provider is recorded");
        assert.equal(provider!.name, "default_7_48_0");
        assert.equal(provider!.inputs.region, "eu-central-1", "its inputs are the stack's aws:* config");
        const key = plan.run.resources.find((r) => r.name === "fixture-key")!;
        assert.equal(key.provider?.split("::").slice(0, -1).join("::"), provider!.urn);
    });
});
