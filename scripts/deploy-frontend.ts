// `npm run deploy:frontend -- --stack <stack> --dir <build dir> [--prune-old-assets]`
//
// Uploads a built SPA to the stack's private frontend bucket (`app.<domain>`, served by the edge's SPA origin Worker)
// and purges Cloudflare's cache for the entry files (the only URLs whose content changes: hashed assets get new names).
// Hashed files under assets/ are immutable and cached for a year; everything else is uploaded with `no-cache`. Order:
// new assets, then index.html and the other entry files (so no index ever references a missing asset), then the purge.
// Old hashed assets stay, so browsers still running the previous index.html keep loading their chunks; pass
// --prune-old-assets (e.g. a week after a deploy) to remove the ones the current build no longer has. Needs the AWS CLI with credentials for the
// stack's account, and CLOUDFLARE_API_TOKEN (Zone > Cache Purge).
// Exit codes: 0 done, 1 a step failed, 2 bad usage or missing credentials.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { StackFileError, readStackFiles } from "../offline/stack-files";

export const DEFAULT_CLOUDFLARE_API_BASE = "https://api.cloudflare.com/client/v4";
/** Where the build puts content-hashed files (the same prefix the edge's cache rule caches for a year). */
export const ASSETS_DIR = "assets";
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const ENTRY_CACHE_CONTROL = "no-cache";
/** Cloudflare accepts at most 30 URLs per purge-by-URL request on non-Enterprise plans. */
export const PURGE_BATCH = 30;

const USAGE = "usage: npm run deploy:frontend -- --stack <dev|prod-eu|prod-il> --dir <build dir> [--prune-old-assets]";

export interface CommandResult { code: number; stdout: string; stderr: string }
/** Runs one command; injectable so tests never call the AWS CLI. */
export type CommandRunner = (command: string, args: string[]) => Promise<CommandResult>;
export interface Io { out(message: string): void; err(message: string): void }

/** A failure with the exit code the CLI returns. */
export class DeployError extends Error {
    constructor(message: string, readonly exitCode: 1 | 2) { super(message); }
}

export interface DeployOptions { stack: string; dir: string; keepOldAssets: boolean }

export function parseArgs(argv: string[]): DeployOptions {
    const opts: Partial<DeployOptions> = { keepOldAssets: true };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--stack" || arg === "--dir") {
            const value = argv[++i];
            if (!value || value.startsWith("--")) throw new DeployError(`${arg} needs a value\n${USAGE}`, 2);
            opts[arg === "--stack" ? "stack" : "dir"] = value;
        } else if (arg === "--keep-old-assets") {
            opts.keepOldAssets = true; // the default; accepted for existing pipelines
        } else if (arg === "--prune-old-assets") {
            opts.keepOldAssets = false;
        } else {
            throw new DeployError(`unknown argument ${arg}\n${USAGE}`, 2);
        }
    }
    if (!opts.stack || !opts.dir) throw new DeployError(`--stack and --dir are required\n${USAGE}`, 2);
    return opts as DeployOptions;
}

/** Where a stack's SPA goes: the bucket named as the app host, the zone to purge, the region of the bucket. */
export interface FrontendTarget { stack: string; appHost: string; bucket: string; zoneId: string; region: string }

/** Reads the bucket and zone from the stack file (the same values the program deploys with). */
export function frontendTarget(stack: string, root?: string): FrontendTarget {
    let files: ReturnType<typeof readStackFiles>;
    try {
        files = readStackFiles(stack, root);
    } catch (err) {
        if (err instanceof StackFileError) throw new DeployError(err.message, 2);
        throw err;
    }
    let edge: { domain?: unknown; zoneId?: unknown } = {};
    try {
        edge = JSON.parse(files.config["platform:edge"] ?? "{}");
    } catch {
        throw new DeployError(`Pulumi.${stack}.yaml: platform:edge is not a mapping`, 2);
    }
    const domain = String(edge.domain ?? "");
    const zoneId = String(edge.zoneId ?? "");
    if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(domain))
        throw new DeployError(`Pulumi.${stack}.yaml: platform:edge.domain "${domain}" is not a DNS domain`, 2);
    if (!/^[0-9a-f]{32}$/.test(zoneId)) throw new DeployError(`Pulumi.${stack}.yaml: platform:edge.zoneId "${zoneId}" is not a Cloudflare zone id`, 2);
    const region = files.config["aws:region"];
    if (!region) throw new DeployError(`Pulumi.${stack}.yaml: aws:region is not set`, 2);
    const appHost = `app.${domain}`;
    return { stack, appHost, bucket: appHost, zoneId, region };
}

/** Every file under `dir`, as sorted POSIX paths relative to it. */
export function listFiles(dir: string): string[] {
    const walk = (rel: string): string[] => fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
        const child = rel ? `${rel}/${e.name}` : e.name;
        return e.isDirectory() ? walk(child) : [child];
    });
    return walk("").sort();
}

