import { RecordedResource } from "../engine";
import { Discounts, cents, plain } from "./context";
import { CostEstimate, EstimateOptions, estimateCost } from "./estimate";
import { priceOf } from "./prices";
import { rdsClassProblem } from "../../policy/preflight/data";

/**
 * Prod cost levers priced against the plan: `npm run plan -- --stack prod-eu --what-if <lever>[,<lever>]`. Each lever
 * changes the recorded graph (Spot, instance classes, the replica) or the rates (commitments), and the estimate is
 * recomputed, so every figure follows from the same rules as the plan's own estimate.
 *
 * The commitment rates are ASSUMPTIONS, not read from the price list: typical 1-year no-upfront discounts for the
 * Graviton classes this program runs. Confirm them with Cost Explorer's purchase recommendations or the pricing pages
 * before buying (https://aws.amazon.com/savingsplans/compute-pricing/, https://aws.amazon.com/rds/postgresql/pricing/
 * "Reserved Instances", https://aws.amazon.com/elasticache/pricing/ "Reserved nodes"); override one with
 * `savings-plan=0.25` etc.
 */
export const ASSUMED_COMMITMENT_DISCOUNTS = {
    /** Compute Savings Plan, 1 year, no upfront: on-demand Fargate (ARM) and EC2 usage. */
    "savings-plan": 0.2,
    /** RDS for PostgreSQL and ElastiCache reserved instances / nodes, 1 year, no upfront. */
    reserved: 0.3,
} as const;

export const LEVERS: Record<string, string> = {
    "savings-plan": "Compute Savings Plan (1 y, no upfront) on the on-demand Fargate and EC2 usage [=fraction off, default 0.2]",
    reserved: "RDS reserved instances and ElastiCache reserved nodes (1 y, no upfront) [=fraction off, default 0.3]",
    "spot-workers": "queue workers on Fargate Spot above one on-demand task (the api never)",
    graviton: "Graviton classes for every RDS, ElastiCache, Fargate and EC2 resource not yet on them",
    replica: "the read replica's class [=db.<class> | =none, default one step down: db.t4g.large]",
};

export interface LeverChoice {
    lever: string;
    value?: string;
}

/** Parses `a,b=c` into lever choices; an error message naming the bad lever or value. */
export function parseLevers(spec: string): LeverChoice[] | string {
    const out: LeverChoice[] = [];
    for (const part of spec
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)) {
        const [lever, value] = part.split("=", 2);
        if (!LEVERS[lever]) return `--what-if: unknown lever "${lever}"; allowed: ${Object.keys(LEVERS).join(", ")}`;
        if ((lever === "savings-plan" || lever === "reserved") && value !== undefined) {
            const n = Number(value);
            if (!(n > 0 && n < 1)) return `--what-if ${lever}=${value}: the discount is a fraction between 0 and 1, e.g. ${lever}=0.25`;
        }
        if (lever === "replica" && value !== undefined && value !== "none" && !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(value)) {
            return `--what-if replica=${value}: allowed: an RDS instance class such as db.t4g.large, or none`;
        }
        if ((lever === "spot-workers" || lever === "graviton") && value !== undefined) return `--what-if ${lever} takes no value`;
        out.push({ lever, value });
    }
    return out.length ? out : "--what-if needs at least one lever";
}

const WORKER = /-workers$/;
const isReplica = (r: RecordedResource) => r.type === "aws:rds/instance:Instance" && plain(r).replicateSourceDb !== undefined;
const withInputs = (r: RecordedResource, inputs: Record<string, unknown>): RecordedResource => ({ ...r, inputs: { ...r.inputs, ...inputs } });

/** The graph and rates after one lever, with a note of what changed. */
type LeverState = { resources: RecordedResource[]; discounts: Discounts; note: string };

