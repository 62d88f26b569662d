import * as pulumi from "@pulumi/pulumi";
import * as cloudflare from "@pulumi/cloudflare";
import { WORKER_COMPATIBILITY_DATE } from "./spa-origin";
import { API_KEY_LIMITER_SOURCE } from "./worker-sources";


/** The arguments of ApiKeyLimiter: what the caller decides about per-API-key rate limiting at the edge. */
export interface ApiKeyLimiterArgs {
    readonly accountId: pulumi.Input<string>;
    readonly zoneId: pulumi.Input<string>;
    /** The API host: the Worker's route is `<host>/*`. */
    readonly hostname: string;
    /** Requests per minute per API key (per Cloudflare location). */
    readonly requestsPerMinute: number;
    /** Account-unique integer id of the rate-limit namespace. */
    readonly namespaceId: number;
    /** Physical-name prefix of the Worker script. */
    readonly namePrefix: string;
}

/**
 * Per-API-key rate limiting where the zone has no Advanced Rate Limiting (Pro, Business): a pass-through Worker on the
 * API host that counts the SHA-256 of each x-api-key with the Workers Rate Limiting binding and answers a JSON 429
 * over the limit. WAF, rate-limiting rules and AOP still run first (Workers run after them).
 */
export class ApiKeyLimiter extends pulumi.ComponentResource {
    public readonly scriptName: string;
    /** The Worker script and its route on the API host (the resources themselves). */
    public readonly script: cloudflare.WorkersScript;
    public readonly route: cloudflare.WorkersRoute;

    constructor(name: string, args: ApiKeyLimiterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:ApiKeyLimiter", name, {}, opts);
        if (!Number.isInteger(args.requestsPerMinute) || args.requestsPerMinute < 1) {
            throw new Error(`ApiKeyLimiter ${name}: requestsPerMinute must be a positive integer, got ${args.requestsPerMinute}`);
        }
        const child = { parent: this };
        this.scriptName = `${args.namePrefix}-api-key-limiter`;
        const script = new cloudflare.WorkersScript(`${name}-worker`, {
            accountId: args.accountId,
            scriptName: this.scriptName,
            mainModule: "worker.mjs",
            content: API_KEY_LIMITER_SOURCE,
            compatibilityDate: WORKER_COMPATIBILITY_DATE,
            bindings: [{
                name: "API_KEY_LIMITER", type: "ratelimit", namespaceId: String(args.namespaceId), simple: { limit: args.requestsPerMinute, period: 60 },
            }],
        }, child);
        this.script = script;
        this.route = new cloudflare.WorkersRoute(`${name}-route`, {
            zoneId: args.zoneId, pattern: `${args.hostname}/*`, script: this.scriptName,
        }, { ...child, dependsOn: [script] });
        this.registerOutputs({ scriptName: this.scriptName });
    }
}
