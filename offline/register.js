// Loads TypeScript without type-checking: `npm run typecheck` is the separate, complete check,
// so the test and plan loops do not pay for the compiler on every run.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "..", "tsconfig.json");
require("ts-node/register");
