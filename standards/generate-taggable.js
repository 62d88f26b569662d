#!/usr/bin/env node
// Regenerates standards/taggable-types.json from the installed @pulumi/aws: a resource type is taggable when its
// class declares the `tagsAll` output, the marker @pulumi/aws puts on every resource that takes a tag map and
// honours the provider's defaultTags. Run after upgrading @pulumi/aws: `node standards/generate-taggable.js`.
const fs = require("fs");
const path = require("path");
const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
const types = [];
(function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) { if (entry.name !== "node_modules" && entry.name !== "types") walk(full); continue; }
        if (!entry.name.endsWith(".js")) continue;
        const token = /__pulumiType = '(aws:[^']+)'/.exec(fs.readFileSync(full, "utf8"))?.[1];
        const dts = full.replace(/\.js$/, ".d.ts");
        if (token && fs.existsSync(dts) && /readonly tagsAll: pulumi\.Output</.test(fs.readFileSync(dts, "utf8"))) types.push(token);
    }
})(root);
const version = require("@pulumi/aws/package.json").version;
const out = { source: `@pulumi/aws ${version}: resource classes that declare the tagsAll output`, types: [...new Set(types)].sort() };
fs.writeFileSync(path.join(__dirname, "taggable-types.json"), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${out.types.length} taggable types from @pulumi/aws ${version}`);
