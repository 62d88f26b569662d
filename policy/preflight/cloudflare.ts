import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { asList } from "../lib/kit";
import { PreflightPolicy, eachOf, num, ofTypes, prop, whenKnown } from "./kit";

const RULESET = "cloudflare:index/ruleset:Ruleset";
const AOP = "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls";

/** Rate-limit periods the Ruleset API accepts (seconds). https://developers.cloudflare.com/waf/rate-limiting-rules/parameters/ */
const RATE_LIMIT_PERIODS = [10, 15, 20, 30, 40, 45, 60, 90, 120, 180, 240, 300, 480, 600, 900, 1200, 1800, 2400, 3600, 65535, 86400];

export const preflightCloudflareShape: PreflightPolicy = {
    name: "preflight-cloudflare-shape",
    description: "Cloudflare resources have the shape the provider and API accept: exactly one hostname per AuthenticatedOriginPulls resource, one " +
        "zone ruleset per zone and phase, rate-limit characteristics that include cf.colo.id, and a period from the allowed list.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://developers.cloudflare.com/waf/rate-limiting-rules/parameters/",
    remediationSteps: "Create one AuthenticatedOriginPulls per hostname; put all rules of a phase in one Ruleset; add cf.colo.id to " +
        "characteristics; use an allowed period.",
    validateStack: (args, reportViolation) => {
        // The provider's Create/Update refuses anything but one config: "config must contain exactly one hostname association"
        // (terraform-provider-cloudflare internal/services/authenticated_origin_pulls/resource.go, v5.17+).
        eachOf([AOP], (aop) => {
            const n = asList(aop.props.configs).length;
            return n === 1 ? [] : [`has ${n} hostname configs; the provider accepts exactly one per resource (create one resource per hostname)`];
        })(args, reportViolation);
        const seen = new Map<string, PolicyResource>();
        for (const rs of ofTypes(args.resources, [RULESET]).filter((r) => prop(r, "kind") === "zone")) {
            const key = `${String(prop(rs, "zoneId"))}|${String(prop(rs, "phase"))}`;
            const first = seen.get(key);
            if (first) reportViolation(`${rs.name}: a second zone ruleset for phase ${rs.props.phase} (first: ${first.name}); Cloudflare allows one ` +
                `entry-point ruleset per zone and phase`, rs.urn);
            else seen.set(key, rs);
        }
        eachOf([RULESET], (rs) => asList<any>(rs.props.rules).filter((r) => r?.ratelimit).flatMap((rule) => {
            const rl = rule.ratelimit;
            const period = num(rl.period);
            return [
                asList(rl.characteristics).includes("cf.colo.id") ? undefined : `rule ${rule.ref ?? rule.description}: ratelimit characteristics ` +
                    `must include cf.colo.id`,
                period === undefined || RATE_LIMIT_PERIODS.includes(period) ? undefined
                    : `rule ${rule.ref ?? rule.description}: period ${period} is not one of ${RATE_LIMIT_PERIODS.join(", ")}`,
            ];
        }))(args, reportViolation);
    },
};

type Plan = "free" | "pro" | "business" | "enterprise";
const PLANS: Plan[] = ["free", "pro", "business", "enterprise"];
/** Longest counting period and number of rate-limiting rules per plan (Enterprise: with app security). */
const RATE_LIMITS: Record<Plan, { maxPeriod: number; maxRules: number }> = {
    free: { maxPeriod: 10, maxRules: 1 }, pro: { maxPeriod: 60, maxRules: 2 },
    business: { maxPeriod: 600, maxRules: 5 }, enterprise: { maxPeriod: 86400, maxRules: 100 },
};

interface Entitlements { plan?: Plan; addons: string[] }

/**
 * The zone's plan and add-ons as the graph states them: the pack config (`plan`, `addons`), else a marker in a Ruleset's
 * description, `plan=<free|pro|business|enterprise>` and `addons=<a,b>` (what the edge layer emits). Unknown: no check.
 */
