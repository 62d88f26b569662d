import { strict as assert } from "assert";
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "./cli-main";
import { PROJECT_ROOT } from "./stack-files";
import { cachedPlan } from "./testing";

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    // In process, reusing the suite's one render per stack and mode (the CLI as a process is tested in cli.test.ts).
    const code = await runCli(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } }, cachedPlan);
    return { code, out, err };
}

/** Runs the real plan CLI in its own node process, as `npm run -s plan` does. */
function planProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve) => {
        const options = { cwd: PROJECT_ROOT, maxBuffer: 64 << 20, env: { ...process.env, ...env } };
        execFile(process.execPath, ["-r", "./offline/register.js", "offline/cli.ts", ...args], options,
            (error, out, err) => resolve({ code: error ? Number((error as any).code) : 0, out, err }));
    });
}

function packConfigFile(content: unknown): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-")), "config.json");
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
}

describe("plan CLI", () => {
    it("--report writes the compliance report: per framework, the controls, their policies and the resources' verdicts", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "report-")), "prod-eu.md");
        const { code } = await cli(["--stack", "prod-eu", "--report", file]);
        assert.equal(code, 0);
        const report = fs.readFileSync(file, "utf8");
        assert.match(report, /^# Compliance report: platform\/prod-eu/);
        for (const framework of ["AWS Foundational Security Best Practices", "CIS AWS Foundations", "NIST", "SOC 2", "ISO/IEC 27001"]) {
            assert.ok(report.includes(framework), framework);
        }
        // Every exception is listed with its reason (the ALB log bucket's SSE-S3 for ELB delivery).
        assert.match(report, /\| s3-sse-kms \| `alb-logs` \(Bucket\) \| platform-engineering \| ALB access log delivery supports only SSE-S3/);
        assert.match(report, /\*\*s3-sse-kms\*\* \(mandatory, high\)[^\n]*\n\s+\d+ pass, 0 fail, 1 excepted/);
    });
    it("--help prints the usage and exits 0", async () => {
        const { code, out } = await cli(["--help"]);
        assert.equal(code, 0);
        assert.match(out, /usage: npm run -s plan -- --stack <name>/);
        assert.match(out, /--preview/);
    });

    it("accepts --stack=<name> and rejects an unknown argument with the usage", async () => {
        const ok = await cli(["--stack=dev", "--json"]);
        assert.equal(ok.code, 0, ok.err);
        assert.equal(JSON.parse(ok.out).stack, "dev");
        const bad = await cli(["--stack=dev", "--frobnicate"]);
        assert.equal(bad.code, 2);
        assert.match(bad.err, /unknown argument: --frobnicate\nusage:/);
    });

    it("rejects an unknown --what-if lever or a bad value with exit 2 before running the program", async () => {
        const bad = await cli(["--stack", "prod-eu", "--what-if", "reserved,cheaper"]);
        assert.equal(bad.code, 2);
        assert.match(bad.err, /--what-if: unknown lever "cheaper"; allowed: savings-plan, reserved, spot-workers, graviton, replica\nusage:/);
        assert.match((await cli(["--stack", "prod-eu", "--what-if", "reserved=30"])).err, /reserved=30: the discount is a fraction between 0 and 1/);
        assert.match((await cli(["--stack", "prod-eu", "--what-if", "replica=big"])).err, /replica=big: allowed: an RDS instance class/);
    });

    it("validates --policy-pack-config against the pack: unknown policy, bad level, wrong type (exit 2 naming file, policy, key)", async () => {
        const unknown = packConfigFile({ "no-such-policy": "mandatory" });
        let r = await cli(["--stack", "dev", "--policy-pack-config", unknown]);
        assert.equal(r.code, 2);
        assert.ok(r.err.includes(unknown) && r.err.includes("no-such-policy"), r.err);
        const level = packConfigFile({ "kms-rotation": "blocking" });
        r = await cli(["--stack", "dev", "--policy-pack-config", level]);
        assert.equal(r.code, 2);
        assert.match(r.err, /kms-rotation.*enforcementLevel.*"blocking".*advisory, mandatory, disabled, remediate/s);
        const numeric = (s: any) => s.type === "number" || s.type === "integer";
        const schemaPolicy = (await import("../policy/policies")).allPolicies.find((p) => Object.values<any>(p.configSchema?.properties ?? {}).some(numeric))!;
        const [key] = Object.entries<any>(schemaPolicy.configSchema!.properties!).find(([, s]) => numeric(s))!;
        const typed = packConfigFile({ [schemaPolicy.name]: { [key]: "lots" } });
        r = await cli(["--stack", "dev", "--policy-pack-config", typed]);
        assert.equal(r.code, 2);
        assert.ok(r.err.includes(typed) && r.err.includes(schemaPolicy.name) && r.err.includes(key), r.err);
        const good = packConfigFile(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policy", "config.prod.example.json"), "utf8")));
        r = await cli(["--stack", "dev", "--policy-pack-config", good]);
        assert.equal(r.code, 0, r.err);
    });

    describe("as a process", () => {
        // These run the CLI as its own process (with its pack's process beside it). They start together, so the
        // processes overlap one another instead of the suite waiting for each in turn; each test awaits its own.
        // The pipe tests plan a fixture whose document is several pipe buffers long (a stack's would do too, at twice the
        // time: what they test is the process and its stdout, not the program).
        const LARGE_DOCUMENT = ["--stack", "dev", "--program", "test/fixtures/large-document.program.ts", "--json"];
        const CLI = ["-r", "./offline/register.js", "offline/cli.ts"];
        let piped: Promise<{ out: string; code: number }>;
        let closedEarly: Promise<{ code: number | null; err: string }>;
        let rejected: Promise<{ code: number; out: string; err: string }>;
        let slowPack: Promise<{ code: number; out: string; err: string }>;

        /** The plan's --json through a pipe into another node process, which reports the length and the resources it read. */
        function pipeIntoReader(): Promise<{ out: string; code: number }> {
            const consumer = `let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const d=JSON.parse(s);`
                + `console.log(s.length+" "+d.resources.filter((r)=>r.type==="random:index/randomId:RandomId").length)})`;
            return new Promise((resolve) => {
                const plan = spawn(process.execPath, [...CLI, ...LARGE_DOCUMENT], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
                const reader = spawn(process.execPath, ["-e", consumer], { stdio: ["pipe", "pipe", "inherit"] });
                plan.stdout.pipe(reader.stdin);
                let out = "";
                reader.stdout.on("data", (d) => { out += d; });
                let planCode = -1;
                plan.on("exit", (c) => { planCode = c ?? -1; });
                reader.on("close", () => resolve({ out, code: planCode }));
            });
        }

        /** The plan's --json into a pipe its reader closes after the first chunk, as `| head` does. */
        function closeAfterFirstChunk(): Promise<{ code: number | null; err: string }> {
            return new Promise((resolve) => {
                const plan = spawn(process.execPath, [...CLI, ...LARGE_DOCUMENT], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
                let err = "";
                plan.stderr.on("data", (d) => { err += d; });
                plan.stdout.once("data", () => plan.stdout.destroy());
                plan.on("close", (code) => resolve({ code, err }));
            });
        }

        before(() => {
            piped = pipeIntoReader();
            closedEarly = closeAfterFirstChunk();
            rejected = planProcess(["--stack", "dev", "--program", "test/fixtures/unhandled-rejection.program.ts"]);
            // The pack's process serves only after the program has run: the plan must wait for it, not end quietly.
            slowPack = planProcess(["--stack", "dev", "--program", "test/fixtures/insecure-bucket.program.ts"],
                { NODE_OPTIONS: `--require ${path.join(PROJECT_ROOT, "test", "fixtures", "slow-pack.js")}` });
        });

        it("delivers the whole JSON document through a pipe to another process", async function () {
            this.timeout(60000);
            const result = await piped;
            const [length, resources] = result.out.trim().split(" ").map(Number);
            assert.equal(result.code, 0);
            assert.ok(length > 256 * 1024, `the document is larger than a pipe buffer (${length} bytes)`);
            assert.equal(resources, 150, "every resource the program registers is in the document");
        });

        it("stops quietly when the consumer of the pipe closes it early (as `| head` does)", async function () {
            this.timeout(60000);
            const result = await closedEarly;
            assert.equal(result.err, "", "no EPIPE stack trace");
            assert.equal(result.code, 0);
        });

        it("waits for a pack that serves only after the program has run, and reports its verdicts (exit 1)", async function () {
            this.timeout(60000);
            const r = await slowPack;
            assert.equal(r.code, 1, `exit ${r.code}: ${r.out}${r.err}`);
            assert.match(r.out, /required-tags/);
            assert.match(r.out, /s3-sse-kms/);
        });

        it("exits 2 with the error when the program leaves a promise rejection unhandled", async function () {
            this.timeout(60000);
            const r = await rejected;
            assert.equal(r.code, 2, r.err);
            assert.match(r.err, /lookup of the zone failed: boom/);
        });
    });
});
