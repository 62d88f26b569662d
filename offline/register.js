// Loads TypeScript for the test and plan loops with esbuild: it transpiles each file without type-checking in a
// fraction of the TypeScript compiler's time. `npm run typecheck` is the separate, complete check, and the real
// Pulumi CLI keeps running the program through ts-node as Pulumi.yaml says.
// Transpiled files are cached on disk by content (the OS temp folder), so a run only transpiles what changed.
// Set TS_SOURCE_MAPS=1 to get TypeScript positions in stack traces when debugging (inline source maps, no cache).
const crypto = require("crypto");
const fs = require("fs");
const os = require("os");
const path = require("path");

const sourceMaps = !!process.env.TS_SOURCE_MAPS;
const esbuildVersion = require("esbuild/package.json").version;
const cacheDir = path.join(os.tmpdir(), `platform-offline-ts-${typeof process.getuid === "function" ? process.getuid() : "user"}`);
const tsconfigs = new Map();

/** The compiler options of the nearest tsconfig.json that esbuild reads (target, class fields, interop). */
function tsconfigOf(dir) {
    if (tsconfigs.has(dir)) return tsconfigs.get(dir);
    const file = path.join(dir, "tsconfig.json");
    const parent = path.dirname(dir);
    let raw;
    if (fs.existsSync(file)) {
        const options = JSON.parse(fs.readFileSync(file, "utf8")).compilerOptions ?? {};
        const read = ["target", "useDefineForClassFields", "esModuleInterop", "experimentalDecorators", "importsNotUsedAsValues", "verbatimModuleSyntax"];
        raw = JSON.stringify({ compilerOptions: Object.fromEntries(read.map((key) => [key, options[key]])) });
    } else {
        raw = parent === dir ? "{}" : tsconfigOf(parent);
    }
    tsconfigs.set(dir, raw);
    return raw;
}

function transpile(code, filename) {
    const tsconfigRaw = tsconfigOf(path.dirname(filename));
    // `dynamic-import: false`: import() becomes require(), as in the CommonJS program Pulumi runs.
    const options = { sourcefile: filename, loader: "ts", format: "cjs", target: "node20", tsconfigRaw, supported: { "dynamic-import": false } };
    if (sourceMaps) return require("esbuild").transformSync(code, { ...options, sourcemap: "inline" }).code;
    const key = crypto.createHash("sha1").update(`${esbuildVersion}\0${tsconfigRaw}\0${filename}\0`).update(code).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        const js = require("esbuild").transformSync(code, options).code;
        try {
            fs.mkdirSync(cacheDir, { recursive: true });
            const tmp = `${cached}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, js);
            fs.renameSync(tmp, cached); // atomic: parallel processes never read half a file
        } catch { /* a read-only temp folder only costs speed */ }
        return js;
    }
}

require.extensions[".ts"] = (module, filename) => {
    module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
if (sourceMaps) process.setSourceMapsEnabled(true);
// V8's compile cache (Node.js 22.1+) keeps the bytecode of every module loaded, the SDKs' and the transpiled ones, in
// the same temp folder: a run then skips most of the compilation of @pulumi/pulumi, @pulumi/aws and the program.
// https://nodejs.org/api/module.html#moduleenablecompilecachecachedir
if (!sourceMaps) require("module").enableCompileCache?.(path.join(cacheDir, "v8"));
// The SDK's TypeScript compiler and npm Arborist load on first use (./lazy-sdk-modules.js).
require("./lazy-sdk-modules");
