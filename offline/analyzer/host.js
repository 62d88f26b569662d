// The policy pack's process, started the way `pulumi preview --policy-pack policy` starts it: a Node.js process that
// loads the pack's entry, whose `new PolicyPack(...)` serves @pulumi/policy's analyzer over gRPC and prints its port
// (node_modules/@pulumi/pulumi/cmd/run-policy-pack). Only the TypeScript loader differs: esbuild (offline/register.js)
// instead of ts-node, as in the rest of the offline loop, and each request's property Structs are read once
// (./struct-once.js). The process ends when its parent closes stdin.
const path = require("path");
require("../register.js");
process.stdin.on("end", () => process.exit(0)).on("error", () => process.exit(0)).resume();
require("./struct-once").readEachStructOnce(require("@pulumi/policy/deserialize"));
require(path.resolve(__dirname, "..", "..", "policy", "index.ts"));
