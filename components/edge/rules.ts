/**
 * The Cloudflare rules of the edge, as plain data: what each ruleset phase holds for a zone's entitlements and
 * hostnames. Pure functions (no Pulumi runtime), so the per-plan choices are unit tested directly; the Edge
 * component only turns their results into one `cloudflare.Ruleset` per phase.
 */
import { CloudflarePlan, EdgeEntitlements, RATE_LIMIT_PLAN_LIMITS, entitlementsOf } from "./features";

export { CloudflarePlan, RATE_LIMIT_PLAN_LIMITS } from "./features";

/** Bot products: Super Bot Fight Mode (Pro+), Bot Management (Enterprise add-on), or none. Bot Fight Mode is never used:
 * it cannot be skipped for API and machine clients (https://developers.cloudflare.com/bots/get-started/bot-fight-mode/). */
export type BotMode = "bot-management" | "super-bot-fight-mode" | "off";

/** Managed ruleset ids (the same on every zone). */
export const MANAGED_RULESETS = {
    cloudflareManaged: "efb7b8c949ac4650a09736fc376e9aee",
    owaspCore: "4814384a9e5d4991b9815dcfc25d2f1f",
    freeManaged: "77454fe2d30c4220b5701f6fdfb893ba",
} as const;

/** The OWASP ruleset's last rule, "949110: Inbound Anomaly Score Exceeded": the rule whose score threshold and action
 * decide (https://developers.cloudflare.com/waf/managed-rules/reference/owasp-core-ruleset/configure-api/). */
export const OWASP_ANOMALY_RULE_ID = "6179ae15870a4bb7b2d480d4843b323c";
/** Score thresholds of the OWASP ruleset: high sensitivity 25, medium 40 (default), low 60. */
export const OWASP_SCORE_THRESHOLDS = [25, 40, 60] as const;

/** The ruleset phases the edge writes; one zone ruleset per phase (a second one fails at deploy). */
export const PHASES = {
    managedWaf: "http_request_firewall_managed",
    customWaf: "http_request_firewall_custom",
    rateLimit: "http_ratelimit",
    cache: "http_request_cache_settings",
    responseHeaders: "http_response_headers_transform",
    config: "http_config_settings",
    redirect: "http_request_dynamic_redirect",
} as const;

/** Counting periods the API accepts, in seconds. */
export const RATE_LIMIT_PERIODS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400] as const;

/** The request header that carries an API key. Map keys of http.request.headers are lower-case; header *names*
 * (http.request.headers.names) keep the client's case, so only the map form matches every client. */
export const API_KEY_HEADER = "x-api-key";
/** "The request carries a non-empty API key" (the documented missing-vs-empty form). */
export const HAS_API_KEY = `len(http.request.headers[${JSON.stringify(API_KEY_HEADER)}]) > 0`;

/** Methods the API serves (HEAD for monitors and `curl -I`); anything else is blocked at the edge on the API host. */
export const API_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Paths the API serves: exact paths and path prefixes. Everything else on the API host is blocked at the edge. */
export const API_PATHS = { exact: ["/graphql", "/health"], prefixes: ["/v1/", "/v2/"] } as const;

/** The application's credential endpoints on the API host (rate-limited per visitor; refresh and logout are not). */
export const API_CREDENTIAL_PATHS = ["/v1/auth/login", "/v1/auth/token"] as const;

/** Keycloak paths a reverse proxy should expose (Keycloak "Configuring a reverse proxy", exposed path recommendations:
 * https://www.keycloak.org/server/reverseproxy); /admin/ and the master realm stay private. */
export const KEYCLOAK_PUBLIC = { prefixes: ["/realms/", "/resources/", "/.well-known/"], exact: ["/robots.txt"], blockedPrefix: "/realms/master/" } as const;
/** Keycloak endpoints machine clients call (back-channel OIDC): never challenged by SBFM. */
export const KEYCLOAK_MACHINE_SUFFIXES = [
    "/protocol/openid-connect/token", "/protocol/openid-connect/certs", "/protocol/openid-connect/token/introspect", "/protocol/openid-connect/userinfo",
] as const;
/** Keycloak's credential form post (answers a failed login with 200, so counted by requests, not failures). */
export const KEYCLOAK_LOGIN_FORM_SUFFIX = "/login-actions/authenticate";

/** Where the SPA's content-hashed build output lives (immutable, cached for a year). */
export const HASHED_ASSETS_PREFIX = "/assets/";

