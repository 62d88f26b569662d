/**
 * Cloudflare entitlements as data: which plan and which add-on each edge feature this program uses needs. The edge
 * builds only what the stated entitlements allow; stack config validation refuses a requested feature the stated plan
 * lacks (naming the key and the missing entitlement); the plan output lists what each stack gets.
 */

export type CloudflarePlan = "free" | "pro" | "business" | "enterprise";
/** The Cloudflare zone plans the edge knows, cheapest first (the entitlement table is keyed by them). */
export const CLOUDFLARE_PLANS: readonly CloudflarePlan[] = ["free", "pro", "business", "enterprise"];

/** Contract add-ons Cloudflare sells on top of a plan (Enterprise only); the zone API cannot see them, so config states them. */
export interface CloudflareAddons {
    /** Advanced Rate Limiting: counting on request headers (the API key), more characteristics. */
    advancedRateLimiting: boolean;
    /** Bot Management: bot score fields (cf.bot_management.*) and the BM-only bot settings. */
    botManagement: boolean;
    /** Application security on the Enterprise contract: without it an Enterprise zone has no rate-limiting rules. */
    appSecurity: boolean;
}
const NO_ADDONS: Readonly<CloudflareAddons> = Object.freeze({ advancedRateLimiting: false, botManagement: false, appSecurity: false });

const RANK: Record<CloudflarePlan, number> = { free: 0, pro: 1, business: 2, enterprise: 3 };
const atLeast = (plan: CloudflarePlan, min: CloudflarePlan) => RANK[plan] >= RANK[min];

const RL_TABLE = "https://developers.cloudflare.com/waf/rate-limiting-rules/#availability (partials/waf/rate-limiting-availability-by-plan.mdx)";

/** One edge feature: what it needs, where Cloudflare says so, and whether a plan + add-ons grant it. */
export interface EdgeFeature {
    /** The plan or add-on the feature needs, in words. */
    needs: string;
    /** Where Cloudflare documents it. */
    source: string;
    /** Whether a plan with these add-ons grants it. */
    granted: (plan: CloudflarePlan, addons: CloudflareAddons) => boolean;
}

const FEATURES = {
    managedWaf: {
        needs: "pro or higher (Cloudflare Managed + OWASP Core rulesets)",
        source: "https://developers.cloudflare.com/waf/managed-rules/#availability",
        granted: (p) => atLeast(p, "pro"),
    },
    managedWafLogAction: {
        needs: "enterprise (the log action in managed ruleset overrides)",
        source: "https://developers.cloudflare.com/waf/managed-rules/reference/exposed-credentials-check/"
            + " (managed ruleset actions: \"Log: Only available on Enterprise plans\")",
        granted: (p) => p === "enterprise",
    },
    rateLimitRules: {
        needs: "any plan; enterprise needs application security on the contract (addons.appSecurity)",
        source: `${RL_TABLE}, footnote 5`,
        granted: (p, a) => p !== "enterprise" || a.appSecurity,
    },
    rateLimitMethodField: {
        needs: "business or higher (http.request.method in rate-limit expressions)",
        source: RL_TABLE,
        granted: (p) => atLeast(p, "business"),
    },
    rateLimitNatAwareVisitor: {
        needs: "business or higher (characteristic cf.unique_visitor_id, \"IP with NAT support\")",
        source: RL_TABLE,
        granted: (p) => atLeast(p, "business"),
    },
    rateLimitCountingExpression: {
        needs: "business or higher (counting expression with response code: count failed logins only)",
        source: RL_TABLE,
        granted: (p) => atLeast(p, "business"),
    },
    rateLimitHeaderCounting: {
        needs: "enterprise with Advanced Rate Limiting (addons.advancedRateLimiting): count per API key header",
        source: RL_TABLE,
        granted: (p, a) => p === "enterprise" && a.appSecurity && a.advancedRateLimiting,
    },
    workerApiKeyLimit: {
        needs: "Workers on the account (any plan): a Worker with the Rate Limiting binding keyed on the API key hash",
        source: "https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/",
        granted: () => true,
    },
    customBlockResponse: {
        needs: "pro or higher (custom JSON 429 body on block)",
        // "This feature is only available on Pro plans and above" (rate limiting rules, custom response for blocked requests).
        source: "https://developers.cloudflare.com/waf/rate-limiting-rules/create-zone-dashboard/#configure-a-custom-response-for-blocked-requests",
        granted: (p) => atLeast(p, "pro"),
    },
    superBotFightMode: {
        needs: "pro or higher (Super Bot Fight Mode, skippable per request)",
        source: "https://developers.cloudflare.com/bots/get-started/super-bot-fight-mode/",
        granted: (p) => atLeast(p, "pro"),
    },
    sbfmLikelyAutomated: {
        needs: "business or higher (SBFM \"likely automated\" group)",
        source: "https://developers.cloudflare.com/bots/get-started/super-bot-fight-mode/",
        granted: (p) => atLeast(p, "business"),
    },
    botManagement: {
        needs: "enterprise with the Bot Management add-on (addons.botManagement): bot score fields",
        source: "https://developers.cloudflare.com/bots/plans/bm-subscription/",
        granted: (p, a) => p === "enterprise" && a.botManagement,
    },
    securityEventsAlert: {
        needs: "business or higher (Security Events Alert notification)",
        source: "https://developers.cloudflare.com/waf/reference/alerts/ (Security Events Alert: Business and Enterprise)",
        granted: (p) => atLeast(p, "business"),
    },
    originErrorAlert: {
        needs: "enterprise (Origin Error Rate Alert notification; elsewhere the ALB 5xx CloudWatch alarms cover origin errors)",
        source: "https://developers.cloudflare.com/notifications/notification-available/ (Origin Error Rate Alert: Enterprise plans)",
        granted: (p) => p === "enterprise",
    },
    dnsRecordTags: {
        needs: "pro or higher (DNS record tags; every plan has record comments)",
        source: "https://developers.cloudflare.com/dns/manage-dns-records/reference/record-attributes/ (Record tags: paid plans)",
        granted: (p) => atLeast(p, "pro"),
    },
    logpush: {
        needs: "enterprise (Logpush of zone datasets such as firewall_events)",
        source: "https://developers.cloudflare.com/logs/logpush/ (Availability: Enterprise)",
        granted: (p) => p === "enterprise",
    },
} satisfies Record<string, EdgeFeature>;

