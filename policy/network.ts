import { PolicyResource, ResourceValidationArgs, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { PlatformPolicy, asList, configOf, pointingAt, mapped } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { ADMIN_PORTS } from "../standards/ports";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const NACL = "aws:ec2/networkAcl:NetworkAcl";
const DEFAULT_NACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl";
const NACL_RULE = "aws:ec2/networkAclRule:NetworkAclRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SUBNET = "aws:ec2/subnet:Subnet";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

const WORLD = ["0.0.0.0/0", "::/0"];

/** True for the protocol values that mean "every protocol, every port". */
function allProtocols(protocol: unknown): boolean {
    return ["-1", "all"].includes(String(protocol ?? "").toLowerCase());
}

/** True when a rule (protocol, fromPort..toPort) admits `port` over TCP or UDP. ICMP and other protocols carry no ports. */
function coversPort(protocol: unknown, fromPort: unknown, toPort: unknown, port: number): boolean {
    if (allProtocols(protocol)) return true;
    if (!["tcp", "udp", "6", "17"].includes(String(protocol ?? "").toLowerCase())) return false;
    return Number(fromPort) <= port && port <= Number(toPort);
}

/** The world-open sources (0.0.0.0/0, ::/0) a rule names. */
function worldSources(...cidrs: unknown[]): string[] {
    return cidrs.flatMap((c) => asList(c as string | string[])).filter((c) => WORLD.includes(String(c)));
}

/** Each VPC in the stack must have a companion resource of `type` joined to it through `vpcId` that satisfies `ok`. */
function eachVpcHas(type: string, ok: (r: PolicyResource) => boolean, problem: string) {
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const vpc of args.resources.filter((r) => r.type === VPC)) {
            if (!pointingAt(args.resources, type, "vpcId", vpc).some(ok)) reportViolation(`VPC ${vpc.name} ${problem}`, vpc.urn);
        }
    };
}

export const vpcFlowLogs: PlatformPolicy = {
    name: "vpc-flow-logs",
    description: "Every VPC has a flow log capturing all traffic (accepted and rejected).",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["EC2.6"], cis: ["3.7"], nist: ["AU-12", "SI-4"], soc2: ["CC7.2"], iso: ["A.8.15", "A.8.16"] }),
    remediationSteps: "Create the VPC through the Network component, or add an aws.ec2.FlowLog with vpcId set to the VPC and trafficType ALL.",
    validateStack: eachVpcHas(FLOW_LOG, (f) => f.props.trafficType === "ALL", "has no flow log with traffic type ALL"),
};

/** True when a security group or NACL resource carries no inline rules. */
const noInlineRules = (r: PolicyResource) => asList(r.props.ingress).length === 0 && asList(r.props.egress).length === 0;

export const defaultSgClosed: PlatformPolicy = {
    name: "default-sg-closed",
    description: "Every VPC's default security group is taken over and left with no ingress and no egress rules.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["EC2.2"], cis: ["5.4"], nist: ["SC-7", "AC-4"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps:
        "Add an aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress (the Network component does); put workloads in their own " +
        "security groups.",
    validateStack: (args, reportViolation) => {
        eachVpcHas(
            DEFAULT_SG,
            noInlineRules,
            "has no default security group taken over with no rules (its AWS default admits traffic from itself and allows all egress)",
        )(args, reportViolation);
        for (const sg of args.resources.filter((r) => r.type === DEFAULT_SG && !noInlineRules(r))) {
            reportViolation(`default security group ${sg.name} has rules; it must admit and send nothing`, sg.urn);
        }
    },
};

/** The admin ports a NACL ingress allow admits from the world; empty when none. */
function naclAdminExposure(rule: Record<string, any>): number[] {
    const allow = String(rule.ruleAction ?? rule.action ?? "").toLowerCase() === "allow";
    if (!allow || !worldSources(rule.cidrBlock, rule.ipv6CidrBlock).length) return [];
    return ADMIN_PORTS.filter((port) => coversPort(rule.protocol, rule.fromPort, rule.toPort, port));
}

