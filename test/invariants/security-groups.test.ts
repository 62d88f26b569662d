import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { CLOUDFLARE_RANGES } from "../../components";
import { Program, STACKS, T, asList, program } from "./program";

/**
 * Invariant: the security groups allow exactly the intended tier graph, computed from what each group is attached to
 * (ALB, ECS services, RDS, RDS Proxy, Redis, bastion, VPC endpoints) and every ingress/egress rule:
 *   Cloudflare ranges -> alb:443; alb -> api / keycloak on their container port; api, workers -> proxy, replica, redis
 *   (-> postgres only where there is no proxy); keycloak -> postgres; proxy -> postgres; bastion -> proxy, postgres,
 *   replica, redis (admin); keycloak <-> keycloak
 *   (cluster peers); VPC CIDR -> endpoints:443. Nothing else. Egress to a group mirrors an allowed ingress; egress to
 *   CIDRs is HTTPS only.
 *
 * Breaks it (checked by hand, then reverted):
 *   stacks/platform.ts  `postgresClientsSecurityGroupId: data.clientSecurityGroups.postgresClients` ->
 *   `data.clientSecurityGroups.postgresAdmins` (every task becomes a database admin: api -> postgres past the proxy;
 *   fails in prod-eu and prod-il, the stacks with a proxy)
 */

const PORTS = { postgres: 5432, redis: 6379, https: 443 };

/** The tier of a resource a security group is attached to. */
function tierOf(r: RecordedResource): string {
    switch (r.type) {
        case T.loadBalancer: return "alb";
        case T.service: return r.name === "api" || r.name === "keycloak" ? r.name : r.name.endsWith("-workers") ? "workers" : `service:${r.name}`;
        case "aws:rds/instance:Instance": return r.inputs.replicateSourceDb ? "replica" : "postgres";
        case "aws:rds/proxy:Proxy": return "proxy";
        case "aws:elasticache/replicationGroup:ReplicationGroup": return "redis";
        case "aws:ec2/instance:Instance": return "bastion";
        case "aws:ec2/vpcEndpoint:VpcEndpoint": return "endpoints";
        default: return `${r.type}:${r.name}`;
    }
}

/** Tiers attached to each security group (by URN). */
function members(p: Program): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const r of p.resources) {
        if (r.type === T.ingress || r.type === T.egress || r.type === T.securityGroup) continue;
        for (const prop of ["securityGroups", "securityGroupIds", "vpcSecurityGroupIds", "networkConfiguration"]) {
            for (const sg of p.deps(r, prop, T.securityGroup)) {
                if (!out.has(sg.urn)) out.set(sg.urn, new Set());
                out.get(sg.urn)!.add(tierOf(r));
            }
        }
    }
    return out;
}

/** Where a CIDR points: Cloudflare, the VPC, anywhere, or itself. */
function cidrTier(p: Program, cidr: string): string {
    if ([...CLOUDFLARE_RANGES.ipv4, ...CLOUDFLARE_RANGES.ipv6].includes(cidr)) return "cloudflare";
    if (p.ofType("aws:ec2/vpc:Vpc").some((v) => v.inputs.cidrBlock === cidr)) return "vpc";
    if (cidr === "0.0.0.0/0" || cidr === "::/0") return "anywhere";
    return cidr;
}

/** Container ports of an ECS service's task definition (its essential containers: sidecars such as the X-Ray daemon take only local traffic). */
function containerPorts(p: Program, family: string): number[] {
    const definition = p.ofType(T.taskDefinition).find((d) => d.name === family);
    if (!definition) return [];
    return JSON.parse(p.inputs(definition).containerDefinitions).filter((c: any) => c.essential !== false)
        .flatMap((c: any) => asList(c.portMappings).map((m: any) => m.containerPort));
}

