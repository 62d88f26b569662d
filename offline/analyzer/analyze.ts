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

/**
 * Analyzes a recorded run as the engine does: `Configure` with the pack config (schema defaults filled in, as the CLI
 * reconciles it), `Analyze` for each registered resource with its inputs, then `AnalyzeStack` with every resource's
 * outputs, parent, dependencies, property dependencies, options and provider (default providers included).
 * https://github.com/pulumi/pulumi/blob/master/pkg/resource/deploy/step_generator.go (analyzers, AnalyzeResources)
 */
export function analyze(resources: RecordedResource[], packConfig: PackConfig, only?: string[]): Promise<Analysis> {
    return withAnalyzer(async (rpc, info) => {
        // `only`: run just these policies (a layer test's subset); the others are configured "disabled".
        const others = only ? info.policies.filter((p) => !only.includes(p.name)).map((p) => [p.name, "disabled"]) : [];
        const config = { ...packConfig, ...Object.fromEntries(others) };
        await rpc("configure", configureRequest(info, config));
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        const diagnostics: { diag: any; urn?: string }[] = [];
        const analyzed = await Promise.all(resources.map((r) => rpc<any>("analyze", analyzeRequest(r, byUrn))));
        analyzed.forEach((res, i) => {
            for (const diag of res.getDiagnosticsList()) diagnostics.push({ diag, urn: resources[i].urn });
        });
        const stack = await rpc<any>("analyzeStack", analyzeStackRequest(resources, byUrn));
        for (const diag of stack.getDiagnosticsList()) diagnostics.push({ diag });
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
        return { violations: byPolicy(violations), undecided: byPolicy(undecided), analyzed: { resources: analyzed.length, providers } };
    });
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
