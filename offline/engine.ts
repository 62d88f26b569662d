import * as pulumi from "@pulumi/pulumi";
import { MockCloud, digest } from "./mock-cloud";
import { fastSdk } from "./fast-sdk";
import { TransformRunner } from "./transforms";
import { SECRET_SIG, SIG_KEY, UNKNOWN, hasResourceRefs, mapUnknowns, toEngineValue, toRecordedValue } from "./wire";

export { UNKNOWN, isSecret, mapSecrets, mapUnknowns } from "./wire";

/** `update`: the graph as after `pulumi up` (every value known). `preview`: the first `pulumi preview` of a new stack. */
export type PlanMode = "update" | "preview";

/** One registration, with the fields the engine hands a policy pack. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    /** Provider reference `<urn>::<id>`: the explicit provider, or the default provider the engine registers. */
    provider?: string;
    /** Inputs as registered. Secret values stay wrapped (see `isSecret`) so nothing prints them by accident. */
    inputs: Record<string, any>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    aliases: string[];
    /** The inputs as the engine sends them to `Analyze` (wire form; absent on hand-built fakes). */
    engineInputs?: Record<string, any>;
    /** The outputs as the engine sends them to `AnalyzeStack` (wire form; absent on hand-built fakes). */
    engineOutputs?: Record<string, any>;
    /**
     * The protobuf Structs the SDK and the mock exchanged, when they are already what the engine would send (no
     * resource reference to rewrite): the analyzer requests reuse them instead of serialising again. Not enumerable;
     * the analysis drops them once sent (a later analysis of the same run serialises `engineInputs`/`engineOutputs`).
     */
    wire?: { inputs?: unknown; outputs?: unknown };
    /** Package version the SDK asked for (`default_<version>` providers are named after it). */
    version?: string;
    ignoreChanges?: string[];
    additionalSecretOutputs?: string[];
    deleteBeforeReplace?: boolean;
    customTimeouts?: { create: number; update: number; delete: number };
}

export interface ProgramRun {
    project: string;
    stack: string;
    mode: PlanMode;
    resources: RecordedResource[];
    outputs: Record<string, any>;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** `ns:key` -> value, exactly as the language host passes config. */
    config: Record<string, string>;
    secretKeys?: string[];
    /** Run as the first `pulumi preview` of a new stack (default: as after `up`). */
    preview?: boolean;
    /** Called with each registration as it is recorded (a default provider before its first user), in `resources` order. */
    onRecord?: (r: RecordedResource) => void;
}

/**
 * Runs `program` as the Pulumi language host would (inside a root Stack resource) against the mocked cloud,
 * and records every registration. Returns once every resource, children included, is registered: the runtime's
 * own RPC queue is drained, nothing is timed.
 */
export function runProgram(program: () => Promise<Record<string, any> | void> | Record<string, any> | void, opts: RunOptions): Promise<ProgramRun> {
    // The SDK's runtime state (mocks, config, root stack, RPC queue) is global to the process: two runs at once would
    // register into each other. Runs started together (`Promise.all` of two plans) therefore run one after the other.
    const run = runs.then(() => runAlone(program, opts));
    runs = run.catch(() => undefined);
    return run;
}

let runs: Promise<unknown> = Promise.resolve();

async function runAlone(program: () => Promise<Record<string, any> | void> | Record<string, any> | void, opts: RunOptions): Promise<ProgramRun> {
    const mode: PlanMode = opts.preview ? "preview" : "update";
    const region = opts.config["aws:region"] ?? "eu-central-1";
    const mock = new MockCloud(opts.stack, region, mode === "preview");
    fastSdk();
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    await pulumi.runtime.setMocks(mock, opts.project, opts.stack, mode === "preview");
    const monitor = (pulumi.runtime as any).getMonitor();
    const resources: RecordedResource[] = [];
    const defaultProviders = new DefaultProviders(opts, mode);
    const keep = (r: RecordedResource) => {
        resources.push(r);
        opts.onRecord?.(r);
    };
    const register = monitor.registerResource.bind(monitor);
    const transforms = new TransformRunner(monitor, mock.transforms);
    monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
        transforms.apply(req).then(() => register(req, (err: any, res: any) => {
            if (!err) {
                transforms.registered(req, res.getUrn());
                const r = recordRequest(req, res);
                const provider = defaultProviders.assign(r);
                if (provider) keep(provider);
                keep(r);
            }
            callback(err, res);
        }), (err) => callback(err, undefined));
    };
    try {
        const outputs = await runInStack(program);
        return { project: opts.project, stack: opts.stack, mode, resources, outputs: await resolveOutputs(outputs) };
    } finally {
        // Ends the run's connections as the language host does when a program ends. `setMocks` of the next run drops
        // the SDK's transform callback server without stopping it, and that server keeps the whole finished program
        // reachable (its monitor, the mocks, every resource and Output): tens of MB per run, and slower GC for all.
        pulumi.runtime.disconnectSync();
    }
}

/**
 * Runs the program inside a root Stack resource and waits until the runtime's RPC queue is drained. A promise the
 * program leaves rejected and unhandled fails the run, as it fails the Node.js language host of `pulumi`.
 */
