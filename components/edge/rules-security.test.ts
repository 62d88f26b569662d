import { strict as assert } from "assert";
import { entitlementsOf } from "./features";
import {
    API_KEY_HEADER, DEFAULT_WAF, HSTS_VALUE, MANAGED_RULESETS, OWASP_ANOMALY_RULE_ID, PHASES, RATE_LIMITED_BODY, ZONE_SETTINGS, botManagementSettings,
    cacheRules, configRules, customWafRules, machineClientExpression, managedWafRules, originPullHosts, rateLimitRules, redirectRules, responseHeaderRules,
    spaContentSecurityPolicy, spaSecurityHeaders,
} from "./rules";

// The edge's rules as the security contract they are: which requests each rule matches (the exact Cloudflare
// expression), what it does (action, phase parameters), and on which plans. Pure functions: milliseconds per test.
const API = 'http.host eq "api.example.com"';
const AUTH = 'http.host eq "auth.example.com"';
const P = "http.request.uri.path";
const hosts = { app: "app.example.com", api: "api.example.com" };
const withAuth = { ...hosts, auth: "auth.example.com" };
const limits = { apiPerIp: 600, apiPerKey: 1200, authPerIp: 30 };
const JSON_429 = { response: { statusCode: 429, contentType: "application/json", content: RATE_LIMITED_BODY } };