function apply(resources: RecordedResource[], discounts: Discounts, choice: LeverChoice, region: string): LeverState {
    switch (choice.lever) {
        case "savings-plan": {
            const d = Number(choice.value ?? ASSUMED_COMMITMENT_DISCOUNTS["savings-plan"]);
            return { resources, discounts: { ...discounts, computeSavingsPlan: d }, note: `${d * 100}% off on-demand Fargate and EC2 (assumed rate)` };
        }
        case "reserved": {
            const d = Number(choice.value ?? ASSUMED_COMMITMENT_DISCOUNTS.reserved);
            const note = `${d * 100}% off RDS instance-hours and ElastiCache node-hours (assumed rate)`;
            return { resources, discounts: { ...discounts, rdsReserved: d, cacheReserved: d }, note };
        }
        case "spot-workers": {
            const changed: string[] = [];
            const next = resources.map((r) => {
                if (r.type !== "aws:ecs/service:Service" || !WORKER.test(r.name)) return r;
                changed.push(r.name);
                const strategy = [
                    { capacityProvider: "FARGATE", base: 1, weight: 1 },
                    { capacityProvider: "FARGATE_SPOT", weight: 3 },
                ];
                return withInputs(r, { capacityProviderStrategies: strategy });
            });
            return {
                resources: next,
                discounts,
                note: changed.length ? `1 on-demand task + the rest 3:1 on Spot for ${changed.join(", ")}` : "no worker services",
            };
        }
        case "graviton": {
            const notGraviton = resources.filter(
                (r) =>
                    (r.type === "aws:rds/instance:Instance" && !/^db\.[a-z]+\d+g[a-z]*\./.test(String(plain(r).instanceClass))) ||
                    (r.type === "aws:elasticache/replicationGroup:ReplicationGroup" && !/^cache\.[a-z]+\d+g[a-z]*\./.test(String(plain(r).nodeType))) ||
                    (r.type === "aws:ecs/taskDefinition:TaskDefinition" && plain(r).runtimePlatform?.cpuArchitecture !== "ARM64") ||
                    (r.type === "aws:ec2/instance:Instance" && !/^[a-z]+\d+g[a-z]*\./.test(String(plain(r).instanceType))),
            );
            return {
                resources,
                discounts,
                note: notGraviton.length
                    ? `not on Graviton (no automatic mapping; change their classes): ${notGraviton.map((r) => r.name).join(", ")}`
                    : "no change: every RDS, ElastiCache, Fargate and EC2 resource already runs on Graviton",
            };
        }
        case "replica": {
            const cls = choice.value ?? "db.t4g.large";
            const replicas = resources.filter(isReplica);
            if (!replicas.length) return { resources, discounts, note: "no read replica in this stack" };
            if (cls === "none")
                return { resources: resources.filter((r) => !isReplica(r)), discounts, note: `without ${replicas.map((r) => r.name).join(", ")}` };
            const offered = rdsClassProblem(region, "postgres", cls);
            if (offered) throw new Error(`--what-if replica=${cls}: ${offered}`);
            if (priceOf(`rds.${cls}`, region) === undefined)
                throw new Error(`--what-if replica=${cls}: no price for ${cls} in ${region} (offline/cost/prices.ts)`);
            return { resources: resources.map((r) => (isReplica(r) ? withInputs(r, { instanceClass: cls }) : r)), discounts, note: `replica on ${cls}` };
        }
        default:
            throw new Error(`unknown lever ${choice.lever}`);
    }
}

export interface WhatIfRow {
    lever: string;
    note: string;
    monthly: number;
    delta: number;
}
export interface WhatIfReport {
    base: number;
    rows: WhatIfRow[];
    combined: WhatIfRow;
    scenario: CostEstimate;
}

/** Each lever alone against the plan's estimate, then all of them together. */
export function whatIf(resources: RecordedResource[], opts: EstimateOptions, choices: LeverChoice[]): WhatIfReport {
    const base = estimateCost(resources, opts).monthly;
    const run = (list: LeverChoice[]) => {
        let state = { resources, discounts: opts.discounts ?? {}, notes: [] as string[] };
        for (const c of list) {
            const next = apply(state.resources, state.discounts, c, opts.region);
            state = { resources: next.resources, discounts: next.discounts, notes: [...state.notes, next.note] };
        }
        const scenario = estimateCost(state.resources, { ...opts, discounts: state.discounts });
        return { scenario, note: state.notes.join("; ") };
    };
    const label = (c: LeverChoice) => (c.value === undefined ? c.lever : `${c.lever}=${c.value}`);
    const rows = choices.map((c) => {
        const { scenario, note } = run([c]);
        return { lever: label(c), note, monthly: scenario.monthly, delta: cents(scenario.monthly - base) };
    });
    const all = run(choices);
    const combined = { lever: choices.map(label).join(","), note: all.note, monthly: all.scenario.monthly, delta: cents(all.scenario.monthly - base) };
    return { base, rows, combined, scenario: all.scenario };
}

/** The report as text: one line per lever (alone), then all together. */
export function whatIfText(stack: string, r: WhatIfReport): string {
    const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const sign = (n: number) => `${n > 0 ? "+" : n < 0 ? "-" : "±"}${usd(Math.abs(n))}`;
    const lines = [`What-if, USD/month (${stack}, plan estimate ${usd(r.base)}):`];
    for (const row of r.rows) lines.push(`  ${row.lever.padEnd(22)} ${sign(row.delta).padStart(12)} -> ${usd(row.monthly)}  ${row.note}`);
    if (r.rows.length > 1) lines.push(`  ${"all together".padEnd(22)} ${sign(r.combined.delta).padStart(12)} -> ${usd(r.combined.monthly)}`);
    return lines.join("\n");
}
