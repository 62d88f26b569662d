import { POSTGRES_PORT, REDIS_PORT } from "../../standards/ports";
import { Tier, cidrContains } from "./subnet-plan";

/**
 * The network ACL rules of each tier, as plain data (the Network component turns each into an
 * aws.ec2.NetworkAclRule). NACLs are stateless, so every tier also admits the return traffic of the connections
 * it opens. Rules are evaluated in rule-number order; the first match decides, and unmatched traffic is denied.
 *
 * Every tier starts with explicit denies for SSH (22) and RDP (3389), so no later allow can open them from anywhere.
 * World-facing ephemeral ranges skip 3389 (1024-3388, 3390-65535) so that no allow from 0.0.0.0/0 covers an admin
 * port (FSBP EC2.21); the cost is that a NAT-translated flow whose port lands on 3389 gets no answer (about 1 in
 * 64,000 new connections, which clients retry).
 *
 * - public ingress: 443 from anywhere (the ALB; Cloudflare ranges are enforced by the ALB security group), all TCP
 *   from the VPC (compute egress forwarded by the NAT gateways, target responses to the ALB), ephemeral returns from
 *   anywhere (internet responses to the NAT gateways). Egress: everything (ALB to targets, NAT to the internet).
 * - compute ingress: all TCP from the VPC (ALB to tasks, endpoint and peer traffic), ephemeral returns from anywhere
 *   (internet responses through NAT). Egress: everything; security groups restrict per task.
 * - data ingress: 5432 and 6379 from the compute subnets, and from the data subnets (replication between data-tier
 *   nodes in different AZs); then explicit denies of 5432/6379 from the rest of the VPC so the ephemeral-return
 *   allow cannot reopen them; ephemeral returns from the VPC. Egress: ephemeral ports to the VPC only (responses to
 *   compute and replication peers); the data tier has no route and no NACL egress to the internet.
 */

/** TCP, ICMP ("1") or all traffic ("-1"). */
export type NaclProtocol = "tcp" | "1" | "-1";

/** One network ACL rule, as data (the Network component creates it; naclDecides evaluates it). */
export interface NaclRuleSpec {
    /** Short, stable label used in the resource name (e.g. `in-postgres-az1`). */
    label: string;
    ruleNumber: number;
    egress: boolean;
    ruleAction: "allow" | "deny";
    protocol: NaclProtocol;
    cidrBlock: string;
    fromPort: number;
    toPort: number;
    /** ICMP type and code (protocol "1" only). */
    icmpType?: number;
    icmpCode?: number;
}

/** The CIDRs a tier's network ACL rules are computed from. */
export interface NaclContext {
    vpcCidr: string;
    computeCidrs: readonly string[];
    dataCidrs: readonly string[];
}

const WORLD = "0.0.0.0/0";

const tcp = (
    label: string, ruleNumber: number, ruleAction: "allow" | "deny", cidrBlock: string, fromPort: number, toPort = fromPort, egress = false,
): NaclRuleSpec =>
    ({ label, ruleNumber, egress, ruleAction, protocol: "tcp", cidrBlock, fromPort, toPort });
const allTraffic = (label: string, ruleNumber: number, cidrBlock: string, egress: boolean): NaclRuleSpec =>
    ({ label, ruleNumber, egress, ruleAction: "allow", protocol: "-1", cidrBlock, fromPort: 0, toPort: 0 });

/**
 * ICMP destination unreachable / fragmentation needed (type 3 code 4) from anywhere: Path MTU discovery needs it, or
 * large responses from the ALB and NAT gateways black-hole behind paths with a smaller MTU (NACLs are stateless).
 * https://docs.aws.amazon.com/vpc/latest/userguide/custom-network-acl.html (Path MTU Discovery; read 2026-12-03)
 */