/** One year in seconds: edge and browser TTL of hashed assets, and the HSTS max-age. */
export const ONE_YEAR = 31536000;

/**
 * HSTS for each proxied host, without includeSubDomains: every host of the zone is a leaf (app., api., auth.) with no
 * sub-hosts of its own, and the apex serves nothing, so includeSubDomains would cover no real name; no preload (a
 * one-way decision for the whole domain).
 */
export const HSTS_VALUE = `max-age=${ONE_YEAR}`;

/** The JSON body of every edge rate-limit answer (status 429). */
export const RATE_LIMITED_BODY = JSON.stringify({ error: "rate_limited", message: "Too many requests; retry later." });

/** The edge's hostnames (fully qualified). */
export interface EdgeHosts {
    readonly app: string;
    readonly api: string;
    /** Keycloak, when the stack runs it. */
    readonly auth?: string;
}

/** A ruleset rule as plain data (the shape of `cloudflare.types.input.RulesetRule`, known values only). */
export interface RuleSpec {
    ref: string;
    description: string;
    expression: string;
    action: string;
    actionParameters?: Record<string, unknown>;
    ratelimit?: {
        characteristics: string[]; period: number; requestsPerPeriod: number; mitigationTimeout: number;
        countingExpression?: string; requestsToOrigin?: boolean;
    };
}

const q = (s: string) => JSON.stringify(s);
const set = (values: readonly string[]) => `{${values.map(q).join(" ")}}`;
/** A Cloudflare rule expression that matches one host exactly. */
export const hostIs = (host: string) => `http.host eq ${q(host)}`;
const hostIn = (hosts: string[]) => (hosts.length === 1 ? hostIs(hosts[0]) : `http.host in ${set(hosts)}`);
const path = "http.request.uri.path";
const endsWithAny = (suffixes: readonly string[]) => suffixes.map((s) => `ends_with(${path}, ${q(s)})`).join(" or ");

/** How the managed WAF runs: `log` first (Enterprise), then `block`; the OWASP score threshold and paranoia level. */
export interface WafRollout {
    readonly mode: "log" | "block";
    readonly owaspScoreThreshold: (typeof OWASP_SCORE_THRESHOLDS)[number];
    readonly owaspParanoiaLevel: 1 | 2 | 3 | 4;
}
/** The WAF rollout when the caller sets none: managed rules blocking, OWASP score threshold 40, paranoia level 1. */
export const DEFAULT_WAF: WafRollout = { mode: "block", owaspScoreThreshold: 40, owaspParanoiaLevel: 1 };

/**
 * Managed WAF: exceptions first (skip rules, each with its reason), then Cloudflare Managed and OWASP Core on paid
 * plans (the Free Managed ruleset on free). In `log` mode both only log; OWASP's threshold and paranoia level come
 * from config. Cloudflare Managed always runs on the exceptions too: they skip only OWASP's anomaly scoring.
 */
export function managedWafRules(ent: EdgeEntitlements, hosts: EdgeHosts, waf: WafRollout = DEFAULT_WAF): RuleSpec[] {
    const execute = (ref: string, description: string, id: string, overrides?: Record<string, unknown>): RuleSpec =>
        ({ ref, description, expression: "true", action: "execute", actionParameters: { id, ...(overrides ? { overrides } : {}) } });
    if (!ent.managedWaf) return [execute("free-managed", "Cloudflare Free Managed Ruleset", MANAGED_RULESETS.freeManaged)];
    const skipOwasp = (ref: string, why: string, expression: string): RuleSpec =>
        ({ ref, description: `Skip OWASP scoring because ${why}`, expression, action: "skip", actionParameters: { rulesets: [MANAGED_RULESETS.owaspCore] } });
    const exceptions: RuleSpec[] = [
        skipOwasp("exception-graphql", "GraphQL documents (braces, fragments, union/select-like field names) score as SQLi/XSS; the API validates them",
            `${hostIs(hosts.api)} and ${path} eq "/graphql" and http.request.method eq "POST"` +
            ` and any(http.request.headers["content-type"][*] contains "application/json")`),
    ];
    if (hosts.auth) {
        exceptions.push(skipOwasp("exception-keycloak-login", "passwords legitimately contain quotes, dashes and angle brackets",
            `${hostIs(hosts.auth)} and http.request.method eq "POST" and ends_with(${path}, ${q(KEYCLOAK_LOGIN_FORM_SUFFIX)})`));
    }
    const log = waf.mode === "log";
    if (log && !ent.managedWafLogAction) throw new Error(`managed WAF log mode needs ${"enterprise"}; plan is ${ent.plan}`);
    const higherLevels = [2, 3, 4].filter((l) => l > waf.owaspParanoiaLevel).map((l) => ({ category: `paranoia-level-${l}`, enabled: false }));
    return [
        ...exceptions,
        execute("cloudflare-managed", `Cloudflare Managed Ruleset (${waf.mode})`, MANAGED_RULESETS.cloudflareManaged, log ? { action: "log" } : undefined),
        execute("owasp-core", `Cloudflare OWASP Core Ruleset (${waf.mode}, PL${waf.owaspParanoiaLevel}, threshold ${waf.owaspScoreThreshold})`,
            MANAGED_RULESETS.owaspCore, {
            ...(higherLevels.length ? { categories: higherLevels } : {}),
            rules: [{ id: OWASP_ANOMALY_RULE_ID, scoreThreshold: waf.owaspScoreThreshold, action: log ? "log" : "block" }],
        }),
    ];
}

