/**
 * The Cloudflare rules of the edge, as plain data: what each ruleset phase holds for a given plan and set of
 * hostnames. Pure functions (no Pulumi runtime), so the per-plan choices are unit tested directly; the Edge
 * component only turns their results into one `cloudflare.Ruleset` per phase.
 */

export type CloudflarePlan = "free" | "pro" | "business" | "enterprise";
export type BotMode = "bot-management" | "super-bot-fight-mode" | "bot-fight-mode";

/** Managed ruleset ids (the same on every zone). */
export const MANAGED_RULESETS = {
    cloudflareManaged: "efb7b8c949ac4650a09736fc376e9aee",
    owaspCore: "4814384a9e5d4991b9815dcfc25d2f1f",
    freeManaged: "77454fe2d30c4220b5701f6fdfb893ba",
} as const;

/** The ruleset phases the edge writes; one zone ruleset per phase (a second one fails at deploy). */
export const PHASES = {
    managedWaf: "http_request_firewall_managed",
    customWaf: "http_request_firewall_custom",
    rateLimit: "http_ratelimit",
    cache: "http_request_cache_settings",
    responseHeaders: "http_response_headers_transform",
    config: "http_config_settings",
} as const;

/** Rate-limiting limits per plan (Cloudflare's published plan table). */
export const RATE_LIMIT_PLAN_LIMITS: Record<CloudflarePlan, { maxRules: number; maxPeriod: number; maxMitigationTimeout: number; headerCharacteristics: boolean }> = {
    free: { maxRules: 1, maxPeriod: 10, maxMitigationTimeout: 10, headerCharacteristics: false },
    pro: { maxRules: 2, maxPeriod: 60, maxMitigationTimeout: 3600, headerCharacteristics: false },
    business: { maxRules: 5, maxPeriod: 600, maxMitigationTimeout: 86400, headerCharacteristics: false },
    // Counting by a request header needs Advanced Rate Limiting, an Enterprise add-on: this program assumes it is bought
    // with the Enterprise plan (prod-eu); say otherwise in config by choosing another plan value.
    enterprise: { maxRules: 100, maxPeriod: 3600, maxMitigationTimeout: 86400, headerCharacteristics: true },
};

/** Counting periods the API accepts, in seconds. */
export const RATE_LIMIT_PERIODS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400] as const;

/** The request header that carries an API key (header names are lowercase in the Rules language). */
export const API_KEY_HEADER = "x-api-key";

/** Methods the API serves; anything else is blocked at the edge on the API host. */
export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Paths the API serves: exact paths and path prefixes. Everything else on the API host is blocked at the edge. */
export const API_PATHS = { exact: ["/graphql", "/health"], prefixes: ["/v1/", "/v2/"] } as const;

/** The application's auth endpoints on the API host (stricter rate limit). */
export const AUTH_PATH_PREFIX = "/v1/auth";

/** Where the SPA's content-hashed build output lives (immutable, cached for a year). */
export const HASHED_ASSETS_PREFIX = "/assets/";

/** One year in seconds: edge and browser TTL of hashed assets, and the HSTS max-age. */
export const ONE_YEAR = 31536000;

/** The HSTS header value: one year, subdomains included (no preload: that is a one-way decision for the whole domain). */
export const HSTS_VALUE = `max-age=${ONE_YEAR}; includeSubDomains`;

/** The edge's hostnames (fully qualified). */
export interface EdgeHosts {
    app: string;
    api: string;
    /** Keycloak, when the stack runs it. */
    auth?: string;
}

/** A ruleset rule as plain data (the shape of `cloudflare.types.input.RulesetRule`, known values only). */
export interface RuleSpec {
    ref: string;
    description: string;
    expression: string;
    action: string;
    actionParameters?: Record<string, unknown>;
    ratelimit?: { characteristics: string[]; period: number; requestsPerPeriod: number; mitigationTimeout: number };
}

const q = (s: string) => JSON.stringify(s);
const set = (values: readonly string[]) => `{${values.map(q).join(" ")}}`;
export const hostIs = (host: string) => `http.host eq ${q(host)}`;
const hostIn = (hosts: string[]) => (hosts.length === 1 ? hostIs(hosts[0]) : `http.host in ${set(hosts)}`);
const apiHosts = (h: EdgeHosts) => [h.api, ...(h.auth ? [h.auth] : [])];

/** Managed WAF: Cloudflare Managed + OWASP Core on paid plans; the Free Managed ruleset on free. */
export function managedWafRules(plan: CloudflarePlan): RuleSpec[] {
    const execute = (ref: string, description: string, id: string): RuleSpec => ({ ref, description, expression: "true", action: "execute", actionParameters: { id } });
    if (plan === "free") return [execute("free-managed", "Cloudflare Free Managed Ruleset", MANAGED_RULESETS.freeManaged)];
    return [
        execute("cloudflare-managed", "Cloudflare Managed Ruleset", MANAGED_RULESETS.cloudflareManaged),
        execute("owasp-core", "Cloudflare OWASP Core Ruleset", MANAGED_RULESETS.owaspCore),
    ];
}

