import { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { knownString } from "./kit";
import type { PlatformPolicy } from "./kit";
import { EXCEPTION_TAG_PREFIX, exceptionTag } from "../../standards/tags";

export { EXCEPTION_TAG_PREFIX, exceptionTag };

/**
 * Suppressions with reasons (cdk-nag's NagSuppressions, as tags; the key is standards/tags.ts `exceptionTag`). A
 * resource excepted from a policy carries the tag `compliance-exception:<policy-name>` whose value is the reason.
 * Untaggable companions (bucket policy, SSE configuration, ...) take the exception of the resource they join to through their `bucket` property dependency.
 * Tag values allow letters, digits, spaces and _ . : / = + - @ and at most 256 characters
 * (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html), so reasons are written in that charset.
 */
/** The exception reasons a resource's tags carry, by policy name (unknown tags read as none). */
export function exceptionsOf(props: Record<string, any> | undefined): Record<string, string> {
    const tags = props?.tags;
    if (!tags || typeof tags !== "object") return {};
    const out: Record<string, string> = {};
    for (const key of Object.keys(tags).filter((k) => k.startsWith(EXCEPTION_TAG_PREFIX))) {
        out[key.slice(EXCEPTION_TAG_PREFIX.length)] = knownString(() => tags[key]) ?? "";
    }
    return out;
}

/** Companion properties through which an untaggable resource belongs to a taggable one. */
const OWNER_PROPS = ["bucket"];

/** The resource whose tags speak for `r`: itself, or the bucket (etc.) it is a companion of. */
function exceptionHolder(r: PolicyResource): PolicyResource {
    for (const prop of OWNER_PROPS) {
        const owner = (r.propertyDependencies?.[prop] ?? [])[0];
        if (owner && !("tags" in (r.props ?? {}))) return owner;
    }
    return r;
}

/** The reason `r` is excepted from `policy`, or undefined when it is not. */
export function exceptionFor(r: PolicyResource, policy: string): string | undefined {
    return exceptionsOf(exceptionHolder(r).props)[policy] ?? exceptionsOf(r.props)[policy];
}

/**
 * Makes a policy honour exception tags: a resource policy skips an excepted resource; a stack policy drops the
 * violations it reports for an excepted resource (or one whose owner is excepted). Applied in place, so each
 * domain module's exports are the policies the pack runs.
 */
export function honourExceptions<T extends PlatformPolicy>(policies: T[]): T[] {
    for (const policy of policies) {
        const p = policy as any;
        if (typeof p.validateResource === "function") {
            const inner = p.validateResource;
            p.validateResource = (args: ResourceValidationArgs, report: ReportViolation) =>
                exceptionsOf(args.props)[policy.name] !== undefined ? undefined : inner(args, report);
        }
        if (typeof p.validateStack === "function") {
            const inner = p.validateStack;
            p.validateStack = (args: StackValidationArgs, report: ReportViolation) => {
                const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
                return inner(args, (message: string, urn?: string) => {
                    const r = urn ? byUrn.get(urn) : undefined;
                    if (r && exceptionFor(r, policy.name) !== undefined) return;
                    report(message, urn);
                });
            };
        }
    }
    return policies;
}

/** One suppression as the plan and the compliance report list it. */
export interface Suppression {
    policy: string;
    urn: string;
    reason: string;
    owner: string;
}

/** Every suppression in a stack: the exception tags of its resources, with the reason and the resource's owner tag. */
export function listSuppressions(resources: Array<{ urn: string; props: Record<string, any> }>): Suppression[] {
    return resources.flatMap((r) => Object.entries(exceptionsOf(r.props)).map(([policy, reason]) => ({
        policy, urn: r.urn, reason, owner: knownString(() => r.props.tags?.owner) ?? "(no owner tag)",
    })));
}