/** Requests from machine clients: keyed API calls, CORS preflights, and Keycloak's back-channel OIDC endpoints. */
export function machineClientExpression(hosts: EdgeHosts): string {
    const parts = [`(${hostIs(hosts.api)} and (${HAS_API_KEY} or http.request.method eq "OPTIONS"))`];
    if (hosts.auth) parts.push(`(${hostIs(hosts.auth)} and (${endsWithAny(KEYCLOAK_MACHINE_SUFFIXES)} or ${path} contains "/.well-known/"))`);
    return parts.join(" or ");
}

/**
 * Custom WAF rules: blocked countries everywhere; plain HTTP, unserved methods and paths on the API host; Keycloak's
 * admin paths and master realm on the auth host; per bot mode, a skip of Super Bot Fight Mode for machine clients, or
 * bot-score challenges (Bot Management).
 */
export function customWafRules(args: { hosts: EdgeHosts; blockedCountries: readonly string[]; botMode: BotMode }): RuleSpec[] {
    const { hosts } = args;
    const rules: RuleSpec[] = [];
    if (args.blockedCountries.length > 0) {
        rules.push({ ref: "blocked-countries", description: "Block countries the service is not offered in (config: edge.blockedCountries)",
            expression: `ip.src.country in ${set(args.blockedCountries)}`, action: "block" });
    }
    // A redirect comes too late for an API call: the key has crossed in clear text and clients replay POST as GET.
    rules.push({ ref: "api-plain-http", description: "Block plain HTTP on the API host (a redirect would follow the key's cleartext trip)",
        expression: `${hostIs(hosts.api)} and not ssl`, action: "block" });
    rules.push({ ref: "api-methods", description: "Block methods the API does not serve",
        expression: `${hostIs(hosts.api)} and not http.request.method in ${set(API_METHODS)}`, action: "block" });
    const served = [...API_PATHS.exact.map((p) => `${path} eq ${q(p)}`), ...API_PATHS.prefixes.map((p) => `starts_with(${path}, ${q(p)})`)];
    rules.push({ ref: "api-paths", description: "Block paths the API does not serve",
        expression: `${hostIs(hosts.api)} and not (${served.join(" or ")})`, action: "block" });
    if (hosts.auth) {
        const exposed = [...KEYCLOAK_PUBLIC.prefixes.map((p) => `starts_with(${path}, ${q(p)})`), ...KEYCLOAK_PUBLIC.exact.map((p) => `${path} eq ${q(p)}`)];
        rules.push({ ref: "auth-admin-paths", description: "Keycloak: only /realms/, /resources/, /.well-known/ are public; never /admin/ or the master realm",
            expression: `${hostIs(hosts.auth)} and (not (${exposed.join(" or ")}) or starts_with(${path}, ${q(KEYCLOAK_PUBLIC.blockedPrefix)})` +
                ` or ${path} eq "/realms/master")`,
            action: "block" });
    }
    if (args.botMode === "super-bot-fight-mode") {
        rules.push({ ref: "machine-skip-sbfm",
            description: "Let machine clients (API keys, preflights, Keycloak back-channel) through SBFM; WAF and limits still apply",
            expression: machineClientExpression(hosts), action: "skip", actionParameters: { phases: ["http_request_sbfm"] } });
    }
    if (args.botMode === "bot-management") {
        const browserHosts = [hosts.app, ...(hosts.auth ? [hosts.auth] : [])];
        const likelyBot = "cf.bot_management.score lt 30 and not cf.bot_management.verified_bot";
        rules.push({ ref: "browser-bots", description: "Challenge likely bots on the browser hosts (bot score below 30)",
            expression: `${hostIn(browserHosts)} and ${likelyBot} and not cf.bot_management.static_resource`, action: "managed_challenge" });
        rules.push({ ref: "api-auth-bots", description: "Challenge likely bots posting credentials to the API without an API key (credential stuffing)",
            expression: `${hostIs(hosts.api)} and http.request.method eq "POST" and starts_with(${path}, "/v1/auth/") and ${likelyBot} and not ${HAS_API_KEY}`,
            action: "managed_challenge" });
    }
    return rules;
}

