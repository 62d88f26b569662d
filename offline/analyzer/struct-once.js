// @pulumi/policy's server deserializes a resource's properties from the request's protobuf Struct once per policy
// (server.js: per resource policy in Analyze, per stack policy and resource in AnalyzeStack), and google-protobuf's
// Struct.toJavaScript is most of the pack's time. The request is read-only, so its plain-JSON form is kept per Struct
// object; `deserializeProperties` itself still runs for every policy and builds a fresh object tree each time (its
// deserializeProperty copies every array and object), so no policy sees another's objects and the verdicts are the same.

/** Makes `deserialize.deserializeProperties` (the module @pulumi/policy/deserialize) read each Struct only once. */
function readEachStructOnce(deserialize) {
    const original = deserialize.deserializeProperties;
    const plain = new WeakMap();
    deserialize.deserializeProperties = (struct, proxySecrets) => {
        if (!struct || typeof struct !== "object") return original(struct, proxySecrets);
        if (!plain.has(struct)) plain.set(struct, struct.toJavaScript());
        const json = plain.get(struct);
        return original({ toJavaScript: () => json }, proxySecrets);
    };
}

module.exports = { readEachStructOnce };
