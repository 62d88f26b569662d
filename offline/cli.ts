// `npm run plan -- --stack <name> [--json] [--program <file>]`: see offline/cli-main.ts for the contract.
import { runCli } from "./cli-main";

runCli(process.argv.slice(2)).then((code) => {
    // The Pulumi runtime may keep handles open after a mocked run; the plan is complete here.
    process.exit(code);
});
