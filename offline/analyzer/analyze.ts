import { RecordedResource } from "../engine";
import type { PackConfig, Violation } from "../policy-runner";
import { AnalyzerInfo, LEVELS, analyzerProto as proto, withAnalyzer } from "./client";

const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

/** A policy the analyzer could not run on a value that is unknown until `up` (an advisory note in a real preview). */
export interface Undecided {
    policy: string;
    urn?: string;
    message: string;
}

export interface Analysis {
    violations: Violation[];
    undecided: Undecided[];
    /** What was sent: the number of `Analyze` calls and the providers the resources were analyzed with. */
    analyzed: { resources: number; providers: string[] };
}

// @pulumi/policy server.js turns an UnknownValueError into this advisory diagnostic.
const UNDECIDED = /^can't run policy '[^']+' from policy pack '[^']+' during preview: /;

/** Which requests an analysis sends: a subset of policies may need only `Analyze` or only `AnalyzeStack`. */
export interface Sends {
    /** `Analyze` per resource (some enabled policy validates resources). */
    analyze: boolean;
    /** `AnalyzeStack` (some enabled policy validates the stack). */
    analyzeStack: boolean;
}

/**
 * Analyzes a recorded run as the engine does: `Configure` with the pack config (schema defaults filled in, as the CLI
 * reconciles it), `Analyze` for each registered resource with its inputs, then `AnalyzeStack` with every resource's
 * outputs, parent, dependencies, property dependencies, options and provider (default providers included).
 * https://github.com/pulumi/pulumi/blob/master/pkg/resource/deploy/step_generator.go (analyzers, AnalyzeResources)
 * `only` runs just these policies (a layer test's subset; the others are configured "disabled"), and `sends` may then
 * leave out the requests no enabled policy reads (the server skips disabled policies, so the verdicts are the same).
 */
export function analyze(resources: RecordedResource[], packConfig: PackConfig, only?: string[], sends?: Sends): Promise<Analysis> {
    const session = openAnalysis(packConfig, Promise.resolve(), only, sends);
    for (const r of resources) session.add(r);
    return session.finish(resources);
}

/** An analysis fed while the program runs: each resource is analyzed as it registers, as the engine does. */
export interface AnalysisSession {
    /** Sends `Analyze` for a registered resource (its provider, if any, was added before it). */
    add(r: RecordedResource): void;
    /** Sends `AnalyzeStack` for the whole run and collects the verdicts in registration order. */
    finish(resources: RecordedResource[]): Promise<Analysis>;
    /** Gives the analyzer up (the program failed); pending requests are dropped. */
    abort(reason: unknown): void;
}

/**
 * Opens an analysis. It holds the analyzer (Configure sets pack-wide state in the server) from its turn until
 * `finish` or `abort`; resources added before its turn or before `ready` (the pack config checked) wait in order.
 */
export function openAnalysis(
    packConfig: PackConfig,
    ready: Promise<unknown>,
    only?: string[],
    sends: Sends = { analyze: true, analyzeStack: true },
): AnalysisSession {
    const byUrn = new Map<string, RecordedResource>();
    const waiting: RecordedResource[] = [];
    const analyzed = new Map<string, Promise<any>>();
    let send: ((r: RecordedResource) => void) | undefined;
    let finished!: (resources: RecordedResource[]) => void;
    let aborted!: (reason: unknown) => void;
    const end = new Promise<RecordedResource[]>((resolve, reject) => { finished = resolve; aborted = reject; });
    end.catch(() => undefined);
    const result = withAnalyzer(async (rpc, info) => {
        await Promise.race([ready, end]);
        const others = only ? info.policies.filter((p) => !only.includes(p.name)).map((p) => [p.name, "disabled"]) : [];
        await rpc("configure", configureRequest(info, { ...packConfig, ...Object.fromEntries(others) }));
        send = (r) => {
            const res = sends.analyze ? rpc<any>("analyze", analyzeRequest(r, byUrn)) : Promise.resolve(undefined);
            res.catch(() => undefined); // awaited in `finish`; a failed program drops it
            analyzed.set(r.urn, res);
        };
        waiting.splice(0).forEach(send);
        const resources = await end;
        for (const r of resources) if (!analyzed.has(r.urn)) send(r); // resources `add` never saw (built by hand)
        const responses = await Promise.all(resources.map((r) => analyzed.get(r.urn)!));
        const stack = sends.analyzeStack ? await rpc<any>("analyzeStack", analyzeStackRequest(resources, byUrn)) : undefined;
        const diagnostics: { diag: any; urn?: string }[] = [];
        responses.forEach((res, i) => {
            for (const diag of res?.getDiagnosticsList() ?? []) diagnostics.push({ diag, urn: resources[i].urn });
        });
        for (const diag of stack?.getDiagnosticsList() ?? []) diagnostics.push({ diag });
        for (const r of resources) delete r.wire; // sent: a cached run need not keep a second copy of every value
        return verdicts(info, diagnostics, resources, byUrn);
    });
    result.catch(() => undefined); // awaited in `finish`
    return {
        add(r) {
            byUrn.set(r.urn, r);
            if (send) send(r);
            else waiting.push(r);
        },
        finish(resources) {
            for (const r of resources) if (!byUrn.has(r.urn)) byUrn.set(r.urn, r);
            finished(resources);
            return result;
        },
        abort(reason) {
            aborted(reason);
        },
    };
}