function allowedIngress(p: Program): Set<string> {
    const edges = [
        `cloudflare->alb:${PORTS.https}`, `vpc->endpoints:${PORTS.https}`,
        ...containerPorts(p, "api").map((port) => `alb->api:${port}`),
        ...containerPorts(p, "keycloak").map((port) => `alb->keycloak:${port}`),
        // Keycloak cluster peers (JGroups TCP and its failure detection) talk to each other only.
        "keycloak->keycloak:7800", "keycloak->keycloak:57800",
    ];
    // Application clients reach the primary through the proxy where there is one (directly only without a proxy).
    const hasProxy = p.ofType("aws:rds/proxy:Proxy").length > 0;
    for (const client of ["api", "workers", "bastion"]) {
        edges.push(`${client}->proxy:${PORTS.postgres}`, `${client}->replica:${PORTS.postgres}`, `${client}->redis:${PORTS.redis}`);
        if (!hasProxy || client === "bastion") edges.push(`${client}->postgres:${PORTS.postgres}`);
    }
    edges.push(`keycloak->postgres:${PORTS.postgres}`, `proxy->postgres:${PORTS.postgres}`);
    return new Set(edges);
}

/** Ingress edges `source->destination:port` the rules open, expanded over every tier on both ends. */
function ingressEdges(p: Program, m: Map<string, Set<string>>): string[] {
    return p.ofType(T.ingress).flatMap((rule) => {
        const i = p.inputs(rule);
        assert.equal(i.ipProtocol, "tcp", `${rule.name} is not TCP`);
        assert.equal(i.fromPort, i.toPort, `${rule.name} opens a port range`);
        const [group] = p.deps(rule, "securityGroupId", T.securityGroup);
        const [peer] = p.deps(rule, "referencedSecurityGroupId", T.securityGroup);
        const sources = peer ? [...(m.get(peer.urn) ?? [])] : [cidrTier(p, i.cidrIpv4 ?? i.cidrIpv6 ?? i.prefixListId)];
        return [...(m.get(group.urn) ?? [])].flatMap((to) => sources.map((from) => `${from}->${to}:${i.toPort}`));
    });
}

for (const stack of STACKS) {
    describe(`invariant (${stack}): security groups`, () => {
        let p: Program;
        let m: Map<string, Set<string>>;
        before(async () => { p = await program(stack); m = members(p); });

        it("hold no inline rules (every rule is a separate resource the graph below sees), and the default group none", () => {
            for (const sg of p.ofType(T.securityGroup)) assert.deepEqual([asList(p.inputs(sg).ingress), asList(p.inputs(sg).egress)], [[], []], sg.name);
            for (const sg of p.ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"))
                assert.deepEqual([asList(sg.inputs.ingress), asList(sg.inputs.egress)], [[], []]);
        });

        it("admit exactly the intended tier graph", () => {
            const allowed = allowedIngress(p);
            const edges = [...new Set(ingressEdges(p, m))].sort();
            assert.deepEqual(
                edges.filter((e) => !allowed.has(e)),
                [],
                "edges outside the tier graph",
            );
            for (const must of [
                `cloudflare->alb:443`,
                `vpc->endpoints:443`,
                ...containerPorts(p, "api").map((port) => `alb->api:${port}`),
                "api->redis:6379",
                "workers->redis:6379",
            ]) {
                assert.ok(edges.includes(must), `missing ${must}`);
            }
            assert.ok(edges.includes("api->proxy:5432") || edges.includes("api->postgres:5432"), "api reaches the database");
        });

        it("egress to a group only where that group admits the traffic, and to CIDRs only HTTPS", () => {
            const ingress = new Set(ingressEdges(p, m));
            for (const rule of p.ofType(T.egress)) {
                const i = p.inputs(rule);
                const [group] = p.deps(rule, "securityGroupId", T.securityGroup);
                const [peer] = p.deps(rule, "referencedSecurityGroupId", T.securityGroup);
                if (!peer) {
                    assert.deepEqual([i.ipProtocol, i.fromPort, i.toPort], ["tcp", PORTS.https, PORTS.https], `${rule.name}: CIDR egress other than HTTPS`);
                    continue;
                }
                for (const from of m.get(group.urn) ?? []) for (const to of m.get(peer.urn) ?? []) {
                    assert.ok(ingress.has(`${from}->${to}:${i.toPort}`), `${rule.name}: ${from}->${to}:${i.toPort} has no matching ingress`);
                }
            }
        });
    });
}
