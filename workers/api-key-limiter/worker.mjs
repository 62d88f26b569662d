// Per-API-key rate limit for zones without Advanced Rate Limiting (Pro, Business): a Worker on api.<domain>/* that
// counts each API key with the Workers Rate Limiting binding (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/)
// and passes the request on to the origin unchanged. The key is hashed first, so it never becomes a counter name.
// The WAF, rate-limiting rules and AOP still apply (they run before Workers). Limits count per Cloudflare location,
// like rate-limiting rules: an edge guard, not a global quota.
// Binding: API_KEY_LIMITER (type ratelimit, simple { limit, period: 60 }).

export const API_KEY_HEADER = "x-api-key";
export const RATE_LIMITED_BODY = JSON.stringify({ error: "rate_limited", message: "Too many requests for this API key; retry later." });

const encoder = new TextEncoder();
export async function keyId(apiKey) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(apiKey));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The request handler; `fetchImpl` is injectable for tests. */
export async function handle(request, env, fetchImpl = fetch) {
    const apiKey = request.headers.get(API_KEY_HEADER);
    if (!apiKey || request.method === "OPTIONS") return fetchImpl(request);
    const { success } = await env.API_KEY_LIMITER.limit({ key: await keyId(apiKey) });
    if (!success) {
        return new Response(RATE_LIMITED_BODY, {
            status: 429, headers: { "content-type": "application/json", "retry-after": "60", "cache-control": "no-store" },
        });
    }
    return fetchImpl(request);
}

export default {
    async fetch(request, env) {
        return handle(request, env);
    },
};
