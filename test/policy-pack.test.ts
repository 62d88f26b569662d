import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { README, renderReadme } from "../offline/policy-docs";
import { allPolicies } from "../policy/policies";

const POLICY_DIR = path.resolve(__dirname, "..", "policy");

describe("the policy pack", () => {
    it("gives every policy a unique name, description, severity, level and remediation", () => {
        const names = allPolicies.map((p) => p.name);
        assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], "duplicate policy names");
        for (const p of allPolicies) {
            assert.match(p.name, /^[a-z0-9-]+$/, p.name);
            assert.ok(p.description.length > 20, `${p.name}: description`);
            assert.ok(["low", "medium", "high", "critical"].includes(p.severity), `${p.name}: severity`);
            assert.ok(["advisory", "mandatory", "disabled", "remediate"].includes(p.enforcementLevel ?? ""), `${p.name}: enforcementLevel`);
            assert.ok(p.remediationSteps.length > 10, `${p.name}: remediation`);
        }
    });

    it("has tests that use every policy (an import alone does not count)", () => {
        // A test uses a policy by its id or by the identifier its domain module exports it under, outside import lines,
        // in subfolders too (policy/preflight/*.test.ts). (A lint on the test files; each pairs a passing and a flagged case.)
        const tests = fs.readdirSync(POLICY_DIR, { recursive: true }).map(String).filter((f) => f.endsWith(".test.ts"))
            .map((f) => fs.readFileSync(path.join(POLICY_DIR, f), "utf8").replace(/^import\s[\s\S]*?from\s+"[^"]+";$/gm, "")).join("\n");
        const exportName = new Map<unknown, string>();
        for (const file of fs.readdirSync(POLICY_DIR).filter((f) => /^[a-z-]+\.ts$/.test(f) && !["index.ts", "policies.ts"].includes(f))) {
            for (const [name, value] of Object.entries(require(path.join(POLICY_DIR, file)))) exportName.set(value, name);
        }
        const untested = allPolicies.filter((p) => !tests.includes(`"${p.name}"`) && !new RegExp(`\\b${exportName.get(p)}\\b`).test(tests));
        assert.deepEqual(untested.map((p) => p.name), []);
    });

    it("documents every policy and parameter in policy/README.md (npm run policy:docs)", () => {
        const current = fs.readFileSync(README, "utf8");
        assert.equal(current, renderReadme(current), "policy/README.md is stale: run npm run policy:docs");
    });

    it("gives only real policies and parameters in the README's configuration example", () => {
        const readme = fs.readFileSync(README, "utf8");
        const example = JSON.parse(/## Configure it[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]);
        for (const [name, value] of Object.entries<any>(example)) {
            const policy = allPolicies.find((p) => p.name === name);
            assert.ok(policy, `README example names no policy ${name}`);
            const params = Object.keys(typeof value === "object" ? value : {}).filter((k) => k !== "enforcementLevel");
            for (const param of params) assert.ok(param in (policy!.configSchema?.properties ?? {}), `${name} has no parameter ${param}`);
        }
    });

    it("describes every configuration parameter", () => {
        for (const p of allPolicies) {
            for (const [key, schema] of Object.entries<any>(p.configSchema?.properties ?? {})) assert.ok(schema.description, `${p.name}.${key}`);
        }
    });

    it("keeps index.ts to assembling the pack (source lint)", () => {
        const index = fs.readFileSync(path.join(POLICY_DIR, "index.ts"), "utf8");
        assert.match(index, /new PolicyPack\("platform-baseline"/);
        assert.match(index, /policies: allPolicies/);
    });
});
