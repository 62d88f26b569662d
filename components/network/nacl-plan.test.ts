import { strict as assert } from "assert";
import { naclDecides, naclRules } from "./nacl-plan";
import { planSubnets } from "./subnet-plan";

const plan = planSubnets("10.20.0.0/16", 3);
const ctx = { vpcCidr: "10.20.0.0/16", computeCidrs: plan.map((p) => p.compute), dataCidrs: plan.map((p) => p.data) };
const COMPUTE_IP = "10.20.17.5", PUBLIC_IP = "10.20.65.9", DATA_IP = "10.20.81.3", INTERNET_IP = "203.0.113.7";
const inbound = (tier: "public" | "compute" | "data", port: number, ip: string, protocol: "tcp" | "udp" = "tcp") =>
    naclDecides(naclRules(tier, ctx), { egress: false, protocol, port, ip });

describe("naclRules", () => {
    it("no tier admits SSH or RDP from anywhere, inside the VPC included", () => {
        for (const tier of ["public", "compute", "data"] as const) {
            for (const ip of [INTERNET_IP, COMPUTE_IP, PUBLIC_IP, DATA_IP]) {
                for (const port of [22, 3389]) assert.equal(inbound(tier, port, ip), "deny", `${tier} admits ${port} from ${ip}`);
            }
        }
    });

    it("no allow rule from 0.0.0.0/0 covers 22 or 3389 (FSBP EC2.21 reads allow rules on their own)", () => {
        for (const tier of ["public", "compute", "data"] as const) {
            const open = naclRules(tier, ctx).filter((r) => !r.egress && r.ruleAction === "allow" && r.cidrBlock === "0.0.0.0/0"
                && (r.protocol === "-1" || [22, 3389].some((p) => p >= r.fromPort && p <= r.toPort)));
            assert.deepEqual(open, [], tier);
        }
    });

    it("public admits HTTPS from the internet and return traffic, but not plain HTTP", () => {
        assert.equal(inbound("public", 443, INTERNET_IP), "allow");
        assert.equal(inbound("public", 50000, INTERNET_IP), "allow");
        assert.equal(inbound("public", 80, INTERNET_IP), "deny");
    });

    it("compute admits the public tier and the VPC, and internet returns only on ephemeral ports", () => {
        assert.equal(inbound("compute", 3000, PUBLIC_IP), "allow");
        assert.equal(inbound("compute", 443, COMPUTE_IP), "allow");
        assert.equal(inbound("compute", 40000, INTERNET_IP), "allow");
        assert.equal(inbound("compute", 443, INTERNET_IP), "deny");
    });

    it("data admits 5432 and 6379 from compute subnets and nothing on those ports from the public tier", () => {
        for (const port of [5432, 6379]) {
            assert.equal(inbound("data", port, COMPUTE_IP), "allow");
            assert.equal(inbound("data", port, PUBLIC_IP), "deny");
            assert.equal(inbound("data", port, INTERNET_IP), "deny");
        }
        assert.equal(inbound("data", 443, COMPUTE_IP), "deny");
        assert.equal(inbound("data", 80, COMPUTE_IP), "deny");
        assert.equal(inbound("data", 40000, INTERNET_IP), "deny");
    });

    it("data sends only ephemeral-port responses inside the VPC, nothing to the internet", () => {
        const out = (port: number, ip: string) => naclDecides(naclRules("data", ctx), { egress: true, protocol: "tcp", port, ip });
        assert.equal(out(45000, COMPUTE_IP), "allow");
        assert.equal(out(443, INTERNET_IP), "deny");
        assert.equal(out(45000, INTERNET_IP), "deny");
    });

    it("gives every rule of a tier a unique number per direction and a unique label", () => {
        for (const tier of ["public", "compute", "data"] as const) {
            const rules = naclRules(tier, { ...ctx, computeCidrs: planSubnets("10.20.0.0/16", 4).map((p) => p.compute), dataCidrs: planSubnets("10.20.0.0/16", 4).map((p) => p.data) });
            const keys = rules.map((r) => `${r.egress}:${r.ruleNumber}`);
            assert.equal(new Set(keys).size, keys.length, tier);
            assert.equal(new Set(rules.map((r) => r.label)).size, rules.length, tier);
        }
    });
});