/**
 * The id of an edge feature (a key of EDGE_FEATURES).
 * @useDeclaredType
 */
export type EdgeFeatureId = keyof typeof FEATURES;

/** The feature table. Keys are the feature ids the plan output and the README use. */
export const EDGE_FEATURES: Readonly<Record<EdgeFeatureId, EdgeFeature>> = FEATURES;

/** What a zone may use, feature by feature. */
export type EdgeEntitlements = { plan: CloudflarePlan; addons: CloudflareAddons } & Record<EdgeFeatureId, boolean>;

/** The edge features a Cloudflare plan and its add-ons grant, by feature id. */
export function entitlementsOf(plan: CloudflarePlan, addons: CloudflareAddons = NO_ADDONS): EdgeEntitlements {
    const flags = Object.fromEntries(Object.entries(EDGE_FEATURES).map(([id, f]) => [id, (f as EdgeFeature).granted(plan, addons)]));
    return { plan, addons: { ...addons }, ...(flags as Record<EdgeFeatureId, boolean>) };
}

/** Rate-limiting limits per plan (the plan table above): rules, longest counting period, longest mitigation timeout. */
export const RATE_LIMIT_PLAN_LIMITS: Record<CloudflarePlan, { maxRules: number; maxPeriod: number; maxMitigationTimeout: number }> = {
    free: { maxRules: 1, maxPeriod: 10, maxMitigationTimeout: 10 },
    pro: { maxRules: 2, maxPeriod: 60, maxMitigationTimeout: 3600 },
    business: { maxRules: 5, maxPeriod: 600, maxMitigationTimeout: 86400 },
    enterprise: { maxRules: 100, maxPeriod: 65535, maxMitigationTimeout: 86400 },
};

/** A feature a stack's config asks for, and the config key that asks. */
export interface RequestedFeature {
    feature: EdgeFeatureId;
    key: string;
    value: unknown;
}

/** The first requested feature the entitlements do not grant, with what is missing; undefined when all are granted. */
export function missingEntitlement(ent: EdgeEntitlements, requested: RequestedFeature[]): (RequestedFeature & { missing: string }) | undefined {
    const miss = requested.find((r) => !ent[r.feature]);
    return miss ? { ...miss, missing: `${miss.feature} needs ${EDGE_FEATURES[miss.feature].needs}; the stack states plan ${ent.plan}` +
        ` with add-ons ${JSON.stringify(ent.addons)} (source: ${EDGE_FEATURES[miss.feature].source})` } : undefined;
}

/** The plan output: each feature this program uses, whether the stack gets it, and what it needs. */
export function featureReport(ent: EdgeEntitlements): Record<EdgeFeatureId, string> {
    return Object.fromEntries(Object.keys(EDGE_FEATURES).map((id) => {
        const granted = ent[id as EdgeFeatureId];
        return [id, granted ? "yes" : `no (needs ${EDGE_FEATURES[id as EdgeFeatureId].needs})`];
    })) as Record<EdgeFeatureId, string>;
}
