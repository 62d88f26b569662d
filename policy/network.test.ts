import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import * as net from "./network";

const VPC = "aws:ec2/vpc:Vpc";
const vpc = fake(VPC, "main", { cidrBlock: "10.20.0.0/16" });
const flowLog = (inputs: Record<string, any>) => fake("aws:ec2/flowLog:FlowLog", "main-flow", inputs, { vpcId: [vpc] });
const defaultSg = (inputs: Record<string, any>) => fake("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "main-default", inputs, { vpcId: [vpc] });
const naclRule = (inputs: Record<string, any>) =>
    fake("aws:ec2/networkAclRule:NetworkAclRule", "rule", { egress: false, ruleAction: "allow", ruleNumber: 100, ...inputs });
const endpoint = (service: string, inputs: Record<string, any>) =>
    fake("aws:ec2/vpcEndpoint:VpcEndpoint", `main-${service}`, { serviceName: `com.amazonaws.eu-central-1.${service}`, ...inputs }, { vpcId: [vpc] });
const iface = (service: string) => endpoint(service, { vpcEndpointType: "Interface", privateDnsEnabled: true });
const REQUIRED = ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs"];

describe("network policies", () => {
    describe("vpc-flow-logs", () => {
        it("passes a VPC joined to a flow log of traffic type ALL", async () => {
            assert.deepEqual(await violationsOf(net.vpcFlowLogs, [vpc, flowLog({ trafficType: "ALL" })]), []);
        });
        it("flags a VPC without a flow log", async () => {
            assert.match((await violationsOf(net.vpcFlowLogs, [vpc])).join(), /VPC main has no flow log/);
        });
        it("flags a VPC whose flow log records only rejected traffic", async () => {
            assert.equal((await violationsOf(net.vpcFlowLogs, [vpc, flowLog({ trafficType: "REJECT" })])).length, 1);
        });
        it("does not count a flow log of another VPC", async () => {
            const other = fake(VPC, "other", {});
            const otherLog = fake("aws:ec2/flowLog:FlowLog", "other-flow", { trafficType: "ALL" }, { vpcId: [other] });
            assert.match((await violationsOf(net.vpcFlowLogs, [vpc, other, otherLog])).join(), /VPC main has no flow log/);
        });
    });

    describe("default-sg-closed", () => {
        it("passes a VPC whose default security group is taken over with no rules", async () => {
            assert.deepEqual(await violationsOf(net.defaultSgClosed, [vpc, defaultSg({ vpcId: "vpc-1" })]), []);
        });
        it("flags a VPC whose default security group is left to AWS", async () => {
            assert.match((await violationsOf(net.defaultSgClosed, [vpc])).join(), /no default security group/);
        });
        it("flags a default security group that keeps rules", async () => {
            const open = defaultSg({ ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] });
            assert.match((await violationsOf(net.defaultSgClosed, [vpc, open])).join(), /main-default has rules/);
        });
    });

    describe("nacl-no-admin-ports", () => {
        const violations = (inputs: Record<string, any>) => violationsOf(net.naclNoAdminPorts, [naclRule(inputs)]);
        it("passes 443 and ephemeral ranges that skip 3389 from the world", async () => {
            for (const [fromPort, toPort] of [[443, 443], [1024, 3388], [3390, 65535]]) {
                assert.deepEqual(await violations({ protocol: "tcp", fromPort, toPort, cidrBlock: "0.0.0.0/0" }), []);
            }
        });
        it("passes admin ports admitted only from inside the VPC, and denies of them from the world", async () => {
            assert.deepEqual(await violations({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "10.20.0.0/16" }), []);
            assert.deepEqual(await violations({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0", ruleAction: "deny" }), []);
        });
        it("flags SSH from 0.0.0.0/0", async () => {
            assert.match((await violations({ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" })).join(), /allows port 22 from 0.0.0.0\/0/);
        });
        it("flags an ephemeral range from ::/0 that covers RDP", async () => {
            assert.match((await violations({ protocol: "6", fromPort: 1024, toPort: 65535, ipv6CidrBlock: "::/0" })).join(), /allows port 3389 from ::\/0/);
        });
        it("flags an all-traffic rule from the world", async () => {
            assert.match((await violations({ protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" })).join(), /port 22 and 3389/);
        });
        it("ignores egress rules", async () => {
            assert.deepEqual(await violations({ egress: true, protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }), []);
        });
        it("flags inline ingress on a network ACL or the default network ACL", async () => {
            const ingress = [{ action: "allow", protocol: "all", ruleNo: 100, fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }];
            for (const type of ["aws:ec2/networkAcl:NetworkAcl", "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl"]) {
                assert.equal((await violationsOf(net.naclNoAdminPorts, [fake(type, "acl", { ingress })])).length, 1, type);
                assert.deepEqual(await violationsOf(net.naclNoAdminPorts, [fake(type, "acl", { ingress: [] })]), [], type);
            }
        });
    });

    describe("no-world-ingress", () => {
        const sg = fake("aws:ec2/securityGroup:SecurityGroup", "alb", { name: "platform-prod-eu-alb" });
        const ingressRule = (inputs: Record<string, any>) =>
            fake("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-in", inputs, { securityGroupId: [sg] });
        it("passes rules that admit the VPC or other security groups", async () => {
            const rules = [
                ingressRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.20.0.0/16" }),
                fake("aws:ec2/securityGroupRule:SecurityGroupRule", "db-in", {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    sourceSecurityGroupId: "sg-1",
                }),
            ];
            assert.deepEqual(await violationsOf(net.noWorldIngress, [sg, ...rules]), []);
        });
        it("flags a vpc/securityGroupIngressRule open to 0.0.0.0/0", async () => {
            assert.match(
                (await violationsOf(net.noWorldIngress, [sg, ingressRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" })])).join(),
                /alb-in: ingress rule opens ports 443-443\/tcp to 0.0.0.0\/0/,
            );
        });
        it("flags an ec2/securityGroupRule ingress open to ::/0 on all ports", async () => {
            const rule = fake("aws:ec2/securityGroupRule:SecurityGroupRule", "wide", {
                type: "ingress",
                protocol: "-1",
                fromPort: 0,
                toPort: 0,
                ipv6CidrBlocks: ["::/0"],
            });
            assert.match((await violationsOf(net.noWorldIngress, [rule])).join(), /opens all ports to ::\/0/);
        });
        it("flags inline ingress on a security group", async () => {
            const inline = fake("aws:ec2/securityGroup:SecurityGroup", "bastion", {
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
            });
            assert.match((await violationsOf(net.noWorldIngress, [inline])).join(), /bastion: inline ingress opens ports 22-22/);
        });
        it("allows 443 from the world only on a group in the exception list", async () => {
            const https = ingressRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
            assert.deepEqual(await violationsOf(net.noWorldIngress, [sg, https], { allowHttpsFromWorld: ["platform-prod-eu-alb"] }), []);
            const http = ingressRule({ ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0" });
            assert.equal((await violationsOf(net.noWorldIngress, [sg, http], { allowHttpsFromWorld: ["platform-prod-eu-alb"] })).length, 1);
        });
    });

    describe("no-public-ip-subnets", () => {
        it("passes a subnet that does not map public IPs", async () => {
            assert.deepEqual(await violationsOf(net.noPublicIpSubnets, [fake("aws:ec2/subnet:Subnet", "public-az1", { mapPublicIpOnLaunch: false })]), []);
        });
        it("flags a subnet with mapPublicIpOnLaunch", async () => {
            assert.match(
                (await violationsOf(net.noPublicIpSubnets, [fake("aws:ec2/subnet:Subnet", "public-az1", { mapPublicIpOnLaunch: true })])).join(),
                /mapPublicIpOnLaunch is true/,
            );
        });
    });

    describe("vpc-endpoints", () => {
        const s3 = endpoint("s3", { vpcEndpointType: "Gateway" });
        it("passes a VPC with the S3 gateway and the required interface endpoints with private DNS", async () => {
            assert.deepEqual(await violationsOf(net.vpcEndpoints, [vpc, s3, ...REQUIRED.map(iface)]), []);
        });
        it("flags a VPC without the S3 gateway endpoint", async () => {
            assert.match((await violationsOf(net.vpcEndpoints, [vpc, ...REQUIRED.map(iface)])).join(), /no S3 gateway endpoint/);
        });
        it("flags a missing required interface endpoint and one without private DNS", async () => {
            const kmsNoDns = endpoint("kms", { vpcEndpointType: "Interface", privateDnsEnabled: false });
            const found = await violationsOf(net.vpcEndpoints, [vpc, s3, iface("ecr.api"), iface("ecr.dkr"), iface("secretsmanager"), kmsNoDns]);
            assert.match(found.join(), /lacks interface endpoints with private DNS for: kms, logs/);
        });
        it("takes the required set from the policy config", async () => {
            const found = await violationsOf(net.vpcEndpoints, [vpc, s3, ...REQUIRED.map(iface)], { requiredInterfaceEndpoints: [...REQUIRED, "sts"] });
            assert.match(found.join(), /for: sts$/);
        });
    });
});
