// `npm run -s plan -- --stack <name> [--preview] [--json] [--program <file>]`: see offline/cli-main.ts for the contract.
import { startAnalyzer, stopAnalyzer } from "./analyzer/client";
import { runCli } from "./cli-main";

// The policy pack's process loads while this one loads the program.
if (!process.argv.includes("--help") && !process.argv.includes("-h")) startAnalyzer().catch(() => undefined);

runCli(process.argv.slice(2)).then(async (code) => {
    await stopAnalyzer();
    // Exit only once stdout has drained: process.exit() with pending output cuts a piped --json document short.
    process.exitCode = code;
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
});