async function runInStack(program: () => unknown): Promise<Record<string, any>> {
    let outputs: Record<string, any> = {};
    let failure: unknown;
    const onUnhandled = (reason: unknown) => { failure = failure ?? reason; };
    process.on("unhandledRejection", onUnhandled);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                outputs = ((await program()) as Record<string, any> | undefined) ?? {};
            } catch (err) {
                failure = failure ?? err;
            }
            return outputs;
        }).catch((err) => { failure = failure ?? err; });
        await (pulumi.runtime as any).waitForRPCs();
        await new Promise((resolve) => setImmediate(resolve)); // let Node report rejections nobody handled
    } finally {
        process.off("unhandledRejection", onUnhandled);
    }
    if (failure) throw failure;
    return outputs;
}

function recordRequest(req: any, res: any): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => { propertyDependencies[key] = [...deps.getUrnsList()].sort(); });
    const inputsWire = req.getObject();
    const inputsJs = inputsWire?.toJavaScript() ?? {};
    const engineInputs = toEngineValue(inputsJs);
    const custom = req.getCustom();
    const outputsWire = custom ? res.getObject() : inputsWire;
    const outputsJs = custom ? outputsWire?.toJavaScript() ?? {} : inputsJs;
    const timeouts = req.getCustomtimeouts();
    const recorded: RecordedResource = {
        urn: res.getUrn(),
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || undefined,
        custom,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        provider: req.getProvider() || undefined,
        inputs: toRecordedValue(engineInputs),
        dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
        propertyDependencies,
        aliases: req.getAliasesList().map((a: any) => a.getUrn() || a.getSpec()?.getName() || "").filter(Boolean),
        engineInputs,
        // A component's outputs are what it registers; the SDK's components here register none beyond their inputs.
        engineOutputs: custom ? toEngineValue(outputsJs) : engineInputs,
        version: req.getVersion() || undefined,
        ignoreChanges: req.getIgnorechangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        customTimeouts: timeouts
            ? { create: seconds(timeouts.getCreate()), update: seconds(timeouts.getUpdate()), delete: seconds(timeouts.getDelete()) } : undefined,
    };
    const wire = {
        inputs: inputsWire && !hasResourceRefs(inputsJs) ? inputsWire : undefined,
        outputs: outputsWire && !hasResourceRefs(outputsJs) ? outputsWire : undefined,
    };
    Object.defineProperty(recorded, "wire", { value: wire, enumerable: false, writable: true, configurable: true });
    return recorded;
}

/** A Go duration string ("10m", "1h30m", "45s") in seconds, as the engine converts custom timeouts. */
function seconds(duration: string): number {
    let total = 0;
    for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
    return total;
}

/**
 * The engine, not the SDK, gives every custom resource without an explicit provider the package's default provider
 * `urn:…::pulumi:providers:<pkg>::default_<version>`, registered with the stack's `<pkg>:*` config as inputs before its
 * first user. Policies see it as `provider` (data residency reads its region). Its id is unknown until it is created.
 */
class DefaultProviders {
    private readonly registered = new Map<string, RecordedResource>();

    constructor(private readonly opts: RunOptions, private readonly mode: PlanMode) {}

    /** Points `r` at its default provider, if it takes one; returns that provider when this is its first user. */
    assign(r: RecordedResource): RecordedResource | undefined {
        const pkg = r.type.split(":")[0];
        if (!r.custom || r.provider || pkg === "pulumi" || !r.version) return undefined;
        const name = `default_${r.version.replace(/[.+-]/g, "_")}`;
        const key = `${pkg}::${name}`;
        const first = !this.registered.has(key);
        if (first) this.registered.set(key, defaultProvider(pkg, name, r.version, this.opts));
        const provider = this.registered.get(key)!;
        r.provider = `${provider.urn}::${this.mode === "preview" ? UNKNOWN : `${digest(provider.urn, 8)}-offline-default-provider`}`;
        return first ? provider : undefined;
    }
}

function defaultProvider(pkg: string, name: string, version: string, opts: RunOptions): RecordedResource {
    const inputs: Record<string, any> = {};
    for (const [key, value] of Object.entries(opts.config)) {
        if (!key.startsWith(`${pkg}:`)) continue;
        const prop = key.slice(pkg.length + 1);
        inputs[prop] = (opts.secretKeys ?? []).includes(key) ? { [SIG_KEY]: SECRET_SIG, value } : value;
    }
    inputs.version = version;
    const type = `pulumi:providers:${pkg}`;
    return {
        urn: `urn:pulumi:${opts.stack}::${opts.project}::${type}::${name}`, type, name, custom: true, protect: false, retainOnDelete: false,
        inputs, dependencies: [], propertyDependencies: {}, aliases: [], engineInputs: inputs, engineOutputs: inputs, version,
    };
}

/** Resolves stack outputs to plain values; secret outputs are masked, values unknown at preview become "[unknown]". */
async function resolveOutputs(outputs: Record<string, any>): Promise<Record<string, any>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) => {
        const out = pulumi.output(value) as any;
        const [plain, secret] = await Promise.all([out.promise(/* withUnknowns */ true), out.isSecret as Promise<boolean>]);
        return [key, secret ? "[secret]" : shownUnknowns(plain)] as const;
    }));
    return Object.fromEntries(entries);
}

function shownUnknowns(value: any): any {
    if (pulumi.Output.isInstance(value)) return "[unknown]";
    if (pulumi.isUnknown(value)) return "[unknown]";
    if (Array.isArray(value)) return value.map(shownUnknowns);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shownUnknowns(v)]));
    return mapUnknowns(value, "[unknown]");
}
