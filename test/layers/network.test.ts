import { strict as assert } from "assert";
import { NaclRuleSpec, naclDecides, planSubnets } from "../../components";
import { RecordedResource } from "../../offline/engine";
import { mockAccountId } from "../../offline/mock-cloud";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { networkPolicies } from "../../policy/network";
import { PlatformConfig } from "../../stacks/config";
import { NetworkOutputs, buildNetwork } from "../../stacks/layers/network";

const T = {
    vpc: "aws:ec2/vpc:Vpc", subnet: "aws:ec2/subnet:Subnet", nat: "aws:ec2/natGateway:NatGateway", eip: "aws:ec2/eip:Eip",
    routeTable: "aws:ec2/routeTable:RouteTable", route: "aws:ec2/route:Route", endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    sg: "aws:ec2/securityGroup:SecurityGroup", sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule", flowLog: "aws:ec2/flowLog:FlowLog", logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role", rolePolicy: "aws:iam/rolePolicy:RolePolicy", acl: "aws:ec2/networkAcl:NetworkAcl",
    aclRule: "aws:ec2/networkAclRule:NetworkAclRule", defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    defaultAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
};
const LOGS_KEY = "arn:aws:kms:eu-central-1:111111111111:key/logs-key";
const ACCOUNT = "111111111111";

