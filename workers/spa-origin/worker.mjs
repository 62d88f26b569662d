// SPA origin Worker (app.<domain>): serves the single-page app from a PRIVATE S3 bucket (all four Block Public Access
// settings, no bucket-policy grant, SSE-KMS) by signing S3 GetObject requests with AWS Signature Version 4, over HTTPS
// with certificate validation (Full strict end to end). No dependencies and no build step: the program uploads this
// file as it is (deterministic), and test/workers/spa-origin.test.ts runs it under Node.
//
// Bindings (WorkersScript): BUCKET, REGION, SECURITY_HEADERS (JSON) as plain text; AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY as secrets (an IAM user allowed only s3:GetObject on the bucket's objects and kms:Decrypt via S3).
// SigV4: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

const encoder = new TextEncoder();
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** Content-hashed build output: immutable, cached for a year. */
export const HASHED_PREFIX = "/assets/";
export const ENTRY_DOCUMENT = "index.html";

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
export async function sha256Hex(text) {
    return hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}
async function hmac(key, text) {
    const raw = typeof key === "string" ? encoder.encode(key) : key;
    const k = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(text)));
}

/** RFC 3986 encoding of one path segment, as SigV4 wants it (S3: each segment encoded once). */
export function encodeSegment(segment) {
    return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Signs a request with SigV4 and returns the headers to send (host is implied by the URL). `headers` are extra headers
 * to sign (lower-case names); x-amz-date is added. `amzDate` is YYYYMMDD'T'HHMMSS'Z'.
 */
export async function signV4({ method, url, headers = {}, payloadHash = EMPTY_SHA256, region, service, accessKeyId, secretAccessKey, amzDate }) {
    const u = new URL(url);
    const date = amzDate.slice(0, 8);
    const all = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()])), host: u.host, "x-amz-date": amzDate };
    const names = Object.keys(all).sort();
    const canonicalHeaders = names.map((n) => `${n}:${all[n]}\n`).join("");
    const signedHeaders = names.join(";");
    const query = [...u.searchParams.entries()].map(([k, v]) => [encodeSegment(k), encodeSegment(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`).join("&");
    const canonicalRequest = [method, u.pathname || "/", query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256Hex(canonicalRequest)].join("\n");
    let key = await hmac(`AWS4${secretAccessKey}`, date);
    for (const part of [region, service, "aws4_request"]) key = await hmac(key, part);
    const signature = hex(await hmac(key, stringToSign));
    const out = { ...all };
    delete out.host;
    out.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return out;
}

export function amzDateOf(now) {
    return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Maps a request path to the object key and its kind: hashed assets under /assets/, other files with an extension,
 * and SPA routes (no extension, or a trailing slash) which get the entry document with 200 (deep links).
 */
export function objectFor(pathname) {
    let segments;
    try {
        segments = pathname.split("/").slice(1).map((s) => decodeURIComponent(s));
    } catch {
        return { kind: "invalid" };
    }
    // URL parsing already resolves literal dot segments; encoded slashes or dots must not smuggle one back in.
    if (segments.some((s) => s === ".." || s === "." || s.includes("/") || s.includes("\\"))) return { kind: "invalid" };
    const last = segments[segments.length - 1] ?? "";
    if (last === "" || !last.includes(".")) return { kind: "route", key: ENTRY_DOCUMENT };
    const key = segments.join("/");
    if (key === ENTRY_DOCUMENT) return { kind: "route", key };
    return { kind: pathname.startsWith(HASHED_PREFIX) ? "hashed" : "file", key };
}

/** Cache-Control per kind: hashed assets forever, everything else revalidated on each use (deploys show at once). */
export const CACHE_CONTROL = { hashed: "public, max-age=31536000, immutable", file: "public, max-age=300", route: "no-cache" };

const PASS_HEADERS = ["content-type", "content-length", "etag", "last-modified", "content-encoding"];

function jsonError(status, message, securityHeaders) {
    const headers = { "content-type": "application/json", "cache-control": "no-store", ...securityHeaders };
    return new Response(JSON.stringify({ error: message }), { status, headers });
}

/** The request handler; `fetchImpl` and `now` are injectable for tests. */
export async function handle(request, env, { fetchImpl = fetch, now = new Date() } = {}) {
    const securityHeaders = env.SECURITY_HEADERS ? JSON.parse(env.SECURITY_HEADERS) : {};
    if (request.method !== "GET" && request.method !== "HEAD") {
        return new Response(null, { status: 405, headers: { allow: "GET, HEAD", ...securityHeaders } });
    }
    const url = new URL(request.url);
    const target = objectFor(url.pathname);
    if (target.kind === "invalid") return jsonError(400, "bad path", securityHeaders);
    // Path-style URL: the bucket is named like the host (dots), and "the SSL wildcard certificate matches only buckets that
    // don't contain dots" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html).
    const objectUrl = `https://s3.${env.REGION}.amazonaws.com/${encodeSegment(env.BUCKET)}/${target.key.split("/").map(encodeSegment).join("/")}`;
    const extra = { "x-amz-content-sha256": EMPTY_SHA256 };
    const inm = request.headers.get("if-none-match");
    if (inm) extra["if-none-match"] = inm;
    const signed = await signV4({ method: request.method, url: objectUrl, headers: extra, region: env.REGION, service: "s3",
        accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, amzDate: amzDateOf(now) });
    // Hashed assets are cached at the edge for a year (never errors); entry documents are not cached at the edge.
    const cf = target.kind === "hashed" ? { cacheEverything: true, cacheTtlByStatus: { "200-299": 31536000, "300-599": 0 } } : { cacheTtl: 0 };
    const upstream = await fetchImpl(objectUrl, { method: request.method, headers: signed, cf });
    if (upstream.status === 304) {
        const headers = { etag: upstream.headers.get("etag") ?? "", "cache-control": CACHE_CONTROL[target.kind], ...securityHeaders };
        return new Response(null, { status: 304, headers });
    }
    // A private bucket answers 403 for a missing key when the caller may not list: both mean "not here".
    if (upstream.status === 403 || upstream.status === 404) return jsonError(404, "not found", securityHeaders);
    if (!upstream.ok) return jsonError(502, "origin error", securityHeaders);
    const headers = new Headers(securityHeaders);
    for (const h of PASS_HEADERS) {
        const v = upstream.headers.get(h);
        if (v) headers.set(h, v);
    }
    headers.set("cache-control", CACHE_CONTROL[target.kind]);
    return new Response(request.method === "HEAD" ? null : upstream.body, { status: 200, headers });
}

export default {
    async fetch(request, env) {
        return handle(request, env);
    },
};