/**
 * Custom WAF rules: blocked countries everywhere; on the API host, methods and paths the API does not serve; per bot
 * mode, a skip of Super Bot Fight Mode for API clients, or a bot-score challenge on the browser hosts (Bot Management).
 */
export function customWafRules(args: { hosts: EdgeHosts; blockedCountries: readonly string[]; botMode: BotMode }): RuleSpec[] {
    const { hosts } = args;
    const rules: RuleSpec[] = [];
    if (args.blockedCountries.length > 0) {
        rules.push({ ref: "blocked-countries", description: "Block countries the service is not offered in (config: edge.blockedCountries)",
            expression: `ip.src.country in ${set(args.blockedCountries)}`, action: "block" });
    }
    rules.push({ ref: "api-methods", description: "Block methods the API does not serve",
        expression: `${hostIs(hosts.api)} and not http.request.method in ${set(API_METHODS)}`, action: "block" });
    const served = [...API_PATHS.exact.map((p) => `http.request.uri.path eq ${q(p)}`), ...API_PATHS.prefixes.map((p) => `starts_with(http.request.uri.path, ${q(p)})`)];
    rules.push({ ref: "api-paths", description: "Block paths the API does not serve",
        expression: `${hostIs(hosts.api)} and not (${served.join(" or ")})`, action: "block" });
    if (args.botMode === "super-bot-fight-mode") {
        // API clients are automated by design (SDKs, CI jobs): Super Bot Fight Mode would challenge them.
        rules.push({ ref: "api-skip-sbfm", description: "Let API clients through Super Bot Fight Mode (WAF, rate limits still apply)",
            expression: hostIs(hosts.api), action: "skip", actionParameters: { phases: ["http_request_sbfm"] } });
    }
    if (args.botMode === "bot-management") {
        const browserHosts = [hosts.app, ...(hosts.auth ? [hosts.auth] : [])];
        rules.push({ ref: "browser-bots", description: "Challenge likely bots on the browser hosts (bot score below 30)",
            expression: `${hostIn(browserHosts)} and cf.bot_management.score lt 30 and not cf.bot_management.verified_bot and not cf.bot_management.static_resource`,
            action: "managed_challenge" });
    }
    return rules;
}

/** Rate-limit thresholds, in requests per minute (from config). */
export interface RateLimits {
    apiPerIp: number;
    apiPerKey: number;
    authPerIp: number;
}

/** A rate-limit rule the plan cannot hold, and why (documented in the plan output and the README). */
export interface OmittedRule {
    ref: string;
    reason: string;
}

/**
 * The rate-limiting rules a plan can hold, in priority order: the stricter per-IP limit on the auth endpoints
 * (credential stuffing), the per-IP API limit, and the per-API-key limit (Enterprise with Advanced Rate Limiting
 * only). Thresholds are per minute in config and scaled to the longest period the plan allows, up to 60 s.
 */
export function rateLimitRules(plan: CloudflarePlan, hosts: EdgeHosts, limits: RateLimits): { rules: RuleSpec[]; omitted: OmittedRule[] } {
    const planLimits = RATE_LIMIT_PLAN_LIMITS[plan];
    const period = Math.max(...RATE_LIMIT_PERIODS.filter((p) => p <= Math.min(60, planLimits.maxPeriod)));
    const perPeriod = (perMinute: number) => Math.max(1, Math.ceil((perMinute * period) / 60));
    const timeout = (seconds: number) => Math.min(seconds, planLimits.maxMitigationTimeout);
    const authPath = `starts_with(http.request.uri.path, ${q(AUTH_PATH_PREFIX)})`;
    // Free-plan rate-limit expressions may use only the path (and verified-bot) fields: no host, so no Keycloak host.
    const authExpression = plan === "free" ? authPath : `(${hostIs(hosts.api)} and ${authPath})${hosts.auth ? ` or ${hostIs(hosts.auth)}` : ""}`;

    const candidates: RuleSpec[] = [
        { ref: "auth-per-ip", description: `Auth endpoints: ${limits.authPerIp} requests/min per IP`, expression: authExpression, action: "block",
          ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period, requestsPerPeriod: perPeriod(limits.authPerIp), mitigationTimeout: timeout(600) } },
        { ref: "api-per-ip", description: `API: ${limits.apiPerIp} requests/min per IP`, expression: hostIs(hosts.api), action: "block",
          ratelimit: { characteristics: ["cf.colo.id", "ip.src"], period, requestsPerPeriod: perPeriod(limits.apiPerIp), mitigationTimeout: timeout(60) } },
    ];
    const omitted: OmittedRule[] = [];
    if (planLimits.headerCharacteristics) {
        candidates.push({ ref: "api-per-key", description: `API: ${limits.apiPerKey} requests/min per API key`,
            expression: `${hostIs(hosts.api)} and any(http.request.headers.names[*] eq ${q(API_KEY_HEADER)})`, action: "block",
            ratelimit: { characteristics: ["cf.colo.id", `http.request.headers[${q(API_KEY_HEADER)}]`], period, requestsPerPeriod: perPeriod(limits.apiPerKey), mitigationTimeout: timeout(60) } });
    } else {
        omitted.push({ ref: "api-per-key", reason: `counting by the ${API_KEY_HEADER} header needs Enterprise Advanced Rate Limiting (plan: ${plan}); the application enforces the per-key limit` });
    }
    const rules = candidates.slice(0, planLimits.maxRules);
    for (const dropped of candidates.slice(planLimits.maxRules)) {
        omitted.push({ ref: dropped.ref, reason: `the ${plan} plan allows ${planLimits.maxRules} rate-limiting rule(s)` });
    }
    return { rules, omitted };
}

