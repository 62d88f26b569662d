import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_ROOT } from "./stack-files";

const { DEFERRED } = require("./lazy-sdk-modules") as { DEFERRED: { request: string; from: string }[] };

describe("offline loader: the SDK's TypeScript compiler and npm Arborist load on first use", () => {
    it("each deferred module is still required by the SDK file named (an SDK upgrade that moves it fails here)", () => {
        for (const { request, from } of DEFERRED) {
            const file = path.join(PROJECT_ROOT, "node_modules", from);
            assert.ok(fs.existsSync(file), `${from} exists`);
            assert.ok(fs.readFileSync(file, "utf8").includes(`require("${request}")`), `${from} requires ${request}`);
        }
    });

    it("loading the three SDKs leaves both unloaded (in a fresh process, as the plan CLI and the pack start)", () => {
        const script = 'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/cloudflare");'
            + 'console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](typescript|@npmcli[\\\\/]arborist)[\\\\/]/.test(f))))';
        const out = execFileSync(process.execPath, ["-r", "./offline/register.js", "-e", script], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.deepEqual(JSON.parse(out), []);
    });

    it("the SDK gets the real modules when it uses them: TypeScript's members, Arborist's class, a serialized function", async () => {
        const ts = require("@pulumi/pulumi/typescript-shim");
        const real = require("typescript");
        assert.equal(ts.version, real.version);
        assert.equal(ts.createSourceFile, real.createSourceFile);
        assert.ok("SyntaxKind" in ts && Object.keys(ts).includes("SyntaxKind"));
        // serializeFunction parses the function's text with the TypeScript compiler.
        const serialized = await pulumi.runtime.serializeFunction(() => 40 + 2);
        assert.match(serialized.text, /40 \+ 2/);
        // computeCodePaths builds its dependency tree with Arborist's class.
        const paths = await pulumi.runtime.computeCodePaths({ extraIncludePackages: ["yaml"] });
        assert.ok([...paths.keys()].some((p) => p.includes(`node_modules${path.sep}yaml`)), [...paths.keys()].join(", "));
    });
});
