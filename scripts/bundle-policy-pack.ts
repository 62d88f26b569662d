// Bundles the policy pack into one self-contained directory for `pulumi policy publish`: the pack imports the shared
// standards (../standards, the one module the program imports too), which a publish of policy/ alone would leave out.
// usage: npm run policy:bundle [-- <out dir>]   (default dist/policy-pack; then `cd dist/policy-pack && npm install &&
// pulumi policy publish <org>`). esbuild inlines every local module and JSON table; @pulumi/* stay npm dependencies.
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const POLICY = path.join(ROOT, "policy");

/** Writes the bundled pack (index.js, package.json, PulumiPolicy.yaml) into `outDir` and returns the bundle's path. */
export function bundlePolicyPack(outDir: string): string {
    fs.mkdirSync(outDir, { recursive: true });
    const outfile = path.join(outDir, "index.js");
    esbuild.buildSync({
        entryPoints: [path.join(POLICY, "index.ts")], outfile, bundle: true, platform: "node", format: "cjs", target: "node22",
        external: ["@pulumi/*"], logLevel: "error",
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICY, "package.json"), "utf8"));
    const published = { name: pkg.name, version: pkg.version, description: pkg.description, main: "index.js", dependencies: pkg.dependencies };
    fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
    fs.copyFileSync(path.join(POLICY, "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
    return outfile;
}

if (require.main === module) {
    const out = path.resolve(process.argv[2] ?? path.join(ROOT, "dist", "policy-pack"));
    bundlePolicyPack(out);
    console.log(`bundled the policy pack into ${path.relative(process.cwd(), out) || "."}`);
}
