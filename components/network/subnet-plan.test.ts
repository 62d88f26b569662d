import { strict as assert } from "assert";
import { cidrContains, parseCidr, planSubnets } from "./subnet-plan";

/** True when two CIDRs share any address. */
function overlaps(a: string, b: string): boolean {
    const x = parseCidr(a), y = parseCidr(b);
    return x.base < y.base + 2 ** (32 - y.prefix) && y.base < x.base + 2 ** (32 - x.prefix);
}

describe("planSubnets", () => {
    it("lays out a /16 as /20 compute, /24 public and /24 data subnets per AZ", () => {
        assert.deepEqual(planSubnets("10.20.0.0/16", 3), [
            { index: 0, compute: "10.20.0.0/20", public: "10.20.64.0/24", data: "10.20.80.0/24" },
            { index: 1, compute: "10.20.16.0/20", public: "10.20.65.0/24", data: "10.20.81.0/24" },
            { index: 2, compute: "10.20.32.0/20", public: "10.20.66.0/24", data: "10.20.82.0/24" },
        ]);
    });

    it("keeps existing subnets where they are when an AZ is added", () => {
        assert.deepEqual(planSubnets("10.10.0.0/16", 3).slice(0, 2), planSubnets("10.10.0.0/16", 2));
    });

    for (const vpc of ["10.0.0.0/16", "172.16.0.0/17", "10.1.0.0/18", "192.168.0.0/19", "10.9.0.0/20"]) {
        it(`places every subnet of ${vpc} inside the VPC, without overlaps, at least /27`, () => {
            const all = planSubnets(vpc, 4).flatMap((p) => [p.public, p.compute, p.data]);
            for (const cidr of all) {
                assert.ok(cidrContains(vpc, cidr.split("/")[0]), `${cidr} outside ${vpc}`);
                const { base, prefix } = parseCidr(cidr);
                assert.ok(prefix <= 27, `${cidr} is smaller than /27`);
                assert.ok(cidrContains(vpc, parseCidrLast(base, prefix)), `${cidr} ends outside ${vpc}`);
            }
            all.forEach((a, i) => {
                for (const b of all.slice(i + 1)) assert.ok(!overlaps(a, b), `${a} overlaps ${b}`);
            });
        });
    }

    it("uses the smallest ALB-capable public subnet (/27) in a /20 VPC", () => {
        assert.deepEqual(planSubnets("10.9.0.0/20", 2).map((p) => p.public), ["10.9.4.0/27", "10.9.4.32/27"]);
    });

    it("rejects VPC sizes and AZ counts it has no layout for", () => {
        assert.throws(() => planSubnets("10.0.0.0/21", 2), /must be \/16 to \/20/);
        assert.throws(() => planSubnets("10.0.0.0/16", 5), /allowed 1 to 4/);
        assert.throws(() => planSubnets("10.0.0.1/16", 2), /host bits set/);
        assert.throws(() => planSubnets("10.0.0.0", 2), /not an IPv4 CIDR/);
    });

    it("rejects a VPC larger than /16, and AZ counts below one or fractional", () => {
        assert.throws(() => planSubnets("10.0.0.0/15", 2), /must be \/16 to \/20/);
        assert.throws(() => planSubnets("10.0.0.0/16", 0), /allowed 1 to 4/);
        assert.throws(() => planSubnets("10.0.0.0/16", 1.5), /allowed 1 to 4/);
        assert.equal(planSubnets("10.0.0.0/16", 1).length, 1);
        assert.equal(planSubnets("10.0.0.0/16", 4).length, 4);
    });
});

describe("parseCidr and cidrContains", () => {
    it("reject text around a CIDR, octets above 255 and prefixes above 32", () => {
        for (const bad of ["x10.0.0.0/16", "10.0.0.0/16x", "10.0.0.0/16 ", "256.0.0.0/8", "10.0.300.0/24", "10.0.0.0/33"]) {
            assert.throws(() => parseCidr(bad), /not an IPv4 CIDR/, bad);
        }
        assert.deepEqual(parseCidr("255.255.255.255/32"), { base: 2 ** 32 - 1, prefix: 32 });
    });

    it("a CIDR holds its first and last address and nothing past either end", () => {
        assert.ok(cidrContains("10.0.1.0/24", "10.0.1.0"));
        assert.ok(cidrContains("10.0.1.0/24", "10.0.1.255"));
        assert.ok(!cidrContains("10.0.1.0/24", "10.0.2.0"));
        assert.ok(!cidrContains("10.0.1.0/24", "10.0.0.255"));
    });
});

function parseCidrLast(base: number, prefix: number): string {
    const last = base + 2 ** (32 - prefix) - 1;
    return [24, 16, 8, 0].map((s) => Math.floor(last / 2 ** s) % 256).join(".");
}
