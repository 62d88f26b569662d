import * as assert from "assert";
import { RecordedResource } from "../engine";
import { fake } from "../testing";
import { compareCosts, comparisonText } from "./compare";
import { CostEstimate, costText, estimateCost } from "./estimate";
import { USAGE_DEFAULTS, UsageAssumptions } from "./usage";

const STACK_REGION = "eu-central-1";

function provider(name: string, region: string): RecordedResource {
    return fake("pulumi:providers:aws", name, { region });
}
const on = (p: RecordedResource) => ({ provider: `${p.urn}::${p.name}-id` });

/** A small program: one of each main billable shape, in the stack region and the DR region. */
function fixtureProgram(): RecordedResource[] {
    const aws = provider("aws", "eu-central-1");
    const dr = provider("aws-dr", "eu-west-1");
    const network = { ...fake("platform:network:Network", "network", {}), custom: false };
    const inNetwork = { ...on(aws), parent: network.urn };
    const primary = fake("aws:rds/instance:Instance", "postgres", {
        identifier: "platform-test-postgres", engine: "postgres", instanceClass: "db.r7g.large", multiAz: true, allocatedStorage: 200,
        storageType: "gp3", backupRetentionPeriod: 35, performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 731,
    }, {}, on(aws));
    const proxy = fake("aws:rds/proxy:Proxy", "postgres", { name: "platform-test-postgres" }, {}, on(aws));
    const proxyTarget = fake(
        "aws:rds/proxyTarget:ProxyTarget",
        "postgres",
        { dbProxyName: "platform-test-postgres", dbInstanceIdentifier: "platform-test-postgres" },
        { dbProxyName: [proxy], dbInstanceIdentifier: [primary] },
        on(aws),
    );
    const drBackups = fake(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        "postgres-dr-backups",
        { retentionPeriod: 35 },
        { sourceDbInstanceArn: [primary] },
        on(dr),
    );
    const taskDefinition = fake(
        "aws:ecs/taskDefinition:TaskDefinition",
        "api",
        {
            cpu: "1024",
            memory: "2048",
            runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
        },
        {},
        on(aws),
    );
    const service = fake(
        "aws:ecs/service:Service",
        "api",
        {
            name: "api",
            desiredCount: 1,
            capacityProviderStrategies: [
                { capacityProvider: "FARGATE", base: 1, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", weight: 3 },
            ],
        },
        { taskDefinition: [taskDefinition] },
        on(aws),
    );
    const scaling = fake(
        "aws:appautoscaling/target:Target",
        "api",
        { minCapacity: 5, maxCapacity: 10, resourceId: "service/cluster/api" },
        { resourceId: [service] },
        on(aws),
    );
    return [
        aws, dr, network,
        fake("aws:kms/key:Key", "keys-data", {}, {}, on(aws)),
        fake("aws:kms/key:Key", "dr-keys-backups", {}, {}, on(dr)),
        fake("aws:ec2/natGateway:NatGateway", "network-nat-a", {}, {}, inNetwork),
        fake("aws:ec2/eip:Eip", "network-nat-a", { domain: "vpc" }, {}, inNetwork),
        fake("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3", { vpcEndpointType: "Gateway" }, {}, inNetwork),
        fake("aws:ec2/vpcEndpoint:VpcEndpoint", "network-kms", { vpcEndpointType: "Interface", subnetIds: ["subnet-a", "subnet-b"] }, {}, inNetwork),
        fake("aws:ec2/securityGroup:SecurityGroup", "network-endpoints", {}, {}, inNetwork),
        primary, proxy, proxyTarget, drBackups, taskDefinition, service, scaling,
    ];
}

describe("cost estimate", () => {
    it("prices a fixture program to the hand-computed figure", () => {
        const estimate = estimateCost(fixtureProgram(), { region: STACK_REGION, usage: USAGE_DEFAULTS });
        const monthly = (name: string, type: string) => estimate.items.find((i) => i.name === name && i.type === type)?.monthly;
        // KMS: 1 key x $1 in each region.
        assert.strictEqual(monthly("keys-data", "aws:kms/key:Key"), 1);
        assert.strictEqual(monthly("dr-keys-backups", "aws:kms/key:Key"), 1);
        // NAT (eu-central-1): 730 h x $0.052 + 100 GB (default natProcessedGb, one gateway) x $0.052 = 37.96 + 5.20
        assert.strictEqual(monthly("network-nat-a", "aws:ec2/natGateway:NatGateway"), 43.16);
        // Public IPv4: 730 h x $0.005
        assert.strictEqual(monthly("network-nat-a", "aws:ec2/eip:Eip"), 3.65);
        // Gateway endpoint: free (priced at 0, not unpriced). Interface: 2 AZ x 730 h x $0.012 + 5 GB x $0.01 = 17.52 + 0.05
        assert.strictEqual(monthly("network-s3", "aws:ec2/vpcEndpoint:VpcEndpoint"), 0);
        assert.strictEqual(monthly("network-kms", "aws:ec2/vpcEndpoint:VpcEndpoint"), 17.57);
        // RDS: 2 x 730 h x $0.28 = 408.80; 200 GB gp3 x 2 x $0.137 = 54.80; backup (1.5 - 1) x 200 GB x $0.095 = 9.50;
        // PI 24 months: 4 vCPU (2 per r7g.large x 2) x ($1.68 + 23 x $0.0707) = 13.2244. Total 486.3244
        assert.strictEqual(monthly("postgres", "aws:rds/instance:Instance"), 486.32);
        // Proxy: 2 vCPU of db.r7g.large x 730 h x $0.018
        assert.strictEqual(monthly("postgres", "aws:rds/proxy:Proxy"), 26.28);
        // DR backups in eu-west-1: 200 GB x 1.5 = 300 GB x $0.095 = 28.50; 30 GB eu-central-1 -> eu-west-1 x $0.02 = 0.60
        assert.strictEqual(monthly("postgres-dr-backups", "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"), 29.1);
        // Fargate: min 5 tasks; base 1 on FARGATE, the other 4 split 1:3 -> 2 on-demand + 3 Spot at 0.3 = 2.9 task-equivalents;
        // per task-hour 1 vCPU x $0.03725 + 2 GB x $0.00409 = $0.04543; x 730 h x 2.9 = 96.17531
        assert.strictEqual(monthly("api", "aws:ecs/service:Service"), 96.18);
        assert.strictEqual(monthly("api", "aws:ecs/taskDefinition:TaskDefinition"), 0);
        // 2 + 43.16 + 3.65 + 0 + 17.57 + 486.32 + 26.28 + 29.10 + 96.18 (+ free items at 0)
        assert.strictEqual(estimate.monthly, 704.26);
        assert.deepStrictEqual(estimate.unpriced, []);
        assert.strictEqual(estimate.currency, "USD");
    });

    it("gives each item a basis saying how it was computed, and the layer of its top-level component", () => {
        const estimate = estimateCost(fixtureProgram(), { region: STACK_REGION, usage: USAGE_DEFAULTS });
        const rds = estimate.items.find((i) => i.type === "aws:rds/instance:Instance")!;
        assert.match(rds.basis, /^2 x db\.r7g\.large Multi-AZ x 730 h x \$0\.28 \+ 200 GB gp3 x 2 x \$0\.137/);
        const gateway = estimate.items.find((i) => i.name === "network-s3")!;
        assert.strictEqual(gateway.basis, "gateway endpoints are free");
        assert.strictEqual(estimate.items.find((i) => i.type === "aws:ec2/natGateway:NatGateway")!.layer, "network");
        assert.strictEqual(estimate.items.find((i) => i.type === "aws:rds/proxy:Proxy")!.layer, "(stack)");
        const text = costText(estimate);
        assert.match(text, /\$704\.26 USD/);
        assert.match(text, /\$486\.32 {2}postgres \(aws:rds\/instance:Instance, eu-central-1\)/);
    });

    it("reports a resource in a region without prices as unpriced instead of guessing", () => {
        const east = provider("aws-us", "us-east-1");
        const estimate = estimateCost([
            east,
            fake("aws:ec2/natGateway:NatGateway", "nat", {}, {}, on(east)),
            fake("aws:kms/key:Key", "key", {}, {}, on(east)),
        ], { region: STACK_REGION, usage: USAGE_DEFAULTS });
        assert.deepStrictEqual(estimate.unpriced.map((u) => u.reason), [
            "no price for aws:ec2/natGateway:NatGateway in us-east-1",
            "no price for aws:kms/key:Key in us-east-1",
        ]);
        assert.strictEqual(estimate.monthly, 0);
        assert.ok(!estimate.items.some((i) => i.type !== "pulumi:providers:aws"), "nothing priced from another region's figures");
    });

    it("lists a type it has no rule for as unpriced, never as zero", () => {
        const estimate = estimateCost([fake("aws:opensearch/domain:Domain", "search", {})], { region: STACK_REGION, usage: USAGE_DEFAULTS });
        assert.deepStrictEqual(estimate.items, []);
        assert.deepStrictEqual(
            estimate.unpriced.map((u) => [u.type, u.reason]),
            [["aws:opensearch/domain:Domain", "no price rule for aws:opensearch/domain:Domain"]],
        );
        assert.match(costText(estimate), /UNPRICED \(1, not in the total\)/);
    });

    it("uses the stack's usage assumptions for usage-driven lines", () => {
        const usage: UsageAssumptions = { ...USAGE_DEFAULTS, natProcessedGb: 1000 };
        const nats = [fake("aws:ec2/natGateway:NatGateway", "nat-a", {}), fake("aws:ec2/natGateway:NatGateway", "nat-b", {})];
        const estimate = estimateCost(nats, { region: STACK_REGION, usage });
        // each: 730 h x $0.052 + (1000 GB / 2) x $0.052 = 37.96 + 26.00
        assert.deepStrictEqual(estimate.items.map((i) => i.monthly), [63.96, 63.96]);
        assert.match(estimate.items[0].basis, /500 GB \(1000 GB \/ 2 gateways\)/);
    });
});

describe("cost comparison", () => {
    const estimateOf = (resources: RecordedResource[]): CostEstimate => estimateCost(resources, { region: STACK_REGION, usage: USAGE_DEFAULTS });
    const prod = estimateOf([
        fake("aws:kms/key:Key", "keys-data", {}),
        fake("aws:ec2/natGateway:NatGateway", "nat-a", {}),
        fake("aws:ec2/natGateway:NatGateway", "nat-b", {}),
        fake("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.r7g.large", numCacheClusters: 3 }),
    ]);
    const dev = estimateOf([
        fake("aws:kms/key:Key", "keys-data", {}),
        fake("aws:ec2/natGateway:NatGateway", "nat-a", {}),
        fake("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.t4g.small", numCacheClusters: 1 }),
        fake("aws:ec2/eip:Eip", "bastion", {}),
    ]);

    it("matches items by type and name and lists added, removed and changed lines with both figures", () => {
        const c = compareCosts({ stack: "prod-eu", cost: prod }, { stack: "dev", cost: dev });
        const rows = c.differences.map((d) => [d.change, d.type, d.name, d.from, d.to, d.delta]);
        // redis: 3 x 730 x $0.262 = 573.78 -> 1 x 730 x $0.036 = 26.28
        // nat-a: 730 x 0.052 + 50 GB x 0.052 = 40.56 -> 730 x 0.052 + 100 GB x 0.052 = 43.16 (one gateway carries it all)
        assert.deepStrictEqual(rows, [
            ["changed", "aws:elasticache/replicationGroup:ReplicationGroup", "redis", 573.78, 26.28, -547.5],
            ["removed", "aws:ec2/natGateway:NatGateway", "nat-b", 40.56, null, -40.56],
            ["added", "aws:ec2/eip:Eip", "bastion", null, 3.65, 3.65],
            ["changed", "aws:ec2/natGateway:NatGateway", "nat-a", 40.56, 43.16, 2.6],
        ]);
        // 1 + 40.56 x 2 + 573.78 = 655.90 -> 1 + 43.16 + 26.28 + 3.65 = 74.09
        assert.strictEqual(c.fromMonthly, 655.9);
        assert.strictEqual(c.toMonthly, 74.09);
        assert.strictEqual(c.delta, -581.81);
    });

    it("prints one line per difference and the totals", () => {
        const text = comparisonText(compareCosts({ stack: "prod-eu", cost: prod }, { stack: "dev", cost: dev }));
        assert.deepStrictEqual(text.split("\n"), [
            "Cost comparison, USD/month: prod-eu -> dev (difference = dev - prod-eu)",
            "  changed  aws:elasticache/replicationGroup:ReplicationGroup redis: 573.78 -> 26.28 (-547.50)",
            "  removed  aws:ec2/natGateway:NatGateway nat-b: 40.56 -> - (-40.56)",
            "  added    aws:ec2/eip:Eip bastion: - -> 3.65 (+3.65)",
            "  changed  aws:ec2/natGateway:NatGateway nat-a: 40.56 -> 43.16 (+2.60)",
            "  Total: 655.90 -> 74.09 (-581.81)",
        ]);
    });
});
