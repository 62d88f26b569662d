import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { record } from "./testing";

const BUCKET = "aws:s3/bucket:Bucket";

/** A component that knows nothing of tags, like a packaged one (awsx, eks). */
class Shelf extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("platform:test:Shelf", name, {}, opts);
        new aws.s3.Bucket(`${name}-bucket`, { tags: { Name: name } }, { parent: this });
        this.registerOutputs({});
    }
}

const addTag = (key: string, value: string): pulumi.ResourceTransform => (args) => args.type !== BUCKET ? undefined
    : { props: { ...args.props, tags: { [key]: value, ...(args.props.tags ?? {}) } }, opts: args.opts };

describe("offline engine: resource transforms (pulumi.runtime.registerResourceTransform), run as the engine runs them", () => {
    it("apply a stack transform to every later registration, children of components included, before the provider sees the inputs", async () => {
        const rec = await record(() => {
            pulumi.runtime.registerResourceTransform(addTag("environment", "dev"));
            new Shelf("shelf");
            new aws.s3.Bucket("loose", {});
        });
        assert.deepEqual(rec.inputsOf(rec.one(BUCKET, "shelf-bucket")).tags, { environment: "dev", Name: "shelf" }, "the resource's own tags win");
        assert.deepEqual(rec.inputsOf(rec.one(BUCKET, "loose")).tags, { environment: "dev" });
        assert.equal(rec.one("platform:test:Shelf", "shelf").inputs.tags, undefined, "only what the transform chooses changes");
    });

    it("run a component's transforms on its children and their children (the option applies to a resource and all of its children)", async () => {
        const rec = await record(() => {
            const outer = new pulumi.ComponentResource("platform:test:Outer", "outer", {}, { transforms: [addTag("team", "data")] });
            new Shelf("inner", { parent: outer });
            new aws.s3.Bucket("outside", {});
        });
        assert.deepEqual(rec.inputsOf(rec.one(BUCKET, "inner-bucket")).tags, { team: "data", Name: "inner" });
        assert.equal(rec.inputsOf(rec.one(BUCKET, "outside")).tags, undefined, "a resource outside the component is untouched");
    });

    it("run the resource's own transforms (ResourceOptions.transforms) before the stack's, and apply protect and dependsOn", async () => {
        const rec = await record(() => {
            pulumi.runtime.registerResourceTransform((args) => args.type !== BUCKET ? undefined
                : { props: { ...args.props, tags: { ...(args.props.tags ?? {}), order: `${args.props.tags?.order ?? ""}stack` } }, opts: args.opts });
            const first = new aws.s3.Bucket("first", {});
            new aws.s3.Bucket("second", {}, {
                transforms: [(args) => ({
                    props: { ...args.props, tags: { order: "own," } },
                    opts: pulumi.mergeOptions(args.opts, { protect: true, dependsOn: [first] }),
                })],
            });
        });
        const second = rec.one(BUCKET, "second");
        assert.deepEqual(rec.inputsOf(second).tags, { order: "own,stack" });
        assert.equal(second.protect, true);
        assert.ok(second.dependencies.includes(rec.one(BUCKET, "first").urn), "dependsOn from a transform is a dependency");
    });
});
