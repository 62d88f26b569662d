import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { MANAGED_RULESETS, OWASP_ANOMALY_RULE_ID } from "../../components/edge/rules";
import { Recorded, stackRecord } from "../../offline/testing";
import { readStackFiles } from "../../offline/stack-files";

/** Plan-level facts of the edge (issue 15), read from the whole program's offline plan of each stack. */

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const BOTS = "cloudflare:index/botManagement:BotManagement";
const AOP = "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls";
const WORKER = "cloudflare:index/workersScript:WorkersScript";
const ROUTE = "cloudflare:index/workersRoute:WorkersRoute";
const NOTIFY = "cloudflare:index/notificationPolicy:NotificationPolicy";
const LOGPUSH = "cloudflare:index/logpushJob:LogpushJob";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const TRUST_STORE = "aws:lb/trustStore:TrustStore";
const LB = "aws:lb/loadBalancer:LoadBalancer";

const DOMAIN = { dev: "complyhub-dev.io", "prod-eu": "complyhub.io", "prod-il": "complyhub.co.il" } as const;
type Stack = keyof typeof DOMAIN;
const STACKS = Object.keys(DOMAIN) as Stack[];

function edgeConfig(stack: Stack): any {
    return JSON.parse(readStackFiles(stack).config["platform:edge"]);
}
function rulesOf(r: Recorded, phase: string): any[] {
    const found = r.ofType(RULESET).filter((x) => x.inputs.phase === phase);
    assert.equal(found.length, 1, `exactly one ${phase} ruleset`);
    return r.inputsOf(found[0]).rules;
}
const byRef = (rules: any[]) => Object.fromEntries(rules.map((x) => [x.ref, x]));