/** Rate-limit thresholds, in requests per minute (from config). */
export interface RateLimits {
    readonly apiPerIp: number;
    readonly apiPerKey: number;
    /** Credential attempts per visitor per minute (failed attempts where the plan counts by response code). */
    readonly authPerIp: number;
}

/** A rate-limit rule the plan cannot hold, and how the limit is enforced instead (plan output and README). */
export interface OmittedRule {
    ref: string;
    reason: string;
}

/**
 * The rate-limiting rules a zone's entitlements allow, in priority order:
 * - credential endpoints only (POST where the plan can see the method), per NAT-aware visitor on Business+, counting
 *   only failed attempts where the plan has counting expressions; Keycloak's form post counted generously by request;
 * - the per-IP API limit, without CORS preflights where the plan can see the method, and without keyed requests when
 *   the per-key rule exists (keyed clients are governed by their key);
 * - the per-API-key limit on Enterprise with Advanced Rate Limiting. Elsewhere the ApiKeyLimiter Worker does it.
 * Every block answers a JSON 429. Thresholds are per minute in config, scaled to the plan's period (up to 60 s).
 */
export function rateLimitRules(ent: EdgeEntitlements, hosts: EdgeHosts, limits: RateLimits): { rules: RuleSpec[]; omitted: OmittedRule[] } {
    const planLimits = RATE_LIMIT_PLAN_LIMITS[ent.plan];
    const period = Math.max(...RATE_LIMIT_PERIODS.filter((p) => p <= Math.min(60, planLimits.maxPeriod)));
    const perPeriod = (perMinute: number) => Math.max(1, Math.ceil((perMinute * period) / 60));
    const timeout = (seconds: number) => Math.min(seconds, planLimits.maxMitigationTimeout);
    const visitor = ent.rateLimitNatAwareVisitor ? "cf.unique_visitor_id" : "ip.src";
    const post = ent.rateLimitMethodField ? `http.request.method eq "POST" and ` : "";
    const block = ent.customBlockResponse
        ? { actionParameters: { response: { statusCode: 429, contentType: "application/json", content: RATE_LIMITED_BODY } } } : {};
    const limit = (ref: string, description: string, expression: string, perMinute: number, mitigation: number, counting?: string): RuleSpec => ({
        ref, description, expression, action: "block", ...block,
        ratelimit: { characteristics: ["cf.colo.id", visitor], period, requestsPerPeriod: perPeriod(perMinute), mitigationTimeout: timeout(mitigation),
            ...(counting ? { countingExpression: counting, requestsToOrigin: true } : {}) },
    });

    const apiCredentials = `${path} in ${set(API_CREDENTIAL_PATHS)}`;
    const kcToken = `ends_with(${path}, ${q(KEYCLOAK_MACHINE_SUFFIXES[0])})`;
    const failures = "http.response.code in {400 401 403}";
    const candidates: RuleSpec[] = [];
    if (ent.plan === "free") {
        // Free-plan rate-limit expressions may use only the path (and verified-bot) fields.
        candidates.push(limit("auth-credentials", `Credential endpoints: ${limits.authPerIp} requests/min per IP`, apiCredentials, limits.authPerIp, 600));
    } else {
        const credentialHosts = `(${hostIs(hosts.api)} and ${apiCredentials})${hosts.auth ? ` or (${hostIs(hosts.auth)} and ${kcToken})` : ""}`;
        const expression = `${post}(${credentialHosts})`;
        candidates.push(ent.rateLimitCountingExpression
            ? limit("auth-failures", `Credential endpoints: ${limits.authPerIp} failed attempts/min per visitor`, expression, limits.authPerIp, 600,
                `${expression} and ${failures}`)
            : limit("auth-credentials", `Credential endpoints: ${limits.authPerIp} attempts/min per IP`, expression, limits.authPerIp, 600));
        if (hosts.auth) {
            // A failed form login answers 200 (the page again): count posts, sized for people retyping passwords behind one NAT.
            candidates.push(limit("auth-keycloak-form", `Keycloak login form: ${limits.authPerIp * 3} posts/min per visitor`,
                `${post}${hostIs(hosts.auth)} and ends_with(${path}, ${q(KEYCLOAK_LOGIN_FORM_SUFFIX)})`, limits.authPerIp * 3, 300));
        }
    }
    const perKeyAtEdge = ent.rateLimitHeaderCounting;
    const apiExpr = [
        hostIs(hosts.api), ...(ent.rateLimitMethodField ? ['http.request.method ne "OPTIONS"'] : []), ...(perKeyAtEdge ? [`not ${HAS_API_KEY}`] : []),
    ];
    candidates.push(limit("api-per-ip", `API: ${limits.apiPerIp} requests/min per ${visitor === "ip.src" ? "IP" : "visitor"}`,
        apiExpr.join(" and "), limits.apiPerIp, 60));
    const omitted: OmittedRule[] = [];
    if (perKeyAtEdge) {
        const perKey = limit("api-per-key", `API: ${limits.apiPerKey} requests/min per API key`,
            `${hostIs(hosts.api)} and http.request.method ne "OPTIONS" and ${HAS_API_KEY}`, limits.apiPerKey, 60);
        perKey.ratelimit!.characteristics = ["cf.colo.id", `http.request.headers[${q(API_KEY_HEADER)}]`];
        candidates.push(perKey);
    } else {
        omitted.push({ ref: "api-per-key", reason: `counting by the ${API_KEY_HEADER} header needs Enterprise Advanced Rate Limiting (plan: ${ent.plan}); ` +
            "the ApiKeyLimiter Worker on the API host limits per key with the Workers Rate Limiting binding" });
    }
    const max = ent.rateLimitRules ? planLimits.maxRules : 0;
    const rules = candidates.slice(0, max);
    for (const dropped of candidates.slice(max)) omitted.push({ ref: dropped.ref, reason: `the ${ent.plan} plan allows ${max} rate-limiting rule(s)` });
    return { rules, omitted };
}

