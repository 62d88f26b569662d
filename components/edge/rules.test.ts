import { strict as assert } from "assert";
import { entitlementsOf } from "./features";
import {
    MANAGED_RULESETS, OWASP_ANOMALY_RULE_ID, RATE_LIMIT_PERIODS, botManagementSettings, cacheRules, customWafRules, managedWafRules, rateLimitRules,
} from "./rules";

const hosts = { app: "app.example.com", api: "api.example.com" };
const withAuth = { ...hosts, auth: "auth.example.com" };
const limits = { apiPerIp: 600, apiPerKey: 1200, authPerIp: 30 };
const ent = entitlementsOf;
const enterpriseArl = entitlementsOf("enterprise", { appSecurity: true, advancedRateLimiting: true, botManagement: false });

describe("edge rules", () => {
    describe("rateLimitRules", () => {
        it("holds one path-only rule counted over 10 s on free: the credential limit, scaled from per-minute", () => {
            const { rules, omitted } = rateLimitRules(ent("free"), hosts, limits);
            assert.deepEqual(rules.map((r) => r.ref), ["auth-credentials"]);
            assert.equal(rules[0].ratelimit!.period, 10);
            assert.equal(rules[0].ratelimit!.requestsPerPeriod, 5);
            assert.equal(rules[0].expression, 'http.request.uri.path in {"/v1/auth/login" "/v1/auth/token"}', "free plans match on the path only");
            assert.deepEqual(omitted.map((o) => o.ref).sort(), ["api-per-ip", "api-per-key"]);
        });
        it("on pro: no method field, per IP; on business: POST only, NAT-aware visitor, failures counted", () => {
            const pro = rateLimitRules(ent("pro"), hosts, limits).rules;
            assert.deepEqual(pro.map((r) => [r.ref, r.ratelimit!.period, r.ratelimit!.requestsPerPeriod]),
                [["auth-credentials", 60, 30], ["api-per-ip", 60, 600]]);
            assert.ok(pro.every((r) => !r.expression.includes("http.request.method") && r.ratelimit!.characteristics[1] === "ip.src"));
            const biz = rateLimitRules(ent("business"), withAuth, limits).rules;
            assert.deepEqual(biz.map((r) => r.ref), ["auth-failures", "auth-keycloak-form", "api-per-ip"]);
            assert.ok(biz.every((r) => r.ratelimit!.characteristics[1] === "cf.unique_visitor_id"));
            assert.match(biz[0].ratelimit!.countingExpression!, /http\.response\.code in \{400 401 403\}$/);
            assert.match(biz[2].expression, /http\.request\.method ne "OPTIONS"/);
        });
        it("adds the per-API-key rule only with Advanced Rate Limiting, and keyed requests leave the per-IP rule", () => {
            const { rules, omitted } = rateLimitRules(enterpriseArl, hosts, limits);
            const perKey = rules.find((r) => r.ref === "api-per-key")!;
            assert.deepEqual(perKey.ratelimit!.characteristics, ["cf.colo.id", 'http.request.headers["x-api-key"]']);
            assert.equal(perKey.ratelimit!.requestsPerPeriod, 1200);
            assert.match(rules.find((r) => r.ref === "api-per-ip")!.expression, /not len\(http\.request\.headers\["x-api-key"\]\) > 0/);
            assert.deepEqual(omitted, []);
            const noArl = rateLimitRules(entitlementsOf("enterprise", { appSecurity: true, advancedRateLimiting: false, botManagement: false }), hosts, limits);
            assert.match(noArl.omitted[0].reason, /ApiKeyLimiter Worker/);
        });
        it("holds no rate-limiting rules on an Enterprise zone without application security", () => {
            const { rules, omitted } = rateLimitRules(entitlementsOf("enterprise"), hosts, limits);
            assert.deepEqual(rules, []);
            assert.ok(omitted.length >= 2);
        });
        it("always counts per colo, uses only accepted periods, and answers JSON 429 where the plan allows a custom response", () => {
            for (const plan of ["free", "pro", "business"] as const) {
                for (const r of rateLimitRules(ent(plan), withAuth, limits).rules) {
                    assert.equal(r.ratelimit!.characteristics[0], "cf.colo.id");
                    assert.ok((RATE_LIMIT_PERIODS as readonly number[]).includes(r.ratelimit!.period));
                    if (plan !== "free") assert.equal((r.actionParameters as any).response.statusCode, 429);
                }
            }
        });
    });

    describe("managedWafRules", () => {
        it("executes Cloudflare Managed and OWASP Core on paid plans (exceptions first), the Free Managed ruleset on free", () => {
            const rules = managedWafRules(ent("pro"), hosts);
            assert.deepEqual(rules.filter((r) => r.action === "execute").map((r) => r.actionParameters!.id),
                [MANAGED_RULESETS.cloudflareManaged, MANAGED_RULESETS.owaspCore]);
            assert.equal(rules[0].action, "skip");
            assert.deepEqual(managedWafRules(ent("free"), hosts).map((r) => r.actionParameters!.id), [MANAGED_RULESETS.freeManaged]);
        });
        it("sets the OWASP threshold, disables higher paranoia levels, and logs only on enterprise", () => {
            const owasp = managedWafRules(ent("business"), hosts, { mode: "block", owaspScoreThreshold: 60, owaspParanoiaLevel: 2 }).at(-1)!;
            const o = owasp.actionParameters!.overrides as any;
            assert.deepEqual(o.rules, [{ id: OWASP_ANOMALY_RULE_ID, scoreThreshold: 60, action: "block" }]);
            assert.deepEqual(o.categories.map((c: any) => c.category), ["paranoia-level-3", "paranoia-level-4"]);
            assert.throws(() => managedWafRules(ent("business"), hosts, { mode: "log", owaspScoreThreshold: 40, owaspParanoiaLevel: 1 }),
                /log mode needs enterprise/);
        });
    });

    describe("customWafRules", () => {
        it("skips Super Bot Fight Mode for machine clients only in that mode", () => {
            const sbfm = customWafRules({ hosts, blockedCountries: [], botMode: "super-bot-fight-mode" });
            assert.deepEqual(sbfm.find((r) => r.action === "skip")?.actionParameters, { phases: ["http_request_sbfm"] });
            assert.equal(sbfm.some((r) => r.ref === "blocked-countries"), false);
            assert.equal(customWafRules({ hosts, blockedCountries: ["KP"], botMode: "off" }).some((r) => r.action === "skip"), false);
        });
        it("blocks the API's unserved paths while admitting /graphql, /health, /v1/ and /v2/", () => {
            const paths = customWafRules({ hosts, blockedCountries: [], botMode: "off" }).find((r) => r.ref === "api-paths")!;
            for (const served of ['"/graphql"', '"/health"', '"/v1/"', '"/v2/"']) assert.ok(paths.expression.includes(served), served);
            assert.match(paths.expression, /^http\.host eq "api\.example\.com" and not \(/);
        });
    });

    describe("cacheRules and bots", () => {
        it("caches /assets/ for a year (errors never) and bypasses everything else on the app host", () => {
            const [assets, entry] = cacheRules(hosts);
            assert.equal((assets.actionParameters as any).edgeTtl.default, 31536000);
            assert.deepEqual(entry.actionParameters, { cache: false });
            assert.match(entry.expression, /not starts_with/);
        });
        it("never turns on fightMode, and likely-automated only on business and up", () => {
            assert.equal(botManagementSettings("off", "free").fightMode, false);
            assert.equal(botManagementSettings("super-bot-fight-mode", "pro").fightMode, false);
            assert.equal(botManagementSettings("super-bot-fight-mode", "pro").sbfmLikelyAutomated, undefined);
            assert.equal(botManagementSettings("super-bot-fight-mode", "business").sbfmLikelyAutomated, "managed_challenge");
            assert.equal(botManagementSettings("bot-management", "enterprise").fightMode, false);
        });
    });
});
