import { PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
// UnknownValueError is marked @internal in the typings, but it is what the engine's proxy throws; the class is exported.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: any[]) => Error };
import { FrameworkId, Mappings, primaryFramework } from "./frameworks";

export { Mappings } from "./frameworks";

/**
 * Every policy of this pack carries a severity, remediation steps and its framework mappings (cdk-nag style: several
 * control ids per framework where they apply, each checked against the framework's table in policy/frameworks/).
 */
export type PlatformPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
    severity: "low" | "medium" | "high" | "critical";
    remediationSteps: string;
    mappings: Mappings;
};

/** The mapping fields of a policy: `mappings`, and `framework` (the engine's single reference) from the first of them. */
export function mapped(mappings: Mappings): { mappings: Mappings; framework?: ReturnType<typeof primaryFramework> } {
    const framework = primaryFramework(mappings);
    return framework ? { mappings, framework } : { mappings };
}
export type { FrameworkId };

/** What `known` returns for a value that is unknown during preview (an output of a resource not created yet). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

/**
 * Reads a value that may be unknown during preview. The engine wraps props in @pulumi/policy's unknownCheckingProxy,
 * which throws UnknownValueError on reading an unknown; that would turn the whole policy into a "can't run" advisory.
 * Here the read returns UNKNOWN instead, and the policy decides what an unknown means for its check.
 */
export function known<T>(read: () => T): T | Unknown {
    try {
        return read();
    } catch (err) {
        if (err instanceof UnknownValueError) return UNKNOWN;
        throw err;
    }
}

/** True when `prop` is set on `props` (possibly to an unknown value): the proxy traps only `get`, so `in` never throws. */
export function present(props: Record<string, any> | undefined, prop: string): boolean {
    return !!props && typeof props === "object" && prop in props && known(() => props[prop]) !== undefined && known(() => props[prop]) !== null
        && known(() => props[prop]) !== "";
}

/** A known string value, or undefined when unknown or not a string. */
export function knownString(read: () => unknown): string | undefined {
    const v = known(read);
    return typeof v === "string" ? v : undefined;
}

/**
 * The resources of `type` whose `prop` input was computed from `target`. Property dependencies decide first (they are
 * known during preview); known values are the fallback for companions written against a literal name, and an unknown
 * value on either side never matches (it cannot be read before the resources exist).
 */
export function pointingAt(resources: PolicyResource[], type: string, prop: string, target: PolicyResource): PolicyResource[] {
    return resources.filter((r) => r.type === type && (
        (r.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn)
        || sameKnownValue(r, prop, target)
    ));
}

function sameKnownValue(r: PolicyResource, prop: string, target: PolicyResource): boolean {
    if ((r.propertyDependencies[prop] ?? []).length > 0) return false; // computed from other resources: the dependency decided
    const value = knownString(() => r.props[prop]);
    if (value === undefined) return false;
    return ["bucket", "id", "arn", "name"].some((k) => knownString(() => target.props[k]) === value);
}

/** The environment a resource belongs to, from its required `environment` tag; undefined if untagged or unknown. */
function environmentOf(props: Record<string, any>): string | undefined {
    return knownString(() => props.tags?.environment);
}

/** True when the resource is tagged as production (policies that apply only in prod use this). */
export function isProd(props: Record<string, any>): boolean {
    return environmentOf(props) === "prod";
}

/** The policy's config merged over its defaults (the engine applies schema defaults; this makes tests and offline runs agree). */
export function configOf<T extends object>(args: ResourceValidationArgs | StackValidationArgs, defaults: T): T {
    return { ...defaults, ...(args.getConfig<Partial<T>>() ?? {}) };
}

/** Parses a policy document given either as a JSON string or an object; undefined when it cannot be read. */
export function policyDocument(doc: unknown): { Statement?: any[] } | undefined {
    if (doc === UNKNOWN) return undefined;
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

/** True when a statement's principal is everyone: `"*"`, `{ AWS: "*" }` or `{ AWS: ["*", ...] }`. */
export function principalIsEveryone(statement: any): boolean {
    const p = statement?.Principal;
    return p === "*" || asList(p?.AWS).includes("*");
}

/** An AWS-managed key named by alias (`alias/aws/<service>`), bare or as an alias ARN. */
function isAwsManagedKeyRef(value: unknown): boolean {
    return typeof value === "string" && /(^|:)alias\/aws\//.test(value);
}

/**
 * The problem with a "customer-managed key required" input, or undefined. Missing fails; a known AWS-managed alias
 * fails; an unknown value passes: it is computed from a resource of this program (a key or alias it creates), while
 * an AWS-managed key can only be named literally (known during preview). Limitation: an AWS-managed key named by its
 * key ARN (e.g. from a data-source lookup) is not recognisable by shape.
 */
export function customerKeyProblem(props: Record<string, any>, prop: string, what: string): string | undefined {
    if (!present(props, prop)) return `${what} is not encrypted with a customer-managed key (${prop} missing)`;
    const value = known(() => props[prop]);
    return isAwsManagedKeyRef(value) ? `${what} uses the AWS-managed key ${value}, not a customer-managed key` : undefined;
}

/** The items of a list that may be unknown during preview, each known or UNKNOWN (a single value reads as one item). */
export function knownItems(read: () => unknown): unknown[] {
    const list = known(read);
    if (list === UNKNOWN) return [UNKNOWN];
    if (!Array.isArray(list)) return list === undefined ? [] : [list];
    const length = Number(known(() => list.length));
    return Array.from({ length }, (_, i) => known(() => list[i]));
}

/**
 * Condition keys that pin an Allow to "*" to known sources or principals, so it is not public (the keys IAM Access
 * Analyzer and S3's public-policy evaluation treat as restricting:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
 */
const PINNING_KEYS = ["aws:sourceip", "aws:sourcevpce", "aws:sourcevpc", "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner",
    "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn", "aws:userid", "kms:calleraccount"];

/** Why an Allow statement makes a resource public, or undefined: `Principal: "*"` without a pinning condition, or from a /0 range. */
export function publicAllowProblem(s: any): string | undefined {
    if (s?.Effect !== "Allow" || !principalIsEveryone(s)) return undefined;
    const blocks = Object.values<any>(s.Condition ?? {});
    const keys = blocks.flatMap((block) => Object.keys(block ?? {})).map((k) => k.toLowerCase());
    const sid = s.Sid ?? "(no Sid)";
    if (!keys.some((k) => PINNING_KEYS.includes(k))) return `statement ${sid} allows "*" without a condition fixing the source or principal`;
    const ranges = blocks.flatMap((block) =>
        Object.entries<any>(block ?? {})
            .filter(([k]) => k.toLowerCase() === "aws:sourceip")
            .flatMap(([, v]) => asList(v)),
    );
    return ranges.some((c) => /\/0$/.test(String(c))) ? `statement ${sid} allows "*" from a /0 range (public)` : undefined;
}

/** A resource policy for some types with one problem at most per resource: `forType` over several types. */
export function forAnyType(types: string[], check: (props: Record<string, any>, args: ResourceValidationArgs) => string | undefined) {
    return forTypes(types, (props, args) => [check(props, args)]);
}
