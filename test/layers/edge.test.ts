import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM, CLOUDFLARE_RANGES } from "../../components";
import { MANAGED_RULESETS, API_PATHS as EDGE_API_PATHS } from "../../components/edge/rules";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { allPolicies } from "../../policy/policies";
import { readStackFiles } from "../../offline/stack-files";
import { PlatformConfig, parseConfig } from "../../stacks/config";
import { createProviders } from "../../stacks/providers";
import { buildEdge, buildOriginTrust, edgeHosts, EdgeOutputs, OriginTrustOutputs } from "../../stacks/layers/edge";
import { API_PATHS as INGRESS_API_PATHS } from "../../stacks/layers/ingress";
import { bucketNames } from "../../stacks/layers/storage";
import { stackCache } from "../fixtures/stack-cache";

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const BOTS = "cloudflare:index/botManagement:BotManagement";
const AOP = "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls";
const AOP_CERT = "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate";
const ORIGIN_CERT = "cloudflare:index/originCaCertificate:OriginCaCertificate";

interface Run { rec: Recorded; cfg: PlatformConfig; trust: OriginTrustOutputs; edge: EdgeOutputs; secretKey: boolean; plainCert: string }

/** Builds both edge layers with a stack's real config and fake upstream inputs, as platform.ts wires them. */
async function build(stack: string): Promise<Run> {
    const out: Partial<Run> = {};
    const rec = await recordWithStackConfig(stack, async (cfg) => {
        const providers = createProviders(cfg);
        const opts = { providers: [providers.aws, providers.cloudflare] };
        const trust = buildOriginTrust(cfg, {}, opts);
        const edge = buildEdge(cfg, {
            albDnsName: "platform-origin-123.elb.amazonaws.com",
            frontendBucket: { name: `app.${cfg.edge.domain}`, arn: `arn:aws:s3:::app.${cfg.edge.domain}` },
            frontendKmsKeyArn: `arn:aws:kms:${cfg.region}:111122223333:key/data`, cloudflareRanges: CLOUDFLARE_RANGES,
            trust,
            emailDns: { dkimTokens: [pulumi.output("tok0"), pulumi.output("tok1"), pulumi.output("tok2")], mailFromDomain: `mail.${cfg.edge.domain}` },
        }, opts);
        Object.assign(out, { cfg, trust, edge });
        out.secretKey = await pulumi.isSecret(trust.originPrivateKeyPem);
        out.plainCert = await new Promise<string>((resolve) => trust.originCertificatePem.apply(resolve));
    });
    return { rec, ...out } as Run;
}

const runs = stackCache<Promise<Run>>();
const run = (stack: string) => { if (!runs.has(stack)) runs.set(stack, build(stack)); return runs.get(stack)!; };

function rulesetOf(r: Run, phase: string) {
    const found = r.rec.ofType(RULESET).filter((x) => x.inputs.phase === phase);
    assert.equal(found.length, 1, `exactly one ${phase} ruleset`);
    return r.rec.inputsOf(found[0]);
}

/** What the edge must do follows from each stack's parsed config (not restated from its YAML, which may change freely). */
const expectedOf = (cfg: PlatformConfig) => ({
    perKey: cfg.edge.addons.advancedRateLimiting, aop: cfg.edge.aop, auth: cfg.services.keycloak.enabled,
});