/** Violations and undecided policies from the diagnostics, in the pack's policy order, then registration order. */
function verdicts(
    info: AnalyzerInfo,
    diagnostics: { diag: any; urn?: string }[],
    resources: RecordedResource[],
    byUrn: Map<string, RecordedResource>,
): Analysis {
    const order = new Map(info.policies.map((p, i) => [p.name, i]));
    const severity = new Map(info.policies.map((p) => [p.name, p.severity]));
    const violations: Violation[] = [];
    const undecided: Undecided[] = [];
    for (const { diag, urn } of diagnostics) {
        const policy = diag.getPolicyname();
        const message = ownMessage(diag);
        const at = diag.getUrn() || urn;
        if (UNDECIDED.test(diag.getMessage())) undecided.push({ policy, urn: at, message: diag.getMessage().replace(UNDECIDED, "") });
        else violations.push({ policy, enforcementLevel: LEVELS[diag.getEnforcementlevel()], severity: severity.get(policy) ?? "", urn: at, message });
    }
    const byPolicy = <T extends { policy: string }>(list: T[]) => list.map((v, i) => ({ v, i }))
        .sort((a, b) => (order.get(a.v.policy)! - order.get(b.v.policy)!) || a.i - b.i).map(({ v }) => v);
    const providers = [...new Set(resources.map((r) => providerOf(r, byUrn)?.urn).filter((u): u is string => !!u))];
    return { violations: byPolicy(violations), undecided: byPolicy(undecided), analyzed: { resources: resources.length, providers } };
}

/** The policy's own message: server.js prefixes the policy description. */
function ownMessage(diag: any): string {
    const description = diag.getDescription();
    const message: string = diag.getMessage();
    return description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
}

/**
 * Every policy's level and parameters as the CLI reconciles them (ReconcilePolicyPackConfig): the policy's own level
 * and its schema's defaults, then an `all` level, then the policy's own entry.
 */
function configureRequest(info: AnalyzerInfo, packConfig: PackConfig): any {
    const req = new proto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    const all = typeof packConfig.all === "string" ? packConfig.all : undefined;
    for (const p of info.policies) {
        const given = packConfig[p.name];
        const { enforcementLevel, ...params } = typeof given === "string" ? { enforcementLevel: given } : (given ?? {});
        const defaults = Object.fromEntries(Object.entries<any>(p.configSchema?.properties ?? {})
            .filter(([, s]) => s && typeof s === "object" && "default" in s).map(([k, s]) => [k, s.default]));
        const config = new proto.PolicyConfig();
        config.setEnforcementlevel(LEVELS.indexOf((enforcementLevel ?? all ?? p.enforcementLevel) as any));
        config.setProperties(Struct.fromJavaScript({ ...defaults, ...params }));
        map.set(p.name, config);
    }
    return req;
}

/** The fields `Analyze` and `AnalyzeStack` share: type, properties (inputs or outputs), URN, name, options, provider. */
function describe<T>(req: T & Record<string, (v: any) => void>, r: RecordedResource, properties: any, byUrn: Map<string, RecordedResource>): T {
    req.setType(r.type);
    req.setProperties(properties);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setOptions(options(r));
    const provider = providerOf(r, byUrn);
    if (provider) req.setProvider(providerResource(provider));
    return req;
}

function analyzeRequest(r: RecordedResource, byUrn: Map<string, RecordedResource>): any {
    return describe(new proto.AnalyzeRequest(), r, r.wire?.inputs ?? Struct.fromJavaScript(r.engineInputs ?? r.inputs), byUrn);
}

function analyzeStackRequest(resources: RecordedResource[], byUrn: Map<string, RecordedResource>): any {
    const req = new proto.AnalyzeStackRequest();
    req.setResourcesList(resources.map((r) => {
        const res = describe(new proto.AnalyzerResource(), r, r.wire?.outputs ?? Struct.fromJavaScript(r.engineOutputs ?? r.inputs), byUrn);
        res.setParent(r.parent ?? "");
        res.setDependenciesList(r.dependencies);
        const deps = res.getPropertydependenciesMap();
        for (const [key, urns] of Object.entries(r.propertyDependencies)) {
            const d = new proto.AnalyzerPropertyDependencies();
            d.setUrnsList(urns);
            deps.set(key, d);
        }
        return res;
    }));
    return req;
}

function options(r: RecordedResource): any {
    const opts = new proto.AnalyzerResourceOptions();
    opts.setProtect(r.protect);
    opts.setIgnorechangesList(r.ignoreChanges ?? []);
    if (r.deleteBeforeReplace !== undefined) {
        opts.setDeletebeforereplace(r.deleteBeforeReplace);
        opts.setDeletebeforereplacedefined(true);
    }
    opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
    opts.setAliasesList(r.aliases);
    if (r.customTimeouts) {
        const t = new proto.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(r.customTimeouts.create);
        t.setUpdate(r.customTimeouts.update);
        t.setDelete(r.customTimeouts.delete);
        opts.setCustomtimeouts(t);
    }
    opts.setParent(r.parent ?? "");
    return opts;
}

/** The provider resource a reference `<urn>::<id>` names. */
function providerOf(r: RecordedResource, byUrn: Map<string, RecordedResource>): RecordedResource | undefined {
    if (!r.provider) return undefined;
    return byUrn.get(r.provider.split("::").slice(0, -1).join("::"));
}

const providerStructs = new WeakMap<RecordedResource, unknown>();

function providerResource(p: RecordedResource): any {
    const res = new proto.AnalyzerProviderResource();
    res.setType(p.type);
    if (!providerStructs.has(p)) providerStructs.set(p, p.wire?.inputs ?? Struct.fromJavaScript(p.engineInputs ?? p.inputs));
    res.setProperties(providerStructs.get(p));
    res.setUrn(p.urn);
    res.setName(p.name);
    return res;
}
