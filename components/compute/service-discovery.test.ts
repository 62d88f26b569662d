import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { record } from "../../offline/testing";
import { FargateService, FargateServiceArgs } from "./fargate-service";
import { ServiceDiscovery } from "./service-discovery";

const base: FargateServiceArgs = {
    family: "ai", namePrefix: "app-test", accountId: "111122223333", region: "eu-central-1",
    clusterArn: "arn:aws:ecs:eu-central-1:111122223333:cluster/app-test", clusterName: "app-test",
    cpu: 1024, memory: 2048, image: "repo/ai:1", repositoryArn: "arn:aws:ecr:eu-central-1:111122223333:repository/app/ai",
    environment: {}, secrets: [], secretsKmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/s",
    healthCheckCommand: ["CMD-SHELL", "true"], logKmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/l", logRetentionDays: 30,
    taskPolicyStatements: [], vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: ["subnet-1"], additionalSecurityGroupIds: [],
    internetHttpsEgress: false, desiredCount: 1, capacity: "on-demand", containerPort: 8000,
};

describe("FargateService clients (service-to-service access)", () => {
    it("admits each client's security group on the container port and gives the client the one matching egress rule", async () => {
        const r = await record(() => {
            const caller = new aws.ec2.SecurityGroup("caller-sg", { vpcId: "vpc-1", description: "caller" });
            new FargateService("ai", { ...base, clients: [{ name: "api", securityGroupId: caller.id }] });
        });
        const caller = r.one("aws:ec2/securityGroup:SecurityGroup", "caller-sg");
        const own = r.one("aws:ec2/securityGroup:SecurityGroup", "ai-sg");
        const ingress = r.pointingAt("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId", own);
        assert.deepEqual(ingress.map((i) => [i.inputs.fromPort, i.inputs.toPort, i.inputs.cidrIpv4]), [[8000, 8000, undefined]]);
        assert.deepEqual(ingress[0].propertyDependencies.referencedSecurityGroupId, [caller.urn], "the source is the caller's security group");
        const egress = r.pointingAt("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId", caller);
        assert.deepEqual(egress.map((e) => [e.inputs.fromPort, e.propertyDependencies.referencedSecurityGroupId]), [[8000, [own.urn]]]);
        const service = r.one("aws:ecs/service:Service", "ai");
        assert.ok(service.dependencies.includes(ingress[0].urn), "the service starts after its clients may reach it");
    });
    it("registers the tasks in the Cloud Map service it is given, and no load balancer", async () => {
        const registryArn = "arn:aws:servicediscovery:eu-central-1:111122223333:service/srv-1";
        const r = await record(() => new FargateService("ai", { ...base, serviceRegistryArn: registryArn }));
        const service = r.inputsOf(r.one("aws:ecs/service:Service", "ai"));
        assert.deepEqual(service.serviceRegistries, { registryArn });
        assert.equal(service.loadBalancers, undefined);
    });
    it("rejects clients without a container port, and client names that are not kebab-case", async () => {
        await assert.rejects(record(() => new FargateService("ai", { ...base, containerPort: undefined, clients: [{ name: "api", securityGroupId: "sg-1" }] })),
            /a service with clients needs containerPort/);
        await assert.rejects(record(() => new FargateService("ai", { ...base, clients: [{ name: "Api Tier", securityGroupId: "sg-1" }] })),
            /client name "Api Tier"/);
    });
});

describe("ServiceDiscovery", () => {
    it("creates a private DNS namespace in the VPC and one multivalue A-record service per name", async () => {
        let hostnames: Record<string, string> = {};
        const r = await record(() => {
            const discovery = new ServiceDiscovery("discovery", { namespaceName: "app-dev.internal", vpcId: "vpc-1", services: ["ai", "search"] });
            hostnames = { ...discovery.hostnames };
        });
        const ns = r.inputsOf(r.one("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "discovery"));
        assert.deepEqual([ns.name, ns.vpc], ["app-dev.internal", "vpc-1"]);
        const services = r.ofType("aws:servicediscovery/service:Service");
        assert.deepEqual(services.map((s) => s.inputs.name), ["ai", "search"]);
        for (const s of services) assert.deepEqual(s.inputs.dnsConfig.dnsRecords, [{ type: "A", ttl: 10 }]);
        assert.ok(services.every((s) => s.inputs.dnsConfig.routingPolicy === "MULTIVALUE"));
        assert.deepEqual(hostnames, { ai: "ai.app-dev.internal", search: "search.app-dev.internal" });
    });
    it("rejects a namespace that is not a DNS name and service names that are not DNS labels", async () => {
        const discovery = (namespaceName: string, services: string[]) => () => new ServiceDiscovery("d", { namespaceName, vpcId: "vpc-1", services });
        await assert.rejects(record(discovery("App Internal", ["ai"])), /namespaceName "App Internal"/);
        await assert.rejects(record(discovery("app.internal", ["AI_service"])), /AI_service/);
    });
});