for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`edge layer (${stack})`, () => {
        it("publishes api (and Keycloak where it runs) as proxied CNAMEs to the ALB, and app as a proxied originless record", async () => {
            const r = await run(stack);
            const domain = r.cfg.edge.domain;
            const hosts = r.rec.ofType(DNS).map((d) => r.rec.inputsOf(d)).filter((d) => !String(d.name).includes("_") && ["CNAME", "AAAA"].includes(d.type));
            const byName = Object.fromEntries(hosts.map((d) => [d.name, d]));
            const expect = expectedOf(r.cfg);
            assert.deepEqual(Object.keys(byName).sort(), [`api.${domain}`, `app.${domain}`, ...(expect.auth ? [`auth.${domain}`] : [])].sort());
            for (const d of hosts) {
                assert.equal(d.proxied, true, d.name);
                assert.equal(d.ttl, 1, d.name);
                assert.equal(d.zoneId, r.cfg.edge.zoneId);
            }
            assert.equal(byName[`api.${domain}`].content, "platform-origin-123.elb.amazonaws.com");
            assert.deepEqual([byName[`app.${domain}`].type, byName[`app.${domain}`].content], ["AAAA", "100::"]);
            if (expect.auth) assert.equal(byName[`auth.${domain}`].content, "platform-origin-123.elb.amazonaws.com");
            assert.deepEqual(r.edge.urls.api, `https://api.${domain}`);
            assert.deepEqual(r.edge.urls.app, `https://app.${domain}`);
        });

        it("passes every mandatory policy of the pack", async () => {
            const r = await run(stack);
            const found = await runPolicies(allPolicies, r.rec.resources, {});
            assert.deepEqual(found.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`), []);
        });

        it("sets Full (strict), TLS 1.2 minimum, TLS 1.3 and automatic HTTPS rewrites", async () => {
            const r = await run(stack);
            const settings = Object.fromEntries(r.rec.ofType(SETTING).map((s) => [s.inputs.settingId, s.inputs.value]));
            assert.equal(settings.ssl, "strict");
            assert.equal(settings.min_tls_version, "1.2");
            assert.equal(settings.tls_1_3, "on");
            assert.equal(settings.always_use_https, "off", "per-host redirects instead (the API host blocks plain HTTP)");
            assert.equal(settings.ssl_automatic_mode, "custom", "Automatic SSL/TLS may not change the mode behind the program's back");
            assert.equal(settings.automatic_https_rewrites, "on");
        });

        it("writes exactly one ruleset per phase, all zone rulesets", async () => {
            const r = await run(stack);
            const phases = r.rec.ofType(RULESET).map((x) => x.inputs.phase);
            assert.equal(new Set(phases).size, phases.length, `duplicate phases: ${phases}`);
            assert.deepEqual([...phases].sort(), [
                "http_config_settings",
                "http_ratelimit",
                "http_request_cache_settings",
                "http_request_dynamic_redirect",
                "http_request_firewall_custom",
                "http_request_firewall_managed",
                "http_response_headers_transform",
            ]);
            assert.ok(r.rec.ofType(RULESET).every((x) => x.inputs.kind === "zone" && x.inputs.zoneId === r.cfg.edge.zoneId));
        });

        it("executes the Cloudflare Managed and OWASP Core rulesets in the managed-firewall phase", async () => {
            const rules = rulesetOf(await run(stack), "http_request_firewall_managed").rules.filter((x: any) => x.action === "execute");
            assert.deepEqual(rules.map((x: any) => [x.action, x.actionParameters.id]),
                [["execute", MANAGED_RULESETS.cloudflareManaged], ["execute", MANAGED_RULESETS.owaspCore]]);
        });

        it("blocks the configured countries and the methods and paths the API does not serve", async () => {
            const r = await run(stack);
            const rules = rulesetOf(r, "http_request_firewall_custom").rules;
            const byRef = Object.fromEntries(rules.map((x: any) => [x.ref, x]));
            for (const c of r.cfg.edge.blockedCountries) assert.match(byRef["blocked-countries"].expression, new RegExp(`"${c}"`));
            assert.equal(byRef["api-methods"].action, "block");
            assert.match(byRef["api-methods"].expression, new RegExp(`http.host eq "api.${r.cfg.edge.domain}"`));
            assert.equal(byRef["api-paths"].action, "block");
        });

        it("rate-limits per IP (or visitor) on the API and on credential endpoints, per key at the edge only with ARL", async () => {
            const r = await run(stack);
            const expect = expectedOf(r.cfg);
            const byRef = Object.fromEntries(rulesetOf(r, "http_ratelimit").rules.map((x: any) => [x.ref, x]));
            assert.equal(byRef["api-per-ip"].ratelimit.period, 60);
            assert.equal(byRef["api-per-ip"].ratelimit.requestsPerPeriod, r.cfg.edge.apiRateLimitPerIp, "60 s period: the per-minute limit as is");
            const authRule = byRef["auth-failures"] ?? byRef["auth-credentials"];
            assert.equal(authRule.ratelimit.requestsPerPeriod, r.cfg.edge.authRateLimitPerIp);
            assert.ok(authRule.ratelimit.requestsPerPeriod < byRef["api-per-ip"].ratelimit.requestsPerPeriod);
            assert.equal(Boolean(byRef["api-per-key"]), expect.perKey);
            assert.deepEqual(r.edge.omittedRateLimits.map((o) => o.ref), expect.perKey ? [] : ["api-per-key"]);
        });

        it("caches hashed assets for a year, bypasses index.html, and never lowers SSL below Full (strict)", async () => {
            const r = await run(stack);
            const cache = rulesetOf(r, "http_request_cache_settings").rules;
            assert.equal(cache[0].actionParameters.edgeTtl.default, 31536000);
            assert.equal(cache[1].actionParameters.cache, false);
            const config = rulesetOf(r, "http_config_settings").rules;
            assert.ok(config.every((x: any) => x.actionParameters.ssl === undefined));
        });

        it("turns on Authenticated Origin Pulls for the ALB hosts (per hostname or zone, as configured)", async () => {
            const r = await run(stack);
            const hosts = edgeHosts(r.cfg);
            const aops = r.rec.ofType(AOP).map((a) => r.rec.inputsOf(a));
            const cert = r.rec.ofType(AOP_CERT);
            assert.equal(cert.length, 1);
            assert.deepEqual(aops.map((a) => a.configs.map((c: any) => c.hostname)).sort(), [[hosts.api], ...(hosts.auth ? [[hosts.auth]] : [])].sort());
            assert.ok(aops.every((a) => a.configs[0].enabled === true && a.configs[0].certId.length > 0));
            assert.equal(r.rec.pointingAt(AOP, "configs", cert[0]).length, aops.length, "the AOP configs use the uploaded certificate's id");
            assert.ok(!r.rec.ofType(SETTING).some((s) => s.inputs.settingId === "tls_client_auth"));
            // The trust-store CA is the project CA that signed the uploaded client certificate, never Cloudflare's shared CA.
            const signer = r.rec
                .ofType("tls:index/locallySignedCert:LocallySignedCert")
                .filter((c) => cert[0].propertyDependencies.certificate.includes(c.urn));
            assert.equal(signer.length, 1, "the uploaded client certificate is signed here");
            const caPem = await new Promise<string>((resolve) => (r.trust.originPullCaPem as pulumi.Output<string>).apply(resolve));
            assert.equal(caPem, r.rec.inputsOf(signer[0]).caCertPem);
            assert.notEqual(caPem, CLOUDFLARE_ORIGIN_PULL_CA_PEM);
        });

        it("keeps the origin private key a secret and requests an Origin CA certificate for the ALB hosts", async () => {
            const r = await run(stack);
            assert.equal(r.secretKey, true);
            const cert = r.rec.inputsOf(r.rec.ofType(ORIGIN_CERT)[0]);
            const hosts = edgeHosts(r.cfg);
            assert.deepEqual(cert.hostnames, [hosts.api, ...(hosts.auth ? [hosts.auth] : [])]);
            assert.equal(cert.requestType, "origin-ecc");
            assert.equal(cert.requestedValidity, 5475);
            assert.match(r.plainCert, /BEGIN CERTIFICATE/);
        });

        it("never uses Bot Fight Mode and publishes SES mail records DNS-only", async () => {
            const r = await run(stack);
            const bots = r.rec.inputsOf(r.rec.ofType(BOTS)[0]);
            assert.equal(bots.fightMode, false);
            const dns = r.rec.ofType(DNS).map((d) => r.rec.inputsOf(d));
            const dkim = dns.filter((d) => String(d.name).includes("._domainkey."));
            assert.deepEqual(
                dkim.map((d) => [d.name, d.content, d.proxied]),
                [0, 1, 2].map((i) => [`tok${i}._domainkey.${r.cfg.edge.domain}`, `tok${i}.dkim.amazonses.com`, false]),
            );
            assert.ok(
                dns.some(
                    (d) => d.type === "MX" && d.name === `mail.${r.cfg.edge.domain}` && d.content === `feedback-smtp.${r.cfg.email.sesRegion}.amazonses.com`,
                ),
            );
            assert.ok(dns.some((d) => d.type === "TXT" && d.name === `_dmarc.${r.cfg.edge.domain}` && /v=DMARC1/.test(d.content)));
        });
    });
}

describe("Cloudflare ranges", () => {
    const file = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "standards", "cloudflare-ranges.json"), "utf8"));
    it("is exactly the checked-in list the weekly workflow refreshes (the one list ingress and storage admit)", () => {
        assert.deepEqual(CLOUDFLARE_RANGES.ipv4, file.ipv4);
        assert.deepEqual(CLOUDFLARE_RANGES.ipv6, file.ipv6);
        assert.ok(CLOUDFLARE_RANGES.ipv4.length > 10);
    });
});

describe("edge WAF paths", () => {
    it("admits exactly the paths the ALB routes to the API", () => {
        const albAsEdge = INGRESS_API_PATHS.map((p) => (p.endsWith("/*") ? p.slice(0, -1) : p)).sort();
        assert.deepEqual(albAsEdge, [...EDGE_API_PATHS.exact, ...EDGE_API_PATHS.prefixes].sort());
    });
});

describe("edge config", () => {
    /** A stack's config with an edit to its edge section, through the real parser. */
    function parseWith(stack: string, edge: Record<string, unknown>): PlatformConfig {
        const { config } = readStackFiles(stack);
        const raw: Record<string, unknown> = { "aws:region": config["aws:region"] };
        for (const [key, value] of Object.entries(config)) {
            if (!key.startsWith("platform:")) continue;
            try { raw[key.slice(9)] = JSON.parse(value); } catch { raw[key.slice(9)] = value; }
        }
        raw.edge = { ...(raw.edge as object), ...edge };
        return parseConfig(raw, { project: "platform", stack, secretValues: { logzioShippingToken: pulumi.secret("t") } });
    }
    it("reads aop per stack: per-hostname everywhere (dev included)", () => {
        assert.equal(parseWith("dev", {}).edge.aop, "per-hostname");
        assert.equal(parseWith("prod-eu", {}).edge.aop, "per-hostname");
        assert.equal(parseWith("prod-il", {}).edge.aop, "per-hostname");
    });
    it("keeps the SPA bucket named as the app host (no replacement of the bucket when the website endpoint went away)", () => {
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const cfg = parseWith(stack, {});
            assert.equal(bucketNames(cfg).frontend, edgeHosts(cfg).app);
        }
    });
    it("refuses zone-level AOP in prod, Bot Fight Mode, and features the stated plan lacks, naming the key and the entitlement", () => {
        assert.throws(() => parseWith("prod-eu", { aop: "zone" }), /platform:edge\.aop.*per-hostname in prod/);
        assert.throws(() => parseWith("dev", { aop: "mtls" }), /platform:edge\.aop/);
        assert.throws(() => parseWith("dev", { botManagement: "bot-fight-mode" }), /platform:edge\.botManagement.*cannot be skipped/);
        assert.throws(() => parseWith("dev", { plan: "free", waf: { mode: "block" } }), /platform:edge\.botManagement.*superBotFightMode needs pro/);
        assert.throws(() => parseWith("prod-il", { waf: { mode: "log" } }), /platform:edge\.waf\.mode.*managedWafLogAction needs enterprise/);
        assert.throws(() => parseWith("prod-il", { botManagement: "bot-management" }), /platform:edge\.botManagement.*Bot Management add-on/);
        assert.throws(
            () => parseWith("prod-eu", { addons: { appSecurity: false, advancedRateLimiting: true, botManagement: true } }),
            /platform:edge\.addons\.appSecurity.*application security/,
        );
        assert.throws(
            () => parseWith("prod-il", { logpushDestination: "s3://logs/edge?region=il-central-1" }),
            /platform:edge\.logpushDestination.*logpush needs enterprise/,
        );
        assert.throws(() => parseWith("dev", { addons: { botManagement: true } }), /platform:edge\.addons.*below the enterprise plan/);
        assert.throws(
            () => parseWith("dev", { waf: { owaspScoreThreshold: 50 } }),
            /platform:edge:waf\.owaspScoreThreshold|platform:edge\.waf\.owaspScoreThreshold/,
        );
    });
});