export const naclNoAdminPorts: PlatformPolicy = {
    name: "nacl-no-admin-ports",
    description:
        "No network ACL ingress rule allows SSH (22) or RDP (3389) from 0.0.0.0/0 or ::/0, including all-traffic rules and port ranges that cover them.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["EC2.21"], cis: ["5.1"], nist: ["SC-7", "AC-17"], soc2: ["CC6.6"], iso: ["A.8.20"] }),
    remediationSteps:
        "Narrow the rule's source, or split world-open port ranges around 22 and 3389 (e.g. ephemeral 1024-3388 and 3390-65535); use Session " +
        "Manager instead of SSH/RDP.",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const p = args.props;
        const rules = args.type === NACL_RULE ? (p.egress === true ? [] : [p])
            : args.type === NACL || args.type === DEFAULT_NACL ? asList(p.ingress) : [];
        for (const rule of rules) {
            const ports = naclAdminExposure(rule);
            const which = rule.ruleNumber !== undefined ? `ingress rule ${rule.ruleNumber}` : "an ingress rule";
            if (ports.length)
                reportViolation(
                    `${args.name}: ${which} allows port ${ports.join(" and ")} from ${worldSources(rule.cidrBlock, rule.ipv6CidrBlock).join(", ")}`,
                );
        }
    },
};

interface WorldIngressConfig {
    /** Security group names allowed to admit 443 from the world (e.g. an ALB not fronted by Cloudflare). */
    allowHttpsFromWorld: string[];
}
const WORLD_INGRESS_DEFAULTS: WorldIngressConfig = { allowHttpsFromWorld: [] };

/** The names a security group answers to in the exception list: its physical name and its Pulumi name. */
const groupNames = (sg: PolicyResource | undefined): string[] => (sg ? [sg.props.name, sg.name].filter((n): n is string => typeof n === "string") : []);

export const noWorldIngress: PlatformPolicy = {
    name: "no-world-ingress",
    description:
        "No security group rule (inline ingress, ec2/securityGroupRule, vpc/securityGroupIngressRule) opens any port to 0.0.0.0/0 or ::/0; only " +
        "groups on the exception list may admit 443 from the world.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["EC2.18", "EC2.19", "EC2.13", "EC2.14"], cis: ["5.2", "5.3"], nist: ["SC-7", "AC-4"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps:
        "Admit traffic from security groups or known ranges (e.g. the Cloudflare ranges for the ALB); add a group to allowHttpsFromWorld only for " +
        "443 on a public load balancer without Cloudflare in front.",
    configSchema: {
        properties: {
            allowHttpsFromWorld: { type: "array", items: { type: "string" }, default: WORLD_INGRESS_DEFAULTS.allowHttpsFromWorld,
                description: "Security group names (physical or Pulumi name) that may admit TCP 443 from 0.0.0.0/0 or ::/0" },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, WORLD_INGRESS_DEFAULTS);
        const check = (owner: PolicyResource, sg: PolicyResource | undefined, rule: Record<string, any>, sources: string[], what: string) => {
            if (!sources.length) return;
            const protocol = String(rule.protocol ?? rule.ipProtocol ?? "").toLowerCase();
            const only443 = ["tcp", "6"].includes(protocol) && Number(rule.fromPort) === 443 && Number(rule.toPort) === 443;
            if (only443 && groupNames(sg).some((n) => cfg.allowHttpsFromWorld.includes(n))) return;
            const ports = allProtocols(protocol) ? "all ports" : `ports ${rule.fromPort}-${rule.toPort}/${protocol}`;
            reportViolation(`${owner.name}: ${what} opens ${ports} to ${sources.join(", ")}`, owner.urn);
        };
        const groupOf = (rule: PolicyResource) => asList(rule.propertyDependencies.securityGroupId).find((d) => d.type === SG);
        for (const r of args.resources) {
            if (r.type === SG) {
                for (const rule of asList<Record<string, any>>(r.props.ingress))
                    check(r, r, rule, worldSources(rule.cidrBlocks, rule.ipv6CidrBlocks), "inline ingress");
            } else if (r.type === SG_RULE && r.props.type === "ingress") {
                check(r, groupOf(r), r.props, worldSources(r.props.cidrBlocks, r.props.ipv6CidrBlocks), "ingress rule");
            } else if (r.type === SG_INGRESS) {
                check(r, groupOf(r), r.props, worldSources(r.props.cidrIpv4, r.props.cidrIpv6), "ingress rule");
            }
        }
    },
};

