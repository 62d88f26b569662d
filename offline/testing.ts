import { PlatformPolicy } from "../policy/lib/kit";
import { ProgramRun, RecordedResource, mapSecrets, runProgram } from "./engine";
import { Plan, PlanInProgress, PlanOptions, planStack, startPlan } from "./plan";
import { Violation, runPolicies } from "./policy-runner";
import { UNKNOWN } from "./wire";

// UnknownValueError's proxy is marked @internal in the typings; it is what the engine wraps a policy's props in.
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(o: T) => T };

/** The engine's marker of a value unknown until `up`: an input equal to it is unknown to the policies. */
export const UNKNOWN_INPUT: string = UNKNOWN;

/** `props` as the engine hands them to a policy in a first preview: reading a value equal to UNKNOWN_INPUT throws. */
export function atPreview<T extends object>(props: T): T {
    return unknownCheckingProxy(props);
}

/** What a test reads back: the registrations of one run, with small finders. */
export class Recorded {
    constructor(public readonly resources: RecordedResource[], public readonly outputs: Record<string, any> = {}) {}

    /** Every resource of a type token, e.g. `aws:s3/bucket:Bucket`. */
    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` named `name`; throws with the names present when there is none. */
    one(type: string, name: string): RecordedResource {
        const found = this.ofType(type).filter((r) => r.name === name);
        if (found.length !== 1) throw new Error(`expected one ${type} named ${name}; found: ${this.ofType(type).map((r) => r.name).join(", ") || "none"}`);
        return found[0];
    }

    /** Inputs with secrets unwrapped (tests may assert on them; the plan JSON never prints them). */
    inputsOf(r: RecordedResource): Record<string, any> {
        return mapSecrets(r.inputs, (v) => v);
    }

    /** The resources whose `prop` input was computed from `target` (a property dependency). */
    pointingAt(type: string, prop: string, target: RecordedResource): RecordedResource[] {
        return this.ofType(type).filter((r) => (r.propertyDependencies[prop] ?? []).includes(target.urn));
    }

    /** Direct children of a resource or component. */
    childrenOf(parent: RecordedResource): RecordedResource[] {
        return this.resources.filter((r) => r.parent === parent.urn);
    }
}

const planCache = new Map<string, PlanInProgress>();

/** The cached plan under way of a stack and mode (or variant), started on first use. */
function cachedStart(key: string, opts: PlanOptions): PlanInProgress {
    if (!planCache.has(key)) planCache.set(key, startPlan(opts));
    return planCache.get(key)!;
}

/** The cached plan under way of a project stack in one mode (default pack config). */
function stackStart(stack: string, opts: { preview?: boolean }): PlanInProgress {
    return cachedStart(`${stack}:${opts.preview ? "preview" : "update"}`, { stack, preview: opts.preview });
}

/**
 * The offline plan of a project stack (default pack config), computed once per test process and mode: the program is
 * deterministic, and one render of each stack in each mode is most of `npm test`'s time.
 */
export function stackPlan(stack: string, opts: { preview?: boolean } = {}): Promise<Plan> {
    return stackStart(stack, opts).plan;
}

/**
 * The recorded run of `stackPlan`'s render, as soon as the program has run: the pack's verdicts may still be coming
 * (from its own process, on the other core), and a test of the graph alone need not wait for them.
 */
export function stackRun(stack: string, opts: { preview?: boolean } = {}): Promise<ProgramRun> {
    return stackStart(stack, opts).run;
}

/**
 * `planStack` for tests (pass it to `runCli`): a project stack run with its own program reuses the cached render of
 * `stackPlan` and is analyzed again only when a pack config is given; a `--program` fixture is run afresh.
 */
export async function cachedPlan(opts: PlanOptions): Promise<Plan> {
    if (opts.program !== undefined || opts.run) return planStack(opts);
    const plan = await stackPlan(opts.stack, { preview: opts.preview });
    return opts.packConfig ? planStack({ ...opts, run: plan.run }) : plan;
}

/** The offline plan of another project's stack (`program`: its folder, e.g. examples/secure-ai-app), once per process. */
export function programPlan(program: string, stack: string): Promise<Plan> {
    return cachedStart(`${program}\u0000${stack}`, { program, stack }).plan;
}

/**
 * The offline plan of a project stack with one structured config key edited (`platform:edge` -> `{...edge, activeOrigin:
 * "dr"}`), computed once per test process and `label`. For the few variants a stack file cannot show at once.
 */
export function stackPlanVariant(stack: string, label: string, key: string, edit: (value: any) => unknown): Promise<Plan> {
    return cachedStart(`${stack}#${label}`, {
        stack, editConfig: (config) => ({ ...config, [key]: JSON.stringify(edit(config[key] === undefined ? undefined : JSON.parse(config[key]))) }),
    }).plan;
}

