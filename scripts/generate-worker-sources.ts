// Writes components/edge/worker-sources.ts from workers/*/worker.mjs, so the library carries the Workers' source as
// string constants and reads no file when it is imported (it then works compiled to dist/ or bundled).
// usage: node -r ./offline/register.js scripts/generate-worker-sources.ts   (test/boundaries.test.ts checks it is current)
import * as path from "path";
import { ROOT, SourceModule, readSource, renderSourceModule, writeWhenRun } from "./source-module";

export const WORKER_SOURCES_FILE = path.join(ROOT, "components", "edge", "worker-sources.ts");
const WORKERS: Record<string, string> = { SPA_WORKER_SOURCE: "spa-origin", API_KEY_LIMITER_SOURCE: "api-key-limiter" };

const MODULE: SourceModule = {
    file: WORKER_SOURCES_FILE, script: "scripts/generate-worker-sources.ts", from: "workers/*/worker.mjs", editInstead: "the worker",
    body: () => Object.entries(WORKERS).map(([constant, dir]) => {
        const doc = `/** The source of workers/${dir}/worker.mjs, uploaded as it is (no bundler: deterministic). */`;
        return `${doc}\nexport const ${constant}: string = ${JSON.stringify(readSource("workers", dir, "worker.mjs"))};\n`;
    }).join("\n"),
};

/** The generated module's text for the current workers/ sources. */
export function renderWorkerSources(): string {
    return renderSourceModule(MODULE);
}

writeWhenRun(module, MODULE);