const EXPECTED = {
    dev: { azs: 2, nats: 1, flowLogDays: 14, endpoints: ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs"] },
    "prod-eu": {
        azs: 3,
        nats: 3,
        flowLogDays: 365,
        endpoints: ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs", "ssm", "ssmmessages", "ec2messages", "sts", "monitoring"],
    },
    "prod-il": {
        azs: 3,
        nats: 3,
        flowLogDays: 365,
        endpoints: ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs", "ssm", "ssmmessages", "ec2messages", "sts", "monitoring"],
    },
} as const;

const tierOf = (rec: Recorded, r: RecordedResource) => rec.inputsOf(r).tags?.tier;
const isWorld = (cidr: string) => cidr === "0.0.0.0/0" || cidr === "::/0";

for (const stack of Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>) {
    describe(`network layer (${stack})`, () => {
        const want = EXPECTED[stack];
        let rec: Recorded;
        let cfg: PlatformConfig;
        let out: NetworkOutputs;
        before(async () => {
            rec = await recordWithStackConfig(stack, (c) => { cfg = c; out = buildNetwork(c, { logsKeyArn: LOGS_KEY, accountId: ACCOUNT }, {}); });
        });
        const vpc = () => rec.ofType(T.vpc)[0];
        const subnetsOf = (tier: string) => rec.ofType(T.subnet).filter((s) => tierOf(rec, s) === tier);
        const routeTables = (prefix: string) => rec.ofType(T.routeTable).filter((r) => r.name.startsWith(`network-${prefix}-rt`));

        it("builds one VPC from the configured CIDR with DNS support and hostnames", () => {
            assert.equal(rec.ofType(T.vpc).length, 1);
            const inputs = rec.inputsOf(vpc());
            assert.equal(inputs.cidrBlock, cfg.network.vpcCidr);
            assert.equal(inputs.enableDnsSupport, true);
            assert.equal(inputs.enableDnsHostnames, true);
        });

        it(`creates a public, a compute and a data subnet in each of ${want.azs} AZs, from the subnet plan, none mapping public IPs`, () => {
            const plan = planSubnets(cfg.network.vpcCidr, want.azs);
            assert.equal(rec.ofType(T.subnet).length, 3 * want.azs);
            for (const tier of ["public", "compute", "data"] as const) {
                const subnets = subnetsOf(tier);
                assert.equal(subnets.length, want.azs, tier);
                assert.deepEqual(subnets.map((s) => rec.inputsOf(s).cidrBlock), plan.map((p) => p[tier]), tier);
                assert.deepEqual(subnets.map((s) => rec.inputsOf(s).availabilityZone), plan.map((p) => `${cfg.region}${"abc"[p.index]}`), tier);
                for (const s of subnets) {
                    assert.equal(rec.inputsOf(s).mapPublicIpOnLaunch, false, s.name);
                    assert.deepEqual(s.propertyDependencies.vpcId, [vpc().urn]);
                }
            }
            assert.equal(out.publicSubnetIds.length, want.azs);
            assert.equal(out.computeSubnetIds.length, want.azs);
            assert.equal(out.dataSubnetIds.length, want.azs);
        });

        it(`runs ${want.nats} NAT gateway(s) with Elastic IPs in the public subnets, and routes each AZ's compute tier through ` +
            `${want.nats === 1 ? "the single NAT" : "its own AZ's NAT"}`, () => {
            const nats = rec.ofType(T.nat);
            assert.equal(nats.length, want.nats);
            assert.equal(rec.ofType(T.eip).length, want.nats);
            const publicSubnets = subnetsOf("public");
            nats.forEach((nat, i) => { assert.deepEqual(nat.propertyDependencies.subnetId, [publicSubnets[i].urn]); });
            const computeTables = routeTables("compute");
            assert.equal(computeTables.length, want.azs);
            computeTables.forEach((rt, i) => {
                const routes = rec.pointingAt(T.route, "routeTableId", rt);
                assert.equal(routes.length, 1, rt.name);
                assert.equal(rec.inputsOf(routes[0]).destinationCidrBlock, "0.0.0.0/0");
                const expectedNat = nats[want.nats === 1 ? 0 : i];
                assert.deepEqual(routes[0].propertyDependencies.natGatewayId, [expectedNat.urn], rt.name);
            });
        });

        it("routes only the public tier to the internet gateway", () => {
            const publicTable = routeTables("public");
            assert.equal(publicTable.length, 1);
            const routes = rec.pointingAt(T.route, "routeTableId", publicTable[0]);
            assert.deepEqual(routes.map((r) => rec.inputsOf(r).destinationCidrBlock), ["0.0.0.0/0"]);
            assert.ok(routes[0].propertyDependencies.gatewayId?.length === 1);
            assert.equal(rec.ofType(T.route).filter((r) => r.propertyDependencies.gatewayId?.length).length, 1);
        });

        it("gives the data tier route tables with no route out of the VPC: only the S3 gateway endpoint", () => {
            const dataTables = routeTables("data");
            assert.equal(dataTables.length, want.azs);
            for (const rt of dataTables) {
                assert.deepEqual(rec.pointingAt(T.route, "routeTableId", rt), [], `${rt.name} has routes`);
                assert.equal(rec.inputsOf(rt).routes, undefined, `${rt.name} has inline routes`);
            }
            const s3 = rec.ofType(T.endpoint).filter((e) => rec.inputsOf(e).serviceName === `com.amazonaws.${cfg.region}.s3`);
            assert.equal(s3.length, 1);
            assert.equal(rec.inputsOf(s3[0]).vpcEndpointType, "Gateway");
            const attached = new Set(s3[0].propertyDependencies.routeTableIds);
            for (const rt of [...dataTables, ...routeTables("compute")]) assert.ok(attached.has(rt.urn), `S3 endpoint not on ${rt.name}`);
            assert.ok(!attached.has(routeTables("public")[0].urn), "S3 endpoint on the public route table");
        });

        it(`creates exactly the configured interface endpoints (${want.endpoints.length}) with private DNS in the compute subnets of endpointAzs AZs`, () => {
            const interfaces = rec.ofType(T.endpoint).filter((e) => rec.inputsOf(e).vpcEndpointType === "Interface");
            assert.deepEqual(interfaces.map((e) => rec.inputsOf(e).serviceName).sort(), want.endpoints.map((s) => `com.amazonaws.${cfg.region}.${s}`).sort());
            // prod: every AZ (config refuses fewer); dev: the cost lever places the ENIs in the first AZ only.
            assert.equal(cfg.network.endpointAzs, cfg.isProd ? cfg.network.availabilityZones : 1);
            const computeUrns = subnetsOf("compute").slice(0, cfg.network.endpointAzs).map((s) => s.urn).sort();
            const endpointSg = rec.one(T.sg, "network-endpoints");
            for (const e of interfaces) {
                assert.equal(rec.inputsOf(e).privateDnsEnabled, true, e.name);
                assert.deepEqual([...e.propertyDependencies.subnetIds].sort(), computeUrns, e.name);
                assert.deepEqual(e.propertyDependencies.securityGroupIds, [endpointSg.urn], e.name);
            }
            assert.deepEqual(Object.keys(out.interfaceEndpointIds).sort(), [...want.endpoints].sort());
        });

        it("admits only HTTPS from the VPC CIDR to the endpoint security group", () => {
            const endpointSg = rec.one(T.sg, "network-endpoints");
            assert.equal(rec.inputsOf(endpointSg).ingress, undefined);
            assert.equal(rec.inputsOf(endpointSg).egress, undefined);
            const rules = rec.pointingAt(T.sgIngress, "securityGroupId", endpointSg);
            assert.deepEqual(rules.map((r) => { const i = rec.inputsOf(r); return [i.ipProtocol, i.fromPort, i.toPort, i.cidrIpv4]; }),
                [["tcp", 443, 443, cfg.network.vpcCidr]]);
            assert.equal(rec.ofType(T.sgRule).length, 0);
        });

        it(`logs all VPC traffic to a log group encrypted with the logs key, kept ${want.flowLogDays} days`, () => {
            const [flowLog] = rec.ofType(T.flowLog);
            assert.equal(rec.ofType(T.flowLog).length, 1);
            const inputs = rec.inputsOf(flowLog);
            assert.equal(inputs.trafficType, "ALL");
            assert.equal(inputs.logDestinationType, "cloud-watch-logs");
            assert.deepEqual(flowLog.propertyDependencies.vpcId, [vpc().urn]);
            const [logGroup] = rec.ofType(T.logGroup);
            assert.deepEqual(flowLog.propertyDependencies.logDestination, [logGroup.urn]);
            assert.equal(rec.inputsOf(logGroup).kmsKeyId, LOGS_KEY);
            assert.equal(rec.inputsOf(logGroup).retentionInDays, want.flowLogDays);
            assert.equal(logGroup.protect, cfg.isProd, "flow log group protected in prod");
        });

        it("delivers flow logs with a role trusted only for this account's flow logs, writing only to that log group", () => {
            const role = rec.one(T.role, "network-flow-logs");
            const trust = JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement;
            assert.equal(trust.length, 1);
            assert.equal(trust[0].Principal.Service, "vpc-flow-logs.amazonaws.com");
            assert.equal(trust[0].Condition.StringEquals["aws:SourceAccount"], ACCOUNT);
            assert.match(trust[0].Condition.ArnLike["aws:SourceArn"], new RegExp(`^arn:aws:ec2:${cfg.region}:${ACCOUNT}:vpc-flow-log/\\*$`));
            const [policy] = rec.pointingAt(T.rolePolicy, "role", role);
            const statements = JSON.parse(rec.inputsOf(policy).policy).Statement;
            const logGroupArn = `arn:aws:logs:${cfg.region}:${mockAccountId(stack)}:log-group:/${cfg.namePrefix}/network/vpc-flow-logs`;
            assert.deepEqual(statements, [
                {
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [logGroupArn, `${logGroupArn}:*`],
                },
            ]);
            assert.ok(rec.one(T.flowLog, "network-flow-log").propertyDependencies.iamRoleArn.includes(role.urn));
        });

        it("associates one network ACL per tier with that tier's subnets", () => {
            const acls = rec.ofType(T.acl);
            assert.equal(acls.length, 3);
            for (const tier of ["public", "compute", "data"]) {
                const acl = rec.one(T.acl, `network-${tier}-acl`);
                assert.deepEqual([...acl.propertyDependencies.subnetIds].sort(), subnetsOf(tier).map((s) => s.urn).sort(), tier);
            }
        });

        /** The recorded rules of one tier's ACL, as specs the NACL evaluator reads. */
        const rulesOf = (tier: string): NaclRuleSpec[] =>
            rec
                .pointingAt(T.aclRule, "networkAclId", rec.one(T.acl, `network-${tier}-acl`))
                .map((r) => ({ label: r.name, ...rec.inputsOf(r) }) as NaclRuleSpec);

        it("opens 22 and 3389 in no tier: no world allow covers them, and explicit denies come first", () => {
            for (const tier of ["public", "compute", "data"]) {
                const rules = rulesOf(tier);
                assert.ok(rules.length > 0, tier);
                const worldAdmin = rules.filter((r) => !r.egress && r.ruleAction === "allow" && isWorld(r.cidrBlock)
                    && (r.protocol === "-1" || [22, 3389].some((p) => r.fromPort <= p && p <= r.toPort)));
                assert.deepEqual(worldAdmin.map((r) => r.label), [], tier);
                for (const port of [22, 3389]) {
                    for (const ip of ["203.0.113.9", cfg.network.vpcCidr.split("/")[0].replace(/\.0$/, ".10")]) {
                        assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port, ip }), "deny", `${tier} admits ${port} from ${ip}`);
                    }
                }
            }
        });

        it("lets the data tier admit only 5432 and 6379, only from the compute (and data, for replication) subnets", () => {
            const plan = planSubnets(cfg.network.vpcCidr, want.azs);
            const rules = rulesOf("data");
            const portAllows = rules.filter((r) => !r.egress && r.ruleAction === "allow" && r.toPort < 1024);
            assert.deepEqual(portAllows, []);
            const servicePortAllows = rules.filter((r) => !r.egress && r.ruleAction === "allow" && r.fromPort === r.toPort);
            assert.deepEqual([...new Set(servicePortAllows.map((r) => r.fromPort))].sort(), [5432, 6379]);
            for (const r of servicePortAllows) {
                assert.ok([...plan.map((p) => p.compute), ...plan.map((p) => p.data)].includes(r.cidrBlock), `${r.label} admits ${r.cidrBlock}`);
            }
            const ipIn = (cidr: string) => cidr.split("/")[0].replace(/\.0$/, ".20");
            for (const port of [5432, 6379]) {
                for (const p of plan)
                    assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port, ip: ipIn(p.compute) }), "allow", `${port} from ${p.compute}`);
                for (const p of plan)
                    assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port, ip: ipIn(p.public) }), "deny", `${port} from ${p.public}`);
                assert.equal(naclDecides(rules, { egress: false, protocol: "tcp", port, ip: "198.51.100.4" }), "deny");
            }
            assert.ok(rules.filter((r) => r.egress).every((r) => r.cidrBlock === cfg.network.vpcCidr), "data egress leaves the VPC");
        });

        it("takes over the default security group and the default network ACL with no rules", () => {
            const [defaultSg] = rec.ofType(T.defaultSg);
            assert.equal(rec.ofType(T.defaultSg).length, 1);
            assert.deepEqual(defaultSg.propertyDependencies.vpcId, [vpc().urn]);
            assert.equal(rec.inputsOf(defaultSg).ingress, undefined);
            assert.equal(rec.inputsOf(defaultSg).egress, undefined);
            const [defaultAcl] = rec.ofType(T.defaultAcl);
            assert.ok(defaultAcl.propertyDependencies.defaultNetworkAclId.includes(vpc().urn));
            assert.equal(rec.inputsOf(defaultAcl).ingress, undefined);
            assert.equal(rec.inputsOf(defaultAcl).egress, undefined);
        });

        it("passes every network policy", async () => {
            const found = await runPolicies(networkPolicies, rec.resources);
            assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
        });
    });
}
