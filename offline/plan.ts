import * as path from "path";
import { allPolicies } from "../policy/policies";
import { ConfigError } from "../stacks/validate";
import { CostEstimate, costText, estimateCost } from "./cost/estimate";
import { costContextOfStack } from "./cost/usage";
import { Undecided, analyze, openAnalysis } from "./analyzer/analyze";
import { analyzerInfo, startAnalyzer } from "./analyzer/client";
import { PackConfigError, validatePackConfig } from "./analyzer/pack-config";
import { ProgramRun, RecordedResource, RunOptions, UNKNOWN, mapSecrets, mapUnknowns, runProgram } from "./engine";
import { PackConfig, Violation, levelOf, rememberPackVerdicts } from "./policy-runner";
import { PROJECT_ROOT, StackFileError, locateProgram, readStackFiles } from "./stack-files";

/** The project's own program: the entry Pulumi.yaml names. */
export const DEFAULT_PROGRAM = path.join(PROJECT_ROOT, "stacks", "index.ts");

export interface PlanOptions {
    stack: string;
    /**
     * A TypeScript program file to run instead of the project's entry, with the stack's config; or a folder with its
     * own Pulumi.yaml and stack files (a separate project such as examples/<name>/), run with that folder's config.
     */
    program?: string;
    packConfig?: PackConfig;
    /** Where `packConfig` came from, for error messages. */
    packConfigFile?: string;
    /** Run as the first `pulumi preview` of a new stack: computed values unknown (default: as after `up`). */
    preview?: boolean;
    /**
     * A run of this stack, program and mode already recorded: analyze it (with `packConfig`) instead of running the
     * program again. The test harness reuses one render per stack and mode (offline/testing.ts).
     */
    run?: ProgramRun;
    /** Tests: change the stack file's config before the run (e.g. a recovery stack switched to `edge.activeOrigin: dr`). */
    editConfig?: (config: Record<string, string>) => Record<string, string>;
}

export interface Plan {
    run: ProgramRun;
    violations: Violation[];
    /** Policies the analyzer could not run on values unknown at preview (advisory notes in a real preview). */
    undecided: Undecided[];
    /** How many resources `Analyze` saw, and the providers (default ones included) they were analyzed with. */
    analyzed: { resources: number; providers: string[] };
    packConfig: PackConfig;
    /** The monthly cost estimate (offline/cost/, docs/cost.md). */
    cost: CostEstimate;
}

/** Loads a program file the way the Node.js language host does: a module whose export, if a function, is the program. */
export function programFromFile(file: string): () => Promise<Record<string, any> | void> {
    const resolved = require.resolve(path.resolve(file));
    return async () => {
        delete require.cache[resolved]; // a fixture program registers its resources when loaded: load it afresh per run
        const loaded = require(resolved);
        const main = loaded?.__esModule && loaded.default ? loaded.default : loaded;
        if (typeof main === "function") return main();
        return main instanceof Promise ? main : loaded;
    };
}

/**
 * Runs a stack's program offline and hands what it registered to the policy pack's own analyzer process, as
 * `pulumi preview --policy-pack policy` does. The pack's process starts first and loads while the program runs.
 */
export function planStack(opts: PlanOptions): Promise<Plan> {
    return startPlan(opts).plan;
}

/** A plan under way: the recorded run as soon as the program has run, the whole plan once the pack has judged it. */
export interface PlanInProgress {
    run: Promise<ProgramRun>;
    plan: Promise<Plan>;
}

/**
 * Starts a plan. `run` settles when the program has run, while the pack may still be analyzing: a caller that needs
 * only the recorded graph (most tests) goes on meanwhile, and the pack's process works on the other core.
 */
