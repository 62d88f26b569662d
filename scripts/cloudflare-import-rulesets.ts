// `npm run -s import:rulesets -- --stack <stack>`: before the first `pulumi up` on an existing zone, lists the zone's
// entry-point rulesets (GET /zones/{zone_id}/rulesets) for the phases the Edge component writes, and prints the
// `pulumi import` command for each one found. A zone has one entry point per phase, so creating a second fails
// ("a similar configuration with rules already exists"); importing makes the program adopt it instead.
// Needs CLOUDFLARE_API_TOKEN with Zone WAF / Cache / Transform / Config Settings Read. Import id: zones/<zone_id>/<ruleset_id>.
import { PHASES } from "../components/edge/rules";
import { readStackFiles } from "../offline/stack-files";

/** The Edge component's child name for each phase (components/edge/edge.ts `ruleset(key, phase, ...)`). */
export const RULESET_KEYS: Record<string, string> = {
    [PHASES.managedWaf]: "waf-managed", [PHASES.customWaf]: "waf-custom", [PHASES.rateLimit]: "rate-limits",
    [PHASES.cache]: "cache", [PHASES.responseHeaders]: "headers", [PHASES.config]: "config", [PHASES.redirect]: "https-redirects",
};

export interface ZoneRuleset { id: string; kind: string; phase: string; name?: string }

/** The `pulumi import` commands adopting the zone's existing entry points for our phases. */
export function importCommands(stack: string, project: string, zoneId: string, rulesets: ZoneRuleset[]): string[] {
    const parent = `urn:pulumi:${stack}::${project}::platform:edge:Edge::edge`;
    return rulesets.filter((r) => r.kind === "zone" && RULESET_KEYS[r.phase]).map((r) =>
        `pulumi import --stack ${stack} --parent 'edge=${parent}' cloudflare:index/ruleset:Ruleset edge-${RULESET_KEYS[r.phase]} 'zones/${zoneId}/${r.id}'`);
}

async function main(argv: string[]): Promise<number> {
    const stack = argv[argv.indexOf("--stack") + 1];
    if (!argv.includes("--stack") || !stack) {
        console.error("usage: npm run -s import:rulesets -- --stack <dev|prod-eu|prod-il>");
        return 2;
    }
    const token = process.env.CLOUDFLARE_API_TOKEN;
    if (!token) {
        console.error("CLOUDFLARE_API_TOKEN is not set (needs read access to the zone's rulesets)");
        return 2;
    }
    const files = readStackFiles(stack);
    const zoneId = JSON.parse(files.config["platform:edge"]).zoneId as string;
    const response = await fetch(`https://api.cloudflare.com/client/v4/zones/${zoneId}/rulesets`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.json() as { success: boolean; result?: ZoneRuleset[]; errors?: unknown[] };
    if (!response.ok || !body.success) {
        console.error(`listing rulesets of zone ${zoneId} failed: HTTP ${response.status} ${JSON.stringify(body.errors ?? [])}`);
        return 1;
    }
    const commands = importCommands(stack, files.project, zoneId, body.result ?? []);
    console.log(commands.length ? commands.join("\n") : `# zone ${zoneId} has no entry-point rulesets for the edge's phases: nothing to import`);
    return 0;
}

if (require.main === module) main(process.argv.slice(2)).then((code) => process.exit(code));
