import * as pulumi from "@pulumi/pulumi";
import { TAGGABLE_TYPES } from "../standards/tags";

/** Tags a caller gives a component: merged onto every taggable AWS resource inside it. */
export type ComponentTags = Readonly<Record<string, string>>;

/**
 * The component's options with a transform that merges `tags` into the `tags` input of every taggable AWS resource
 * inside it (children and their children); a resource's own tags win on a clash. The engine runs it
 * (https://www.pulumi.com/docs/iac/concepts/options/transforms/: "a resource and all of its children"), so it needs no
 * change in any child. Without tags the options are returned as they are (nothing in the graph changes).
 */
export function withTags(opts: pulumi.ComponentResourceOptions | undefined, tags: ComponentTags | undefined): pulumi.ComponentResourceOptions | undefined {
    if (!tags || Object.keys(tags).length === 0) return opts;
    const transform: pulumi.ResourceTransform = (args) => !TAGGABLE_TYPES.has(args.type) ? undefined
        : { props: { ...args.props, tags: { ...tags, ...(args.props.tags ?? {}) } }, opts: args.opts };
    return { ...opts, transforms: [...(opts?.transforms ?? []), transform] };
}
