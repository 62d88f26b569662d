import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { runCli } from "./cli-main";
import { planJson, planStack } from "./plan";
import { cachedPlan, record, stackPlan } from "./testing";
import { allPolicies } from "../policy/policies";

class Box extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("platform:test:Box", name, {}, opts);
        const key = new aws.kms.Key(`${name}-key`, { enableKeyRotation: true }, { parent: this });
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${name}`, targetKeyId: key.arn }, { parent: this });
        // A child registered only once another output resolves: exact waiting must still see it.
        key.arn.apply((arn) => new aws.kms.Alias(`${name}-late`, { name: `alias/${name}-late`, targetKeyId: arn }, { parent: this }));
        this.registerOutputs({});
    }
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    // In process, reusing the suite's one render per stack and mode (the CLI as a process is tested in cli.test.ts).
    const code = await runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } }, cachedPlan);
    return { code, out, err };
}

describe("offline engine", () => {
    it("records components and children with parent, provider, protect and property dependencies", async () => {
        const rec = await record(() => {
            const provider = new aws.Provider("eu", { region: "eu-west-1" });
            new Box("box", { providers: [provider], protect: true });
        });
        const box = rec.one("platform:test:Box", "box");
        const key = rec.one("aws:kms/key:Key", "box-key");
        const alias = rec.one("aws:kms/alias:Alias", "box-alias");
        assert.equal(key.parent, box.urn);
        assert.equal(rec.one("aws:kms/alias:Alias", "box-late").parent, box.urn, "a child created inside apply is recorded before the run returns");
        assert.equal(key.protect, true);
        assert.match(key.provider ?? "", /pulumi:providers:aws::eu::/);
        assert.deepEqual(alias.propertyDependencies.targetKeyId, [key.urn]);
        assert.ok(alias.dependencies.includes(key.urn));
        assert.match(rec.inputsOf(alias).targetKeyId, /^arn:aws:kms:eu-west-1:\d{12}:key\//, "ARNs land in the provider's region");
    });

    it("leaves Error.stackTraceLimit alone, so a program's error keeps its message and its stack", async () => {
        const limit = Error.stackTraceLimit;
        const failure = await record(() => { throw new Error("the program broke"); }).then(() => undefined, (err: Error) => err);
        assert.equal(failure?.message, "the program broke");
        assert.match(failure?.stack ?? "", /\n\s+at /, "the error has a stack trace");
        assert.equal(Error.stackTraceLimit, limit);
    });

    it("runs programs started together one after the other, each recording only its own resources", async () => {
        // The SDK's runtime state is global: without the engine's queue, the second run's setMocks would reset the first
        // mid-run and each record would hold the other's resources (or lose its own).
        const [a, b] = await Promise.all([record(() => new Box("first")), record(() => new Box("second"))]);
        const names = (rec: typeof a) => rec.resources.filter((r) => r.type === "aws:kms/alias:Alias").map((r) => r.name).sort();
        assert.deepEqual(names(a), ["first-alias", "first-late"]);
        assert.deepEqual(names(b), ["second-alias", "second-late"]);
    });

    it("gives the same JSON for the same stack, run twice", async () => {
        // The suite's cached render against a fresh one in the same process (module state left by the first run counts).
        const first = JSON.stringify(planJson(await stackPlan("prod-eu")));
        const second = JSON.stringify(planJson(await planStack({ stack: "prod-eu" })));
        assert.equal(first, second);
    });

    it("prints the plan's JSON document (--json) with secrets masked", async () => {
        const { code, out } = await cli(["--stack", "dev", "--json"]);
        assert.equal(code, 0);
        const doc = JSON.parse(out);
        // The --json document holds at least these fields (in any order), and for every policy of the pack, fired or not.
        for (const field of ["stack", "project", "resources", "outputs", "policies"]) assert.ok(field in doc, field);
        for (const r of doc.resources) {
            for (const field of ["urn", "type", "name", "parent", "custom", "protect", "provider", "inputs", "dependencies", "propertyDependencies"])
                assert.ok(field in r, `${r.urn}: ${field}`);
        }
        assert.deepEqual(doc.policies.pack.map((p: any) => p.name).sort(), allPolicies.map((p) => p.name).sort());
        assert.ok(doc.policies.pack.every((p: any) => p.name && p.enforcementLevel && p.severity && "framework" in p));
        assert.equal(doc.resources.find((r: any) => r.type === "pulumi:providers:cloudflare").inputs.apiToken, "[secret]");
        assert.ok(!out.includes("offline-placeholder"), "no secret value is printed");
    });

    it("exits 1 naming both policies for an untagged, unencrypted bucket", async () => {
        const { code, out } = await cli(["--stack", "dev", "--program", "test/fixtures/insecure-bucket.program.ts", "--json"]);
        assert.equal(code, 1);
        const names = new Set(JSON.parse(out).policies.violations.map((v: any) => v.policy));
        assert.ok(names.has("required-tags") && names.has("s3-sse-kms"), [...names].join(", "));
    });

    it("exits 2 naming the key when a config value is broken", async () => {
        const { code, err } = await cli(["--stack", "dev", "--program", "test/fixtures/broken-config.program.ts"]);
        assert.equal(code, 2);
        assert.match(err, /config platform:network\.vpcCidr: got "10\.20\.0\.0\/33"/);
    });

    it("exits 2 for an unknown stack or argument", async () => {
        assert.equal((await cli(["--stack", "staging"])).code, 2);
        assert.match((await cli(["--stack", "dev", "--bogus"])).err, /unknown argument: --bogus/);
    });
});
