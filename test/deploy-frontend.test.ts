import { strict as assert } from "assert";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { CommandResult, deployFrontend, frontendTarget, parseArgs } from "../scripts/deploy-frontend";

/** A local stand-in for the Cloudflare API: records every request, answers with the configured status and body. */
class FakeCloudflare {
    readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: any }[] = [];
    status = 200;
    reply: unknown = { success: true, errors: [], messages: [], result: { id: "purge-1" } };
    private server = http.createServer((req, res) => {
        let raw = "";
        req.on("data", (d) => { raw += d; });
        req.on("end", () => {
            this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: raw ? JSON.parse(raw) : undefined });
            res.writeHead(this.status, { "Content-Type": "application/json" }).end(JSON.stringify(this.reply));
        });
    });
    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/client/v4`;
    }
    stop(): Promise<void> { return new Promise((resolve) => this.server.close(() => resolve())); }
}

/** A command runner that records calls and answers from a table (default: success). */
function fakeRunner(answer: (args: string[]) => CommandResult = () => ({ code: 0, stdout: "", stderr: "" })) {
    const calls: string[][] = [];
    const run = async (command: string, args: string[]) => { calls.push([command, ...args]); return answer(args); };
    return { calls, run };
}

function buildDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "spa-"));
    fs.mkdirSync(path.join(dir, "assets"));
    fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html><script src=/assets/app-3f9a1c.js></script>");
    fs.writeFileSync(path.join(dir, "favicon.ico"), "icon");
    fs.writeFileSync(path.join(dir, "assets", "app-3f9a1c.js"), "console.log(1)");
    return dir;
}

const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (m: string) => out.push(m), err: (m: string) => err.push(m) } };
};
const DEV_ZONE = "2b4d6f8a0c1e3a5b7d9f1a3c5e7b9d0f";

describe("deploy:frontend", () => {
    let cf: FakeCloudflare;
    let base: string;
    let dir: string;
    beforeEach(async () => { cf = new FakeCloudflare(); base = await cf.start(); dir = buildDir(); });
    afterEach(async () => { await cf.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

    it("reads the bucket (app.<domain>), zone and region from the stack file", () => {
        assert.deepEqual(frontendTarget("dev"), {
            stack: "dev",
            appHost: "app.complyhub-dev.io",
            bucket: "app.complyhub-dev.io",
            zoneId: DEV_ZONE,
            region: "eu-central-1",
        });
        assert.equal(frontendTarget("prod-il").bucket, "app.complyhub.co.il");
    });

    it("checks AWS credentials, uploads assets immutable and entry files no-cache, then purges the entry URLs", async () => {
        const runner = fakeRunner();
        const o = io();
        const code = await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_TOKEN: "cf-token", CLOUDFLARE_API_BASE: base }, runner.run, o.io);
        assert.equal(code, 0, o.err.join("\n"));
        const region = ["--region", "eu-central-1"];
        assert.deepEqual(runner.calls, [
            ["aws", "sts", "get-caller-identity", ...region],
            [
                "aws",
                "s3",
                "sync",
                path.join(dir, "assets"),
                "s3://app.complyhub-dev.io/assets",
                "--cache-control",
                "public, max-age=31536000, immutable",
                ...region,
            ],
            ["aws", "s3", "sync", dir, "s3://app.complyhub-dev.io", "--delete", "--exclude", "assets/*", "--cache-control", "no-cache", ...region],
        ]);
        assert.equal(cf.requests.length, 1);
        const [purge] = cf.requests;
        assert.equal(purge.method, "POST");
        assert.equal(purge.url, `/client/v4/zones/${DEV_ZONE}/purge_cache`);
        assert.equal(purge.headers.authorization, "Bearer cf-token");
        assert.match(String(purge.headers["content-type"]), /application\/json/);
        assert.deepEqual(purge.body, {
            files: ["https://app.complyhub-dev.io/", "https://app.complyhub-dev.io/favicon.ico", "https://app.complyhub-dev.io/index.html"],
        });
    });

    it("keeps old hashed assets by default (open tabs still load their chunks); removes them only with --prune-old-assets", async () => {
        const runner = fakeRunner();
        assert.equal(
            await deployFrontend(
                ["--stack", "dev", "--dir", dir, "--keep-old-assets"],
                { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_BASE: base },
                runner.run,
                io().io,
            ),
            0,
        );
        assert.equal(runner.calls.filter((c) => c.includes("--delete")).length, 1);
        const pruning = fakeRunner();
        assert.equal(
            await deployFrontend(
                ["--stack", "dev", "--dir", dir, "--prune-old-assets"],
                { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_BASE: base },
                pruning.run,
                io().io,
            ),
            0,
        );
        const assetsDelete = pruning.calls.filter((c) => c.includes("--delete") && c.some((a) => a.endsWith("/assets")));
        assert.equal(assetsDelete.length, 1, "the prune is the last upload step");
        assert.equal(pruning.calls.indexOf(assetsDelete[0]), pruning.calls.length - 1);
    });

    it("exits 2 before any upload when CLOUDFLARE_API_TOKEN is missing", async () => {
        const runner = fakeRunner();
        const o = io();
        assert.equal(await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_BASE: base }, runner.run, o.io), 2);
        assert.match(o.err.join(), /CLOUDFLARE_API_TOKEN is not set.*Cache Purge.*Nothing was uploaded/);
        assert.deepEqual(runner.calls, []);
        assert.equal(cf.requests.length, 0);
    });

    it("exits 2 before any upload when AWS credentials are missing", async () => {
        const runner = fakeRunner((args) =>
            args[0] === "sts" ? { code: 255, stdout: "", stderr: "Unable to locate credentials" } : { code: 0, stdout: "", stderr: "" },
        );
        const o = io();
        assert.equal(await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_BASE: base }, runner.run, o.io), 2);
        assert.match(o.err.join(), /AWS credentials are missing or invalid.*Unable to locate credentials/);
        assert.equal(runner.calls.length, 1);
        assert.equal(cf.requests.length, 0);
    });

    it("exits 1 with Cloudflare's error when the purge is refused", async () => {
        cf.status = 403;
        cf.reply = { success: false, errors: [{ code: 10000, message: "Authentication error" }] };
        const o = io();
        assert.equal(
            await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_TOKEN: "bad", CLOUDFLARE_API_BASE: base }, fakeRunner().run, o.io),
            1,
        );
        assert.match(o.err.join(), /HTTP 403: 10000 Authentication error.*Cache Purge/);
    });

    it("exits 1 when an upload fails, without purging", async () => {
        const runner = fakeRunner((args) => (args[0] === "s3" ? { code: 1, stdout: "", stderr: "AccessDenied" } : { code: 0, stdout: "", stderr: "" }));
        const o = io();
        assert.equal(await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_BASE: base }, runner.run, o.io), 1);
        assert.match(o.err.join(), /AccessDenied/);
        assert.equal(cf.requests.length, 0);
    });

    it("rejects bad usage, unknown stacks and a folder without index.html with exit 2", async () => {
        assert.throws(() => parseArgs(["--stack", "dev"]), /--stack and --dir are required/);
        const o = io();
        assert.equal(await deployFrontend(["--stack", "staging", "--dir", dir], { CLOUDFLARE_API_TOKEN: "t" }, fakeRunner().run, o.io), 2);
        assert.match(o.err.join(), /no Pulumi\.staging\.yaml/);
        fs.rmSync(path.join(dir, "index.html"));
        assert.equal(await deployFrontend(["--stack", "dev", "--dir", dir], { CLOUDFLARE_API_TOKEN: "t" }, fakeRunner().run, o.io), 2);
    });
});
