import * as pulumi from "@pulumi/pulumi";
import { TAGGABLE_TYPES as TAGGABLE } from "../standards/tags";

/**
 * A stack transformation that writes the standard tag set into every taggable AWS resource's own `tags` input.
 * Provider defaultTags also apply them at deploy time, but they are invisible to the mocked runtime and to a
 * policy pack in preview; this makes the tags part of each resource's inputs. A resource's own tags win on a clash.
 */
export function applyStandardTags(tags: Readonly<Record<string, string>>): void {
    pulumi.runtime.registerStackTransformation((args) => {
        if (!TAGGABLE.has(args.type)) return undefined;
        const own = args.props.tags;
        return {
            props: { ...args.props, tags: own === undefined ? { ...tags } : pulumi.output(own).apply((t) => ({ ...tags, ...(t ?? {}) })) },
            opts: args.opts,
        };
    });
}