for (const stack of STACKS) {
    const domain = DOMAIN[stack];
    const api = `api.${domain}`;
    const auth = `auth.${domain}`;
    const app = `app.${domain}`;
    describe(`edge plan (${stack})`, () => {
        it("has one AuthenticatedOriginPulls resource per origin hostname, each with exactly one config", async () => {
            const r = await stackRecord(stack);
            const aops = r.ofType(AOP).map((a) => r.inputsOf(a));
            assert.ok(aops.length >= 1);
            for (const a of aops) assert.equal(a.configs.length, 1, "the provider accepts exactly one hostname per resource");
            const hosts = aops.map((a) => a.configs[0].hostname).sort();
            assert.deepEqual(hosts, stack === "prod-il" ? [api, auth] : [api]);
            assert.ok(!r.ofType(SETTING).some((s) => s.inputs.settingId === "tls_client_auth"), "no global (shared certificate) AOP");
            const apiAop = r.ofType(AOP).find((a) => a.inputs.configs[0].hostname === api)!;
            assert.ok(apiAop.aliases.some((a) => a.includes("edge-aop")), "prod-eu's existing edge-aop is adopted by alias");
        });

        it("serves the SPA with Full (strict) through a signing Worker, never the S3 website endpoint or SSL flexible", async () => {
            const r = await stackRecord(stack);
            const configRules = rulesOf(r, "http_config_settings");
            assert.ok(configRules.every((x) => x.actionParameters?.ssl === undefined || x.actionParameters.ssl === "strict"));
            const dns = r.ofType(DNS).map((d) => r.inputsOf(d));
            assert.ok(!dns.some((d) => String(d.content).includes("s3-website")), "no record points at an S3 website endpoint");
            const spa = r.ofType(WORKER).map((w) => r.inputsOf(w)).find((w) => /spa/.test(w.scriptName))!;
            assert.ok(spa, "an SPA origin Worker");
            const binding = (name: string) => spa.bindings.find((b: any) => b.name === name);
            assert.equal(binding("AWS_SECRET_ACCESS_KEY").type, "secret_text");
            assert.equal(binding("BUCKET").text, app);
            assert.match(spa.content, /AWS4-HMAC-SHA256/);
            const routes = r.ofType(ROUTE).map((x) => r.inputsOf(x));
            assert.ok(routes.some((x) => x.pattern === `${app}/*` && x.script === spa.scriptName));
            assert.ok(!r.ofType("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration").length, "no website endpoint");
        });

        it("gives the SPA's IAM user only s3:GetObject on the bucket's objects (from Cloudflare) and kms:Decrypt via S3", async () => {
            const r = await stackRecord(stack);
            const policies = r.ofType("aws:iam/userPolicy:UserPolicy").map((p) => r.inputsOf(p)).filter((p) => /spa/.test(p.name));
            assert.equal(policies.length, 1);
            const doc = JSON.parse(policies[0].policy);
            const actions = doc.Statement.flatMap((s: any) => [].concat(s.Action));
            assert.deepEqual(actions.sort(), ["kms:Decrypt", "s3:GetObject"]);
            const s3 = doc.Statement.find((s: any) => s.Action === "s3:GetObject");
            assert.equal(s3.Resource, `arn:aws:s3:::${app}/*`);
            assert.ok(s3.Condition.IpAddress["aws:SourceIp"].length > 10);
            const kms = doc.Statement.find((s: any) => s.Action === "kms:Decrypt");
            assert.ok(kms.Condition.StringEquals["kms:ViaService"].startsWith("s3."));
        });

        it("limits per API key on every stack: an ARL header rule on enterprise, the Worker rate-limit binding elsewhere", async () => {
            const r = await stackRecord(stack);
            const rules = byRef(rulesOf(r, "http_ratelimit"));
            if (stack === "prod-eu") {
                const perKey = rules["api-per-key"];
                assert.deepEqual(perKey.ratelimit.characteristics, ["cf.colo.id", 'http.request.headers["x-api-key"]']);
                assert.match(perKey.expression, /len\(http\.request\.headers\["x-api-key"\]\) > 0/);
                assert.ok(!/headers\.names/.test(perKey.expression), "header names keep their case; the map form does not");
            } else {
                assert.equal(rules["api-per-key"], undefined);
                const limiter = r.ofType(WORKER).map((w) => r.inputsOf(w)).find((w) => /api-key/.test(w.scriptName))!;
                const rl = limiter.bindings.find((b: any) => b.type === "ratelimit");
                assert.equal(rl.simple.limit, edgeConfig(stack).apiRateLimitPerKey);
                assert.equal(rl.simple.period, 60);
                assert.ok(r.ofType(ROUTE).some((x) => x.inputs.pattern === `${api}/*` && x.inputs.script === limiter.scriptName));
            }
        });

        it("answers rate limits with a JSON 429, and leaves OPTIONS preflights out where the plan can see the method", async () => {
            const r = await stackRecord(stack);
            for (const rule of rulesOf(r, "http_ratelimit")) {
                assert.equal(rule.actionParameters.response.statusCode, 429, rule.ref);
                assert.equal(rule.actionParameters.response.contentType, "application/json");
                JSON.parse(rule.actionParameters.response.content);
            }
            const perIp = byRef(rulesOf(r, "http_ratelimit"))["api-per-ip"];
            if (stack !== "dev") assert.match(perIp.expression, /http\.request\.method ne "OPTIONS"/);
        });

        it("limits credential endpoints only (POST where the plan allows), never a whole host", async () => {
            const r = await stackRecord(stack);
            const rules = rulesOf(r, "http_ratelimit");
            for (const rule of rules) assert.notEqual(rule.expression.trim(), `http.host eq "${auth}"`);
            const authRules = rules.filter((x: any) => x.ref.startsWith("auth-"));
            assert.ok(authRules.length >= 1);
            for (const rule of authRules) {
                assert.ok(!/starts_with\(http\.request\.uri\.path, "\/v1\/auth"\)/.test(rule.expression), "not every /v1/auth path (refresh, logout)");
                if (stack !== "dev") assert.match(rule.expression, /http\.request\.method eq "POST"/);
            }
            if (stack === "prod-il") {
                assert.ok(authRules.every((x: any) => x.ratelimit.characteristics.includes("cf.unique_visitor_id")), "NAT-aware on business");
                assert.ok(authRules.some((x: any) => /http\.response\.code in \{/.test(x.ratelimit.countingExpression ?? "")), "counts failures");
                assert.ok(authRules.some((x: any) => /login-actions\/authenticate/.test(x.expression)));
            }
        });

        it("never turns on Bot Fight Mode, and lets machine clients skip Super Bot Fight Mode", async () => {
            const r = await stackRecord(stack);
            const bots = r.inputsOf(r.ofType(BOTS)[0]);
            assert.equal(bots.fightMode, false);
            const skip = rulesOf(r, "http_request_firewall_custom").find((x: any) => x.action === "skip");
            if (stack === "prod-eu") return;
            assert.deepEqual(skip.actionParameters.phases, ["http_request_sbfm"]);
            assert.match(skip.expression, /len\(http\.request\.headers\["x-api-key"\]\) > 0/);
            if (stack === "prod-il") {
                for (const p of ["/protocol/openid-connect/token", "/protocol/openid-connect/certs", "/.well-known/"])
                    assert.ok(skip.expression.includes(p), p);
            }
        });

        it("blocks plain HTTP on the API host instead of redirecting it", async () => {
            const r = await stackRecord(stack);
            const rule = byRef(rulesOf(r, "http_request_firewall_custom"))["api-plain-http"];
            assert.equal(rule.action, "block");
            assert.equal(rule.expression, `http.host eq "${api}" and not ssl`);
        });

        it("redirects plain HTTP to HTTPS on the browser hosts only (zone-wide Always Use HTTPS would redirect the API before the WAF)", async () => {
            const r = await stackRecord(stack);
            const setting = r.ofType(SETTING).map((x) => x.inputs).find((x) => x.settingId === "always_use_https");
            assert.equal(setting?.value, "off");
            const [redirect] = rulesOf(r, "http_request_dynamic_redirect");
            assert.equal(redirect.action, "redirect");
            assert.match(redirect.expression, /^not ssl and http\.host in \{/);
            assert.ok(redirect.expression.includes(`"${app}"`) && !redirect.expression.includes(`"${api}"`));
            assert.equal(redirect.actionParameters.fromValue.statusCode, 301);
        });

        it("admits HEAD on the API host", async () => {
            const r = await stackRecord(stack);
            const rule = byRef(rulesOf(r, "http_request_firewall_custom"))["api-methods"];
            assert.match(rule.expression, /"HEAD"/);
        });

        it("rolls the managed WAF out with the stack's mode and OWASP threshold, and skip rules with reasons first", async () => {
            const r = await stackRecord(stack);
            const waf = edgeConfig(stack).waf;
            const rules = rulesOf(r, "http_request_firewall_managed");
            const firstExecute = rules.findIndex((x: any) => x.action === "execute");
            const skips = rules.filter((x: any) => x.action === "skip");
            assert.ok(skips.length >= 1);
            assert.ok(rules.findIndex((x: any) => x.action === "skip") < firstExecute, "exceptions precede the executes");
            for (const s of skips) assert.match(s.description, /because/);
            assert.ok(skips.some((s: any) => /graphql/.test(s.expression)));
            if (stack === "prod-il") assert.ok(skips.some((s: any) => /login-actions\/authenticate/.test(s.expression)));
            const owasp = rules.find((x: any) => x.actionParameters?.id === MANAGED_RULESETS.owaspCore);
            const anomaly = owasp.actionParameters.overrides.rules.find((x: any) => x.id === OWASP_ANOMALY_RULE_ID);
            assert.equal(anomaly.scoreThreshold, waf.owaspScoreThreshold);
            assert.equal(anomaly.action, waf.mode === "log" ? "log" : "block");
            const managed = rules.find((x: any) => x.actionParameters?.id === MANAGED_RULESETS.cloudflareManaged);
            assert.equal(managed.actionParameters.overrides?.action, waf.mode === "log" ? "log" : undefined);
        });

        it("sends a full header set on the app host and HSTS without includeSubDomains on leaf hosts", async () => {
            const r = await stackRecord(stack);
            const rules = rulesOf(r, "http_response_headers_transform");
            const appRule = rules.find((x: any) => x.expression === `http.host eq "${app}"`);
            const h = appRule.actionParameters.headers;
            assert.match(h["Content-Security-Policy"].value, /frame-ancestors 'none'/);
            assert.match(h["Content-Security-Policy"].value, new RegExp(`connect-src 'self' https://${api.replace(/\./g, "\\.")}`));
            for (const k of ["Referrer-Policy", "Permissions-Policy", "X-Content-Type-Options", "X-Frame-Options", "Strict-Transport-Security"])
                assert.ok(h[k], k);
            for (const rule of rules) {
                const hsts = rule.actionParameters.headers["Strict-Transport-Security"];
                if (hsts) assert.equal(hsts.value, "max-age=31536000");
            }
        });

        it("caches hashed assets for a year but never caches errors for a year", async () => {
            const r = await stackRecord(stack);
            const assets = byRef(rulesOf(r, "http_request_cache_settings"))["spa-hashed-assets"];
            assert.deepEqual(assets.actionParameters.edgeTtl.statusCodeTtls, [{ statusCodeRange: { from: 400, to: 599 }, value: -1 }]);
        });

        it("routes the Cloudflare notifications the plan offers (AOP expiry, DDoS, security events, origin errors) to the alert e-mails", async () => {
            const r = await stackRecord(stack);
            const emails = JSON.parse(readStackFiles(stack).config["platform:alerts"]).emails;
            const types = r.ofType(NOTIFY).map((n) => r.inputsOf(n));
            const expected = ["hostname_aop_custom_certificate_expiration_type", "dos_attack_l7",
                ...(stack !== "dev" ? ["clickhouse_alert_fw_anomaly"] : []), ...(stack === "prod-eu" ? ["http_alert_origin_error"] : [])];
            assert.deepEqual(types.map((n) => n.alertType).sort(), expected.sort(), "only the alerts the plan offers");
            for (const t of expected) {
                const policy = types.find((n) => n.alertType === t);
                assert.ok(policy, t);
                assert.deepEqual(policy.mechanisms.emails.map((e: any) => e.id), emails);
            }
            assert.equal(r.ofType(LOGPUSH).length > 0, Boolean(edgeConfig(stack).logpushDestination));
        });

        it("re-reads a changed CA bundle (trust store pinned to the object version) and outlives Cloudflare's 900 s idle", async () => {
            const r = await stackRecord(stack);
            const store = r.ofType(TRUST_STORE)[0];
            assert.ok((store.propertyDependencies.caCertificatesBundleS3ObjectVersion ?? []).length === 1);
            assert.ok(r.inputsOf(r.ofType(LB)[0]).idleTimeout > 900);
        });

        it("alarms in CloudWatch a week into the AOP client certificate's renewal window (ACM DaysToExpiry of a monitoring import)", async () => {
            const r = await stackRecord(stack);
            const monitor = r.ofType("aws:acm/certificate:Certificate").find((c) => c.name === "origin-trust-aop-client-monitor");
            assert.ok(monitor, "the AOP client certificate is imported into ACM for its expiry metric");
            assert.ok((monitor!.propertyDependencies.certificateBody ?? []).some((u) => u.includes("LocallySignedCert")));
            const alarm = r.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => ({ a, i: r.inputsOf(a) }))
                .find(({ i }) => i.metricName === "DaysToExpiry")!;
            assert.ok(alarm, "a DaysToExpiry alarm");
            assert.equal(alarm.i.namespace, "AWS/CertificateManager");
            assert.equal(alarm.i.threshold, (edgeConfig(stack).aopRenewalDays ?? 45) - 7);
            assert.ok((alarm.a.propertyDependencies.dimensions ?? []).includes(monitor!.urn));
            assert.equal(alarm.i.alarmActions.length, 1);
        });

        it("lists the edge features the stack gets, and the date of the Cloudflare range list", async () => {
            const r = await stackRecord(stack);
            const features = r.outputs.edgeFeatures;
            assert.equal(features.plan, edgeConfig(stack).plan);
            assert.equal(features.features.rateLimitHeaderCounting, stack === "prod-eu" ? "yes" : features.features.rateLimitHeaderCounting);
            assert.equal(features.perApiKeyLimit, stack === "prod-eu" ? "edge-rule (Advanced Rate Limiting)" : "worker (Rate Limiting binding)");
            assert.match(r.outputs.cloudflareRangesDate, /^\d{4}-\d{2}-\d{2}$/);
        });

        it("keeps every S3 Allow to * free of source ranges S3 counts as public (wider than /8 v4 or /32 v6)", async () => {
            const r = await stackRecord(stack);
            for (const p of r.ofType(BUCKET_POLICY)) {
                const doc = JSON.parse(r.inputsOf(p).policy);
                for (const s of doc.Statement) {
                    const star = s.Principal === "*" || s.Principal?.AWS === "*";
                    if (s.Effect !== "Allow" || !star) continue;
                    const ranges: string[] = [].concat(s.Condition?.IpAddress?.["aws:SourceIp"] ?? []);
                    for (const c of ranges) {
                        const bits = Number(c.split("/")[1]);
                        assert.ok(c.includes(":") ? bits >= 32 : bits >= 8, `${p.name}: ${c}`);
                    }
                }
            }
        });
    });
}

describe("edge: Keycloak exposure (prod-il)", () => {
    it("blocks the admin console, admin REST API and master realm on the auth host, at the edge and at the ALB", async () => {
        const r = await stackRecord("prod-il");
        const rule = byRef(rulesOf(r, "http_request_firewall_custom"))["auth-admin-paths"];
        assert.equal(rule.action, "block");
        for (const p of ['"/realms/"', '"/resources/"', '"/.well-known/"', '"/realms/master/"']) assert.ok(rule.expression.includes(p), p);
        const kc = r
            .ofType("aws:lb/listenerRule:ListenerRule")
            .map((x) => r.inputsOf(x))
            .filter((x) => x.conditions[0].hostHeader.values[0] === "auth.complyhub.co.il");
        const allowed = kc.filter((x) => x.actions[0].type === "forward").flatMap((x) => x.conditions[1]?.pathPattern?.values ?? ["<all>"]);
        assert.deepEqual(allowed.sort(), ["/.well-known/*", "/realms/*", "/resources/*", "/robots.txt"].sort());
        const master = kc.find((x) => x.actions[0].type === "fixed-response");
        assert.ok(master, "the master realm gets a fixed 404 before the forward rule");
        assert.ok(master!.priority < kc.find((x) => x.actions[0].type === "forward")!.priority);
    });
});

describe("edge: README token scopes", () => {
    it("has a permission row for every Cloudflare resource type and ruleset phase in the three plans", async () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
        const needed = new Set<string>();
        for (const stack of STACKS) {
            const r = await stackRecord(stack);
            for (const res of r.resources.filter((x) => x.type.startsWith("cloudflare:"))) {
                needed.add(res.type.split("/")[1]);
                if (res.type === RULESET) needed.add(res.inputs.phase);
            }
        }
        const missing = [...needed].filter((t) => !new RegExp(`\\|\\s*\`${t}\`\\s*\\|`).test(readme));
        assert.deepEqual(missing, []);
    });
});

