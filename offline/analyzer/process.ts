import { ChildProcess, spawn } from "child_process";
import * as path from "path";

/** The policy pack's process and the port its analyzer serves on (printed on its stdout). */
export interface AnalyzerProcess {
    child: ChildProcess;
    port: Promise<string>;
}

let started: AnalyzerProcess | undefined;

/**
 * A larger young generation for the offline loop's processes (the plan CLI's and mocha's own come from package.json and
 * .mocharc.json): a run keeps most of what it allocates (the recorded graph, the SDK's Outputs) until it ends, so
 * V8's default 16 MB semi-spaces copy the same survivors over and over; at 64 MB a prod-eu render takes ~11% less CPU.
 */
const YOUNG_GENERATION = ["--max-semi-space-size=64"];

/**
 * Starts the policy pack's process (once per Node.js process). This module loads nothing but Node.js built-ins, so the
 * plan CLI calls it before it loads the SDKs and the program: the pack then loads on the other core meanwhile. The
 * child does not keep this process alive and ends with it.
 */
export function analyzerProcess(): AnalyzerProcess {
    if (started) return started;
    const child = spawn(process.execPath, [...YOUNG_GENERATION, path.join(__dirname, "host.js")], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env } });
    let stderr = "";
    child.stderr!.on("data", (d) => { stderr += d; });
    const port = new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d) => {
            out += d;
            const line = /^(\d+)\s*$/m.exec(out);
            if (line) resolve(line[1]);
        });
        child.on("exit", (code) => reject(new Error(`the policy pack's analyzer exited (${code}) before serving: ${stderr.trim()}`)));
    });
    port.catch(() => undefined); // awaited by the client; an early exit is reported there
    // Until the pack serves, its process keeps this one alive: a plan waiting only for the port has no other handle
    // open, and Node.js would end it quietly with exit code 0. Once it serves, the gRPC connection does that.
    const release = () => {
        for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as any)?.unref?.();
        child.unref();
    };
    port.then(release, release);
    started = { child, port };
    return started;
}

/** Forgets the process and hands it to the caller to stop; the next analysis starts a new one. */
export function forgetAnalyzerProcess(): AnalyzerProcess | undefined {
    const current = started;
    started = undefined;
    return current;
}