/** Cache rules: hashed assets for a year at the edge and in the browser (errors never cached); the rest bypasses. */
export function cacheRules(hosts: EdgeHosts): RuleSpec[] {
    const assets = `starts_with(${path}, ${q(HASHED_ASSETS_PREFIX)})`;
    return [
        { ref: "spa-hashed-assets", description: "SPA hashed assets: cache one year at the edge and in browsers; never cache errors",
          expression: `${hostIs(hosts.app)} and ${assets}`, action: "set_cache_settings",
          actionParameters: { cache: true,
              edgeTtl: { mode: "override_origin", default: ONE_YEAR, statusCodeTtls: [{ statusCodeRange: { from: 400, to: 599 }, value: -1 }] },
              browserTtl: { mode: "override_origin", default: ONE_YEAR } } },
        // index.html (and the SPA's routes, answered with index.html) must reach users as soon as a deploy lands.
        { ref: "spa-entry-bypass", description: "SPA index.html and routes: never cached at the edge",
          expression: `${hostIs(hosts.app)} and not ${assets}`, action: "set_cache_settings", actionParameters: { cache: false } },
    ];
}

/** The SPA's Content-Security-Policy: same-origin code, the API (and Keycloak) for XHR, never framed. */
export function spaContentSecurityPolicy(hosts: EdgeHosts): string {
    const connect = [`https://${hosts.api}`, ...(hosts.auth ? [`https://${hosts.auth}`] : [])].join(" ");
    return [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
        `connect-src 'self' ${connect}`, `frame-src ${hosts.auth ? `https://${hosts.auth}` : "'none'"}`, "frame-ancestors 'none'",
        "base-uri 'self'", `form-action 'self'${hosts.auth ? ` https://${hosts.auth}` : ""}`, "object-src 'none'", "upgrade-insecure-requests",
    ].join("; ");
}

/** The app host's full header set (also set by the SPA Worker itself). */
export function spaSecurityHeaders(hosts: EdgeHosts): Record<string, string> {
    return {
        "Strict-Transport-Security": HSTS_VALUE,
        "Content-Security-Policy": spaContentSecurityPolicy(hosts),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    };
}

