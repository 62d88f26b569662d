import * as fs from "fs";
import { isUserError, planJson, planStack, planText } from "./plan";

const USAGE = "usage: npm run plan -- --stack <name> [--json] [--program <file.ts>] [--policy-pack-config <file.json>]";

/** Exit codes: 0 no mandatory violation; 1 mandatory violations; 2 the program, its config or the arguments are wrong. */
async function main(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        process.stderr.write(`${args}\n${USAGE}\n`);
        return 2;
    }
    try {
        const packConfig = args.packConfig ? JSON.parse(fs.readFileSync(args.packConfig, "utf8")) : undefined;
        const plan = await planStack({ stack: args.stack, program: args.program, packConfig });
        process.stdout.write(args.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : `${planText(plan)}\n`);
        return plan.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (err) {
        process.stderr.write(`error: ${(err as Error).message}\n`);
        if (!isUserError(err) && process.env.PLAN_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
        return 2;
    }
}

function parseArgs(argv: string[]): { stack: string; json: boolean; program?: string; packConfig?: string } | string {
    const out: { stack?: string; json: boolean; program?: string; packConfig?: string } = { json: false };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => argv[++i] ?? "";
        if (flag === "--json") out.json = true;
        else if (flag === "--stack" || flag === "-s") out.stack = value();
        else if (flag === "--program") out.program = value();
        else if (flag === "--policy-pack-config") out.packConfig = value();
        else return `unknown argument: ${flag}`;
    }
    if (!out.stack) return "missing --stack";
    if (out.program !== undefined && !fs.existsSync(out.program)) return `--program ${out.program}: no such file`;
    return out as { stack: string; json: boolean; program?: string; packConfig?: string };
}

main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // The Pulumi runtime may hold handles open after a mocked run; the plan is complete here.
    setImmediate(() => process.exit(code));
});