export function entitlementsOf(args: StackValidationArgs): Entitlements {
    const cfg = args.getConfig<{ plan?: string; addons?: string[] }>() ?? {};
    if (cfg.plan && PLANS.includes(cfg.plan as Plan)) return { plan: cfg.plan as Plan, addons: cfg.addons ?? [] };
    for (const rs of ofTypes(args.resources, [RULESET])) {
        const text = String(prop(rs, "description") ?? "");
        const plan = /\bplan=(free|pro|business|enterprise)\b/.exec(text)?.[1] as Plan | undefined;
        if (plan) return { plan, addons: (/\baddons=([a-z,-]*)/.exec(text)?.[1] ?? "").split(",").filter(Boolean) };
    }
    return { addons: [] };
}

/** Counting characteristics beyond IP that need Enterprise with Advanced Rate Limiting. */
const ARL_CHARACTERISTIC = new RegExp("^(http\\.request\\.(headers|cookies|uri\\.args|body)"
    + "|cf\\.(bot_management\\.ja3_hash|bot_management\\.ja4)"
    + "|ip\\.src\\.asnum|http\\.host|http\\.request\\.uri\\.path|cf\\.waf\\.credential_check|lookup_json)");

export const preflightCloudflareEntitlements: PreflightPolicy = {
    name: "preflight-cloudflare-entitlements",
    description: "Rules use only what the zone's plan and add-ons include: header/cookie/query counting needs Enterprise + Advanced Rate Limiting, " +
        "cf.bot_management fields need the Bot Management add-on, rate-limit periods and rule counts fit the plan.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://developers.cloudflare.com/waf/rate-limiting-rules/#availability",
    remediationSteps: "State the plan and add-ons in platform:edge (the edge layer writes plan=/addons= into the ruleset description, or pass them " +
        "in the pack config) and leave out the rules the zone is not entitled to.",
    configSchema: {
        properties: {
            plan: { type: "string", enum: PLANS, description: "The zone's plan, when the graph does not state it." },
            addons: { type: "array", items: { type: "string" }, description: "Add-ons on the contract: advanced-rate-limiting, bot-management." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { plan, addons } = entitlementsOf(args);
        if (!plan) return;
        for (const rs of ofTypes(args.resources, [RULESET])) {
            const rules = whenKnown(() => asList<any>(rs.props.rules), []);
            const limited = rules.filter((r) => r?.ratelimit);
            if (limited.length > RATE_LIMITS[plan].maxRules) {
                reportViolation(`${rs.name}: ${limited.length} rate-limiting rules; the ${plan} plan allows ${RATE_LIMITS[plan].maxRules}`, rs.urn);
            }
            for (const rule of rules) whenKnown(() => {
                const ref = rule?.ref ?? rule?.description ?? "(rule)";
                const advanced = asList<string>(rule?.ratelimit?.characteristics).filter((c) => ARL_CHARACTERISTIC.test(c));
                if (advanced.length && !(plan === "enterprise" && addons.includes("advanced-rate-limiting"))) {
                    reportViolation(`${rs.name}: rule ${ref} counts by ${advanced.join(", ")}, which needs Enterprise with Advanced Rate Limiting ` +
                        `(plan: ${plan}, add-ons: ${addons.join(", ") || "none"})`, rs.urn);
                }
                // "IP with NAT support" (cf.unique_visitor_id) counts on Business and Enterprise.
                if (asList<string>(rule?.ratelimit?.characteristics).includes("cf.unique_visitor_id") && !["business", "enterprise"].includes(plan)) {
                    reportViolation(`${rs.name}: rule ${ref} counts by cf.unique_visitor_id (IP with NAT support), which needs Business or Enterprise ` +
                        `(plan: ${plan})`, rs.urn);
                }
                const period = num(rule?.ratelimit?.period);
                if (period !== undefined && period > RATE_LIMITS[plan].maxPeriod) {
                    reportViolation(`${rs.name}: rule ${ref} counts over ${period} s; the ${plan} plan allows up to ${RATE_LIMITS[plan].maxPeriod} s`, rs.urn);
                }
                if (/\bcf\.bot_management\./.test(String(rule?.expression ?? "")) && !addons.includes("bot-management")) {
                    reportViolation(`${rs.name}: rule ${ref} reads cf.bot_management fields, which need the Bot Management add-on (plan: ${plan})`, rs.urn);
                }
            }, undefined);
        }
    },
};
