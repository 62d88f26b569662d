import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { noOpenEgress } from "./egress";

// One case per shape of no-open-egress: the three rule resources, protocols, port ranges and sources.
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

describe("no-open-egress, one shape at a time", () => {
    it("flags all protocols and every port to the world, naming protocol and destination", async () => {
        const cases: Array<[Record<string, any>, string]> = [
            [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }, "allows all protocols to 0.0.0.0/0"],
            [{ protocol: "ALL", ipv6CidrBlocks: ["::/0"] }, "allows all protocols to ::/0"],
            [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }, "allows every tcp port to 0.0.0.0/0"],
            [{ protocol: "17", fromPort: 1, toPort: 65535, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }, "allows every 17 port to 0.0.0.0/0, ::/0"],
            [{ protocol: "udp", cidrBlocks: ["0.0.0.0/0"] }, "allows every udp port to 0.0.0.0/0"],
        ];
        for (const [rule, problem] of cases) {
            assert.deepEqual(
                await violationsOf(noOpenEgress, [fake(SG, "sg", { egress: [{ description: "x" }, rule] })]),
                [`sg: inline egress rule 2 ${problem}`],
                JSON.stringify(rule),
            );
        }
    });

    it("accepts named ports, port ranges short of all, non-world destinations and ICMP", async () => {
        for (const rule of [
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 2, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "tcp", fromPort: 0, toPort: 65534, cidrBlocks: ["0.0.0.0/0"] },
            { protocol: "-1", cidrBlocks: ["10.0.0.0/16"] },
            { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
        ])
            assert.deepEqual(await violationsOf(noOpenEgress, [fake(SG, "sg", { egress: [rule] })]), [], JSON.stringify(rule));
    });

    it("judges securityGroupRule egress (not ingress) and vpc egress rules", async () => {
        const open = { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] };
        assert.deepEqual(await violationsOf(noOpenEgress, [fake(SG_RULE, "r", { type: "egress", ...open })]), ["r: egress allows all protocols to 0.0.0.0/0"]);
        assert.deepEqual(await violationsOf(noOpenEgress, [fake(SG_RULE, "r", { type: "ingress", ...open })]), []);
        assert.deepEqual(await violationsOf(noOpenEgress, [fake(SG_EGRESS, "e", { ipProtocol: "-1", cidrIpv6: "::/0" })]), [
            "e: egress allows all protocols to ::/0",
        ]);
        assert.deepEqual(
            await violationsOf(noOpenEgress, [fake(SG_EGRESS, "e", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })]),
            [],
        );
    });
});