/** The AWS CLI commands of an upload, in order (see the header comment). */
export function syncCommands(dir: string, target: FrontendTarget, keepOldAssets: boolean): string[][] {
    const s3 = `s3://${target.bucket}`;
    const assetsDir = path.join(dir, ASSETS_DIR);
    const region = ["--region", target.region];
    const commands: string[][] = [];
    const hasAssets = fs.existsSync(assetsDir);
    if (hasAssets) commands.push(["s3", "sync", assetsDir, `${s3}/${ASSETS_DIR}`, "--cache-control", IMMUTABLE_CACHE_CONTROL, ...region]);
    commands.push(["s3", "sync", dir, s3, "--delete", "--exclude", `${ASSETS_DIR}/*`, "--cache-control", ENTRY_CACHE_CONTROL, ...region]);
    // Old hashed assets stay cached at the edge for open sessions; removing them from the bucket is the last upload step.
    if (hasAssets && !keepOldAssets)
        commands.push(["s3", "sync", assetsDir, `${s3}/${ASSETS_DIR}`, "--delete", "--cache-control", IMMUTABLE_CACHE_CONTROL, ...region]);
    return commands;
}

/** The URLs to purge: the site root and every entry (non-hashed) file; hashed assets are new names, never stale. */
export function purgeUrls(target: FrontendTarget, files: string[]): string[] {
    const entries = files.filter((f) => !f.startsWith(`${ASSETS_DIR}/`));
    return [`https://${target.appHost}/`, ...entries.map((f) => `https://${target.appHost}/${f}`)];
}

/** POST /zones/{zoneId}/purge_cache in batches; throws DeployError(1) with Cloudflare's errors. */
export async function purgeCache(args: { base: string; token: string; zoneId: string; urls: string[] }): Promise<void> {
    for (let i = 0; i < args.urls.length; i += PURGE_BATCH) {
        const files = args.urls.slice(i, i + PURGE_BATCH);
        let response: Response;
        try {
            response = await fetch(`${args.base.replace(/\/$/, "")}/zones/${args.zoneId}/purge_cache`, {
                method: "POST",
                headers: { Authorization: `Bearer ${args.token}`, "Content-Type": "application/json" },
                body: JSON.stringify({ files }),
            });
        } catch (err) {
            throw new DeployError(`Cloudflare API unreachable at ${args.base}: ${(err as Error).message}`, 1);
        }
        const body = await response.json().catch(() => ({})) as { success?: boolean; errors?: { code?: number; message?: string }[] };
        if (!response.ok || body.success !== true) {
            const errors = (body.errors ?? []).map((e) => `${e.code ?? ""} ${e.message ?? ""}`.trim()).join("; ") || "no error detail";
            const hint = response.status === 401 || response.status === 403 ? " (check that CLOUDFLARE_API_TOKEN has Zone > Cache Purge for this zone)" : "";
            throw new DeployError(`Cloudflare cache purge failed: HTTP ${response.status}: ${errors}${hint}`, 1);
        }
    }
}

/** The whole deployment; returns the exit code. */
export async function deployFrontend(argv: string[], env: NodeJS.ProcessEnv, run: CommandRunner, io: Io): Promise<number> {
    try {
        const opts = parseArgs(argv);
        const target = frontendTarget(opts.stack);
        const dir = path.resolve(opts.dir);
        if (!fs.existsSync(path.join(dir, "index.html")))
            throw new DeployError(`${dir} has no index.html; build the SPA first (--dir is the build output folder)`, 2);
        const token = env.CLOUDFLARE_API_TOKEN;
        if (!token) {
            throw new DeployError("CLOUDFLARE_API_TOKEN is not set: the cache purge needs a Cloudflare API token with Zone > Cache Purge "
                + `for zone ${target.zoneId}. Nothing was uploaded.`, 2);
        }
        const identity = await run("aws", ["sts", "get-caller-identity", "--region", target.region]);
        if (identity.code !== 0) {
            throw new DeployError(`AWS credentials are missing or invalid for stack ${target.stack} (aws sts get-caller-identity failed: `
                + `${identity.stderr.trim() || `exit ${identity.code}`}). Nothing was uploaded.`, 2);
        }
        for (const command of syncCommands(dir, target, opts.keepOldAssets)) {
            io.out(`$ aws ${command.join(" ")}`);
            const result = await run("aws", command);
            if (result.code !== 0) throw new DeployError(`aws ${command.slice(0, 2).join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`, 1);
        }
        const urls = purgeUrls(target, listFiles(dir));
        await purgeCache({ base: env.CLOUDFLARE_API_BASE || DEFAULT_CLOUDFLARE_API_BASE, token, zoneId: target.zoneId, urls });
        io.out(`deployed ${dir} to s3://${target.bucket} and purged ${urls.length} URL(s) of https://${target.appHost}`);
        return 0;
    } catch (err) {
        if (err instanceof DeployError) {
            io.err(`deploy:frontend: ${err.message}`);
            return err.exitCode;
        }
        throw err;
    }
}

/** Runs a command with its output streamed to this process's (the AWS CLI prints progress). */
export const spawnRunner: CommandRunner = (command, args) => new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => { stdout += d; process.stdout.write(d); });
    child.stderr.on("data", (d) => { stderr += d; process.stderr.write(d); });
    child.on("error", (err: NodeJS.ErrnoException) =>
        resolve({ code: 127, stdout, stderr: err.code === "ENOENT" ? `${command} not found on PATH (install the AWS CLI v2)` : err.message }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
});

if (require.main === module) {
    deployFrontend(process.argv.slice(2), process.env, spawnRunner, { out: (m) => console.log(m), err: (m) => console.error(m) })
        .then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });
}
