import { strict as assert } from "assert";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { readEachStructOnce } = require("./struct-once");

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const deserialize = require("@pulumi/policy/deserialize");
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };

describe("analyzer host: each request Struct is read once", () => {
    it("gives every policy the same values as @pulumi/policy's own deserializeProperties, in objects of its own", () => {
        const patched = { deserializeProperties: deserialize.deserializeProperties }; // a copy: this process keeps the original
        readEachStructOnce(patched);
        const struct = Struct.fromJavaScript({ tags: { env: "prod" }, rules: [{ port: 443 }], password: SECRET, count: 2 });
        let reads = 0;
        const toJavaScript = struct.toJavaScript.bind(struct);
        struct.toJavaScript = () => { reads++; return toJavaScript(); };
        const expected = deserialize.deserializeProperties(Struct.fromJavaScript(struct.toJavaScript()), false);
        reads = 0;
        const first = patched.deserializeProperties(struct, false);
        const second = patched.deserializeProperties(struct, false);
        assert.deepEqual(first, expected);
        assert.deepEqual(second, expected);
        assert.equal(reads, 1, "the Struct is read once");
        first.tags.env = "changed by a policy";
        first.rules.push({ port: 80 });
        assert.deepEqual(second, expected, "one policy's objects are not another's");
        assert.deepEqual(patched.deserializeProperties(struct, false), expected, "nor the next one's");
    });
});
