import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bundlePolicyPack } from "../scripts/bundle-policy-pack";
import { WORKER_SOURCES_FILE, renderWorkerSources } from "../scripts/generate-worker-sources";
import { FUNCTION_SOURCES_FILE, renderFunctionSources } from "../scripts/generate-function-sources";

const ROOT = path.resolve(__dirname, "..");

/** The non-test TypeScript files under `dir`. */
function sources(dir: string): string[] {
    return fs.readdirSync(path.join(ROOT, dir), { recursive: true }).map(String)
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => path.join(dir, f));
}

/** Every module specifier a file imports, requires or re-exports. */
function specifiersOf(file: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)"([^"]+)"/g)].map((m) => m[1]);
}

/** The repository folder (first path segment) a relative specifier of `file` lands in. */
function folderOf(file: string, specifier: string): string {
    return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), specifier)).split(path.sep)[0];
}

const NODE_IO = /^(node:)?(fs|fs\/promises|path|child_process|os|net|http|https)$/;

describe("library boundaries", () => {
    it("components/ imports only itself, standards/ and npm packages: nothing from policy/, stacks/, offline/ or scripts/", () => {
        const outside = sources("components").flatMap((file) => specifiersOf(file).filter((s) => s.startsWith("."))
            .filter((s) => !["components", "standards"].includes(folderOf(file, s))).map((s) => `${file} imports ${s}`));
        assert.deepEqual(outside, []);
    });

    it("components/ reads no files: no fs/path/child_process, no JSON imports, no __dirname, no readFileSync", () => {
        const found = sources("components").flatMap((file) => {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            const bad = specifiersOf(file).filter((s) => NODE_IO.test(s) || s.endsWith(".json")).map((s) => `${file} imports ${s}`);
            // generated: the Worker and function sources as string literals
            if (file.endsWith("worker-sources.ts") || file.endsWith("function-sources.ts")) return bad;
            for (const word of ["__dirname", "readFileSync", "process.cwd"]) if (text.includes(word)) bad.push(`${file} uses ${word}`);
            return bad;
        });
        assert.deepEqual(found, []);
    });

    it("every component's Args interface is readonly: a component never changes what its caller passed", () => {
        const writable = sources("components").flatMap((file) => {
            const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
            let args: string | undefined;
            return lines.flatMap((line) => {
                const opened = /^export interface (\w*Args)\b/.exec(line);
                if (opened) args = opened[1];
                else if (args && line.startsWith("}")) args = undefined;
                else if (args && /^ {4}[A-Za-z]\w*\??:/.test(line)) return [`${file} ${args}.${line.trim().split(/\??:/)[0]}`];
                return [];
            });
        });
        assert.deepEqual(writable, []);
    });

    it("standards/ depends on nothing: no imports outside itself, no npm packages, no Node I/O", () => {
        const found = sources("standards").flatMap((file) => specifiersOf(file)
            .filter((s) => !s.startsWith(".") || folderOf(file, s) !== "standards").map((s) => `${file} imports ${s}`));
        assert.deepEqual(found, []);
    });

    it("the policy pack imports from outside policy/ only the shared standards/", () => {
        const found = sources("policy").flatMap((file) => specifiersOf(file).filter((s) => s.startsWith("."))
            .filter((s) => !["policy", "standards"].includes(folderOf(file, s))).map((s) => `${file} imports ${s}`));
        assert.deepEqual(found, []);
    });

    it("bundles the policy pack into one directory that needs only @pulumi packages (npm run policy:bundle, for publishing)", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
        try {
            const bundle = fs.readFileSync(bundlePolicyPack(out), "utf8");
            const required = new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
            assert.deepEqual([...required].filter((r) => !r.startsWith("@pulumi/")), []);
            assert.ok(bundle.includes("platform-baseline") && bundle.includes("alb-cloudflare-only"), "the pack and its policies are in the bundle");
            const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
            assert.equal(pkg.main, "index.js");
            assert.ok(fs.existsSync(path.join(out, "PulumiPolicy.yaml")));
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("carries the Workers' current source (components/edge/worker-sources.ts is generated from workers/)", () => {
        assert.equal(fs.readFileSync(WORKER_SOURCES_FILE, "utf8"), renderWorkerSources(),
            "run node -r ./offline/register.js scripts/generate-worker-sources.ts");
    });

    it("carries the Lambda functions' current source (components/functions/function-sources.ts is generated from functions/)", () => {
        assert.equal(fs.readFileSync(FUNCTION_SOURCES_FILE, "utf8"), renderFunctionSources(),
            "run node -r ./offline/register.js scripts/generate-function-sources.ts");
    });
});
