import { PolicyResource } from "@pulumi/policy";
import { asList, statements } from "../lib/kit";

/** An IAM glob (`*`, `?`) as a case-insensitive regular expression. */
export function glob(pattern: string): RegExp {
    return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
}

/** True when the statement's Action list covers `action`. */
export function coversAction(s: any, action: string): boolean {
    return asList<string>(s.Action).some((a) => glob(String(a)).test(action));
}

/** The condition keys a statement uses, lower-cased. */
export function conditionKeys(s: any): string[] {
    return Object.values<any>(s.Condition ?? {}).flatMap((block) => Object.keys(block ?? {})).map((k) => k.toLowerCase());
}

/** The values a statement's condition gives `key` (any operator). */
export function conditionValues(s: any, key: string): string[] {
    return Object.values<any>(s.Condition ?? {}).flatMap((block) => Object.entries(block ?? {}))
        .filter(([k]) => k.toLowerCase() === key.toLowerCase()).flatMap(([, v]) => asList<any>(v).map(String));
}

/** Allow statements of a policy document whose principal includes the service principal `service`. */
export function serviceStatements(doc: unknown, service: string): any[] {
    return statements(doc).filter((s) => s.Effect === "Allow" && asList<string>(s.Principal?.Service).includes(service));
}

/** Allow statements of an identity policy (no principal) covering `action` on a resource matching one of `resources`. */
export function identityAllows(doc: unknown, action: string, resourceMatches: (resource: string) => boolean): boolean {
    return statements(doc).some((s) => s.Effect === "Allow" && coversAction(s, action) && asList<string>(s.Resource).some((r) => resourceMatches(String(r))));
}

/** The identity policies that apply to a role: its inline RolePolicies and the managed Policies attached to it. */
export function policiesOfRole(role: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    // Stryker disable next-line ArrayDeclaration: equivalent: a string placed in the empty fallback has no urn, so it matches nothing either
    const pointsAtRole = (r: PolicyResource) => (r.propertyDependencies.role ?? []).some((d) => d.urn === role.urn)
        || (role.props.name !== undefined && r.props.role === role.props.name);
    const inline = resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && pointsAtRole(r));
    const attached = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && pointsAtRole(r))
        // Stryker disable next-line ArrayDeclaration: equivalent: a string in the empty fallback has no type, so the filter drops it
        .flatMap((a) => (a.propertyDependencies.policyArn ?? []).filter((p) => p.type === "aws:iam/policy:Policy"));
    return [...inline, ...attached];
}
