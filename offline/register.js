// Loads TypeScript for the test and plan loops with esbuild: it transpiles each file without type-checking in a
// fraction of the TypeScript compiler's time. `npm run typecheck` is the separate, complete check, and the real
// Pulumi CLI keeps running the program through ts-node as Pulumi.yaml says.
require("esbuild-register/dist/node").register({ target: "node20", format: "cjs", supported: { "dynamic-import": false } }); // import() becomes require()
// The Pulumi SDK takes a stack trace for each resource; mapping them through source maps cost most of a plan's
// time. Set TS_SOURCE_MAPS=1 to get TypeScript positions when debugging.
if (!process.env.TS_SOURCE_MAPS) Error.prepareStackTrace = undefined;
