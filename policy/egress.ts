import { PlatformPolicy, asList, known, mapped } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const WORLD = ["0.0.0.0/0", "::/0"];

/** Why one egress rule is open to the internet on every protocol or port, or undefined. */
function openEgress(rule: Record<string, any>): string | undefined {
    const world = [...asList<string>(known(() => rule.cidrBlocks) as any), ...asList<string>(known(() => rule.ipv6CidrBlocks) as any),
        known(() => rule.cidrIpv4), known(() => rule.cidrIpv6)].filter((c) => WORLD.includes(String(c)));
    if (world.length === 0) return undefined;
    const protocol = String(rule.protocol ?? rule.ipProtocol ?? "").toLowerCase();
    if (["-1", "all"].includes(protocol)) return `allows all protocols to ${world.join(", ")}`;
    const from = Number(rule.fromPort ?? 0);
    const to = Number(rule.toPort ?? 65535);
    return ["tcp", "udp", "6", "17"].includes(protocol) && from <= 1 && to >= 65535 ? `allows every ${protocol} port to ${world.join(", ")}` : undefined;
}

export const noOpenEgress: PlatformPolicy = {
    name: "no-open-egress",
    description:
        "No security group egress rule (inline, securityGroupRule, vpc/securityGroupEgressRule) allows all protocols or every port to 0.0.0.0/0 or " +
        "::/0: compute and data tiers name the ports they reach on the internet (e.g. 443).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-7", "SC-7(5)", "AC-4"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps:
        "Replace the open rule with egress to the ports the workload needs (443 to the internet through NAT, the data ports to security groups, " +
        "the VPC CIDR for endpoints).",
    validateResource: (args, reportViolation) => {
        const p = args.props;
        if (args.type === SG) {
            asList<any>(known(() => p.egress) as any).forEach((rule, i) => {
                const problem = openEgress(rule);
                if (problem) reportViolation(`${args.name}: inline egress rule ${i + 1} ${problem}`);
            });
            return;
        }
        if ((args.type === SG_RULE && p.type === "egress") || args.type === SG_EGRESS) {
            const problem = openEgress(p);
            if (problem) reportViolation(`${args.name}: egress ${problem}`);
        }
    },
};

export const egressPolicies: PlatformPolicy[] = honourExceptions([noOpenEgress]);
