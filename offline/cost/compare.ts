import { CostEstimate, CostItem } from "./estimate";

/**
 * The line-by-line difference of two stacks' estimates. Items are matched by resource type + name (logical names
 * are the same in every stack; physical names differ); a second item with the same type + name is matched by order.
 */

export interface CostDifference {
    /** `added`: only in the other stack; `removed`: only in the main stack; `changed`: in both, different figure. */
    change: "added" | "removed" | "changed";
    type: string;
    name: string;
    /** Figures in the main stack (`from`) and the other stack (`to`); null when absent. */
    from: number | null;
    to: number | null;
    /** to - from, in USD per month. */
    delta: number;
    fromBasis?: string;
    toBasis?: string;
}

export interface CostComparison {
    from: string;
    to: string;
    fromMonthly: number;
    toMonthly: number;
    delta: number;
    differences: CostDifference[];
    /** Unpriced in either stack: the totals do not include them. */
    unpriced: { stack: string; type: string; name: string; reason: string }[];
}

const cents = (n: number) => Math.round(n * 100) / 100;

function keyed(items: CostItem[]): Map<string, CostItem> {
    const out = new Map<string, CostItem>();
    const seen = new Map<string, number>();
    for (const i of items) {
        const base = `${i.type}::${i.name}`;
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.set(n ? `${base}#${n}` : base, i);
    }
    return out;
}

/** Compares `to` against `from` (the main stack): what changes when going from one stack's estimate to the other's. */
export function compareCosts(from: { stack: string; cost: CostEstimate }, to: { stack: string; cost: CostEstimate }): CostComparison {
    const a = keyed(from.cost.items);
    const b = keyed(to.cost.items);
    const differences: CostDifference[] = [];
    for (const [key, x] of a) {
        const y = b.get(key);
        if (!y) {
            if (x.monthly !== 0)
                differences.push({ change: "removed", type: x.type, name: x.name, from: x.monthly, to: null, delta: cents(-x.monthly), fromBasis: x.basis });
        } else if (x.monthly !== y.monthly) {
            differences.push({
                change: "changed",
                type: x.type,
                name: x.name,
                from: x.monthly,
                to: y.monthly,
                delta: cents(y.monthly - x.monthly),
                fromBasis: x.basis,
                toBasis: y.basis,
            });
        }
    }
    for (const [key, y] of b) {
        if (!a.has(key) && y.monthly !== 0)
            differences.push({ change: "added", type: y.type, name: y.name, from: null, to: y.monthly, delta: cents(y.monthly), toBasis: y.basis });
    }
    differences.sort((p, q) => Math.abs(q.delta) - Math.abs(p.delta) || `${p.type}${p.name}`.localeCompare(`${q.type}${q.name}`));
    return {
        from: from.stack, to: to.stack, fromMonthly: from.cost.monthly, toMonthly: to.cost.monthly,
        delta: cents(to.cost.monthly - from.cost.monthly), differences,
        unpriced: [
            ...from.cost.unpriced.map((u) => ({ stack: from.stack, type: u.type, name: u.name, reason: u.reason })),
            ...to.cost.unpriced.map((u) => ({ stack: to.stack, type: u.type, name: u.name, reason: u.reason })),
        ],
    };
}

/** The comparison as text: one line per difference (largest first), then the totals. Free items are not listed. */
export function comparisonText(c: CostComparison): string {
    const f = (n: number | null) => (n === null ? "-" : n.toFixed(2));
    const sign = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(2)}`;
    const lines = [`Cost comparison, USD/month: ${c.from} -> ${c.to} (difference = ${c.to} - ${c.from})`];
    if (!c.differences.length) lines.push("  no differences");
    for (const d of c.differences) {
        lines.push(`  ${d.change.padEnd(8)} ${d.type} ${d.name}: ${f(d.from)} -> ${f(d.to)} (${sign(d.delta)})`);
    }
    for (const u of c.unpriced) lines.push(`  unpriced in ${u.stack}: ${u.type} ${u.name}: ${u.reason}`);
    lines.push(`  Total: ${c.fromMonthly.toFixed(2)} -> ${c.toMonthly.toFixed(2)} (${sign(c.delta)})`);
    return lines.join("\n");
}
