// Writes components/functions/function-sources.ts from functions/**/*.mjs, so the library carries the Lambda functions'
// source as string constants and reads no file when it is imported or constructed (as worker-sources.ts does for the
// Workers). usage: node -r ./offline/register.js scripts/generate-function-sources.ts   (test/boundaries.test.ts checks it)
import * as fs from "fs";
import * as path from "path";
import { ROOT, SourceModule, readSource, renderSourceModule, writeWhenRun } from "./source-module";

const FUNCTIONS = path.join(ROOT, "functions");
export const FUNCTION_SOURCES_FILE = path.join(ROOT, "components", "functions", "function-sources.ts");

/** Every function module under functions/, by its path there (e.g. `rotation/steps.mjs`), sorted. */
function functionFiles(dir = FUNCTIONS): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) return functionFiles(full);
        return e.name.endsWith(".mjs") ? [path.relative(FUNCTIONS, full).split(path.sep).join("/")] : [];
    }).sort();
}

const MODULE: SourceModule = {
    file: FUNCTION_SOURCES_FILE, script: "scripts/generate-function-sources.ts", from: "functions/**/*.mjs", editInstead: "the function",
    body: () => [
        "/** The source of each module under functions/, by its path there; uploaded as it is (the runtime's AWS SDK v3, no bundler). */",
        "export const FUNCTION_SOURCES: Readonly<Record<string, string>> = {",
        ...functionFiles().map((file) => `    ${JSON.stringify(file)}: ${JSON.stringify(readSource("functions", file))},`),
        "};",
        "",
    ].join("\n"),
};

/** The generated module's text for the current functions/ sources. */
export function renderFunctionSources(): string {
    return renderSourceModule(MODULE);
}

writeWhenRun(module, MODULE);