export function startPlan(opts: PlanOptions): PlanInProgress {
    const packConfig = opts.packConfig ?? {};
    // The pack's process loads while the program runs; its config is checked against the pack before any analysis.
    const packChecked = startAnalyzer().then(async () => validatePackConfig(packConfig, await analyzerInfo(), opts.packConfigFile ?? "the pack config"));
    packChecked.catch(() => undefined); // awaited below; this only keeps it from being reported as unhandled meanwhile
    // Each resource is analyzed as it registers (as the engine does), so the pack works while the program runs.
    const session = opts.run ? undefined : openAnalysis(packConfig, packChecked);
    // A stack file or program that cannot be found rejects `run` (and `plan`), as a failing program does.
    const run = opts.run
        ? Promise.resolve(opts.run)
        : new Promise<ProgramRun>((resolve) => resolve(renderStack({ ...opts, onRecord: (r) => session!.add(r) })));
    run.catch((err) => session?.abort(err));
    const plan = run.then(async (recorded) => {
        await packChecked;
        const { violations, undecided, analyzed } = await (session ? session.finish(recorded.resources) : analyze(recorded.resources, packConfig));
        const cost = estimateCost(recorded.resources, costContextOfStack(opts.stack, locateProgram(opts.program ?? DEFAULT_PROGRAM).root));
        return { run: recorded, violations, undecided, analyzed, packConfig, cost };
    });
    plan.catch(() => undefined); // a caller that needs only `run` learns of a failed program there
    if (session && Object.keys(packConfig).length === 0) {
        run.then((recorded) => rememberPackVerdicts(recorded.resources, plan.then((p) => p.violations)), () => undefined);
    }
    return { run, plan };
}

/** Runs a stack's program (the project's entry or `opts.program`) with the stack's config and records it. */
export function renderStack(opts: Pick<PlanOptions, "stack" | "program" | "preview" | "editConfig"> & Pick<RunOptions, "onRecord">): Promise<ProgramRun> {
    const target = locateProgram(opts.program ?? DEFAULT_PROGRAM);
    const files = readStackFiles(opts.stack, target.root);
    const config = opts.editConfig ? opts.editConfig({ ...files.config }) : files.config;
    return runProgram(programFromFile(target.entry), {
        project: files.project, stack: files.stack, config, secretKeys: files.secretKeys, preview: opts.preview, onRecord: opts.onRecord,
    });
}

/** True when the error is the program's or config's fault (exit 2), not a crash of the engine. */
export function isUserError(err: unknown): boolean {
    return err instanceof ConfigError || err instanceof StackFileError || err instanceof PackConfigError
        || (err instanceof Error && /^(config |stack |Pulumi\.)/.test(err.message));
}

/** The `--json` document (stack, project, resources, outputs, policies). Secrets are masked; the order is registration order, so runs are identical. */
export function planJson(plan: Plan): Record<string, unknown> {
    const { run, violations, packConfig } = plan;
    return {
        stack: run.stack,
        project: run.project,
        resources: run.resources.map((r: RecordedResource) => ({
            urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, custom: r.custom, protect: r.protect,
            provider: r.provider?.replace(UNKNOWN, "[unknown]") ?? null,
            inputs: mapUnknowns(mapSecrets(r.inputs, () => "[secret]"), "[unknown]"), dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        })),
        outputs: run.outputs,
        policies: {
            pack: allPolicies.map((p) => ({
                name: p.name, enforcementLevel: levelOf(p, packConfig), severity: p.severity,
                framework: p.framework ? `${p.framework.name} ${p.framework.reference}` : null,
            })),
            violations: violations.map((v) => ({
                policy: v.policy,
                enforcementLevel: v.enforcementLevel,
                severity: v.severity,
                urn: v.urn ?? null,
                message: v.message,
            })),
            undecided: plan.undecided.map((u) => ({ policy: u.policy, urn: u.urn ?? null, message: u.message })),
            undecidedCount: plan.undecided.length,
            summary: policySummary(plan),
        },
        mode: run.mode,
        cost: {
            currency: plan.cost.currency,
            monthly: plan.cost.monthly,
            items: plan.cost.items.map((i) => ({ urn: i.urn, type: i.type, monthly: i.monthly, basis: i.basis })),
            unpriced: plan.cost.unpriced.map((u) => ({ urn: u.urn, type: u.type, reason: u.reason })),
        },
    };
}

interface SummaryRow { policies: number; violations: number }

