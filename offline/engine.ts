import * as pulumi from "@pulumi/pulumi";
import { MockCloud } from "./mock-cloud";

/** One registration, with the fields the engine hands a policy pack. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    /** Provider reference `<urn>::<id>` for custom resources with an explicit provider. */
    provider?: string;
    /** Inputs as registered. Secret values stay wrapped (see `isSecret`) so nothing prints them by accident. */
    inputs: Record<string, any>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    aliases: string[];
}

export interface ProgramRun {
    project: string;
    stack: string;
    resources: RecordedResource[];
    outputs: Record<string, any>;
    mock: MockCloud;
}

export interface RunOptions {
    project: string;
    stack: string;
    /** `ns:key` -> value, exactly as the language host passes config. */
    config: Record<string, string>;
    secretKeys?: string[];
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** True when a recorded input value is a wrapped secret. */
export function isSecret(value: unknown): value is { value: unknown } {
    return !!value && typeof value === "object" && (value as any)[SIG_KEY] === SECRET_SIG;
}

/** Replaces wrapped secrets with `reveal(value)` throughout a recorded value. */
export function mapSecrets(value: any, reveal: (inner: any) => any): any {
    if (isSecret(value)) return reveal(mapSecrets(value.value, reveal));
    if (Array.isArray(value)) return value.map((v) => mapSecrets(v, reveal));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, reveal)]));
    return value;
}

/**
 * Runs `program` as the Pulumi language host would (inside a root Stack resource) against the mocked cloud,
 * and records every registration. Returns once every resource, children included, is registered: the runtime's
 * own RPC queue is drained, nothing is timed.
 */
export async function runProgram(program: () => Promise<Record<string, any> | void> | Record<string, any> | void, opts: RunOptions): Promise<ProgramRun> {
    const region = opts.config["aws:region"] ?? "eu-central-1";
    const mock = new MockCloud(opts.stack, region);
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);
    await pulumi.runtime.setMocks(mock, opts.project, opts.stack, false);
    const monitor = (pulumi.runtime as any).getMonitor();
    const resources: RecordedResource[] = [];
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, res: any) => void) =>
        register(req, (err: any, res: any) => {
            if (!err) resources.push(recordRequest(req, res.getUrn()));
            callback(err, res);
        });

    // The SDK captures a stack trace for every promise it makes, only to report leaks; offline that was a third of
    // a plan's time. Errors raised by the program keep their message (all the plan prints); PLAN_DEBUG keeps traces.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.PLAN_DEBUG) Error.stackTraceLimit = 0;
    try {
        const outputs = await runInStack(program);
        return { project: opts.project, stack: opts.stack, resources, outputs: await resolveOutputs(outputs), mock };
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
    }
}

/** Runs the program inside a root Stack resource and waits until the runtime's RPC queue is drained. */
async function runInStack(program: () => unknown): Promise<Record<string, any>> {
    let outputs: Record<string, any> = {};
    let failure: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
        try {
            outputs = ((await program()) as Record<string, any> | undefined) ?? {};
        } catch (err) {
            failure = err;
        }
        return outputs;
    }).catch((err) => { failure = failure ?? err; });
    await (pulumi.runtime as any).waitForRPCs();
    if (failure) throw failure;
    return outputs;
}

function recordRequest(req: any, urn: string): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => { propertyDependencies[key] = [...deps.getUrnsList()].sort(); });
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || undefined,
        custom: req.getCustom(),
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        provider: req.getProvider() || undefined,
        inputs: toPlain(pulumi.runtime.deserializeProperties(req.getObject())),
        dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
        propertyDependencies,
        aliases: req.getAliasesList().map((a: any) => a.getUrn() || a.getSpec()?.getName() || "").filter(Boolean),
    };
}

/** Turns deserialized inputs into plain JSON: resource references become URNs, assets their path or text. */
function toPlain(value: any): any {
    if (value === null || value === undefined || typeof value !== "object") return value;
    if (isSecret(value)) return { [SIG_KEY]: SECRET_SIG, value: toPlain(value.value) };
    if (pulumi.Resource.isInstance(value)) return { urn: (value as any).__pulumiURN ?? "resource" };
    if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
        const a = value as any;
        return { asset: a.path ?? (a.text !== undefined ? `text(${String(a.text).length} chars)` : a.uri ?? "archive") };
    }
    if (Array.isArray(value)) return value.map(toPlain);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
}

/** Resolves stack outputs to plain values; secret outputs are masked. */
async function resolveOutputs(outputs: Record<string, any>): Promise<Record<string, any>> {
    const entries = await Promise.all(Object.entries(outputs).map(async ([key, value]) => {
        const out = pulumi.output(value);
        const [plain, secret] = await Promise.all([new Promise((done) => out.apply(done)), (out as any).isSecret as Promise<boolean>]);
        return [key, secret ? "[secret]" : plain] as const;
    }));
    return Object.fromEntries(entries);
}
