import { strict as assert } from "assert";
import {
    MANAGED_RULESETS, RATE_LIMIT_PERIODS, botManagementSettings, cacheRules, customWafRules, managedWafRules, rateLimitRules,
} from "./rules";

const hosts = { app: "app.example.com", api: "api.example.com" };
const withAuth = { ...hosts, auth: "auth.example.com" };
const limits = { apiPerIp: 600, apiPerKey: 1200, authPerIp: 30 };

describe("edge rules", () => {
    describe("rateLimitRules", () => {
        it("holds one rule counted over 10 s on free: the auth limit, scaled from per-minute", () => {
            const { rules, omitted } = rateLimitRules("free", hosts, limits);
            assert.deepEqual(rules.map((r) => r.ref), ["auth-per-ip"]);
            assert.equal(rules[0].ratelimit!.period, 10);
            assert.equal(rules[0].ratelimit!.requestsPerPeriod, 5);
            assert.equal(rules[0].ratelimit!.mitigationTimeout, 10);
            assert.equal(rules[0].expression, 'starts_with(http.request.uri.path, "/v1/auth")', "free plans match on the path only");
            assert.deepEqual(omitted.map((o) => o.ref).sort(), ["api-per-ip", "api-per-key"]);
        });
        it("holds the two per-IP rules over 60 s on pro and business, and leaves per-key limits to the application", () => {
            for (const plan of ["pro", "business"] as const) {
                const { rules, omitted } = rateLimitRules(plan, hosts, limits);
                assert.deepEqual(rules.map((r) => [r.ref, r.ratelimit!.period, r.ratelimit!.requestsPerPeriod]), [["auth-per-ip", 60, 30], ["api-per-ip", 60, 600]]);
                assert.deepEqual(omitted.map((o) => o.ref), ["api-per-key"]);
                assert.match(omitted[0].reason, /application enforces/);
            }
        });
        it("adds the per-API-key rule, counted on the x-api-key header, only on enterprise", () => {
            const { rules, omitted } = rateLimitRules("enterprise", hosts, limits);
            const perKey = rules.find((r) => r.ref === "api-per-key")!;
            assert.deepEqual(perKey.ratelimit!.characteristics, ["cf.colo.id", 'http.request.headers["x-api-key"]']);
            assert.equal(perKey.ratelimit!.requestsPerPeriod, 1200);
            assert.deepEqual(omitted, []);
        });
        it("always counts per colo and uses only periods the API accepts", () => {
            for (const plan of ["free", "pro", "business", "enterprise"] as const) {
                for (const r of rateLimitRules(plan, withAuth, limits).rules) {
                    assert.equal(r.ratelimit!.characteristics[0], "cf.colo.id");
                    assert.ok((RATE_LIMIT_PERIODS as readonly number[]).includes(r.ratelimit!.period));
                }
            }
        });
        it("covers the Keycloak host with the auth limit when it runs", () => {
            const auth = rateLimitRules("business", withAuth, limits).rules.find((r) => r.ref === "auth-per-ip")!;
            assert.match(auth.expression, /starts_with\(http\.request\.uri\.path, "\/v1\/auth"\)/);
            assert.match(auth.expression, /http\.host eq "auth\.example\.com"/);
        });
    });

    describe("managedWafRules", () => {
        it("executes Cloudflare Managed and OWASP Core on paid plans, the Free Managed ruleset on free", () => {
            assert.deepEqual(managedWafRules("pro").map((r) => r.actionParameters!.id), [MANAGED_RULESETS.cloudflareManaged, MANAGED_RULESETS.owaspCore]);
            assert.deepEqual(managedWafRules("free").map((r) => r.actionParameters!.id), [MANAGED_RULESETS.freeManaged]);
        });
    });

    describe("customWafRules", () => {
        it("skips Super Bot Fight Mode for the API host only in that mode", () => {
            const sbfm = customWafRules({ hosts, blockedCountries: [], botMode: "super-bot-fight-mode" });
            assert.deepEqual(sbfm.find((r) => r.action === "skip")?.actionParameters, { phases: ["http_request_sbfm"] });
            assert.equal(sbfm.some((r) => r.ref === "blocked-countries"), false);
            assert.equal(customWafRules({ hosts, blockedCountries: ["KP"], botMode: "bot-fight-mode" }).some((r) => r.action === "skip"), false);
        });
        it("blocks the API's unserved paths while admitting /graphql, /health, /v1/ and /v2/", () => {
            const paths = customWafRules({ hosts, blockedCountries: [], botMode: "bot-fight-mode" }).find((r) => r.ref === "api-paths")!;
            for (const served of ['"/graphql"', '"/health"', '"/v1/"', '"/v2/"']) assert.ok(paths.expression.includes(served), served);
            assert.match(paths.expression, /^http\.host eq "api\.example\.com" and not \(/);
        });
    });

    describe("cacheRules and bots", () => {
        it("caches /assets/ for a year and bypasses everything else on the app host", () => {
            const [assets, entry] = cacheRules(hosts);
            assert.deepEqual(assets.actionParameters, { cache: true, edgeTtl: { mode: "override_origin", default: 31536000 }, browserTtl: { mode: "override_origin", default: 31536000 } });
            assert.deepEqual(entry.actionParameters, { cache: false });
            assert.match(entry.expression, /not starts_with/);
        });
        it("turns on fightMode only for bot-fight-mode, and likely-automated only on business and up", () => {
            assert.equal(botManagementSettings("bot-fight-mode", "free").fightMode, true);
            assert.equal(botManagementSettings("super-bot-fight-mode", "pro").fightMode, false);
            assert.equal(botManagementSettings("super-bot-fight-mode", "pro").sbfmLikelyAutomated, undefined);
            assert.equal(botManagementSettings("super-bot-fight-mode", "business").sbfmLikelyAutomated, "managed_challenge");
            assert.equal(botManagementSettings("bot-management", "enterprise").fightMode, false);
        });
    });
});