describe("edge: adopting an existing zone", () => {
    it("prints one pulumi import per existing entry point of the edge's phases, with the Edge component as parent", async () => {
        const { importCommands } = await import("../../scripts/cloudflare-import-rulesets");
        const cmds = importCommands("prod-eu", "platform", "5d3c", [
            { id: "r1", kind: "zone", phase: "http_request_firewall_managed" },
            { id: "r2", kind: "managed", phase: "http_request_firewall_managed" },
            { id: "r3", kind: "zone", phase: "http_request_transform" },
            { id: "r4", kind: "zone", phase: "http_config_settings" },
        ]);
        assert.deepEqual(cmds, [
            "pulumi import --stack prod-eu --parent 'edge=urn:pulumi:prod-eu::platform::platform:edge:Edge::edge' cloudflare:index/ruleset:Ruleset " +
            "edge-waf-managed 'zones/5d3c/r1'",
            "pulumi import --stack prod-eu --parent 'edge=urn:pulumi:prod-eu::platform::platform:edge:Edge::edge' cloudflare:index/ruleset:Ruleset " +
            "edge-config 'zones/5d3c/r4'",
        ]);
    });
});

describe("edge: alert webhook", () => {
    it("sends the Cloudflare notifications to the alert webhook too when one is configured (a secret, never in plain text)", async () => {
        const { record } = await import("../../offline/testing");
        const { EdgeAlerts } = await import("../../components");
        const pulumi = await import("@pulumi/pulumi");
        const r = await record(() => new EdgeAlerts("edge-alerts", {
            accountId: "acc", zoneId: "zone", emails: ["oncall@example.com"], namePrefix: "platform-test", alerts: ["httpDdos"],
            webhookUrl: pulumi.secret("https://hooks.slack.com/services/T/B/X"),
        }));
        const hook = r.ofType("cloudflare:index/notificationPolicyWebhooks:NotificationPolicyWebhooks");
        assert.equal(hook.length, 1);
        assert.equal(r.inputsOf(hook[0]).url, "https://hooks.slack.com/services/T/B/X");
        const policy = r.ofType(NOTIFY)[0];
        assert.deepEqual(policy.propertyDependencies.mechanisms, [hook[0].urn]);
        assert.deepEqual(r.inputsOf(policy).mechanisms.emails, [{ id: "oncall@example.com" }]);
    });
});
