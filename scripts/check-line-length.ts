// The line-length limit of `npm run lint`: no line over 160 characters in TypeScript/JavaScript. Lines that were
// longer when the limit came in are counted per file in .line-length-baseline.json; a file may only go down from
// its count (a ratchet), so new code keeps the limit without a repository-wide reformat.
// usage: node -r ./offline/register.js scripts/check-line-length.ts [--update]   (--update rewrites the baseline
// to today's counts: run it after shortening lines, never to admit new long ones)
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const MAX_LINE = 160;
const ROOT = path.resolve(__dirname, "..");
const BASELINE = path.join(ROOT, ".line-length-baseline.json");
/** Generated files are exempt (the Workers' source as one string literal). */
const EXEMPT = new Set(["components/edge/worker-sources.ts", "components/functions/function-sources.ts"]);

/** Lines over the limit per tracked source file (repository-relative paths). */
export function longLines(root = ROOT): Record<string, number> {
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "*.ts", "*.js", "*.mjs"], { cwd: root, encoding: "utf8" })
        .split("\n").filter((f) => f && !EXEMPT.has(f) && fs.existsSync(path.join(root, f)));
    const out: Record<string, number> = {};
    for (const file of files) {
        const count = fs.readFileSync(path.join(root, file), "utf8").split("\n").filter((l) => l.length > MAX_LINE).length;
        if (count > 0) out[file] = count;
    }
    return out;
}

/** The files whose count of long lines grew beyond the baseline, with a message each. */
export function lineLengthProblems(current: Record<string, number>, baseline: Record<string, number>): string[] {
    return Object.entries(current).filter(([file, n]) => n > (baseline[file] ?? 0))
        .map(([file, n]) => `${file}: ${n} lines over ${MAX_LINE} characters (allowed: ${baseline[file] ?? 0}); wrap the new ones`);
}

if (require.main === module) {
    const current = longLines();
    if (process.argv.includes("--update")) {
        const sorted = Object.fromEntries(Object.entries(current).sort(([a], [b]) => a.localeCompare(b)));
        fs.writeFileSync(BASELINE, `${JSON.stringify(sorted, null, 1)}\n`);
        console.log(`baseline: ${Object.values(current).reduce((a, b) => a + b, 0)} long lines in ${Object.keys(current).length} files`);
    } else {
        const problems = lineLengthProblems(current, JSON.parse(fs.readFileSync(BASELINE, "utf8")));
        for (const p of problems) console.error(p);
        if (problems.length) process.exit(1);
        console.log(`line length: no new line over ${MAX_LINE} characters`);
    }
}