/** Policies and violations counted per severity and per framework (policies without one count as "none"). */
export function policySummary(plan: Pick<Plan, "violations">): { bySeverity: Record<string, SummaryRow>; byFramework: Record<string, SummaryRow> } {
    const count = (keyOf: (p: (typeof allPolicies)[number]) => string) => {
        const rows: Record<string, SummaryRow> = {};
        for (const p of allPolicies) {
            rows[keyOf(p)] ??= { policies: 0, violations: 0 };
            const row = rows[keyOf(p)];
            row.policies++;
            row.violations += plan.violations.filter((v) => v.policy === p.name).length;
        }
        return Object.fromEntries(Object.entries(rows).sort(([a], [b]) => a.localeCompare(b)));
    };
    return { bySeverity: count((p) => p.severity), byFramework: count((p) => p.framework?.name ?? "none") };
}

/** The human summary: the component tree, counts by type, and the policy results grouped by policy. */
export function planText(plan: Plan): string {
    const { run, violations } = plan;
    const lines: string[] = [
        `Stack ${run.project}/${run.stack} ` +
        `(${run.mode === "preview" ? "preview: first `pulumi preview` of a new stack" : "update: as after `pulumi up`"}): ` +
        `${run.resources.filter((r) => r.custom).length} resources in ${run.resources.filter((r) => !r.custom).length} components`,
        "",
    ];
    const children = new Map<string | undefined, RecordedResource[]>();
    for (const r of run.resources) {
        if (!children.has(r.parent)) children.set(r.parent, []);
        children.get(r.parent)!.push(r);
    }
    const tree = (parent: string | undefined, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            if (r.custom && depth > 1) continue; // the tree shows components; counts below cover every resource
            const count = (children.get(r.urn) ?? []).filter((c) => c.custom).length;
            lines.push(
                `${"  ".repeat(depth)}${r.custom ? "-" : "+"} ${r.name} (${r.type})${count ? `: ${count} resources` : ""}${r.protect ? " [protected]" : ""}`,
            );
            tree(r.urn, depth + 1);
        }
    };
    tree(undefined, 0);
    lines.push("", "Resources by type:");
    const counts = new Map<string, number>();
    for (const r of run.resources.filter((x) => x.custom)) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) lines.push(`  ${String(n).padStart(4)}  ${type}`);
    lines.push("", `Policies (${allPolicies.length} in the pack):`);
    const byPolicy = new Map<string, Violation[]>();
    for (const v of violations) {
        if (!byPolicy.has(v.policy)) byPolicy.set(v.policy, []);
        byPolicy.get(v.policy)!.push(v);
    }
    for (const p of allPolicies) {
        const found = byPolicy.get(p.name) ?? [];
        lines.push(
            `  ${found.length ? "FAIL" : "ok  "}  ${p.name} [${levelOf(p, plan.packConfig)}, ` +
            `${p.severity}]${found.length ? `: ${found.length} violation(s)` : ""}`,
        );
        for (const v of found) lines.push(`          ${v.message}${v.urn ? `\n            at ${v.urn}` : ""}`);
    }
    const summary = policySummary(plan);
    for (const [title, rows] of [["severity", summary.bySeverity], ["framework", summary.byFramework]] as const) {
        lines.push("", `By ${title}:`);
        for (const [key, row] of Object.entries(rows))
            lines.push(`  ${key.padEnd(52)} ${String(row.policies).padStart(3)} policies, ${row.violations} violation(s)`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    if (plan.undecided.length) {
        const policies = [...new Set(plan.undecided.map((u) => u.policy))];
        lines.push("", `Policies that could not decide at preview: ${plan.undecided.length} (${policies.length} policies; advisory notes in a real preview)`);
        for (const u of plan.undecided) lines.push(`  ${u.policy}${u.urn ? ` at ${u.urn}` : ""}: ${u.message}`);
    }
    const undecided = run.mode === "preview" ? `, could not decide at preview: ${plan.undecided.length}` : "";
    lines.push("", `${mandatory} mandatory, ${violations.length - mandatory} advisory violation(s)${undecided}.`);
    lines.push("", costText(plan.cost));
    return lines.join("\n");
}
