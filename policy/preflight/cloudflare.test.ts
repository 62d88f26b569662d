import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { stackPlan } from "../../offline/testing";
import { toPolicyResources } from "../../offline/policy-runner";
import { entitlementsOf, preflightCloudflareEntitlements, preflightCloudflareShape } from "./cloudflare";

const RULESET = "cloudflare:index/ruleset:Ruleset";
const zoneId = "zone-1";
const aop = (hosts: string[]) => fake("cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls", "edge-aop",
    { zoneId, configs: hosts.map((hostname) => ({ hostname, certId: "c", enabled: true })) });
const limits = (characteristics: string[], period = 60, description = "rate limits") => fake(RULESET, "edge-rate-limits", { zoneId, kind: "zone",
    phase: "http_ratelimit", description,
    rules: [{ ref: "api-per-key", action: "block", expression: "true", ratelimit: { characteristics, period, requestsPerPeriod: 100,
        mitigationTimeout: 60 } }] });

describe("preflight Cloudflare", () => {
    describe("preflight-cloudflare-shape", () => {
        it("passes one hostname per AOP resource and one ruleset per phase with cf.colo.id and an allowed period", async () => {
            assert.deepEqual(await violationsOf(preflightCloudflareShape, [aop(["api.complyhub.co.il"]), limits(["cf.colo.id", "ip.src"])]), []);
        });
        it("flags two hostnames in one AOP resource (prod-il today), a second ruleset for a phase, a missing cf.colo.id and a period of 50 s", async () => {
            const second = fake(RULESET, "more-limits", { zoneId, kind: "zone", phase: "http_ratelimit", rules: [] });
            const found = (await violationsOf(preflightCloudflareShape, [aop(["api.complyhub.co.il", "auth.complyhub.co.il"]), limits(["ip.src"], 50),
                second])).join("\n");
            for (const expected of [/edge-aop: has 2 hostname configs/, /more-limits: a second zone ruleset for phase http_ratelimit/,
                /must include cf\.colo\.id/, /period 50 is not one of/]) {
                assert.match(found, expected);
            }
        });
    });

    describe("preflight-cloudflare-entitlements", () => {
        it("counts by cf.unique_visitor_id (IP with NAT support) on Business and Enterprise only", async () => {
            const visitor = ["cf.colo.id", "cf.unique_visitor_id"];
            assert.deepEqual(await violationsOf(preflightCloudflareEntitlements, [limits(visitor, 60, "limits; plan=business; addons=")]), []);
            assert.match((await violationsOf(preflightCloudflareEntitlements, [limits(visitor, 60, "limits; plan=pro; addons=")])).join(),
                /cf\.unique_visitor_id \(IP with NAT support\), which needs Business or Enterprise \(plan: pro\)/);
        });
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            it(`reads ${stack}'s stated plan and add-ons from the program's rulesets (the edge layer's marker)`, async function () {
                this.timeout(60000);
                const plan = await stackPlan(stack);
                const args = { resources: toPolicyResources(plan.run.resources), getConfig: () => ({}) } as any;
                const edge = plan.run.outputs.edgeFeatures as { plan: string; addons: Record<string, boolean> };
                const addons = Object.entries<boolean>(edge.addons)
                    .filter(([, on]) => on)
                    .map(([k]) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))
                    .sort();
                assert.deepEqual(entitlementsOf(args), { plan: edge.plan, addons });
            });
        }
        const header = ["cf.colo.id", "http.request.headers[\"x-api-key\"]"];
        const bots = fake(RULESET, "edge-waf-custom", { zoneId, kind: "zone", phase: "http_request_firewall_custom",
            rules: [{ ref: "browser-bots", action: "managed_challenge", expression: "cf.bot_management.score lt 30" }] });
        it("flags header counting and bot-score rules on an Enterprise zone without the add-ons (prod-eu today, plan from the ruleset marker)", async () => {
            const found = (await violationsOf(preflightCloudflareEntitlements, [limits(header, 60, "rate limits; plan=enterprise; addons="), bots])).join("\n");
            assert.match(found, /counts by http\.request\.headers\["x-api-key"\], which needs Enterprise with Advanced Rate Limiting/);
            assert.match(found, /browser-bots reads cf\.bot_management fields, which need the Bot Management add-on/);
        });
        it("passes them with both add-ons, and flags a 120 s period on Pro (plan from the pack config)", async () => {
            assert.deepEqual(await violationsOf(preflightCloudflareEntitlements, [limits(header, 60,
                "plan=enterprise; addons=advanced-rate-limiting,bot-management"), bots]), []);
            assert.match((await violationsOf(preflightCloudflareEntitlements, [limits(["cf.colo.id", "ip.src"], 120)], { plan: "pro" })).join(),
                /counts over 120 s; the pro plan allows up to 60 s/);
        });
        it("does not guess when nothing in the graph or config states the plan", async () => {
            assert.deepEqual(await violationsOf(preflightCloudflareEntitlements, [limits(header), bots]), []);
        });
    });
});
