import { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { allPolicies } from "../policy/policies";
import { PlatformPolicy } from "../policy/lib/kit";
import { listSuppressions } from "../policy/lib/exceptions";
import { TAGGABLE_TYPES } from "../policy/tagging";
import { Plan } from "./plan";
import { levelOf, toPolicyResources } from "./policy-runner";
import { ReportDocument } from "./compliance-report";

// The compliance report's document for one planned stack (`npm run plan -- --stack <s> --report <file>`,
// scripts/compliance-reports.ts): every policy with its mappings and the resources it examined, the violations and
// the exceptions.

/**
 * The URNs whose properties `policy` reads when it runs over `resources`: the resources it applies to. Reads of `tags`
 * do not count (every policy reads them for exception tags and the environment); the two tag policies are scoped by
 * what they judge: taggable types, and resources carrying an exception tag.
 */
export async function examinedBy(policy: PlatformPolicy, resources: PolicyResource[]): Promise<string[]> {
    if (policy.name === "required-tags") return resources.filter((r) => TAGGABLE_TYPES.has(r.type)).map((r) => r.urn);
    if (policy.name === "compliance-exceptions") return [...new Set(listSuppressions(resources).map((s) => s.urn))];
    const seen = new Set<string>();
    const watched = resources.map((r) => ({
        ...r,
        props: new Proxy(r.props, {
            get: (o, k) => {
                if (k !== "tags") seen.add(r.urn);
                return (o as any)[k];
            },
        }),
    })) as PolicyResource[];
    const common = {
        getConfig: () => ({}) as any,
        notApplicable: (): never => {
            throw new Error("not applicable");
        },
        stackTags: new Map<string, string>(),
    };
    const p = policy as any;
    const ignore = () => undefined;
    if (typeof p.validateResource === "function") {
        for (const r of watched.filter((x) => !x.type.startsWith("pulumi:"))) {
            try {
                await p.validateResource(
                    { ...common, type: r.type, props: r.props, urn: r.urn, name: r.name, opts: r.opts } as unknown as ResourceValidationArgs,
                    ignore,
                );
            } catch {
                /* not applicable */
            }
        }
    }
    if (typeof p.validateStack === "function") {
        try { await p.validateStack({ ...common, resources: watched } as StackValidationArgs, ignore); } catch { /* not applicable */ }
    }
    return resources.filter((r) => seen.has(r.urn) && !r.type.startsWith("pulumi:")).map((r) => r.urn);
}

/** The report document of one planned stack. */
export async function reportDocument(plan: Plan): Promise<ReportDocument> {
    const resources = toPolicyResources(plan.run.resources);
    const pack = [];
    for (const p of allPolicies) {
        pack.push({ name: p.name, description: p.description, severity: p.severity, enforcementLevel: levelOf(p, plan.packConfig),
            mappings: p.mappings, examined: await examinedBy(p, resources) });
    }
    return {
        stack: plan.run.stack, project: plan.run.project,
        resources: plan.run.resources.filter((r) => r.custom).map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
        pack,
        violations: plan.violations.map((v) => ({ policy: v.policy, urn: v.urn ?? null, message: v.message, enforcementLevel: v.enforcementLevel })),
        suppressions: listSuppressions(resources),
    };
}

