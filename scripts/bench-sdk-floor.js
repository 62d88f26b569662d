// The floor under the offline plan's time (README "Speed"): how long @pulumi/pulumi alone takes, under its own mocks,
// to load and register as many trivial resources as a stack has, with none of the plan's recording, transforms,
// policies or cost. Loaded as the plan is (offline/register.js), with the SDK's debugging aids off as in the plan
// (offline/fast-sdk.ts). usage: node --max-semi-space-size=64 -r ./offline/register.js scripts/bench-sdk-floor.js [resources=634]
const started = process.hrtime.bigint();
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
require("@pulumi/cloudflare");
const loaded = process.hrtime.bigint();
const count = Number(process.argv[2] ?? 634);
const ms = (from, to) => Number(to - from) / 1e6;

require("../offline/fast-sdk").fastSdk();

class Group extends pulumi.ComponentResource {
    constructor(name) {
        super("bench:index:Group", name, {});
    }
}

(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "bench", "floor", false);
    await pulumi.runtime.runInPulumiStack(async () => {
        let parent;
        // One component per ten resources, and pairs of a bucket and a policy that reads the bucket's computed outputs.
        for (let i = 0; i < count; i += 2) {
            if (i % 10 === 0) parent = new Group(`group-${i}`);
            const bucket = new aws.s3.Bucket(`bucket-${i}`, { bucket: `bench-${i}`, tags: { team: "platform", index: `${i}` } }, { parent });
            const policy = pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: pulumi.interpolate`${bucket.arn}/*` }],
            });
            new aws.s3.BucketPolicy(`policy-${i}`, { bucket: bucket.id, policy }, { parent });
        }
        return {};
    });
    await pulumi.runtime.waitForRPCs();
    const registered = process.hrtime.bigint();
    console.log(`load ${ms(started, loaded).toFixed(0)} ms, register ${count} resources ${ms(loaded, registered).toFixed(0)} ms`);
})();
