import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { NaclRuleSpec, naclRules } from "./nacl-plan";
import { AzSubnets, TIERS, Tier, planSubnets } from "./subnet-plan";
import { ComponentTags, withTags } from "../tags";
import { componentAccountId, componentRegion } from "../provider-region";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";
import { serviceTrustPolicy } from "../security/service-trust";

/** The arguments of Network: what the caller decides about the VPC. */
export interface NetworkArgs {
    /**
     * Region of the AWS provider in opts; builds the endpoint service names `com.amazonaws.<region>.<svc>`. When given,
     * it must be the provider's region (checked). Default: the provider's region (`aws.getRegion`).
     */
    readonly region?: string;
    /**
     * Account that owns the VPC; the flow-log delivery role trusts the service only on behalf of this account.
     * Default: the provider's account (`aws.getCallerIdentity`).
     */
    readonly accountId?: pulumi.Input<string>;
    /** Prefix of physical names and `Name` tags, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /** The VPC's IPv4 CIDR (/16 to /20); the subnets are carved from it by `planSubnets`. */
    readonly vpcCidr: string;
    /** How many availability zones (1-4) get a public, a compute and a data subnet each. */
    readonly availabilityZones: number;
    /** One NAT gateway per AZ (no cross-AZ dependency) or a single one shared by every AZ (cheaper). Default: `per-az`. */
    readonly natGateways?: "single" | "per-az";
    /** Interface endpoint services (the suffix after `com.amazonaws.<region>.`), placed in the compute subnets. */
    readonly interfaceEndpoints: readonly string[];
    /**
     * How many AZs (the first N) get an ENI of each interface endpoint; default every AZ. Endpoints bill per AZ-hour
     * (https://aws.amazon.com/privatelink/pricing/); with private DNS, clients in an AZ without an ENI resolve and
     * reach the endpoint's ENIs in the other AZs, paying inter-AZ transfer and losing that AZ's independence
     * (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html, read 2026-12-03).
     */
    readonly endpointAzs?: number;
    /**
     * Flow log destination: the KMS key that encrypts the log group and how long flow records are kept (days).
     * Default retention: MIN_PROD_LOG_RETENTION_DAYS (365).
     */
    readonly flowLogs: { readonly kmsKeyArn: pulumi.Input<string>; readonly retentionDays?: number };
    /** Protect the flow log group (network audit evidence) from deletion; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/**
 * A three-tier VPC: per AZ a public subnet (ALB, NAT), a private compute subnet (Fargate) and a private data subnet
 * (RDS, Redis). What cannot go wrong:
 * - the data tier has no route to the internet (its route tables hold only the local route and the S3 gateway
 *   endpoint) and its network ACL admits only 5432/6379 from compute (plus replication and returns);
 * - no subnet hands out public IPs; no network ACL opens 22 or 3389; the default security group and the default
 *   network ACL are taken over with no rules, so anything left on them talks to nothing;
 * - AWS-service traffic (S3, ECR, Secrets Manager, KMS, Logs, ...) stays inside the VPC through endpoints whose
 *   security group admits only 443 from the VPC;
 * - every flow (traffic type ALL) is logged to a KMS-encrypted log group with bounded retention, delivered by a role
 *   that can write only to that group on behalf of this account.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC resource itself (for `dependsOn`, or to read any other attribute). */
    public readonly vpc: aws.ec2.Vpc;
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: pulumi.Output<string>;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly computeSubnetIds: pulumi.Output<string>[];
    public readonly dataSubnetIds: pulumi.Output<string>[];
    /** The planned CIDR of each subnet, per AZ (known at plan time; security groups and NACLs use them). */
    public readonly subnetCidrs: readonly AzSubnets[];
    public readonly publicRouteTableId: pulumi.Output<string>;
    public readonly computeRouteTableIds: pulumi.Output<string>[];
    public readonly dataRouteTableIds: pulumi.Output<string>[];
    public readonly natGatewayIds: pulumi.Output<string>[];
    /** The NAT gateways' Elastic IPs: every connection from the private subnets to the internet leaves from these. */
    public readonly natPublicIps: pulumi.Output<string>[];
    public readonly endpointSecurityGroupId: pulumi.Output<string>;
    public readonly s3GatewayEndpointId: pulumi.Output<string>;
    /** The S3 gateway endpoint's managed prefix list (pl-...): security-group egress to S3 names it. */
    public readonly s3PrefixListId: pulumi.Output<string>;
    public readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;
    public readonly flowLogGroupName: pulumi.Output<string>;
    public readonly flowLogGroupArn: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, withTags(opts, args.tags));
        const region = componentRegion(this, args.region, `Network ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        const plan = planSubnets(args.vpcCidr, args.availabilityZones);
        const unknown = args.interfaceEndpoints.filter((s) => !/^[a-z0-9][a-z0-9.-]*$/.test(s));
        if (unknown.length) throw new Error(`Network ${name}: invalid interface endpoint service names: ${unknown.join(", ")}`);
        const parent = { parent: this };
        const tag = (suffix: string) => ({ Name: `${args.namePrefix}-${suffix}` });
        const az = (i: number) => `az${i + 1}`;

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, instanceTenancy: "default", tags: tag("vpc"),
        }, parent);

        // Take over the VPC's defaults: with no rules they admit and send nothing (FSBP EC2.2).
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tag("default-closed") }, parent);
        new aws.ec2.DefaultNetworkAcl(`${name}-default-acl`, { defaultNetworkAclId: vpc.defaultNetworkAclId, tags: tag("default-closed") }, parent);

        const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, parent);
        const zoneName = (i: number) => pulumi.all([zones.names, region]).apply(([names, regionName]) => {
            if (names.length < args.availabilityZones) {
                throw new Error(`Network ${name}: ${args.availabilityZones} AZs requested, region ${regionName} lists ${names.length}`);
            }
            return names[i];
        });

        const subnets: Record<Tier, aws.ec2.Subnet[]> = { public: [], compute: [], data: [] };
        for (const p of plan) {
            for (const tier of TIERS) {
                subnets[tier].push(new aws.ec2.Subnet(`${name}-${tier}-${az(p.index)}`, {
                    vpcId: vpc.id, cidrBlock: p[tier], availabilityZone: zoneName(p.index),
                    // Nothing here needs a public IP: the ALB and NAT gateways bring their own addresses.
                    mapPublicIpOnLaunch: false,
                    tags: { ...tag(`${tier}-${az(p.index)}`), tier },
                }, parent));
            }
        }

        // Public tier: one route table, default route to the internet gateway.
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tag("igw") }, parent);
        const publicRouteTable = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tag("public") }, parent);
        new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRouteTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, parent);
        subnets.public.forEach((s, i) => {
            new aws.ec2.RouteTableAssociation(`${name}-public-${az(i)}`, { subnetId: s.id, routeTableId: publicRouteTable.id }, parent);
        });

        // NAT gateways in the public subnets: one per AZ, or one for all.
        const natCount = (args.natGateways ?? "per-az") === "per-az" ? plan.length : 1;
        const natIps: pulumi.Output<string>[] = [];
        const nats = plan.slice(0, natCount).map((p) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${az(p.index)}`, { domain: "vpc", tags: tag(`nat-${az(p.index)}`) }, parent);
            natIps.push(eip.publicIp);
            return new aws.ec2.NatGateway(`${name}-nat-${az(p.index)}`, {
                allocationId: eip.id, subnetId: subnets.public[p.index].id, connectivityType: "public", tags: tag(`nat-${az(p.index)}`),
            }, { parent: this, dependsOn: [igw] });
        });

        // Compute tier: a route table per AZ whose default route goes to that AZ's NAT (or the single NAT).
        const computeRouteTables = plan.map((p) => {
            const rt = new aws.ec2.RouteTable(`${name}-compute-rt-${az(p.index)}`, { vpcId: vpc.id, tags: tag(`compute-${az(p.index)}`) }, parent);
            new aws.ec2.Route(`${name}-compute-default-${az(p.index)}`, {
                routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[Math.min(p.index, nats.length - 1)].id,
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-compute-${az(p.index)}`, { subnetId: subnets.compute[p.index].id, routeTableId: rt.id }, parent);
            return rt;
        });

        // Data tier: route tables with no route out of the VPC; the S3 gateway endpoint adds its prefix-list route.
        const dataRouteTables = plan.map((p) => {
            const rt = new aws.ec2.RouteTable(`${name}-data-rt-${az(p.index)}`, { vpcId: vpc.id, tags: tag(`data-${az(p.index)}`) }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-data-${az(p.index)}`, { subnetId: subnets.data[p.index].id, routeTableId: rt.id }, parent);
            return rt;
        });

        // Endpoints: S3 as a gateway on the private route tables; interface endpoints with private DNS in the compute subnets.
        const s3 = new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id, serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`, vpcEndpointType: "Gateway",
            routeTableIds: [...computeRouteTables, ...dataRouteTables].map((rt) => rt.id), tags: tag("s3"),
        }, parent);
        const endpointSg = new aws.ec2.SecurityGroup(`${name}-endpoints`, {
            vpcId: vpc.id, name: `${args.namePrefix}-vpc-endpoints`,
            description: "VPC interface endpoints: HTTPS from inside the VPC only",
            // No egress rules: endpoint ENIs only answer connections made to them (security groups are stateful).
            tags: tag("vpc-endpoints"),
        }, parent);
        new aws.vpc.SecurityGroupIngressRule(`${name}-endpoints-https`, {
            securityGroupId: endpointSg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr,
            description: "HTTPS to AWS service endpoints from the VPC",
        }, parent);
        const interfaceEndpointIds: Record<string, pulumi.Output<string>> = {};
        const endpointAzs = args.endpointAzs ?? args.availabilityZones;
        if (!Number.isInteger(endpointAzs) || endpointAzs < 1 || endpointAzs > args.availabilityZones) {
            throw new Error(`Network ${name}: endpointAzs must be an integer from 1 to availabilityZones (${args.availabilityZones}), got ${endpointAzs}`);
        }
        for (const service of args.interfaceEndpoints) {
            interfaceEndpointIds[service] = new aws.ec2.VpcEndpoint(`${name}-${service.replace(/\./g, "-")}`, {
                vpcId: vpc.id, serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`, vpcEndpointType: "Interface",
                privateDnsEnabled: true, subnetIds: subnets.compute.slice(0, endpointAzs).map((s) => s.id), securityGroupIds: [endpointSg.id],
                tags: tag(service),
            }, parent).id;
        }

        // Network ACLs per tier.
        const ctx = { vpcCidr: args.vpcCidr, computeCidrs: plan.map((p) => p.compute), dataCidrs: plan.map((p) => p.data) };
        for (const tier of TIERS) {
            const acl = new aws.ec2.NetworkAcl(`${name}-${tier}-acl`, {
                vpcId: vpc.id, subnetIds: subnets[tier].map((s) => s.id), tags: { ...tag(tier), tier },
            }, parent);
            for (const rule of naclRules(tier, ctx)) this.naclRule(`${name}-${tier}-acl-${rule.label}`, acl, rule);
        }

        const flowLogGroup = this.flowLogs(name, vpc, args, region, accountId);

        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.publicSubnetIds = subnets.public.map((s) => s.id);
        this.computeSubnetIds = subnets.compute.map((s) => s.id);
        this.dataSubnetIds = subnets.data.map((s) => s.id);
        this.subnetCidrs = plan;
        this.publicRouteTableId = publicRouteTable.id;
        this.computeRouteTableIds = computeRouteTables.map((rt) => rt.id);
        this.dataRouteTableIds = dataRouteTables.map((rt) => rt.id);
        this.natGatewayIds = nats.map((n) => n.id);
        this.natPublicIps = natIps;
        this.endpointSecurityGroupId = endpointSg.id;
        this.s3GatewayEndpointId = s3.id;
        this.s3PrefixListId = s3.prefixListId;
        this.interfaceEndpointIds = interfaceEndpointIds;
        this.flowLogGroupName = flowLogGroup.name;
        this.flowLogGroupArn = flowLogGroup.arn;
        this.vpc = vpc;
        this.registerOutputs({
            vpcId: this.vpcId, vpcCidr: this.vpcCidr, publicSubnetIds: this.publicSubnetIds, computeSubnetIds: this.computeSubnetIds,
            dataSubnetIds: this.dataSubnetIds, publicRouteTableId: this.publicRouteTableId, computeRouteTableIds: this.computeRouteTableIds,
            dataRouteTableIds: this.dataRouteTableIds, endpointSecurityGroupId: this.endpointSecurityGroupId,
            s3GatewayEndpointId: this.s3GatewayEndpointId, s3PrefixListId: this.s3PrefixListId, interfaceEndpointIds, flowLogGroupName: this.flowLogGroupName,
        });
    }

    private naclRule(resourceName: string, acl: aws.ec2.NetworkAcl, rule: NaclRuleSpec): aws.ec2.NetworkAclRule {
        return new aws.ec2.NetworkAclRule(resourceName, {
            networkAclId: acl.id, ruleNumber: rule.ruleNumber, egress: rule.egress, ruleAction: rule.ruleAction,
            protocol: rule.protocol, cidrBlock: rule.cidrBlock,
            // ICMP rules match on type and code; the API takes a port range only for TCP and UDP.
            ...(rule.protocol === "1" ? { icmpType: rule.icmpType, icmpCode: rule.icmpCode } : { fromPort: rule.fromPort, toPort: rule.toPort }),
        }, { parent: this });
    }

    /** Flow logs (traffic type ALL) to an encrypted log group, delivered by a role limited to that group. */
    private flowLogs(
        name: string, vpc: aws.ec2.Vpc, args: NetworkArgs, region: pulumi.Output<string>, accountId: pulumi.Output<string>,
    ): aws.cloudwatch.LogGroup {
        const roleName = `${args.namePrefix}-vpc-flow-logs`;
        if (roleName.length > 64) throw new Error(`Network ${name}: role name ${roleName} exceeds 64 characters; shorten namePrefix`);
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            name: `/${args.namePrefix}/network/vpc-flow-logs`, kmsKeyId: args.flowLogs.kmsKeyArn,
            retentionInDays: args.flowLogs.retentionDays ?? MIN_PROD_LOG_RETENTION_DAYS,
        }, { parent: this, protect: args.protect ?? true });
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(`${name}-flow-logs`, {
            name: roleName,
            description: `Delivers ${args.namePrefix} VPC flow logs to CloudWatch Logs`,
            // Confused-deputy guard: only flow logs of this account, in this region.
            assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", {
                StringEquals: { "aws:SourceAccount": accountId },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
            }),
        }, { parent: this });
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: role.id,
            name: "deliver-to-flow-log-group",
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    // The group itself (DescribeLogStreams) and its streams (`:*`), nothing else.
                    Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                }],
            }),
        }, { parent: this });
        new aws.ec2.FlowLog(`${name}-flow-log`, {
            vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: logGroup.arn,
            iamRoleArn: role.arn, maxAggregationInterval: 60, tags: { Name: `${args.namePrefix}-vpc` },
        }, { parent: this });
        return logGroup;
    }
}
