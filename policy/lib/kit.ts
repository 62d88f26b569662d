import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** Every policy of this pack carries a severity, remediation steps and (where one exists) a framework reference. */
export type PlatformPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
    severity: "low" | "medium" | "high" | "critical";
    remediationSteps: string;
};

/** A framework reference to AWS Foundational Security Best Practices. */
export function fsbp(reference: string, specification: string) {
    return { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference, specification };
}

/** A framework reference to the CIS AWS Foundations Benchmark. */
export function cis(reference: string, specification: string) {
    return { name: "CIS AWS Foundations Benchmark", version: "3.0.0", reference, specification };
}

/** The resources of `type` whose `prop` input was computed from `target` (works while ids are still unknown). */
export function pointingAt(resources: PolicyResource[], type: string, prop: string, target: PolicyResource): PolicyResource[] {
    return resources.filter((r) => r.type === type && (
        (r.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn)
        // Fallback for known values (e.g. a companion resource written against an imported bucket name).
        || (r.props[prop] !== undefined && [target.props.bucket, target.props.id, target.props.arn, target.props.name].includes(r.props[prop]))
    ));
}

/** The environment a resource belongs to, from its required `environment` tag; undefined if untagged. */
export function environmentOf(props: Record<string, any>): string | undefined {
    return props.tags?.environment;
}

/** True when the resource is tagged as production (policies that apply only in prod use this). */
export function isProd(props: Record<string, any>): boolean {
    return environmentOf(props) === "prod";
}

/** The stack's environment: the `environment` tag most resources carry. */
export function stackEnvironment(args: StackValidationArgs): string | undefined {
    return args.resources.map((r) => environmentOf(r.props)).find((e) => e !== undefined);
}

/** The policy's config merged over its defaults (the engine applies schema defaults; this makes tests and offline runs agree). */
export function configOf<T extends object>(args: ResourceValidationArgs | StackValidationArgs, defaults: T): T {
    return { ...defaults, ...(args.getConfig<Partial<T>>() ?? {}) };
}

/** Parses a policy document given either as a JSON string or an object; undefined when it cannot be read. */
export function policyDocument(doc: unknown): { Statement?: any[] } | undefined {
    if (typeof doc === "string") {
        try { return JSON.parse(doc); } catch { return undefined; }
    }
    return doc && typeof doc === "object" ? (doc as any) : undefined;
}

/** The statements of a policy document as a list (a single statement object is allowed by IAM). */
export function statements(doc: unknown): any[] {
    const parsed = policyDocument(doc);
    const s = parsed?.Statement;
    return Array.isArray(s) ? s : s ? [s] : [];
}

/** A value or list of values as a list. */
export function asList<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** A resource policy for one type: `check` returns the problem, or undefined when the resource complies. */
export function forType(type: string, check: (props: Record<string, any>, args: ResourceValidationArgs) => string | undefined) {
    return forTypes([type], (props, args) => [check(props, args)]);
}

/** A resource policy for some types: `check` returns the problems, empty when the resource complies. */
export function forTypes(types: string[], check: (props: Record<string, any>, args: ResourceValidationArgs) => (string | undefined)[]) {
    return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!types.includes(args.type)) return;
        for (const problem of check(args.props, args)) if (problem) reportViolation(`${args.name}: ${problem}`);
    };
}

/** A boolean input as the engine may hand it over (a boolean, or its string form from config). */
export const truthy = (v: unknown): boolean => v === true || v === "true";
