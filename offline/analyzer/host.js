// The policy pack's process, started the way `pulumi preview --policy-pack policy` starts it: a Node.js process that
// loads the pack's entry, whose `new PolicyPack(...)` serves @pulumi/policy's analyzer over gRPC and prints its port
// (node_modules/@pulumi/pulumi/cmd/run-policy-pack). Only the TypeScript loader differs: esbuild (offline/register.js)
// instead of ts-node, as in the rest of the offline loop. The process ends when its parent closes stdin.
const path = require("path");
require("../register.js");
process.stdin.on("end", () => process.exit(0)).on("error", () => process.exit(0)).resume();
readEachStructOnce();
require(path.resolve(__dirname, "..", "..", "policy", "index.ts"));

/**
 * @pulumi/policy's server deserializes a resource's properties from the request's protobuf Struct once per policy
 * (server.js: per resource policy in Analyze, per stack policy and resource in AnalyzeStack), and google-protobuf's
 * Struct.toJavaScript is most of the pack's time. The request is read-only, so its plain-JSON form is kept per Struct
 * object; `deserializeProperties` itself still runs for every policy and builds a fresh object tree each time (its
 * deserializeProperty copies every array and object), so no policy sees another's objects and the verdicts are the same.
 */
function readEachStructOnce() {
    const deserialize = require("@pulumi/policy/deserialize");
    const original = deserialize.deserializeProperties;
    const plain = new WeakMap();
    deserialize.deserializeProperties = (struct, proxySecrets) => {
        if (!struct || typeof struct !== "object") return original(struct, proxySecrets);
        if (!plain.has(struct)) plain.set(struct, struct.toJavaScript());
        const json = plain.get(struct);
        return original({ toJavaScript: () => json }, proxySecrets);
    };
}
