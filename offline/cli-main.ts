import * as fs from "fs";
import { compareCosts, comparisonText } from "./cost/compare";
import { costContextOfStack } from "./cost/usage";
import { LEVERS, LeverChoice, parseLevers, whatIf, whatIfText } from "./cost/what-if";
import { PackConfigError } from "./analyzer/pack-config";
import { Plan, PlanOptions, isUserError, planJson, planStack, planText } from "./plan";
import { complianceReport } from "./compliance-report";
import { reportDocument } from "./report-document";
import { PackConfig } from "./policy-runner";

export const USAGE = `usage: npm run -s plan -- --stack <name> [options]

Runs the Pulumi program offline under mocks with the stack's config and checks it with the policy pack's own analyzer.

  --stack, -s <name>              the stack (dev, prod-eu, prod-il: a Pulumi.<name>.yaml); --stack=<name> also works
  --preview                       as the first \`pulumi preview\` of a new stack: values computed on create are unknown
  --json                          one JSON document on stdout (use \`npm run -s\`, so npm prints no banner before it)
  --program <file.ts>             run this program file instead of the project's entry, with the stack's config
  --program <folder>              plan another project (e.g. examples/secure-ai-app): its Pulumi.yaml, main and stack files
  --policy-pack-config <file>     policy levels and settings, as \`pulumi preview --policy-pack-config\`
  --compare <stack>               the other stack's monthly cost beside this one's
  --what-if <lever>[,<lever>...]  the monthly effect of cost levers on this stack's estimate, each alone and all together:
${Object.entries(LEVERS).map(([k, v]) => `                                    ${k}: ${v}`).join("\n")}
  --report <file.md>              write the compliance report (per framework: controls, policies, resources that pass,
                                  fail or are excepted) to this Markdown file
  --help, -h                      this text

exit codes: 0 no mandatory violation; 1 mandatory violations; 2 the arguments, the config or the program are wrong.
PLAN_DEBUG=1 prints the engine's stack trace on an internal error and keeps the SDK's debugging aids on.`;

export interface CliIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 the program, its config or the arguments are wrong.
 * `plan` makes the plans (tests pass offline/testing.ts `cachedPlan`, which reuses one render per stack and mode).
 */
export async function runCli(argv: string[], io: CliIo = processIo, plan: (opts: PlanOptions) => Promise<Plan> = planStack): Promise<number> {
    const args = parseArgs(argv);
    if (args === "help") {
        io.out(`${USAGE}\n`);
        return 0;
    }
    if (typeof args === "string") {
        io.err(`${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const packConfig = args.packConfig ? readPackConfig(args.packConfig) : undefined;
        const common = { program: args.program, packConfig, packConfigFile: args.packConfig, preview: args.preview };
        const main = await plan({ stack: args.stack, ...common });
        // --compare: the other stack's cost beside this one's; its policy results do not change the exit code.
        const other = args.compare ? await plan({ stack: args.compare, ...common }) : undefined;
        if (args.report) fs.writeFileSync(args.report, complianceReport(await reportDocument(main)));
        const comparison = other ? compareCosts({ stack: args.stack, cost: main.cost }, { stack: args.compare!, cost: other.cost }) : undefined;
        // --what-if: the levers re-price this plan's own graph (offline/cost/what-if.ts); they change nothing deployed.
        const levers = args.whatIf ? whatIf(main.run.resources, costContextOfStack(args.stack), args.whatIf) : undefined;
        const extra = { ...(comparison ? { costComparison: comparison } : {}), ...(levers ? { whatIf: { ...levers, scenario: undefined } } : {}) };
        if (args.json) io.out(`${JSON.stringify({ ...planJson(main), ...extra }, null, 2)}\n`);
        else io.out(`${planText(main)}\n${comparison ? `\n${comparisonText(comparison)}\n` : ""}${levers ? `\n${whatIfText(args.stack, levers)}\n` : ""}`);
        return main.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (err) {
        io.err(`error: ${(err as Error)?.message ?? String(err)}\n`);
        if (!isUserError(err) && process.env.PLAN_DEBUG) io.err(`${(err as Error).stack}\n`);
        return 2;
    }
}

function readPackConfig(file: string): PackConfig {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new PackConfigError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
}

interface CliArgs {
    stack: string; json: boolean; preview: boolean; program?: string; packConfig?: string; compare?: string; report?: string;
    whatIf?: LeverChoice[];
}

const VALUE_FLAGS: Record<string, "stack" | "program" | "packConfig" | "compare" | "report" | "whatIf"> = {
    "--stack": "stack", "-s": "stack", "--program": "program", "--policy-pack-config": "packConfig", "--compare": "compare", "--report": "report",
    "--what-if": "whatIf",
};

function parseArgs(argv: string[]): CliArgs | "help" | string {
    const out: Partial<Omit<CliArgs, "whatIf">> & { json: boolean; preview: boolean; whatIf?: string | LeverChoice[] } = { json: false, preview: false };
    for (let i = 0; i < argv.length; i++) {
        const eq = argv[i].startsWith("--") ? argv[i].indexOf("=") : -1; // --stack=dev
        const [flag, inline] = eq > 0 ? [argv[i].slice(0, eq), argv[i].slice(eq + 1)] : [argv[i], undefined];
        if (flag === "--help" || flag === "-h") return "help";
        if (flag === "--json" || flag === "--preview") {
            if (inline !== undefined) return `${flag} takes no value`;
            out[flag === "--json" ? "json" : "preview"] = true;
        } else if (VALUE_FLAGS[flag]) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) return `${flag} needs a value`;
            out[VALUE_FLAGS[flag]] = value;
        } else {
            return `unknown argument: ${argv[i]}`;
        }
    }
    if (!out.stack) return "missing --stack";
    if (typeof out.whatIf === "string") {
        const levers = parseLevers(out.whatIf);
        if (typeof levers === "string") return levers;
        out.whatIf = levers;
    }
    if (out.program !== undefined && !fs.existsSync(out.program)) return `--program ${out.program}: no such file or folder`;
    if (out.packConfig !== undefined && !fs.existsSync(out.packConfig)) return `--policy-pack-config ${out.packConfig}: no such file`;
    return out as CliArgs;
}
