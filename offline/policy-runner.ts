import { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PlatformPolicy } from "../policy/lib/kit";
import { RecordedResource, mapSecrets } from "./engine";

/** One reported violation, as `pulumi preview` prints it. */
export interface Violation {
    policy: string;
    enforcementLevel: string;
    severity: string;
    urn?: string;
    message: string;
}

/** Per-policy settings as `--policy-pack-config` gives them: `{ "<policy>": { enforcementLevel?, ...params } }` or a bare level. */
export type PackConfig = Record<string, string | ({ enforcementLevel?: string } & Record<string, unknown>)>;

class NotApplicable extends Error {}

/** The level a policy runs at after the pack config is applied. */
export function levelOf(policy: PlatformPolicy, config: PackConfig = {}): string {
    const c = config[policy.name];
    const all = typeof config.all === "string" ? config.all : undefined;
    return (typeof c === "string" ? c : c?.enforcementLevel) ?? all ?? policy.enforcementLevel ?? "advisory";
}

/** Schema defaults under the pack config's parameters, as the engine hands them to `getConfig()`. */
function configFor(policy: PlatformPolicy, config: PackConfig): Record<string, unknown> {
    const defaults = Object.fromEntries(Object.entries<any>(policy.configSchema?.properties ?? {})
        .filter(([, schema]) => schema && typeof schema === "object" && "default" in schema)
        .map(([key, schema]) => [key, schema.default]));
    const c = config[policy.name];
    const { enforcementLevel: _level, ...params } = typeof c === "object" ? c : {};
    return { ...defaults, ...params };
}

/** Builds the engine's view of the recorded graph: PolicyResource objects linked by parent and dependencies. */
export function toPolicyResources(recorded: RecordedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    for (const r of recorded) {
        const props = mapSecrets(r.inputs, (v) => v);
        byUrn.set(r.urn, {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props,
            opts: {
                protect: r.protect,
                ignoreChanges: [],
                aliases: r.aliases,
                customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
                additionalSecretOutputs: [],
                parent: r.parent,
            },
            dependencies: [],
            propertyDependencies: {},
            isType: (cls: any) => cls?.__pulumiType === r.type,
            asType: (cls: any) => (cls?.__pulumiType === r.type ? props : undefined),
        } as unknown as PolicyResource);
    }
    for (const r of recorded) {
        const res = byUrn.get(r.urn)! as any;
        const find = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        res.dependencies = find(r.dependencies);
        res.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, find(urns)]));
        if (r.parent) res.parent = byUrn.get(r.parent);
        const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
        const provider = providerUrn ? byUrn.get(providerUrn) : undefined;
        if (provider) res.provider = { type: provider.type, name: provider.name, urn: provider.urn, props: provider.props };
    }
    return recorded.map((r) => byUrn.get(r.urn)!);
}

/**
 * The whole pack's verdicts on a recorded run under the default pack config, once a plan has them (offline/plan.ts
 * hands each plan's over). The pack's policies do not depend on one another, so the verdicts of some of them on the
 * same run are these, filtered: a test that checks a few policies on a stack it planned reuses the plan's analysis.
 */
const packVerdicts = new WeakMap<RecordedResource[], Promise<Violation[]>>();

/** Remembers the whole pack's verdicts (default pack config) on the run whose resources these are. */
export function rememberPackVerdicts(resources: RecordedResource[], verdicts: Promise<Violation[]>): void {
    verdicts.catch(() => undefined); // a failed analysis is reported where the plan is awaited; runPolicies then analyzes afresh
    packVerdicts.set(resources, verdicts);
}

/** The remembered verdicts of these policies on `recorded`, or undefined when no plan of that run has them. */
async function rememberedVerdicts(policies: PlatformPolicy[], recorded: RecordedResource[], config: PackConfig): Promise<Violation[] | undefined> {
    const remembered = Object.keys(config).length === 0 ? packVerdicts.get(recorded) : undefined;
    const all = await remembered?.catch(() => undefined);
    if (!all) return undefined;
    const names = new Set(policies.map((p) => p.name));
    return all.filter((v) => names.has(v.policy));
}

