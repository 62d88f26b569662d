import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { cloudflareProxiedRecords, cloudflareSslStrict, cloudflareWafManaged } from "./edge";

const ZONE = "5d3c1e0a9b7f4e2a8c6d4b2f0e9a7c51";
const record = (name: string, inputs: Record<string, any>) => fake("cloudflare:index/dnsRecord:DnsRecord", name, { zoneId: ZONE, ttl: 1, ...inputs });
const setting = (settingId: string, value: string, zoneId = ZONE) =>
    fake("cloudflare:index/zoneSetting:ZoneSetting", `edge-${settingId}`, { zoneId, settingId, value });
const ruleset = (name: string, phase: string, rules: any[] = []) =>
    fake("cloudflare:index/ruleset:Ruleset", name, { zoneId: ZONE, kind: "zone", phase, name, rules });
const execute = (id: string) => ({ action: "execute", expression: "true", actionParameters: { id } });
const api = record("edge-api", { name: "api.complyhub.io", type: "CNAME", content: "alb.elb.amazonaws.com", proxied: true });

describe("edge policies", () => {
    describe("cloudflare-proxied-records", () => {
        it("passes proxied CNAMEs and DNS-only DKIM and TXT records", async () => {
            const dkim = record("edge-dkim-0", { name: "tok._domainkey.complyhub.io", type: "CNAME", content: "tok.dkim.amazonses.com", proxied: false });
            const spf = record("edge-spf", { name: "mail.complyhub.io", type: "TXT", content: "\"v=spf1 include:amazonses.com ~all\"" });
            assert.deepEqual(await violationsOf(cloudflareProxiedRecords, [api, dkim, spf]), []);
        });
        it("flags an A record pointing at the origin without the proxy", async () => {
            const exposed = record("edge-origin", { name: "origin.complyhub.io", type: "A", content: "203.0.113.10", proxied: false });
            assert.match((await violationsOf(cloudflareProxiedRecords, [exposed])).join(), /origin\.complyhub\.io is not proxied/);
        });
        it("flags a CNAME whose proxied flag is left unset, unless the pack config allows its name", async () => {
            const unset = record("edge-status", { name: "status.complyhub.io", type: "CNAME", content: "status.example.net" });
            assert.equal((await violationsOf(cloudflareProxiedRecords, [unset])).length, 1);
            assert.deepEqual(await violationsOf(cloudflareProxiedRecords, [unset], { allowUnproxied: ["status.complyhub.io"] }), []);
        });
    });

    describe("cloudflare-ssl-strict", () => {
        it("passes a zone with ssl strict and TLS 1.2 minimum", async () => {
            assert.deepEqual(await violationsOf(cloudflareSslStrict, [api, setting("ssl", "strict"), setting("min_tls_version", "1.2")]), []);
        });
        it("flags a zone with records but no ssl setting", async () => {
            assert.match((await violationsOf(cloudflareSslStrict, [api, setting("min_tls_version", "1.3")])).join(), /no ssl zone setting/);
        });
        it("flags ssl full (not strict) and TLS 1.0", async () => {
            const found = await violationsOf(cloudflareSslStrict, [api, setting("ssl", "full"), setting("min_tls_version", "1.0")]);
            assert.equal(found.length, 2);
            assert.match(found.join(), /"full", not "strict"/);
            assert.match(found.join(), /min_tls_version is "1.0"/);
        });
        it("flags a config rule (http_config_settings) that lowers a host's SSL below strict, and passes other config rules", async () => {
            const base = [api, setting("ssl", "strict"), setting("min_tls_version", "1.2")];
            const flexible = ruleset("edge-config", "http_config_settings",
                [{ ref: "spa", action: "set_config", expression: 'http.host eq "app.complyhub.io"', actionParameters: { ssl: "flexible" } }]);
            assert.match((await violationsOf(cloudflareSslStrict, [...base, flexible])).join(), /config rule spa sets ssl "flexible"/);
            const bic = ruleset("edge-config", "http_config_settings", [
                { ref: "bic", action: "set_config", expression: "true", actionParameters: { bic: false } },
            ]);
            assert.deepEqual(await violationsOf(cloudflareSslStrict, [...base, bic]), []);
        });
        it("does not count the settings of another zone", async () => {
            const other = "0000000000000000000000000000000a";
            assert.equal((await violationsOf(cloudflareSslStrict, [api, setting("ssl", "strict", other), setting("min_tls_version", "1.2", other)])).length, 2);
        });
    });

    describe("cloudflare-waf-managed", () => {
        it("passes Cloudflare Managed + OWASP in one managed ruleset", async () => {
            const managed = ruleset("edge-waf-managed", "http_request_firewall_managed", [
                execute("efb7b8c949ac4650a09736fc376e9aee"),
                execute("4814384a9e5d4991b9815dcfc25d2f1f"),
            ]);
            assert.deepEqual(await violationsOf(cloudflareWafManaged, [api, managed]), []);
        });
        it("passes the Free Managed ruleset (free plan)", async () => {
            const managed = ruleset("edge-waf-managed", "http_request_firewall_managed", [execute("77454fe2d30c4220b5701f6fdfb893ba")]);
            assert.deepEqual(await violationsOf(cloudflareWafManaged, [api, managed]), []);
        });
        it("flags a zone with records and no managed ruleset", async () => {
            assert.match((await violationsOf(cloudflareWafManaged, [api])).join(), /no http_request_firewall_managed ruleset/);
        });
        it("flags a managed ruleset without OWASP", async () => {
            const managed = ruleset("edge-waf-managed", "http_request_firewall_managed", [execute("efb7b8c949ac4650a09736fc376e9aee")]);
            assert.match((await violationsOf(cloudflareWafManaged, [api, managed])).join(), /does not execute/);
        });
        it("flags two rulesets of one phase in a zone", async () => {
            const managed = ruleset("edge-waf-managed", "http_request_firewall_managed", [execute("77454fe2d30c4220b5701f6fdfb893ba")]);
            const a = ruleset("edge-limits", "http_ratelimit");
            const b = ruleset("extra-limits", "http_ratelimit");
            assert.match((await violationsOf(cloudflareWafManaged, [api, managed, a, b])).join(), /2 rulesets for phase http_ratelimit/);
        });
    });
});