/** Cache rules: hashed assets for a year at the edge and in the browser; everything else on the app host bypasses the cache. */
export function cacheRules(hosts: EdgeHosts): RuleSpec[] {
    const assets = `starts_with(http.request.uri.path, ${q(HASHED_ASSETS_PREFIX)})`;
    return [
        { ref: "spa-hashed-assets", description: "SPA hashed assets: cache one year at the edge and in browsers",
          expression: `${hostIs(hosts.app)} and ${assets}`, action: "set_cache_settings",
          actionParameters: { cache: true, edgeTtl: { mode: "override_origin", default: ONE_YEAR }, browserTtl: { mode: "override_origin", default: ONE_YEAR } } },
        // index.html (and the SPA's routes, which S3 answers with index.html) must reach users as soon as a deploy lands.
        { ref: "spa-entry-bypass", description: "SPA index.html and routes: never cached at the edge",
          expression: `${hostIs(hosts.app)} and not ${assets}`, action: "set_cache_settings", actionParameters: { cache: false } },
    ];
}

/** Response headers: HSTS on every response of the zone (the reliable route; see EDGE-NOTES on security_header). */
export function responseHeaderRules(): RuleSpec[] {
    return [{ ref: "hsts", description: "HSTS: one year, subdomains included", expression: "true", action: "rewrite",
        actionParameters: { headers: { "Strict-Transport-Security": { operation: "set", value: HSTS_VALUE }, "X-Content-Type-Options": { operation: "set", value: "nosniff" } } } }];
}

/**
 * Config rules: the one exception to Full (strict). The SPA's origin is the S3 website endpoint, which speaks HTTP
 * only, so the app host alone uses `flexible` (Cloudflare to S3 over HTTP, for static public assets only).
 */
export function configRules(hosts: EdgeHosts): RuleSpec[] {
    return [{ ref: "spa-origin-http", description: "SPA origin (S3 website endpoint) is HTTP only: SSL flexible for the app host only",
        expression: hostIs(hosts.app), action: "set_config", actionParameters: { ssl: "flexible" } }];
}

/** Hosts the ALB serves (API and Keycloak): the ones with Authenticated Origin Pulls. */
export function originPullHosts(hosts: EdgeHosts): string[] {
    return apiHosts(hosts);
}

/** Zone settings of the edge: Full (strict), TLS 1.2 minimum, TLS 1.3, HTTPS everywhere. */
export const ZONE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({
    ssl: "strict",
    min_tls_version: "1.2",
    tls_1_3: "on",
    always_use_https: "on",
    automatic_https_rewrites: "on",
});

/**
 * Bot settings per mode. Bot Fight Mode cannot be skipped by any rule, so it may challenge API and mobile clients:
 * use it only where the plan offers nothing else (Free). Super Bot Fight Mode is skipped for the API host by a custom
 * rule; "likely automated" is a Business+ field. Full Bot Management (Enterprise) exposes a score the custom rules use.
 */
export function botManagementSettings(mode: BotMode, plan: CloudflarePlan): Record<string, string | boolean> {
    switch (mode) {
        case "bot-fight-mode":
            return { fightMode: true, enableJs: true };
        case "super-bot-fight-mode":
            return {
                fightMode: false, enableJs: true, sbfmDefinitelyAutomated: "managed_challenge", sbfmVerifiedBots: "allow", sbfmStaticResourceProtection: false,
                ...(plan === "business" || plan === "enterprise" ? { sbfmLikelyAutomated: "managed_challenge" } : {}),
            };
        case "bot-management":
            return { fightMode: false, enableJs: true, autoUpdateModel: true, suppressSessionScore: false };
    }
}
