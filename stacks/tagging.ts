import * as pulumi from "@pulumi/pulumi";
import { TAGGABLE_TYPES as TAGGABLE } from "../standards/tags";

/**
 * A resource transform that writes the standard tag set into every taggable AWS resource's own `tags` input.
 * Provider defaultTags also apply them at deploy time, but they are invisible to the mocked runtime and to a
 * policy pack in preview; this makes the tags part of each resource's inputs. A resource's own tags win on a clash.
 * `registerResourceTransform` (not the deprecated stack transformation) runs in the engine, so it reaches the children
 * of packaged components too (https://www.pulumi.com/docs/iac/concepts/options/transforms/); the offline engine runs
 * it the same way (offline/transforms.ts). Props arrive resolved, as the engine sends them.
 */
export function applyStandardTags(tags: Readonly<Record<string, string>>): void {
    pulumi.runtime.registerResourceTransform((args) => {
        if (!TAGGABLE.has(args.type)) return undefined;
        return { props: { ...args.props, tags: { ...tags, ...(args.props.tags ?? {}) } }, opts: args.opts };
    });
}
