import { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs, UnknownValueError } from "@pulumi/policy";
import { PlatformPolicy, asList, forTypes } from "../lib/kit";

/**
 * Preflight rules catch what AWS or Cloudflare would refuse at `pulumi up`, or what would deploy but not work.
 * Each one names the documentation page it rests on in `source`.
 */
export type PreflightPolicy = PlatformPolicy & { source: string };

/**
 * `fn()`, or `fallback` when it reads a value that is unknown in a preview (the engine's proxy throws UnknownValueError).
 * Preflight rules skip what they cannot know yet instead of turning the whole policy into "could not decide"; during
 * `up` the same inputs are known and the rule decides.
 */
export function whenKnown<T>(fn: () => T, fallback: T): T {
    try {
        return fn();
    } catch (err) {
        if (err instanceof UnknownValueError || (err as Error)?.constructor?.name === "UnknownValueError") return fallback;
        throw err;
    }
}

/** One input of a resource, or undefined while it is unknown. */
export function prop(r: { props: Record<string, any> }, key: string): any {
    return whenKnown(() => r.props[key], undefined);
}

/** A resource policy for some types whose check is skipped for a resource while a value it reads is unknown. */
export function forTypesWhenKnown(types: string[], check: (props: Record<string, any>, args: ResourceValidationArgs) => (string | undefined)[]) {
    return forTypes(types, (props, args) => whenKnown(() => check(props, args), []));
}

/** The AWS region a resource is created in: its provider's region, else the graph's one AWS default provider. */
export function regionOf(r: PolicyResource, resources: PolicyResource[]): string | undefined {
    const own = whenKnown(() => (r as any).provider?.props?.region, undefined) ?? prop(r, "region");
    if (typeof own === "string") return own;
    const regions = new Set(resources.filter((x) => x.type === "pulumi:providers:aws").map((x) => prop(x, "region")).filter((x) => typeof x === "string"));
    return regions.size === 1 ? [...regions][0] : undefined;
}

/** The resources of one of `types`. */
export function ofTypes(resources: PolicyResource[], types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** The resources a `prop` input of `r` was computed from. */
function sourcesOf(r: PolicyResource, prop: string): PolicyResource[] {
    return r.propertyDependencies[prop] ?? [];
}

/** Resources of `types` that `r`'s `prop` input points at, by property dependency or by a known name/ARN/id. */
export function referenced(
    r: PolicyResource, propName: string, resources: PolicyResource[], types: string[], keys: string[] = ["arn", "id", "name", "bucket"],
): PolicyResource[] {
    const byDep = sourcesOf(r, propName).filter((d) => types.includes(d.type));
    if (byDep.length) return byDep;
    const flatten = (v: any) => (typeof v === "object" && v ? Object.values(v) : [v]);
    const values = new Set(whenKnown(() => asList(r.props[propName]).flatMap(flatten).map(String), []));
    return ofTypes(resources, types).filter((t) => keys.some((k) => prop(t, k) !== undefined && values.has(String(prop(t, k)))));
}

/** A stack policy body over every resource of `types`: `check` returns the problems of one resource. */
export function eachOf(types: string[], check: (r: PolicyResource, args: StackValidationArgs) => (string | undefined)[]) {
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const r of ofTypes(args.resources, types)) {
            for (const problem of whenKnown(() => check(r, args), [])) if (problem) reportViolation(`${r.name}: ${problem}`, r.urn);
        }
    };
}

/** A number given as a number or its string form; undefined otherwise. */
export function num(v: unknown): number | undefined {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** A JSON document given as a string or an object. */
export function parsed(v: unknown): any {
    if (typeof v !== "string") return v;
    try { return JSON.parse(v); } catch { return undefined; }
}