const pathMtu = (): NaclRuleSpec =>
    ({
        label: "in-icmp-path-mtu", ruleNumber: 140, egress: false, ruleAction: "allow", protocol: "1", cidrBlock: WORLD, fromPort: -1, toPort: -1,
        icmpType: 3, icmpCode: 4,
    });

const adminDenies = (): NaclRuleSpec[] => [tcp("in-deny-ssh", 10, "deny", WORLD, 22), tcp("in-deny-rdp", 20, "deny", WORLD, 3389)];
const worldEphemeral = (): NaclRuleSpec[] => [
    tcp("in-ephemeral-low", 120, "allow", WORLD, 1024, 3388), tcp("in-ephemeral-high", 130, "allow", WORLD, 3390, 65535),
];

/** The 1-based AZ suffix the subnets' names use. */
const az = (index: number): string => `az${index + 1}`;

/** The ingress and egress rules of one tier's network ACL. */
export function naclRules(tier: Tier, ctx: NaclContext): NaclRuleSpec[] {
    switch (tier) {
        case "public":
            return [
                ...adminDenies(),
                tcp("in-https", 100, "allow", WORLD, 443),
                tcp("in-vpc", 110, "allow", ctx.vpcCidr, 0, 65535),
                ...worldEphemeral(),
                pathMtu(),
                allTraffic("out-all", 100, WORLD, true),
            ];
        case "compute":
            return [
                ...adminDenies(),
                tcp("in-vpc", 100, "allow", ctx.vpcCidr, 0, 65535),
                ...worldEphemeral(),
                pathMtu(),
                allTraffic("out-all", 100, WORLD, true),
            ];
        case "data":
            // Any distinct numbers below the 190 denies decide the same, so the per-AZ numbers' arithmetic has
            // equivalent mutants; the labels (resource names) are tested against the subnet plan.
            return [
                ...adminDenies(),
                ...ctx.computeCidrs.flatMap((cidr, i) => [
                    // Stryker disable next-line ArithmeticOperator: equivalent (see above)
                    tcp(`in-postgres-compute-${az(i)}`, 100 + i, "allow", cidr, POSTGRES_PORT),
                    // Stryker disable next-line ArithmeticOperator: equivalent (see above)
                    tcp(`in-redis-compute-${az(i)}`, 110 + i, "allow", cidr, REDIS_PORT),
                ]),
                ...ctx.dataCidrs.flatMap((cidr, i) => [
                    // Stryker disable next-line ArithmeticOperator: equivalent (see above)
                    tcp(`in-postgres-data-${az(i)}`, 120 + i, "allow", cidr, POSTGRES_PORT),
                    // Stryker disable next-line ArithmeticOperator: equivalent (see above)
                    tcp(`in-redis-data-${az(i)}`, 130 + i, "allow", cidr, REDIS_PORT),
                ]),
                tcp("in-deny-postgres-vpc", 190, "deny", ctx.vpcCidr, POSTGRES_PORT),
                tcp("in-deny-redis-vpc", 191, "deny", ctx.vpcCidr, REDIS_PORT),
                tcp("in-ephemeral-vpc", 200, "allow", ctx.vpcCidr, 1024, 65535),
                tcp("out-ephemeral-vpc", 100, "allow", ctx.vpcCidr, 1024, 65535, true),
            ];
    }
}

/** What a NACL decides for one packet: the first rule (by number) that matches, or deny. Used by tests and docs. */
export function naclDecides(rules: readonly NaclRuleSpec[], packet: { egress: boolean; protocol: "tcp" | "udp"; port: number; ip: string }): "allow" | "deny" {
    const match = [...rules].filter((r) => r.egress === packet.egress).sort((a, b) => a.ruleNumber - b.ruleNumber).find((r) =>
        (r.protocol === "-1" || (r.protocol === packet.protocol && packet.port >= r.fromPort && packet.port <= r.toPort))
            && cidrContains(r.cidrBlock, packet.ip));
    return match?.ruleAction ?? "deny";
}
