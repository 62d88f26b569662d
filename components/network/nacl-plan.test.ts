import { strict as assert } from "assert";
import { naclDecides, naclRules } from "./nacl-plan";
import { planSubnets } from "./subnet-plan";

// Built per use, not at load: code that runs while mocha loads the file counts as "static" to Stryker, which then
// restarts its test process for every mutant in it (and a cached copy would hide the mutant).
const context = () => {
    const plan = planSubnets("10.20.0.0/16", 3);
    return { vpcCidr: "10.20.0.0/16", computeCidrs: plan.map((p) => p.compute), dataCidrs: plan.map((p) => p.data) };
};
const COMPUTE_IP = "10.20.17.5",
    PUBLIC_IP = "10.20.65.9",
    DATA_IP = "10.20.81.3",
    INTERNET_IP = "203.0.113.7";
const inbound = (tier: "public" | "compute" | "data", port: number, ip: string, protocol: "tcp" | "udp" = "tcp") =>
    naclDecides(naclRules(tier, context()), { egress: false, protocol, port, ip });

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
            const open = naclRules(tier, context()).filter(
                (r) =>
                    !r.egress &&
                    r.ruleAction === "allow" &&
                    r.cidrBlock === "0.0.0.0/0" &&
                    (r.protocol === "-1" || [22, 3389].some((p) => p >= r.fromPort && p <= r.toPort)),
            );
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
        const out = (port: number, ip: string) => naclDecides(naclRules("data", context()), { egress: true, protocol: "tcp", port, ip });
        assert.equal(out(45000, COMPUTE_IP), "allow");
        assert.equal(out(443, INTERNET_IP), "deny");
        assert.equal(out(45000, INTERNET_IP), "deny");
    });

    it("public and compute reach the internet (ALB to targets, NAT to the world) on any protocol", () => {
        for (const tier of ["public", "compute"] as const) {
            for (const protocol of ["tcp", "udp"] as const) {
                assert.equal(naclDecides(naclRules(tier, context()), { egress: true, protocol, port: 443, ip: INTERNET_IP }), "allow", `${tier} ${protocol}`);
            }
        }
    });

    it("a TCP rule admits neither UDP nor ports outside its range", () => {
        assert.equal(inbound("data", 5432, COMPUTE_IP, "udp"), "deny");
        assert.equal(inbound("public", 443, INTERNET_IP, "udp"), "deny");
        assert.equal(inbound("public", 444, INTERNET_IP), "deny");
        assert.equal(inbound("public", 1023, INTERNET_IP), "deny");
        assert.equal(inbound("public", 1024, INTERNET_IP), "allow");
        assert.equal(inbound("public", 65535, INTERNET_IP), "allow");
    });

    it("public and compute admit ICMP fragmentation-needed (type 3 code 4) from anywhere, and no other ICMP", () => {
        for (const tier of ["public", "compute"] as const) {
            const icmp = naclRules(tier, context()).filter((r) => r.protocol === "1");
            assert.deepEqual(
                icmp.map((r) => [r.egress, r.ruleAction, r.cidrBlock, r.icmpType, r.icmpCode, r.fromPort, r.toPort]),
                [[false, "allow", "0.0.0.0/0", 3, 4, -1, -1]],
                tier,
            );
        }
        assert.deepEqual(
            naclRules("data", context()).filter((r) => r.protocol === "1"),
            [],
        );
    });

    it("names each data-tier rule after the AZ of the subnet it admits (1-based, as the subnets are named)", () => {
        const plan = planSubnets("10.20.0.0/16", 3);
        for (const rule of naclRules("data", context()).filter((r) => /-az\d$/.test(r.label))) {
            const az = plan.findIndex((p) => p.compute === rule.cidrBlock || p.data === rule.cidrBlock) + 1;
            assert.ok(az > 0 && rule.label.endsWith(`-az${az}`), `${rule.label} admits ${rule.cidrBlock}`);
        }
    });

    it("every rule has a label that says its direction (labels name the rule resources)", () => {
        for (const tier of ["public", "compute", "data"] as const) {
            for (const r of naclRules(tier, context())) assert.match(r.label, r.egress ? /^out-[a-z0-9-]+$/ : /^in-[a-z0-9-]+$/, `${tier} ${r.label}`);
        }
    });

    it("public admits all TCP from the VPC (NAT forwarding, target responses); data admits ephemeral returns from it", () => {
        assert.equal(inbound("public", 3000, COMPUTE_IP), "allow");
        assert.equal(inbound("data", 40000, COMPUTE_IP), "allow");
    });

    it("the data tier admits 5432 and 6379 between its own subnets (replication across AZs)", () => {
        for (const port of [5432, 6379]) assert.equal(inbound("data", port, "10.20.82.7"), "allow");
    });

    it("naclDecides lets the lowest-numbered matching rule decide, whatever the list order", () => {
        const rules = [
            {
                label: "in-allow",
                ruleNumber: 200,
                egress: false,
                ruleAction: "allow" as const,
                protocol: "tcp" as const,
                cidrBlock: "0.0.0.0/0",
                fromPort: 0,
                toPort: 65535,
            },
            {
                label: "in-deny",
                ruleNumber: 100,
                egress: false,
                ruleAction: "deny" as const,
                protocol: "tcp" as const,
                cidrBlock: "0.0.0.0/0",
                fromPort: 5432,
                toPort: 5432,
            },
        ];
        assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port: 5432, ip: INTERNET_IP }), "deny");
        assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port: 5433, ip: INTERNET_IP }), "allow");
        assert.equal(naclDecides(rules, { egress: true, protocol: "tcp", port: 5433, ip: INTERNET_IP }), "deny");
    });

    it("gives every rule of a tier a unique number per direction and a unique label", () => {
        for (const tier of ["public", "compute", "data"] as const) {
            const rules = naclRules(tier, {
                ...context(),
                computeCidrs: planSubnets("10.20.0.0/16", 4).map((p) => p.compute),
                dataCidrs: planSubnets("10.20.0.0/16", 4).map((p) => p.data),
            });
            const keys = rules.map((r) => `${r.egress}:${r.ruleNumber}`);
            assert.equal(new Set(keys).size, keys.length, tier);
            assert.equal(new Set(rules.map((r) => r.label)).size, rules.length, tier);
        }
    });
});
