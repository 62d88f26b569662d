import { strict as assert } from "assert";
import * as path from "path";

// The Workers are plain ES modules (uploaded as they are); import() them past the test loader's CommonJS transform.
const load = new Function("p", "return import(p)") as (p: string) => Promise<any>;
const spaWorker = () => load(path.resolve(__dirname, "..", "..", "workers", "spa-origin", "worker.mjs"));
const keyWorker = () => load(path.resolve(__dirname, "..", "..", "workers", "api-key-limiter", "worker.mjs"));

const env = {
    BUCKET: "app.example.com", REGION: "eu-central-1", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret",
    SECURITY_HEADERS: JSON.stringify({ "x-frame-options": "DENY", "content-security-policy": "frame-ancestors 'none'" }),
};

describe("SPA origin Worker: SigV4", () => {
    it("matches AWS's published SigV4 test vector (get-vanilla)", async () => {
        const w = await spaWorker();
        const h = await w.signV4({ method: "GET", url: "https://example.amazonaws.com/", region: "us-east-1", service: "service",
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", amzDate: "20150830T123600Z" });
        assert.equal(h.authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, " +
            "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    });
    it("matches the S3 GET Object example of the S3 SigV4 documentation", async () => {
        const w = await spaWorker();
        const h = await w.signV4({ method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt",
            headers: { range: "bytes=0-9", "x-amz-content-sha256": w.EMPTY_SHA256 }, region: "us-east-1", service: "s3",
            accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", amzDate: "20130524T000000Z" });
        assert.match(h.authorization, /Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41$/);
    });
});

describe("SPA origin Worker: routing and caching", () => {
    async function serve(url: string, s3: { status: number; body?: string; headers?: Record<string, string> }, method = "GET") {
        const w = await spaWorker();
        const calls: { url: string; init: any }[] = [];
        const fetchImpl = async (u: string, init: any) => {
            calls.push({ url: u, init });
            return new Response(s3.body ?? null, { status: s3.status, headers: s3.headers });
        };
        const res: Response = await w.handle(new Request(url, { method }), env, { fetchImpl, now: new Date("2026-12-03T10:00:00Z") });
        return { res, calls };
    }

    it("answers deep links with index.html and 200, never cached", async () => {
        const { res, calls } = await serve("https://app.example.com/controls/42/evidence", {
            status: 200,
            body: "<html>",
            headers: { "content-type": "text/html" },
        });
        assert.equal(res.status, 200);
        assert.equal(await res.text(), "<html>");
        assert.equal(calls[0].url, "https://s3.eu-central-1.amazonaws.com/app.example.com/index.html");
        assert.equal(res.headers.get("cache-control"), "no-cache");
        assert.match(calls[0].init.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261203\/eu-central-1\/s3\/aws4_request/);
        assert.equal(calls[0].init.headers["x-amz-date"], "20261203T100000Z");
    });
    it("serves hashed assets immutable for a year, cached at the edge only for 2xx", async () => {
        const { res, calls } = await serve("https://app.example.com/assets/index-3f2a.js", {
            status: 200,
            body: "js",
            headers: { "content-type": "text/javascript" },
        });
        assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
        assert.equal(res.headers.get("content-type"), "text/javascript");
        assert.deepEqual(calls[0].init.cf.cacheTtlByStatus, { "200-299": 31536000, "300-599": 0 });
    });
    it("answers a missing asset with 404 (not the entry document) and adds the security headers", async () => {
        const { res } = await serve("https://app.example.com/assets/gone.js", { status: 403 });
        assert.equal(res.status, 404);
        assert.equal(res.headers.get("x-frame-options"), "DENY");
        assert.equal(res.headers.get("cache-control"), "no-store");
    });
    it("refuses writes and path traversal, and hides S3's own headers", async () => {
        assert.equal((await serve("https://app.example.com/", { status: 200 }, "POST")).res.status, 405);
        assert.equal((await serve("https://app.example.com/assets/..%2Fsecret.js", { status: 200 })).res.status, 400);
        const { res } = await serve("https://app.example.com/", {
            status: 200,
            body: "x",
            headers: { "x-amz-request-id": "r", "x-amz-server-side-encryption": "aws:kms" },
        });
        assert.equal(res.headers.get("x-amz-request-id"), null);
        assert.equal(res.headers.get("content-security-policy"), "frame-ancestors 'none'");
    });
});

describe("API key limiter Worker", () => {
    async function call(headers: Record<string, string>, allowed: boolean, method = "GET") {
        const w = await keyWorker();
        const keys: string[] = [];
        const limiter = { limit: async ({ key }: { key: string }) => { keys.push(key); return { success: allowed }; } };
        const res: Response = await w.handle(new Request("https://api.example.com/v1/controls", { method, headers }), { API_KEY_LIMITER: limiter },
            async () => new Response("origin", { status: 200 }));
        return { res, keys, w };
    }
    it("counts each API key by its SHA-256 hash, never the key itself", async () => {
        const { res, keys, w } = await call({ "X-API-Key": "sk_live_123" }, true);
        assert.equal(res.status, 200);
        assert.deepEqual(keys, [await w.keyId("sk_live_123")]);
        assert.ok(!keys[0].includes("sk_live"));
    });
    it("answers a JSON 429 over the limit", async () => {
        const { res } = await call({ "x-api-key": "k" }, false);
        assert.equal(res.status, 429);
        assert.equal(res.headers.get("content-type"), "application/json");
        assert.equal(JSON.parse(await res.text()).error, "rate_limited");
    });
    it("passes requests without a key, and preflights, without counting", async () => {
        assert.deepEqual((await call({}, false)).keys, []);
        assert.deepEqual((await call({ "x-api-key": "k" }, false, "OPTIONS")).keys, []);
    });
});
