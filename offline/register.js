// Loads TypeScript without type-checking: `npm run typecheck` is the separate, complete check,
// so the test and plan loops do not pay for the compiler on every run.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "..", "tsconfig.json");
require("ts-node/register");
// ts-node maps every stack trace through source maps, and the Pulumi SDK takes a stack trace for each resource it
// registers: that mapping was most of a plan's time. Set TS_SOURCE_MAPS=1 to get TypeScript positions when debugging.
if (!process.env.TS_SOURCE_MAPS) Error.prepareStackTrace = undefined;
