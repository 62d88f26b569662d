import { strict as assert } from "assert";
import { PROD_MINIMUMS } from "./config";
import { parse, rejects } from "../test/fixtures/config-parse";

describe("stack config", () => {
    it("parses the three stacks into frozen, typed objects", () => {
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const cfg = parse(stack);
            assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.network) && Object.isFrozen(cfg.services.api));
            assert.equal(cfg.namePrefix, `platform-${stack}`);
        }
    });

    it("describes EU and IL topology as data: DR region vs residency, WorkOS vs Keycloak", () => {
        const eu = parse("prod-eu");
        const il = parse("prod-il");
        assert.deepEqual(
            [eu.region, eu.dr, eu.residency, eu.identity.provider],
            ["eu-central-1", { mode: "cross-region", region: "eu-west-1" }, undefined, "workos"],
        );
        // IL: WorkOS for ordinary tenants, the in-region Keycloak for Nimbus (residency) tenants, side by side.
        assert.deepEqual([il.region, il.dr.mode, il.residency, il.identity.provider, il.identity.residencyProvider, il.identity.providers],
            ["il-central-1", "in-region", { region: "il-central-1" }, "workos", "keycloak", ["keycloak", "workos"]]);
        assert.equal(il.services.keycloak.enabled, true);
        assert.equal(il.services.aiWorkers.enabled, true);
        assert.equal(eu.services.keycloak.enabled, false);
    });

    it("holds every prod stack to the prod rules (per-AZ NAT, Multi-AZ, protected keys with a 30-day window, 35-day backups)", () => {
        // Rules the parser derives or enforces for prod, whatever a stack's YAML sizes; dev is free to size down.
        for (const stack of ["prod-eu", "prod-il"]) {
            const prod = parse(stack);
            assert.deepEqual(
                [prod.network.natGateways, prod.database.multiAz, prod.keys.deletionWindowDays, prod.keys.protect],
                ["per-az", true, 30, true],
                stack,
            );
            assert.ok(prod.retention.backupDays >= PROD_MINIMUMS.backupDays, stack);
        }
        const dev = parse("dev");
        assert.deepEqual([dev.keys.deletionWindowDays, dev.keys.protect], [7, false], "dev keys: short window, unprotected (derived, not configured)");
    });

    it("builds the full required tag set", () => {
        assert.deepEqual(Object.keys(parse("prod-il").tags).sort(),
            ["cost-center", "data-classification", "data-residency", "environment", "managed-by", "owner", "project", "service", "stack"]);
        assert.equal(parse("prod-eu").tags["data-residency"], undefined);
    });

    it("rejects an unknown region", () => rejects("dev", (r) => { r["aws:region"] = "eu-moon-1"; }, "aws:region", /allowed: an AWS region/));
    it("rejects a malformed CIDR",
        () => rejects("dev", (r) => { r.network.vpcCidr = "10.20.0.0/33"; },
            "platform:network.vpcCidr", /got "10\.20\.0\.0\/33"; allowed: a private IPv4 CIDR/));
    it("rejects a public CIDR", () => rejects("dev", (r) => { r.network.vpcCidr = "8.8.0.0/16"; }, "platform:network.vpcCidr", /private IPv4 CIDR/));
    it("rejects an AZ count out of range",
        () => rejects("prod-eu", (r) => { r.network.availabilityZones = 2; },
            "platform:network.availabilityZones", /got 2; allowed: an integer >= 3 and <= 3/));
    it("rejects an unknown environment", () => rejects("dev", (r) => { r.environment = "staging"; }, "platform:environment", /allowed: one of dev, prod/));
    it("rejects an IL stack without Keycloak",
        () => rejects("prod-il", (r) => { r.identity.provider = "workos"; }, "platform:identity.provider", /keycloak for a stack in il-central-1/));
    it("rejects retention below the prod minimum",
        () => rejects("prod-eu", (r) => { r.retention.backupDays = 7; }, "platform:retention.backupDays", /got 7; allowed: an integer >= 35/));
    it("rejects a log retention CloudWatch does not offer",
        () => rejects("dev", (r) => { r.retention.logDays = 31; }, "platform:retention.logDays", /one of 1, 3, 5, 7, 14, 30/));
    it("rejects a missing section", () => rejects("dev", (r) => { delete r.database; }, "platform:database", /missing; allowed: an object/));
    it("rejects cross-region copies under data residency",
        () => rejects("prod-il", (r) => { r.dr = { mode: "cross-region", region: "eu-west-1" }; },
            "platform:dr.mode", /in-region or off when platform:residency is set/));
    it("rejects a DR region equal to the stack's region",
        () => rejects("prod-eu", (r) => { r.dr.region = "eu-central-1"; }, "platform:dr.region", /other than the stack's own/));
    it("rejects interface endpoints in fewer AZs than the VPC in prod (cost lever is dev-only)",
        () => rejects("prod-eu", (r) => { r.network.endpointAzs = 1; }, "platform:network.endpointAzs", /got 1; allowed: an integer >= 3 and <= 3/));
    it("rejects endpoint AZs beyond the VPC's AZs",
        () => rejects("dev", (r) => { r.network.endpointAzs = 3; }, "platform:network.endpointAzs", /got 3; allowed: an integer >= 1 and <= 2/));
    it("rejects Spot-only workers in prod (one on-demand task stays)",
        () => rejects("prod-eu", (r) => { r.services.scannerWorkers.onDemandBase = 0; },
            "platform:services.scannerWorkers.onDemandBase", /got 0; allowed: an integer >= 1/));
    it("reads the dev cost levers: endpoints in one AZ, Spot-only workers", () => {
        const dev = parse("dev");
        assert.equal(dev.network.endpointAzs, 1);
        assert.equal(dev.services.scannerWorkers.onDemandBase, 0);
        assert.equal(parse("prod-eu").network.endpointAzs, 3);
    });
    it("rejects Spot for the api family",
        () => rejects("dev", (r) => { r.services.api.spot = true; }, "platform:services.api.spot", /never runs on Fargate Spot/));
    it("rejects a non-Graviton database class",
        () => rejects("dev", (r) => { r.database.instanceClass = "db.m5.large"; }, "platform:database.instanceClass", /Graviton/));
    it("rejects single-AZ Postgres in prod", () => rejects("prod-eu", (r) => { r.database.multiAz = false; }, "platform:database.multiAz", /true in prod/));
    it("rejects governance-mode Object Lock in prod",
        () => rejects("prod-eu", (r) => { r.storage.evidenceLockMode = "GOVERNANCE"; }, "platform:storage.evidenceLockMode", /COMPLIANCE in prod/));
    it("rejects a malformed Cloudflare zone id", () => rejects("dev", (r) => { r.edge.zoneId = "not-a-zone"; }, "platform:edge.zoneId", /32 hex/));
});