/**
 * Forgets the cached plans, so the next `stackPlan` runs the program again. Mutation testing needs it: Stryker keeps
 * one mocha process across mutants, and a plan cached before a mutant was switched on would hide it.
 */
export function forgetStackPlans(): void {
    planCache.clear();
}

/** The recorded graph of a project stack. */
export async function stackRecord(stack: string): Promise<Recorded> {
    const run = await stackRun(stack);
    return new Recorded(run.resources, run.outputs);
}

/**
 * Builds components under the mocked runtime and returns every registration, children included. `build` runs
 * inside a root stack, as a program would; the run ends when the runtime's queue is drained (no sleeps). `preview`
 * records it as the first `pulumi preview` of a new stack sees it.
 */
interface RecordOptions { stack?: string; region?: string; config?: Record<string, string>; preview?: boolean }

export async function record(build: () => unknown, opts: RecordOptions = {}): Promise<Recorded> {
    const run = await runProgram(
        async () => {
            await build();
        },
        {
            project: "platform",
            stack: opts.stack ?? "test",
            config: { "aws:region": opts.region ?? "eu-central-1", ...(opts.config ?? {}) },
            preview: opts.preview,
        },
    );
    return new Recorded(run.resources, run.outputs);
}

/** A recorded resource built by hand, for policy tests: `deps` are property dependencies on other fakes. */
export function fake(
    type: string,
    name: string,
    inputs: Record<string, any>,
    deps: Record<string, RecordedResource[]> = {},
    extra: Partial<RecordedResource> = {},
): RecordedResource {
    const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map((r) => r.urn)]));
    return {
        urn: `urn:pulumi:test::platform::${type}::${name}`, type, name, custom: true, protect: false, retainOnDelete: false,
        inputs, dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies, aliases: [], ...extra,
    };
}

/** Runs one policy over fake resources and returns its violation messages. */
export async function violationsOf(policy: PlatformPolicy, resources: RecordedResource[], config: Record<string, unknown> = {}): Promise<string[]> {
    const found: Violation[] = await runPolicies([policy], resources, Object.keys(config).length ? { [policy.name]: config } : {});
    return found.map((v) => v.message);
}

/** The standard tag set of a prod resource, for fakes that must pass the tagging policy. */
export const PROD_TAGS = {
    environment: "prod", project: "platform", service: "compliance-platform", owner: "platform-engineering",
    "data-classification": "confidential", "cost-center": "cc-1100-platform", "managed-by": "pulumi",
};

/**
 * Runs `build` with a project stack's real, validated config (and the standard tags applied), recording what it
 * registers. Layer tests use it to assert per stack without building the whole program.
 */
export async function recordWithStackConfig(stack: string, build: (cfg: import("../stacks/config").PlatformConfig) => unknown): Promise<Recorded> {
    const { readStackFiles } = await import("./stack-files");
    const { loadConfig } = await import("../stacks/config");
    const { applyStandardTags } = await import("../stacks/tagging");
    const files = readStackFiles(stack);
    const run = await runProgram(async () => {
        const cfg = loadConfig();
        applyStandardTags(cfg.tags);
        await build(cfg);
    }, { project: files.project, stack: files.stack, config: files.config, secretKeys: files.secretKeys });
    return new Recorded(run.resources, run.outputs);
}
