import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStacks } from "../offline/stack-files";

const ROOT = path.resolve(__dirname, "..");
const yaml = (file: string) => parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

describe("project files as the Pulumi CLI reads them", () => {
    const project = yaml("Pulumi.yaml");

    it("declares a TypeScript nodejs program whose entry is stacks/", () => {
        assert.equal(project.name, "platform");
        assert.deepEqual([project.runtime.name, project.runtime.options.typescript, project.main], ["nodejs", true, "stacks/"]);
        assert.ok(fs.existsSync(path.join(ROOT, "stacks", "index.ts")));
    });

    it("declares in its config schema every project key the stack files set", () => {
        for (const stack of listStacks(ROOT)) {
            const keys = Object.keys(yaml(`Pulumi.${stack}.yaml`).config ?? {}).filter((k) => k.startsWith("platform:"));
            assert.deepEqual(keys.filter((k) => !(k in project.config)), [], stack);
        }
    });

    it("keeps secrets out of the stack files in plain text", () => {
        for (const stack of listStacks(ROOT)) {
            const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
            assert.doesNotMatch(text, /(Token|ApiKey|WebhookUrl|password)\s*:/i, stack);
        }
    });

    it("gives the policy pack what `pulumi preview --policy-pack policy` needs", () => {
        assert.equal(yaml("policy/PulumiPolicy.yaml").runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8"));
        assert.ok(pkg.name && pkg.version && pkg.dependencies["@pulumi/policy"]);
    });
});