export const noPublicIpSubnets: PlatformPolicy = {
    name: "no-public-ip-subnets",
    description: "No subnet assigns public IPv4 addresses to what is launched in it (mapPublicIpOnLaunch).",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["EC2.15"], nist: ["SC-7"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps: "Set mapPublicIpOnLaunch: false; load balancers and NAT gateways bring their own public addresses.",
    validateResource: (args, reportViolation) => {
        if (args.type === SUBNET && (args.props.mapPublicIpOnLaunch === true || args.props.mapPublicIpOnLaunch === "true")) {
            reportViolation(`${args.name}: mapPublicIpOnLaunch is true; instances launched here get public IPs`);
        }
    },
};

interface EndpointsConfig {
    /** Interface endpoint services (suffix after com.amazonaws.<region>.) every VPC must have, with private DNS. */
    requiredInterfaceEndpoints: string[];
}
const ENDPOINT_DEFAULTS: EndpointsConfig = { requiredInterfaceEndpoints: ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs"] };

/** The service suffix of an endpoint's `com.amazonaws.<region>.<service>` name. */
function serviceOf(endpoint: PolicyResource): string | undefined {
    return /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(String(endpoint.props.serviceName ?? ""))?.[1];
}

export const vpcEndpoints: PlatformPolicy = {
    name: "vpc-endpoints",
    description:
        "Every VPC keeps AWS-service traffic private: an S3 gateway endpoint and interface endpoints with private DNS for the required services " +
        "(default ECR api/dkr, Secrets Manager, KMS, CloudWatch Logs).",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["SC-7"], soc2: ["CC6.6", "CC6.7"], iso: ["A.8.20", "A.8.21"] }),
    remediationSteps:
        "List the services in platform:network.interfaceEndpoints (the Network component creates them with privateDnsEnabled and the S3 gateway endpoint).",
    configSchema: {
        properties: {
            requiredInterfaceEndpoints: { type: "array", items: { type: "string" }, default: ENDPOINT_DEFAULTS.requiredInterfaceEndpoints,
                description: "Interface endpoint services (suffix after com.amazonaws.<region>.) each VPC must have with private DNS" },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, ENDPOINT_DEFAULTS);
        for (const vpc of args.resources.filter((r) => r.type === VPC)) {
            const endpoints = pointingAt(args.resources, ENDPOINT, "vpcId", vpc);
            const gatewayS3 = endpoints.some((e) => serviceOf(e) === "s3" && (e.props.vpcEndpointType ?? "Gateway") === "Gateway");
            if (!gatewayS3) reportViolation(`VPC ${vpc.name} has no S3 gateway endpoint`, vpc.urn);
            const present = new Set(endpoints.filter((e) => e.props.vpcEndpointType === "Interface" && e.props.privateDnsEnabled === true).map(serviceOf));
            const missing = cfg.requiredInterfaceEndpoints.filter((s) => !present.has(s));
            if (missing.length) reportViolation(`VPC ${vpc.name} lacks interface endpoints with private DNS for: ${missing.join(", ")}`, vpc.urn);
        }
    },
};

export const networkPolicies: PlatformPolicy[] = honourExceptions([
    vpcFlowLogs,
    defaultSgClosed,
    naclNoAdminPorts,
    noWorldIngress,
    noPublicIpSubnets,
    vpcEndpoints,
]);
