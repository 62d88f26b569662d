import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import * as edge from "./edge";

// One case per check of the Cloudflare policies, each zone on its own graph (edge.test.ts holds the pass/flag pairs).
const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const LEGACY = "cloudflare:index/record:Record";
const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const Z = "zone-1";
const record = (name = "app.example.com", type = DNS) =>
    fake(type, `r-${name}`, { zoneId: Z, name, type: "CNAME", content: "origin.example.com", proxied: true });
const setting = (settingId: string, value: string) => fake(SETTING, `${settingId}-${value}`, { zoneId: Z, settingId, value });
const managed = (...ids: string[]) =>
    fake(RULESET, `managed-${ids.length}`, {
        zoneId: Z,
        phase: "http_request_firewall_managed",
        kind: "zone",
        rules: ids.map((id) => ({ action: "execute", actionParameters: { id }, expression: "true" })),
    });
const CF_MANAGED = "efb7b8c949ac4650a09736fc376e9aee",
    OWASP = "4814384a9e5d4991b9815dcfc25d2f1f",
    FREE = "77454fe2d30c4220b5701f6fdfb893ba";

describe("Cloudflare policies, one check at a time", () => {
    describe("cloudflare-proxied-records", () => {
        const plain = (inputs: object, type = DNS) =>
            fake(type, "r", { zoneId: Z, name: "api.example.com", type: "A", content: "192.0.2.1", proxied: false, ...inputs });
        it("flags unproxied A, AAAA and CNAME records on either record type, naming the exposed origin", async () => {
            for (const [type, t] of [
                ["A", DNS],
                ["AAAA", LEGACY],
                ["CNAME", DNS],
            ] as const) {
                assert.deepEqual(await violationsOf(edge.cloudflareProxiedRecords, [plain({ type }, t)]), [
                    `r: ${type} record api.example.com is not proxied; its origin 192.0.2.1 would be exposed and bypass the WAF`,
                ]);
            }
        });
        it("leaves TXT/MX, service names (_dkim), and names allowed by config alone", async () => {
            assert.deepEqual(await violationsOf(edge.cloudflareProxiedRecords, [plain({ type: "TXT" }), plain({ type: "MX" })]), []);
            assert.deepEqual(await violationsOf(edge.cloudflareProxiedRecords, [plain({ type: "CNAME", name: "s1._domainkey.example.com" })]), []);
            assert.deepEqual(await violationsOf(edge.cloudflareProxiedRecords, [plain({})], { allowUnproxied: ["api.example.com"] }), []);
            assert.equal((await violationsOf(edge.cloudflareProxiedRecords, [plain({ name: "x_y.example.com" })])).length, 1);
        });
        it("does not judge other resource types", async () => {
            assert.deepEqual(await violationsOf(edge.cloudflareProxiedRecords, [fake(SETTING, "s", { zoneId: Z, type: "A", proxied: false })]), []);
        });
    });

    describe("cloudflare-ssl-strict", () => {
        const judge = (...rs: ReturnType<typeof fake>[]) => violationsOf(edge.cloudflareSslStrict, rs);
        it("passes strict SSL and TLS 1.2 or 1.3; judges only zones with records (of either record type)", async () => {
            assert.deepEqual(await judge(record(), setting("ssl", "strict"), setting("min_tls_version", "1.3")), []);
            assert.deepEqual(await judge(setting("ssl", "flexible")), []);
            assert.equal((await judge(record("a.example.com", LEGACY), setting("min_tls_version", "1.2"))).length, 1);
            assert.deepEqual(await judge(fake(DNS, "no-zone", { name: "x", type: "A" })), []);
        });
        it("flags a missing ssl setting, a non-strict one, a missing minimum TLS and one below 1.2", async () => {
            assert.deepEqual(await judge(record(), setting("min_tls_version", "1.2")), [
                `zone ${Z} has DNS records but no ssl zone setting (Cloudflare's default is not Full strict)`,
            ]);
            assert.deepEqual(await judge(record(), setting("ssl", "full"), setting("min_tls_version", "1.2")), [
                `zone ${Z}: ssl is "full", not "strict" (Full strict)`,
            ]);
            assert.deepEqual(await judge(record(), setting("ssl", "strict")), [
                `zone ${Z} has DNS records but no min_tls_version zone setting (Cloudflare's default admits TLS 1.0)`,
            ]);
            assert.deepEqual(await judge(record(), setting("ssl", "strict"), setting("min_tls_version", "1.1")), [
                `zone ${Z}: min_tls_version is "1.1"; 1.2 or higher is required`,
            ]);
        });
        it("flags a config rule of the zone that lowers SSL for some hosts, and no other rule", async () => {
            const config = (zoneId: string, phase: string, rules: object[]) => fake(RULESET, `cfg-${zoneId}-${phase}`, { zoneId, phase, rules });
            const lower = { action: "set_config", ref: "legacy", actionParameters: { ssl: "flexible" }, expression: 'http.host eq "old.example.com"' };
            const base = [record(), setting("ssl", "strict"), setting("min_tls_version", "1.2")];
            assert.deepEqual(await judge(...base, config(Z, "http_config_settings", [lower])), [
                `zone ${Z}: config rule legacy sets ssl "flexible" for http.host eq "old.example.com"`,
            ]);
            assert.deepEqual(await judge(...base, config(Z, "http_config_settings", [{ ...lower, ref: undefined, description: "d" }])), [
                `zone ${Z}: config rule d sets ssl "flexible" for http.host eq "old.example.com"`,
            ]);
            assert.deepEqual(
                await judge(
                    ...base,
                    config(Z, "http_config_settings", [
                        { ...lower, actionParameters: { ssl: "strict" } },
                        { action: "set_config", actionParameters: { rocket_loader: false } },
                    ]),
                ),
                [],
            );
            assert.deepEqual(await judge(...base, config(Z, "http_request_firewall_custom", [lower])), []);
            assert.deepEqual(await judge(...base, config("zone-2", "http_config_settings", [lower])), []);
            assert.deepEqual(await judge(...base, config(Z, "http_config_settings", [{ ...lower, action: "skip" }])), []);
        });
    });

    describe("cloudflare-waf-managed", () => {
        const judge = (...rs: ReturnType<typeof fake>[]) => violationsOf(edge.cloudflareWafManaged, rs);
        it("passes Cloudflare Managed + OWASP, or the Free Managed ruleset", async () => {
            assert.deepEqual(await judge(record(), managed(CF_MANAGED, OWASP)), []);
            assert.deepEqual(await judge(record(), managed(FREE)), []);
        });
        it("flags a zone without the managed phase, one running only half of the paid pair, and disabled rules", async () => {
            assert.deepEqual(await judge(record()), [`zone ${Z} has DNS records but no http_request_firewall_managed ruleset (no WAF managed rules)`]);
            const half = `zone ${Z}: the managed WAF ruleset does not execute the Cloudflare Managed and OWASP Core rulesets (or the Free Managed ruleset)`;
            assert.deepEqual(await judge(record(), managed(CF_MANAGED)), [half]);
            assert.deepEqual(await judge(record(), managed(OWASP)), [half]);
            const disabled = fake(RULESET, "m", {
                zoneId: Z,
                phase: "http_request_firewall_managed",
                rules: [{ action: "execute", enabled: false, actionParameters: { id: FREE } }],
            });
            assert.deepEqual(await judge(record(), disabled), [half]);
            const skip = fake(RULESET, "m", { zoneId: Z, phase: "http_request_firewall_managed", rules: [{ action: "skip", actionParameters: { id: FREE } }] });
            assert.deepEqual(await judge(record(), skip), [half]);
        });
        it("flags two rulesets of one phase in one zone (Cloudflare refuses the second), not in two zones or two phases", async () => {
            const a = fake(RULESET, "a", { zoneId: Z, phase: "http_request_firewall_custom", rules: [] });
            const b = fake(RULESET, "b", { zoneId: Z, phase: "http_request_firewall_custom", rules: [] });
            assert.deepEqual(await judge(a, b), [
                `zone ${Z} has 2 rulesets for phase http_request_firewall_custom (a, b); Cloudflare allows one per phase and fails the deploy`,
            ]);
            const other = fake(RULESET, "c", { zoneId: "zone-2", phase: "http_request_firewall_custom", rules: [] });
            const phase = fake(RULESET, "d", { zoneId: Z, phase: "http_ratelimit", rules: [] });
            const account = fake(RULESET, "e", { accountId: "acct", phase: "http_request_firewall_custom", rules: [] });
            assert.deepEqual(await judge(a, other, phase, account), []);
        });
    });
});
