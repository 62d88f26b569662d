import * as pulumi from "@pulumi/pulumi";
import { Network } from "../../components";
import { PlatformConfig } from "../config";

/** What the network layer needs from other layers. */
export interface NetworkInputs {
    /** ARN of the logs CMK (its key policy grants CloudWatch Logs); encrypts the flow log group. */
    logsKeyArn: pulumi.Input<string>;
    /** The account the stack deploys into; scopes the flow-log delivery role's trust. */
    accountId: pulumi.Input<string>;
}

/** What other layers take from the network layer. */
export interface NetworkOutputs {
    vpcId: pulumi.Output<string>;
    vpcCidr: pulumi.Output<string>;
    publicSubnetIds: pulumi.Output<string>[];
    computeSubnetIds: pulumi.Output<string>[];
    dataSubnetIds: pulumi.Output<string>[];
    /** Planned subnet CIDRs per tier, known at plan time (for security group and NACL sources). */
    publicSubnetCidrs: string[];
    computeSubnetCidrs: string[];
    dataSubnetCidrs: string[];
    publicRouteTableId: pulumi.Output<string>;
    computeRouteTableIds: pulumi.Output<string>[];
    dataRouteTableIds: pulumi.Output<string>[];
    endpointSecurityGroupId: pulumi.Output<string>;
    s3GatewayEndpointId: pulumi.Output<string>;
    s3PrefixListId: pulumi.Output<string>;
    /** Interface endpoint id per service suffix (e.g. `ecr.api`), for the stack's configured set. */
    interfaceEndpointIds: Record<string, pulumi.Output<string>>;
    flowLogGroupName: pulumi.Output<string>;
    /** The NAT gateways' public IPs (customers allow-list them for the scanner and webhooks). */
    natPublicIps: pulumi.Output<string>[];
}

/** The VPC, its three tiers, NAT, endpoints, NACLs and flow logs, from the stack's `platform:network` config. */
export function buildNetwork(cfg: PlatformConfig, inputs: NetworkInputs, opts: pulumi.ComponentResourceOptions): NetworkOutputs {
    const network = new Network("network", {
        region: cfg.region,
        accountId: inputs.accountId,
        namePrefix: cfg.namePrefix,
        vpcCidr: cfg.network.vpcCidr,
        availabilityZones: cfg.network.availabilityZones,
        natGateways: cfg.network.natGateways,
        interfaceEndpoints: cfg.network.interfaceEndpoints,
        endpointAzs: cfg.network.endpointAzs,
        flowLogs: { kmsKeyArn: inputs.logsKeyArn, retentionDays: cfg.retention.flowLogDays },
        protect: cfg.isProd,
    }, opts);
    return {
        vpcId: network.vpcId,
        vpcCidr: network.vpcCidr,
        publicSubnetIds: network.publicSubnetIds,
        computeSubnetIds: network.computeSubnetIds,
        dataSubnetIds: network.dataSubnetIds,
        publicSubnetCidrs: network.subnetCidrs.map((p) => p.public),
        computeSubnetCidrs: network.subnetCidrs.map((p) => p.compute),
        dataSubnetCidrs: network.subnetCidrs.map((p) => p.data),
        publicRouteTableId: network.publicRouteTableId,
        computeRouteTableIds: network.computeRouteTableIds,
        dataRouteTableIds: network.dataRouteTableIds,
        endpointSecurityGroupId: network.endpointSecurityGroupId,
        s3GatewayEndpointId: network.s3GatewayEndpointId,
        s3PrefixListId: network.s3PrefixListId,
        interfaceEndpointIds: network.interfaceEndpointIds,
        flowLogGroupName: network.flowLogGroupName,
        natPublicIps: network.natPublicIps,
    };
}
