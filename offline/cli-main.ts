import * as fs from "fs";
import { compareCosts, comparisonText } from "./cost/compare";
import { isUserError, planJson, planStack, planText } from "./plan";

export const USAGE = "usage: npm run plan -- --stack <name> [--json] [--program <file.ts>] [--policy-pack-config <file.json>] [--compare <stack>]";

export interface CliIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 the program, its config or the arguments are wrong. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        io.err(`${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const packConfig = args.packConfig ? JSON.parse(fs.readFileSync(args.packConfig, "utf8")) : undefined;
        const plan = await planStack({ stack: args.stack, program: args.program, packConfig });
        // --compare: the other stack's cost beside this one's; its policy results do not change the exit code.
        const other = args.compare ? await planStack({ stack: args.compare, program: args.program, packConfig }) : undefined;
        const comparison = other ? compareCosts({ stack: args.stack, cost: plan.cost }, { stack: args.compare!, cost: other.cost }) : undefined;
        if (args.json) io.out(`${JSON.stringify(comparison ? { ...planJson(plan), costComparison: comparison } : planJson(plan), null, 2)}\n`);
        else io.out(`${planText(plan)}\n${comparison ? `\n${comparisonText(comparison)}\n` : ""}`);
        return plan.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (err) {
        io.err(`error: ${(err as Error).message}\n`);
        if (!isUserError(err) && process.env.PLAN_DEBUG) io.err(`${(err as Error).stack}\n`);
        return 2;
    }
}

interface CliArgs { stack: string; json: boolean; program?: string; packConfig?: string; compare?: string }

function parseArgs(argv: string[]): CliArgs | string {
    const out: Partial<CliArgs> & { json: boolean } = { json: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => argv[++i] ?? "";
        if (flag === "--json") out.json = true;
        else if (flag === "--stack" || flag === "-s") out.stack = value();
        else if (flag === "--program") out.program = value();
        else if (flag === "--policy-pack-config") out.packConfig = value();
        else if (flag === "--compare") out.compare = value();
        else return `unknown argument: ${flag}`;
    }
    if (!out.stack) return "missing --stack";
    if (out.compare === "") return "--compare needs a stack name";
    if (out.program !== undefined && !fs.existsSync(out.program)) return `--program ${out.program}: no such file`;
    if (out.packConfig !== undefined && !fs.existsSync(out.packConfig)) return `--policy-pack-config ${out.packConfig}: no such file`;
    return out as CliArgs;
}