describe("edge rules: expressions and actions", () => {
    describe("customWafRules", () => {
        it("blocks the configured countries, plain HTTP, unserved methods and unserved paths on the API host", () => {
            const rules = customWafRules({ hosts, blockedCountries: ["KP", "IR"], botMode: "off" });
            assert.deepEqual(rules.map((r) => [r.ref, r.action, r.expression]), [
                ["blocked-countries", "block", 'ip.src.country in {"KP" "IR"}'],
                ["api-plain-http", "block", `${API} and not ssl`],
                ["api-methods", "block", `${API} and not http.request.method in {"GET" "HEAD" "POST" "PUT" "PATCH" "DELETE" "OPTIONS"}`],
                ["api-paths", "block", `${API} and not (${P} eq "/graphql" or ${P} eq "/health" or starts_with(${P}, "/v1/") or starts_with(${P}, "/v2/"))`],
            ]);
            assert.ok(rules.every((r) => r.actionParameters === undefined), "a block needs no parameters");
            assert.match(rules[0].description, /edge\.blockedCountries/);
            assert.match(rules[1].description, /plain HTTP on the API host/);
            assert.match(rules[2].description, /methods the API does not serve/);
            assert.match(rules[3].description, /paths the API does not serve/);
        });
        it("on the Keycloak host blocks everything but the public prefixes, and always the master realm", () => {
            const admin = customWafRules({ hosts: withAuth, blockedCountries: [], botMode: "off" }).find((r) => r.ref === "auth-admin-paths")!;
            assert.equal(admin.action, "block");
            assert.equal(admin.expression, `${AUTH} and (not (starts_with(${P}, "/realms/") or starts_with(${P}, "/resources/") or ` +
                `starts_with(${P}, "/.well-known/") or ${P} eq "/robots.txt") or starts_with(${P}, "/realms/master/") or ${P} eq "/realms/master")`);
            assert.match(admin.description, /never \/admin\/ or the master realm/);
            assert.equal(customWafRules({ hosts, blockedCountries: [], botMode: "off" }).some((r) => r.ref === "auth-admin-paths"), false);
        });
        it("lets only machine clients skip Super Bot Fight Mode (the WAF and limits still apply to them)", () => {
            const skip = customWafRules({ hosts: withAuth, blockedCountries: [], botMode: "super-bot-fight-mode" }).at(-1)!;
            assert.deepEqual(skip, { ref: "machine-skip-sbfm", action: "skip", actionParameters: { phases: ["http_request_sbfm"] },
                expression: machineClientExpression(withAuth), description: skip.description });
            assert.match(skip.description, /machine clients/);
            for (const mode of ["off", "bot-management"] as const) {
                assert.equal(customWafRules({ hosts: withAuth, blockedCountries: [], botMode: mode }).some((r) => r.action === "skip"), false, mode);
            }
        });
        it("challenges likely bots with Bot Management: browsers on the browser hosts, keyless credential posts on the API", () => {
            const rules = customWafRules({ hosts: withAuth, blockedCountries: [], botMode: "bot-management" });
            const bot = "cf.bot_management.score lt 30 and not cf.bot_management.verified_bot";
            assert.deepEqual(rules.slice(-2).map((r) => [r.ref, r.action, r.expression]), [
                ["browser-bots", "managed_challenge",
                    `http.host in {"app.example.com" "auth.example.com"} and ${bot} and not cf.bot_management.static_resource`],
                ["api-auth-bots", "managed_challenge",
                    `${API} and http.request.method eq "POST" and starts_with(${P}, "/v1/auth/") and ${bot} and ` +
                        'not len(http.request.headers["x-api-key"]) > 0'],
            ]);
            assert.match(rules.at(-2)!.description, /bot score below 30/);
            assert.match(rules.at(-1)!.description, /credential stuffing/);
            const noAuth = customWafRules({ hosts, blockedCountries: [], botMode: "bot-management" }).find((r) => r.ref === "browser-bots")!;
            assert.match(noAuth.expression, /^http\.host eq "app\.example\.com" and cf\.bot_management/);
            assert.equal(customWafRules({ hosts, blockedCountries: [], botMode: "super-bot-fight-mode" }).some((r) => r.action === "managed_challenge"), false);
        });
    });

    it("machineClientExpression: keyed or preflight API calls, and Keycloak's back-channel endpoints only", () => {
        const api = `(${API} and (len(http.request.headers["x-api-key"]) > 0 or http.request.method eq "OPTIONS"))`;
        assert.equal(machineClientExpression(hosts), api);
        assert.equal(machineClientExpression(withAuth), `${api} or (${AUTH} and (ends_with(${P}, "/protocol/openid-connect/token") or ` +
            `ends_with(${P}, "/protocol/openid-connect/certs") or ends_with(${P}, "/protocol/openid-connect/token/introspect") or ` +
            `ends_with(${P}, "/protocol/openid-connect/userinfo") or ${P} contains "/.well-known/"))`);
    });

    describe("managedWafRules", () => {
        it("on a paid zone: skips only OWASP scoring for GraphQL posts and the Keycloak form, then runs both rulesets blocking", () => {
            const rules = managedWafRules(entitlementsOf("business"), withAuth);
            const skipOwasp = { rulesets: [MANAGED_RULESETS.owaspCore] };
            assert.deepEqual(rules.map((r) => [r.ref, r.action, r.expression, r.actionParameters]), [
                ["exception-graphql", "skip", `${API} and ${P} eq "/graphql" and http.request.method eq "POST" and ` +
                    'any(http.request.headers["content-type"][*] contains "application/json")', skipOwasp],
                ["exception-keycloak-login", "skip", `${AUTH} and http.request.method eq "POST" and ends_with(${P}, "/login-actions/authenticate")`, skipOwasp],
                ["cloudflare-managed", "execute", "true", { id: MANAGED_RULESETS.cloudflareManaged }],
                ["owasp-core", "execute", "true", { id: MANAGED_RULESETS.owaspCore, overrides: {
                    categories: [2, 3, 4].map((l) => ({ category: `paranoia-level-${l}`, enabled: false })),
                    rules: [{ id: OWASP_ANOMALY_RULE_ID, scoreThreshold: 40, action: "block" }] } }],
            ]);
            assert.deepEqual(rules.map((r) => r.description), [
                "Skip OWASP scoring because GraphQL documents (braces, fragments, union/select-like field names) score as SQLi/XSS; the API validates them",
                "Skip OWASP scoring because passwords legitimately contain quotes, dashes and angle brackets",
                "Cloudflare Managed Ruleset (block)", "Cloudflare OWASP Core Ruleset (block, PL1, threshold 40)",
            ]);
            assert.equal(managedWafRules(entitlementsOf("pro"), hosts).some((r) => r.ref === "exception-keycloak-login"), false);
        });
        it("in log mode (Enterprise) both rulesets only log; paranoia level 4 disables no category", () => {
            const rules = managedWafRules(entitlementsOf("enterprise"), hosts, { mode: "log", owaspScoreThreshold: 25, owaspParanoiaLevel: 4 });
            assert.deepEqual(rules.at(-2)!.actionParameters, { id: MANAGED_RULESETS.cloudflareManaged, overrides: { action: "log" } });
            assert.deepEqual(rules.at(-1)!.actionParameters, { id: MANAGED_RULESETS.owaspCore,
                overrides: { rules: [{ id: OWASP_ANOMALY_RULE_ID, scoreThreshold: 25, action: "log" }] } });
            assert.equal(rules.at(-1)!.description, "Cloudflare OWASP Core Ruleset (log, PL4, threshold 25)");
            assert.throws(() => managedWafRules(entitlementsOf("pro"), hosts, { ...DEFAULT_WAF, mode: "log" }),
                /^Error: managed WAF log mode needs enterprise; plan is pro$/);
        });
        it("on free runs the Free Managed ruleset on everything and nothing else", () => {
            assert.deepEqual(managedWafRules(entitlementsOf("free"), withAuth), [{ ref: "free-managed", description: "Cloudflare Free Managed Ruleset",
                expression: "true", action: "execute", actionParameters: { id: MANAGED_RULESETS.freeManaged } }]);
        });
    });

    describe("rateLimitRules", () => {
        const creds = `(${API} and ${P} in {"/v1/auth/login" "/v1/auth/token"})`;
        const kcToken = `(${AUTH} and ends_with(${P}, "/protocol/openid-connect/token"))`;
        it("on business: POST-only credential limit counting failures per visitor, Keycloak's form by request, the API per visitor", () => {
            const { rules, omitted } = rateLimitRules(entitlementsOf("business"), withAuth, limits);
            const visitor = ["cf.colo.id", "cf.unique_visitor_id"];
            const expr = `http.request.method eq "POST" and (${creds} or ${kcToken})`;
            assert.deepEqual(rules, [
                { ref: "auth-failures", description: "Credential endpoints: 30 failed attempts/min per visitor", expression: expr, action: "block",
                    actionParameters: JSON_429, ratelimit: { characteristics: visitor, period: 60, requestsPerPeriod: 30, mitigationTimeout: 600,
                        countingExpression: `${expr} and http.response.code in {400 401 403}`, requestsToOrigin: true } },
                { ref: "auth-keycloak-form", description: "Keycloak login form: 90 posts/min per visitor", action: "block", actionParameters: JSON_429,
                    expression: `http.request.method eq "POST" and ${AUTH} and ends_with(${P}, "/login-actions/authenticate")`,
                    ratelimit: { characteristics: visitor, period: 60, requestsPerPeriod: 90, mitigationTimeout: 300 } },
                { ref: "api-per-ip", description: "API: 600 requests/min per visitor", action: "block", actionParameters: JSON_429,
                    expression: `${API} and http.request.method ne "OPTIONS"`,
                    ratelimit: { characteristics: visitor, period: 60, requestsPerPeriod: 600, mitigationTimeout: 60 } },
            ]);
            assert.equal(rateLimitRules(entitlementsOf("business"), hosts, limits).rules[0].expression, `http.request.method eq "POST" and (${creds})`);
            assert.deepEqual(omitted, [{ ref: "api-per-key", reason: `counting by the ${API_KEY_HEADER} header needs Enterprise Advanced Rate ` +
                "Limiting (plan: business); the ApiKeyLimiter Worker on the API host limits per key with the Workers Rate Limiting binding" }]);
        });
        it("on pro: attempts per IP without a method field, timeouts within the plan's, and the plan's two-rule cap", () => {
            const { rules, omitted } = rateLimitRules(entitlementsOf("pro"), withAuth, limits);
            assert.deepEqual(rules.map((r) => [r.ref, r.description, r.expression, r.ratelimit]), [
                ["auth-credentials", "Credential endpoints: 30 attempts/min per IP", `(${creds} or ${kcToken})`,
                    { characteristics: ["cf.colo.id", "ip.src"], period: 60, requestsPerPeriod: 30, mitigationTimeout: 600 }],
                ["auth-keycloak-form", "Keycloak login form: 90 posts/min per visitor", `${AUTH} and ends_with(${P}, "/login-actions/authenticate")`,
                    { characteristics: ["cf.colo.id", "ip.src"], period: 60, requestsPerPeriod: 90, mitigationTimeout: 300 }],
            ]);
            assert.ok(rules.every((r) => JSON.stringify(r.actionParameters) === JSON.stringify(JSON_429)));
            assert.deepEqual(omitted.map((o) => [o.ref, o.reason.startsWith("counting by") ? "header" : o.reason]),
                [["api-per-key", "header"], ["api-per-ip", "the pro plan allows 2 rate-limiting rule(s)"]]);
            const noAuth = rateLimitRules(entitlementsOf("pro"), hosts, limits).rules;
            assert.deepEqual(noAuth.map((r) => [r.ref, r.description, r.expression]), [
                ["auth-credentials", "Credential endpoints: 30 attempts/min per IP", `(${creds})`],
                ["api-per-ip", "API: 600 requests/min per IP", API],
            ]);
        });
        it("on free: the path-only credential rule over 10 s, at least one request per period, the 10 s timeout cap, the default block", () => {
            const { rules } = rateLimitRules(entitlementsOf("free"), withAuth, { apiPerIp: 600, apiPerKey: 1200, authPerIp: 1 });
            assert.deepEqual(rules, [{ ref: "auth-credentials", description: "Credential endpoints: 1 requests/min per IP",
                expression: `${P} in {"/v1/auth/login" "/v1/auth/token"}`, action: "block",
                ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period: 10, requestsPerPeriod: 1, mitigationTimeout: 10 } }]);
            assert.equal(rateLimitRules(entitlementsOf("free"), hosts, { ...limits, authPerIp: 7 }).rules[0].ratelimit!.requestsPerPeriod, 2,
                "7/min over 10 s rounds up, never down to a looser limit");
        });
        it("on Enterprise with Advanced Rate Limiting: keyed calls are limited per key header and leave the per-IP rule", () => {
            const ent = entitlementsOf("enterprise", { appSecurity: true, advancedRateLimiting: true, botManagement: false });
            const { rules, omitted } = rateLimitRules(ent, hosts, limits);
            assert.deepEqual(omitted, []);
            const [perIp, perKey] = rules.slice(-2);
            assert.equal(perIp.expression, `${API} and http.request.method ne "OPTIONS" and not len(http.request.headers["x-api-key"]) > 0`);
            assert.deepEqual([perKey.ref, perKey.description, perKey.expression, perKey.ratelimit], ["api-per-key", "API: 1200 requests/min per API key",
                `${API} and http.request.method ne "OPTIONS" and len(http.request.headers["x-api-key"]) > 0`,
                { characteristics: ["cf.colo.id", 'http.request.headers["x-api-key"]'], period: 60, requestsPerPeriod: 1200, mitigationTimeout: 60 }]);
            const noAppSec = rateLimitRules(entitlementsOf("enterprise", { appSecurity: false, advancedRateLimiting: true, botManagement: false }), hosts,
                limits);
            assert.deepEqual(noAppSec.rules, []);
            assert.ok(noAppSec.omitted.some((o) => o.reason === "the enterprise plan allows 0 rate-limiting rule(s)"));
        });
    });

    it("writes each rule list into the phase Cloudflare runs it in, and keeps the zone on Full (strict) with TLS 1.2+", () => {
        // Phase names: https://developers.cloudflare.com/ruleset-engine/reference/phases-list/ (a wrong name fails the
        // deploy; a valid but wrong phase would run the rules at the wrong stage, e.g. custom WAF rules after the managed WAF).
        assert.deepEqual(PHASES, {
            managedWaf: "http_request_firewall_managed", customWaf: "http_request_firewall_custom", rateLimit: "http_ratelimit",
            cache: "http_request_cache_settings", responseHeaders: "http_response_headers_transform", config: "http_config_settings",
            redirect: "http_request_dynamic_redirect",
        });
        assert.deepEqual(ZONE_SETTINGS, { ssl_automatic_mode: "custom", ssl: "strict", min_tls_version: "1.2", tls_1_3: "on", always_use_https: "off",
            automatic_https_rewrites: "on" });
        assert.ok(Object.isFrozen(ZONE_SETTINGS));
    });

    describe("cache, headers, config and redirects", () => {
        it("caches only /assets/ on the app host (a year, errors never) and bypasses the entry point", () => {
            assert.deepEqual(cacheRules(hosts), [
                { ref: "spa-hashed-assets", description: "SPA hashed assets: cache one year at the edge and in browsers; never cache errors",
                    expression: 'http.host eq "app.example.com" and starts_with(http.request.uri.path, "/assets/")', action: "set_cache_settings",
                    actionParameters: { cache: true,
                        edgeTtl: { mode: "override_origin", default: 31536000, statusCodeTtls: [{ statusCodeRange: { from: 400, to: 599 }, value: -1 }] },
                        browserTtl: { mode: "override_origin", default: 31536000 } } },
                { ref: "spa-entry-bypass", description: "SPA index.html and routes: never cached at the edge",
                    expression: 'http.host eq "app.example.com" and not starts_with(http.request.uri.path, "/assets/")', action: "set_cache_settings",
                    actionParameters: { cache: false } },
            ]);
        });
        it("the SPA's CSP admits only itself, the API and Keycloak, and is never framed", () => {
            const base = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'"];
            assert.equal(spaContentSecurityPolicy(hosts), [...base, "connect-src 'self' https://api.example.com", "frame-src 'none'",
                "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'", "object-src 'none'", "upgrade-insecure-requests"].join("; "));
            assert.equal(spaContentSecurityPolicy(withAuth), [...base, "connect-src 'self' https://api.example.com https://auth.example.com",
                "frame-src https://auth.example.com", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self' https://auth.example.com",
                "object-src 'none'", "upgrade-insecure-requests"].join("; "));
        });
        it("sets the full header set on the app host and HSTS + nosniff on the origin hosts", () => {
            const set = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, { operation: "set", value: v }]));
            const headers = spaSecurityHeaders(withAuth);
            assert.deepEqual(headers, {
                "Strict-Transport-Security": "max-age=31536000", "Content-Security-Policy": spaContentSecurityPolicy(withAuth), "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
                "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
                    "Cross-Origin-Opener-Policy": "same-origin",
            });
            assert.equal(HSTS_VALUE, "max-age=31536000");
            assert.deepEqual(responseHeaderRules(withAuth), [
                { ref: "app-security-headers", description: "SPA: CSP, frame-ancestors, referrer and permissions policy, nosniff, HSTS",
                    expression: 'http.host eq "app.example.com"', action: "rewrite", actionParameters: { headers: set(headers) } },
                { ref: "origin-hosts-hsts", description: "API and Keycloak: HSTS (one year) and nosniff",
                    expression: 'http.host in {"api.example.com" "auth.example.com"}',
                    action: "rewrite", actionParameters: { headers: set({ "Strict-Transport-Security": "max-age=31536000",
                        "X-Content-Type-Options": "nosniff" }) } },
            ]);
            assert.equal(responseHeaderRules(hosts)[1].expression, API, "one origin host: an exact match");
        });
        it("turns off Browser Integrity Check on the API host only; AOP on the ALB's hosts only; redirects only the browser hosts", () => {
            assert.deepEqual(configRules(hosts), [{ ref: "api-no-bic", description: "API host: no Browser Integrity Check (machine clients)",
                expression: API, action: "set_config", actionParameters: { bic: false } }]);
            assert.deepEqual(originPullHosts(hosts), ["api.example.com"]);
            assert.deepEqual(originPullHosts(withAuth), ["api.example.com", "auth.example.com"]);
            assert.deepEqual(redirectRules(withAuth), [{ ref: "browser-hosts-https",
                description: "Browser hosts: plain HTTP to HTTPS (the API host blocks plain HTTP instead)",
                expression: 'not ssl and http.host in {"app.example.com" "auth.example.com"}', action: "redirect",
                actionParameters: { fromValue: { statusCode: 301, preserveQueryString: true,
                    targetUrl: { expression: 'concat("https://", http.host, http.request.uri.path)' } } } }]);
            assert.equal(redirectRules(hosts)[0].expression, 'not ssl and http.host in {"app.example.com"}');
        });
        it("bot settings: Bot Fight Mode never; SBFM challenges definitely (and on Business+ likely) automated traffic; BM keeps its model current", () => {
            assert.deepEqual(botManagementSettings("off", "enterprise"), { fightMode: false });
            const sbfm = { fightMode: false, enableJs: true, sbfmDefinitelyAutomated: "managed_challenge", sbfmVerifiedBots: "allow",
                sbfmStaticResourceProtection: false };
            assert.deepEqual(botManagementSettings("super-bot-fight-mode", "pro"), sbfm);
            assert.deepEqual(botManagementSettings("super-bot-fight-mode", entitlementsOf("business")), { ...sbfm, sbfmLikelyAutomated: "managed_challenge" });
            assert.deepEqual(botManagementSettings("bot-management", "enterprise"),
                { fightMode: false, enableJs: true, autoUpdateModel: true, suppressSessionScore: false });
        });
    });
});
