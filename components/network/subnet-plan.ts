/**
 * The deterministic address plan of the three-tier VPC: a pure function of the VPC CIDR and the AZ count, so the
 * same config always yields the same subnets and adding an AZ never moves an existing one.
 *
 * For a VPC of prefix /p (p = 16..20) split into sixteen blocks of /(p+4):
 * - blocks 0-3: one private-compute subnet per AZ, each a whole /(p+4) block (Fargate tasks take one IP each);
 *   block 3 stays free for a fourth AZ;
 * - block 4: the public subnets (ALB, NAT), /(p+8) each (capped at /27, the smallest subnet an ALB accepts);
 * - block 5: the private-data subnets (RDS, ElastiCache), same size as public;
 * - blocks 6-15: unallocated, for growth.
 *
 * For 10.20.0.0/16: compute 10.20.0.0/20, 10.20.16.0/20, 10.20.32.0/20; public 10.20.64.0/24, 10.20.65.0/24,
 * 10.20.66.0/24; data 10.20.80.0/24, 10.20.81.0/24, 10.20.82.0/24.
 */

export type Tier = "public" | "compute" | "data";
/** The subnet tiers, from the internet inwards. */
export const TIERS: readonly Tier[] = ["public", "compute", "data"];

/** The subnets of one availability zone. */
export interface AzSubnets {
    /** Zero-based AZ index (the n-th zone the region lists). */
    index: number;
    public: string;
    compute: string;
    data: string;
}

/** The most AZs the plan reserves room for. */
const MAX_AZS = 4;
const SMALLEST_EDGE_PREFIX = 27;

/** Parses `a.b.c.d/p` into a 32-bit base and prefix; throws with the offending text when it is not a canonical IPv4 CIDR. */
export function parseCidr(cidr: string): { base: number; prefix: number } {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    // Stryker disable next-line ArrayDeclaration,UnaryOperator: equivalent; without a match the next line throws anyway
    const octets = m ? m.slice(1, 5).map(Number) : [];
    // Stryker disable next-line UnaryOperator: equivalent (as above)
    const prefix = m ? Number(m[5]) : -1;
    if (!m || octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    if (base % 2 ** (32 - prefix) !== 0) throw new Error(`not a canonical CIDR (host bits set): ${cidr}`);
    return { base, prefix };
}

/** Formats a 32-bit base and prefix as `a.b.c.d/p`. */
export function formatCidr(base: number, prefix: number): string {
    return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join(".")}/${prefix}`;
}

/** True when `ip` (dotted quad) lies inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
    const { base, prefix } = parseCidr(cidr);
    const addr = parseCidr(`${ip}/32`).base;
    return addr >= base && addr < base + 2 ** (32 - prefix);
}

/** The subnet CIDRs per AZ for a VPC CIDR of /16 to /20 and 1 to 4 AZs (see the module doc for the layout). */
export function planSubnets(vpcCidr: string, azCount: number): AzSubnets[] {
    const { base, prefix } = parseCidr(vpcCidr);
    if (prefix < 16 || prefix > 20) throw new Error(`subnet plan: VPC CIDR ${vpcCidr} must be /16 to /20`);
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) throw new Error(`subnet plan: ${azCount} AZs; allowed 1 to ${MAX_AZS}`);
    const blockPrefix = prefix + 4;
    const block = 2 ** (32 - blockPrefix);
    const edgePrefix = Math.min(prefix + 8, SMALLEST_EDGE_PREFIX);
    const edge = 2 ** (32 - edgePrefix);
    return Array.from({ length: azCount }, (_, i) => ({
        index: i,
        compute: formatCidr(base + i * block, blockPrefix),
        public: formatCidr(base + 4 * block + i * edge, edgePrefix),
        data: formatCidr(base + 5 * block + i * edge, edgePrefix),
    }));
}
