import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The arguments of ServiceDiscovery: the VPC, the private namespace and the service names to register. */
export interface ServiceDiscoveryArgs {
    /** The private DNS zone, e.g. `ai-app-dev.internal`: resolvable only inside `vpcId`. */
    readonly namespaceName: string;
    /** The VPC whose resolver answers for the namespace (it needs DNS support and DNS hostnames on). */
    readonly vpcId: pulumi.Input<string>;
    /** Services to register, kebab-case (e.g. `ai`): each becomes `<service>.<namespaceName>`. */
    readonly services: readonly string[];
    /** Seconds resolvers cache a record; short, so a replaced task drops out quickly. Default 10. */
    readonly dnsTtlSeconds?: number;
}

/**
 * Private service names for tasks that are called directly rather than through a load balancer: a Cloud Map private
 * DNS namespace in the VPC and one Cloud Map service per name, holding A records that ECS registers and deregisters
 * with each task (awsvpc tasks: A records, not SRV; multivalue answers spread calls over the tasks). Pass
 * `registryArns[service]` as a FargateService's `serviceRegistryArn`. Names resolve only inside the VPC; who may
 * connect is decided by security groups (FargateService `clients`), not by DNS.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html
 */
export class ServiceDiscovery extends pulumi.ComponentResource {
    public readonly namespaceId: pulumi.Output<string>;
    public readonly namespaceArn: pulumi.Output<string>;
    /** The Cloud Map service ARN of each service, for FargateService `serviceRegistryArn`. */
    public readonly registryArns: Readonly<Record<string, pulumi.Output<string>>>;
    /** The DNS name of each service, `<service>.<namespaceName>` (known at plan time). */
    public readonly hostnames: Readonly<Record<string, string>>;

    constructor(name: string, args: ServiceDiscoveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ServiceDiscovery", name, {}, opts);
        if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*$/.test(args.namespaceName) || args.namespaceName.length > 253) {
            throw new Error(`ServiceDiscovery ${name}: namespaceName "${args.namespaceName}" must be a lowercase DNS name such as app-dev.internal`);
        }
        const bad = args.services.filter((s) => !/^[a-z][a-z0-9-]{0,62}$/.test(s));
        if (bad.length) throw new Error(`ServiceDiscovery ${name}: service names must be kebab-case DNS labels, got ${bad.join(", ")}`);
        const ttl = args.dnsTtlSeconds ?? 10;
        if (!Number.isInteger(ttl) || ttl < 0 || ttl > 2147483647) {
            throw new Error(`ServiceDiscovery ${name}: dnsTtlSeconds must be a whole number >= 0, got ${ttl}`);
        }

        const namespace = new aws.servicediscovery.PrivateDnsNamespace(`${name}`, {
            name: args.namespaceName,
            vpc: args.vpcId,
            description: `Private service names of ${args.namespaceName}`,
        }, { parent: this });
        const registryArns: Record<string, pulumi.Output<string>> = {};
        const hostnames: Record<string, string> = {};
        for (const service of args.services) {
            registryArns[service] = new aws.servicediscovery.Service(`${name}-${service}`, {
                name: service,
                namespaceId: namespace.id,
                description: `Tasks of ${service}`,
                dnsConfig: { namespaceId: namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl }] },
            }, { parent: this }).arn;
            hostnames[service] = `${service}.${args.namespaceName}`;
        }

        this.namespaceId = namespace.id;
        this.namespaceArn = namespace.arn;
        this.registryArns = registryArns;
        this.hostnames = hostnames;
        this.registerOutputs({ namespaceId: this.namespaceId, namespaceArn: this.namespaceArn, registryArns, hostnames });
    }
}
