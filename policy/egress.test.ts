import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { noOpenEgress } from "./egress";

const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

describe("no-open-egress", () => {
    it("passes HTTPS to the internet and any port to a security group or the VPC", async () => {
        assert.deepEqual(await violationsOf(noOpenEgress, [
            fake(EGRESS, "https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
            fake(EGRESS, "db", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-1" }),
            fake(EGRESS, "vpc-all", { ipProtocol: "-1", cidrIpv4: "10.20.0.0/16" }),
        ]), []);
    });
    it("flags all-protocol or all-port egress to the internet in every rule form", async () => {
        assert.deepEqual(await violationsOf(noOpenEgress, [
            fake(EGRESS, "all", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }),
            fake(EGRESS, "ports", { ipProtocol: "tcp", fromPort: 0, toPort: 65535, cidrIpv6: "::/0" }),
            fake(SG, "inline", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
            fake(SG_RULE, "legacy", { type: "egress", protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
        ]), [
            "all: egress allows all protocols to 0.0.0.0/0", "ports: egress allows every tcp port to ::/0",
            "inline: inline egress rule 1 allows all protocols to 0.0.0.0/0", "legacy: egress allows all protocols to 0.0.0.0/0",
        ]);
    });
});
