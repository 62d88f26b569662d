import { strict as assert } from "assert";
import * as cloudflare from "@pulumi/cloudflare";
import { record } from "../../offline/testing";
import { ApiKeyLimiter } from "./api-key-limiter";
import { Edge, EdgeArgs } from "./edge";
import { entitlementsOf } from "./features";
import { PHASES } from "./rules";

// The Edge component on its own, as a second program would use it: the minimum arguments, then tags and child access.
const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const minimal = (plan: "free" | "pro" | "business" = "pro"): EdgeArgs => ({
    zoneId: "0123456789abcdef0123456789abcdef", domain: "example.com",
    hosts: { app: "app.example.com", api: "api.example.com" }, albDnsName: "alb-123.eu-central-1.elb.amazonaws.com",
    entitlements: entitlementsOf(plan), rateLimits: { apiPerIp: 600, apiPerKey: 1200, authPerIp: 10 },
});

describe("Edge (component)", () => {
    it("builds from the minimum arguments: zone-level AOP, no blocked countries, the strongest bot mode the plan grants", async () => {
        const rec = await record(() => new Edge("edge", minimal("business")));
        const aop = rec.resources.find((r) => r.type === "cloudflare:index/zoneSetting:ZoneSetting" && r.inputs.settingId === "tls_client_auth");
        assert.equal(aop?.inputs.value, "on", "Authenticated Origin Pulls on (zone-level) without an aop argument");
        const bots = rec.inputsOf(rec.ofType("cloudflare:index/botManagement:BotManagement")[0]);
        assert.equal(bots.fightMode, false, "Super Bot Fight Mode (business), not the unskippable Bot Fight Mode");
        assert.ok(Object.keys(bots).some((k) => k.startsWith("sbfm")), "Super Bot Fight Mode fields set");
        const managed = rec.inputsOf(rec.ofType("cloudflare:index/ruleset:Ruleset").find((r) => r.inputs.phase === PHASES.managedWaf)!);
        assert.ok(managed.rules.every((r: any) => r.action !== "log"), "managed WAF blocks by default (DEFAULT_WAF)");
    });

    it("writes `tags` on every DNS record as Cloudflare record tags where the plan has them", async () => {
        const rec = await record(() => new Edge("edge", { ...minimal("pro"), tags: { team: "platform", env: "prod" } }));
        const records = rec.ofType(DNS);
        assert.ok(records.length >= 2);
        for (const r of records) assert.deepEqual(rec.inputsOf(r).tags, ["env:prod", "team:platform"], r.name);
    });

    it("leaves record tags off a Free zone (Cloudflare has none there) and says so", async () => {
        let edge: Edge | undefined;
        const rec = await record(() => { edge = new Edge("edge", { ...minimal("free"), tags: { team: "platform" } }); });
        for (const r of rec.ofType(DNS)) assert.equal(rec.inputsOf(r).tags, undefined, r.name);
        assert.deepEqual(edge?.omittedTags, ["team:platform"]);
    });

    it("refuses a tag Cloudflare would reject, before registering anything", async () => {
        await assert.rejects(record(() => new Edge("edge", { ...minimal(), tags: { "team name": "x" } })), /Edge edge: tag name "team name"/);
        await assert.rejects(record(() => new Edge("edge", { ...minimal(), tags: { team: "x".repeat(101) } })), /tag team value .*at most 100 characters/);
        const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`t${i}`, "v"]));
        await assert.rejects(record(() => new Edge("edge", { ...minimal(), tags: many })), /21 entries; Cloudflare allows 20/);
    });

    it("exposes its records, rulesets, zone settings and bot settings as resources", async () => {
        let edge: Edge | undefined;
        await record(() => { edge = new Edge("edge", minimal()); });
        assert.ok(edge);
        assert.ok(edge.records.api instanceof cloudflare.DnsRecord && edge.records.app instanceof cloudflare.DnsRecord);
        assert.deepEqual(Object.keys(edge.records).sort(), Object.keys(edge.recordIds).sort());
        assert.ok(edge.rulesets[PHASES.managedWaf] instanceof cloudflare.Ruleset);
        assert.ok(edge.zoneSettings.ssl instanceof cloudflare.ZoneSetting);
        assert.ok(edge.botManagement instanceof cloudflare.BotManagement);
        assert.equal(edge.originPulls.length, 1);
    });

    it("ApiKeyLimiter exposes its Worker script and route", async () => {
        let limiter: ApiKeyLimiter | undefined;
        await record(() => {
            limiter = new ApiKeyLimiter("limiter", {
                accountId: "0123456789abcdef0123456789abcdef", zoneId: "0123456789abcdef0123456789abcdef", hostname: "api.example.com",
                requestsPerMinute: 600, namespaceId: 1001, namePrefix: "platform-test",
            });
        });
        assert.ok(limiter?.script instanceof cloudflare.WorkersScript && limiter.route instanceof cloudflare.WorkersRoute);
    });
});
