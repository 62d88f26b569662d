// `npm run -s plan -- --stack <name> [--preview] [--json] [--program <file>]`: see offline/cli-main.ts for the contract.
import { analyzerProcess } from "./analyzer/process";

// The policy pack's process starts before this one loads anything else (the SDKs, the program, the engine), so the
// pack loads on the other core while this one does.
if (!process.argv.includes("--help") && !process.argv.includes("-h")) analyzerProcess();

const { stopAnalyzer }: typeof import("./analyzer/client") = require("./analyzer/client");
const { runCli }: typeof import("./cli-main") = require("./cli-main");

runCli(process.argv.slice(2)).then(async (code) => {
    await stopAnalyzer();
    // Exit only once stdout has drained: process.exit() with pending output cuts a piped --json document short.
    process.exitCode = code;
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
});