/** Response headers: the full set on the app host; HSTS and nosniff on the API and Keycloak hosts (Keycloak sets its own CSP). */
export function responseHeaderRules(hosts: EdgeHosts): RuleSpec[] {
    const setAll = (h: Record<string, string>) => ({ headers: Object.fromEntries(Object.entries(h).map(([k, v]) => [k, { operation: "set", value: v }])) });
    const others = [hosts.api, ...(hosts.auth ? [hosts.auth] : [])];
    return [
        { ref: "app-security-headers", description: "SPA: CSP, frame-ancestors, referrer and permissions policy, nosniff, HSTS", expression: hostIs(hosts.app),
          action: "rewrite", actionParameters: setAll(spaSecurityHeaders(hosts)) },
        { ref: "origin-hosts-hsts", description: "API and Keycloak: HSTS (one year) and nosniff", expression: hostIn(others),
          action: "rewrite", actionParameters: setAll({ "Strict-Transport-Security": HSTS_VALUE, "X-Content-Type-Options": "nosniff" }) },
    ];
}

/**
 * Config rules: every host runs Full (strict) (the zone setting; no rule lowers it). The API host turns off Browser
 * Integrity Check, which answers error 1010 to SDKs and CLIs with unusual or missing User-Agents.
 */
export function configRules(hosts: EdgeHosts): RuleSpec[] {
    return [{ ref: "api-no-bic", description: "API host: no Browser Integrity Check (machine clients)",
        expression: hostIs(hosts.api), action: "set_config", actionParameters: { bic: false } }];
}

/** Hosts the ALB serves (API and Keycloak): the ones with Authenticated Origin Pulls. */
export function originPullHosts(hosts: EdgeHosts): string[] {
    return [hosts.api, ...(hosts.auth ? [hosts.auth] : [])];
}

/**
 * Zone settings of the edge: Full (strict), TLS 1.2 minimum, TLS 1.3. Always Use HTTPS stays off: it redirects before
 * the WAF runs (so a custom rule could never block plain HTTP on the API host); `redirectRules` redirects the browser
 * hosts instead and the API host's plain HTTP is blocked by the custom rule `api-plain-http`.
 */
export const ZONE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
    // Newer zones run Automatic SSL/TLS, which may rewrite `ssl` on its own scans: "custom" opts the zone out. The
    // setting is a plain zone setting (GET/PATCH /zones/{zone_id}/settings/ssl_automatic_mode, value auto|custom).
    ssl_automatic_mode: "custom",
    ssl: "strict",
    min_tls_version: "1.2",
    tls_1_3: "on",
    always_use_https: "off",
    automatic_https_rewrites: "on",
});

/** Single Redirects: plain HTTP to HTTPS (301, query kept) on the browser hosts; the API host is left to the block rule. */
export function redirectRules(hosts: EdgeHosts): RuleSpec[] {
    const browserHosts = [hosts.app, ...(hosts.auth ? [hosts.auth] : [])];
    return [{ ref: "browser-hosts-https", description: "Browser hosts: plain HTTP to HTTPS (the API host blocks plain HTTP instead)",
        expression: `not ssl and http.host in ${set(browserHosts)}`, action: "redirect",
        actionParameters: { fromValue: { statusCode: 301, preserveQueryString: true,
            targetUrl: { expression: 'concat("https://", http.host, http.request.uri.path)' } } } }];
}

/**
 * Bot settings per mode. Bot Fight Mode stays off everywhere (it cannot be skipped). Super Bot Fight Mode is skipped
 * for machine clients by a custom rule; "likely automated" is a Business+ field. Bot Management (Enterprise add-on)
 * exposes a score the custom rules use.
 */
export function botManagementSettings(mode: BotMode, ent: EdgeEntitlements | CloudflarePlan): Record<string, string | boolean> {
    const e = typeof ent === "string" ? entitlementsOf(ent) : ent;
    switch (mode) {
        case "off":
            return { fightMode: false };
        case "super-bot-fight-mode":
            return {
                fightMode: false, enableJs: true, sbfmDefinitelyAutomated: "managed_challenge", sbfmVerifiedBots: "allow", sbfmStaticResourceProtection: false,
                ...(e.sbfmLikelyAutomated ? { sbfmLikelyAutomated: "managed_challenge" } : {}),
            };
        case "bot-management":
            return { fightMode: false, enableJs: true, autoUpdateModel: true, suppressSessionScore: false };
    }
}
