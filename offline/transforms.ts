import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

// The protobuf Struct of the SDK's own copy of google-protobuf (a dependency of @pulumi/pulumi, not of this project).
const SDK_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [SDK_DIR] }));

/**
 * Runs resource transforms (`pulumi.runtime.registerResourceTransform`, `ResourceOptions.transforms`) on each
 * RegisterResource request, as the Pulumi engine does: the SDK only registers them (under mocks, the mock monitor hands
 * stack transforms to `Mocks.registerTransform` and does not run them). The engine calls the resource's own transforms,
 * then those of its parent and each ancestor ("a resource and all of its children"), then the stack's in registration
 * order, each with the inputs the previous one returned, before the provider sees them
 * (https://www.pulumi.com/docs/iac/concepts/options/transforms/). Props go through the SDK's own (de)serialisation,
 * as in its transform callback. Options a transform may change here: protect, retainOnDelete, ignoreChanges and
 * dependsOn; the others are handed to it but not read back.
 */
export class TransformRunner {
    private readonly ownByUrn = new Map<string, { parent: string; own: pulumi.ResourceTransform[] }>();

    constructor(private readonly monitor: any, private readonly stackTransforms: readonly pulumi.ResourceTransform[]) {}

    /** Remembers a registered resource's own transforms, which its children inherit. */
    registered(req: any, urn: string): void {
        this.ownByUrn.set(urn, { parent: req.getParent(), own: this.ownOf(req) });
    }

    /** Applies the transforms that reach `req` to it, in place. */
    async apply(req: any): Promise<void> {
        const transforms = [...this.ownOf(req), ...this.inherited(req.getParent()), ...this.stackTransforms];
        if (transforms.length === 0) return;
        let props: Record<string, any> = req.getObject() ? pulumi.runtime.deserializeProperties(req.getObject()) : {};
        let opts: pulumi.CustomResourceOptions = {
            protect: req.getProtect(), retainOnDelete: req.getRetainondelete(), ignoreChanges: req.getIgnorechangesList(),
            dependsOn: req.getDependenciesList().map((urn: string) => new pulumi.DependencyResource(urn)),
        };
        let changed = false;
        for (const transform of transforms) {
            const result = await transform({ custom: req.getCustom(), type: req.getType(), name: req.getName(), props, opts });
            if (!result) continue;
            changed = true;
            props = result.props;
            opts = result.opts ?? opts;
        }
        if (!changed) return;
        req.setObject(Struct.fromJavaScript(await pulumi.runtime.serializeProperties("props", props)));
        if (opts.protect !== undefined) req.setProtect(opts.protect);
        if (opts.retainOnDelete !== undefined) req.setRetainondelete(opts.retainOnDelete);
        if (opts.ignoreChanges !== undefined) req.setIgnorechangesList(opts.ignoreChanges);
        // `promise()` is the SDK's internal way to await an Output, the one its own transform callback uses.
        const dependsOn: pulumi.Resource | pulumi.Resource[] = await (pulumi.output(opts.dependsOn ?? []) as any).promise();
        const urns: string[] = await Promise.all((Array.isArray(dependsOn) ? dependsOn : [dependsOn]).map((r) => (r.urn as any).promise()));
        req.setDependenciesList([...new Set([...req.getDependenciesList(), ...urns])]);
    }

    private ownOf(req: any): pulumi.ResourceTransform[] {
        return req.getTransformsList().map((cb: any) => this.monitor.transformCallbacks?.get(cb.getToken())).filter((t: unknown) => t !== undefined);
    }

    /** The own transforms of `parent` and each of its ancestors, nearest first. */
    private inherited(parent: string): pulumi.ResourceTransform[] {
        const out: pulumi.ResourceTransform[] = [];
        for (let urn = parent, entry = this.ownByUrn.get(urn); entry; urn = entry.parent, entry = this.ownByUrn.get(urn)) out.push(...entry.own);
        return out;
    }
}