/**
 * Runs policies over a graph and returns the violations in order. A graph the engine recorded goes through the pack's
 * own analyzer (offline/analyzer), exactly as the plan does; hand-built fakes (policy unit tests) call the policies
 * directly with the argument shapes the engine uses.
 */
export async function runPolicies(policies: PlatformPolicy[], recorded: RecordedResource[], config: PackConfig = {}): Promise<Violation[]> {
    // Mutation runs set OFFLINE_POLICIES_IN_PROCESS: Stryker activates a mutant in this process only, so the analyzer
    // child would judge with the unmutated pack and every mutant would look covered by nothing.
    if (process.env.OFFLINE_POLICIES_IN_PROCESS !== "1" && recorded.length && recorded.every((r) => r.engineInputs)) {
        const [{ analyze }, { analyzerInfo }] = await Promise.all([import("./analyzer/analyze"), import("./analyzer/client")]);
        const inPack = new Set((await analyzerInfo()).policies.map((p) => p.name));
        // A policy the pack does not serve (a test's own) can only be called here.
        // Only the requests the chosen policies read: Analyze for resource policies, AnalyzeStack for stack policies.
        const sends = { analyze: policies.some((p) => "validateResource" in p), analyzeStack: policies.some((p) => "validateStack" in p) };
        if (policies.every((p) => inPack.has(p.name))) {
            return (await rememberedVerdicts(policies, recorded, config)) ?? (await analyze(recorded, config, policies.map((p) => p.name), sends)).violations;
        }
    }
    return callPolicies(policies, toPolicyResources(recorded), config);
}

/** Where a policy could not decide because it read a value unknown at preview: the policy, the resource (or "stack"). */
export type OnUndecided = (policy: string, where: string, message: string) => void;

/**
 * Calls the policies in this process with the argument shapes the engine uses (for fakes without the engine's wire
 * form, and for graphs a test makes partly unknown). A policy that reads an unknown value throws UnknownValueError; the
 * engine makes that an advisory "could not decide", and so does `onUndecided` when given (else the error propagates).
 */
export async function callPolicies(policies: PlatformPolicy[], resources: PolicyResource[], config: PackConfig = {}, onUndecided?: OnUndecided):
    Promise<Violation[]> {
    const violations: Violation[] = [];
    for (const policy of policies) {
        const enforcementLevel = levelOf(policy, config);
        if (enforcementLevel === "disabled") continue;
        const params = configFor(policy, config);
        const common = {
            getConfig: () => params as any,
            notApplicable: (reason?: string): never => { throw new NotApplicable(reason); },
            stackTags: new Map<string, string>(),
        };
        const report = (fallbackUrn?: string) => (message: string, urn?: string) =>
            violations.push({ policy: policy.name, enforcementLevel, severity: policy.severity, urn: urn ?? fallbackUrn, message });
        const undecided = onUndecided && ((where: string) => (message: string) => onUndecided(policy.name, where, message));
        try {
            if ("validateResource" in policy && policy.validateResource) {
                const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
                for (const r of resources.filter((x) => !x.type.startsWith("pulumi:"))) {
                    const args: ResourceValidationArgs = {
                        ...common,
                        type: r.type,
                        props: r.props,
                        urn: r.urn,
                        name: r.name,
                        opts: r.opts,
                        provider: r.provider,
                        isType: r.isType,
                        asType: r.asType as any,
                    };
                    for (const validate of validations) await runGuarded(() => validate(args, report(r.urn)), undecided?.(r.name));
                }
            }
            if ("validateStack" in policy && policy.validateStack) {
                const args = { ...common, resources } as StackValidationArgs;
                await runGuarded(() => policy.validateStack(args, report()), undecided?.("stack"));
            }
        } catch (err) {
            throw new Error(`policy ${policy.name} failed: ${(err as Error).message}`);
        }
    }
    return violations;
}

// The engine's UnknownValueError (marked @internal in @pulumi/policy's typings), thrown by a read of an unknown value.
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: any[]) => Error };

async function runGuarded(fn: () => unknown, undecided?: (message: string) => void): Promise<void> {
    try {
        await fn();
    } catch (err) {
        if (err instanceof NotApplicable) return;
        if (undecided && err instanceof UnknownValueError) return undecided(err.message);
        throw err;
    }
}
