import { RecordedResource } from "../engine";
import { Ctx, Discounts, H, NoPrice, Priced, Rule, cents, money, num, plain } from "./context";
import { configRecorderCost, configRuleCost, detectorCost, managementEventsMillions } from "./activity";
import { RDS_VCPUS, priceOf } from "./prices";
import { UsageAssumptions } from "./usage";

/**
 * The monthly cost of a recorded program: every custom resource becomes a priced line item (free types at 0 with
 * their basis), or an unpriced entry with the reason. Nothing is ever silently zero, and a price the table lacks
 * for the resource's region is reported, never borrowed from another region. Method and assumptions: docs/cost.md.
 */

export interface CostItem {
    urn: string;
    type: string;
    name: string;
    /** The layer of the resource's top-level component (`platform:<layer>:<Component>`), or `(stack)`. */
    layer: string;
    region: string;
    /** USD per month, rounded to cents. */
    monthly: number;
    /** How the figure was computed, e.g. `2 x db.r7g.large Multi-AZ x 730 h x $0.28`. */
    basis: string;
}

export interface UnpricedItem {
    urn: string;
    type: string;
    name: string;
    layer: string;
    reason: string;
}

export interface CostEstimate {
    currency: "USD";
    /** Sum of the items, rounded to cents. */
    monthly: number;
    items: CostItem[];
    unpriced: UnpricedItem[];
}

export interface EstimateOptions {
    /** The stack's `aws:region`: the region of resources on the default provider. */
    region: string;
    usage: UsageAssumptions;
    /** Commitment discounts (what-if only); none = on-demand. */
    discounts?: Discounts;
}

/** Types that cost nothing by themselves (the cost, if any, is on the resource named in the basis). */
const FREE: Record<string, string> = {};
const free = (basis: string, ...types: string[]) => types.forEach((t) => { FREE[t] = basis; });
free("free",
    "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/policy:Policy",
    "aws:iam/user:User", "aws:iam/userPolicy:UserPolicy", "aws:iam/accessKey:AccessKey",
    "aws:iam/group:Group", "aws:iam/groupPolicy:GroupPolicy", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws:iam/instanceProfile:InstanceProfile", "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    "aws:ec2/subnet:Subnet", "aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/route:Route", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/networkAcl:NetworkAcl", "aws:ec2/networkAclRule:NetworkAclRule", "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:ec2/defaultRouteTable:DefaultRouteTable",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation", "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation", "aws:ec2/launchTemplate:LaunchTemplate",
    "aws:kms/alias:Alias", "aws:ecs/cluster:Cluster", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    "aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy", "aws:cloudwatch/logStream:LogStream",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    "aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup",
    "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:lb/listenerCertificate:ListenerCertificate",
    "aws:lb/trustStore:TrustStore", "aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
    "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    "aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2", "aws:s3/bucketNotification:BucketNotification",
    "aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    "aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:secretsmanager/secretVersion:SecretVersion", "aws:secretsmanager/secretRotation:SecretRotation", "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:sns/topicSubscription:TopicSubscription", "aws:sns/topicPolicy:TopicPolicy",
    "aws:sesv2/configurationSet:ConfigurationSet", "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
    "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes", "aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy",
    "aws:cfg/deliveryChannel:DeliveryChannel", "aws:cfg/recorderStatus:RecorderStatus",
    "aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    "aws:backup/vaultPolicy:VaultPolicy", "aws:backup/vaultNotifications:VaultNotifications",
    "aws:guardduty/publishingDestination:PublishingDestination", "aws:ssm/document:Document",
);
free("free: AWS service events on the default event bus", "aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget");
free("free: a CloudFormation stack; its rotation Lambda runs about once a month, inside Lambda's free tier",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack");
free("free: billed on the ECS service that runs it", "aws:ecs/taskDefinition:TaskDefinition");
free("free: the platform's functions (rotation, restore-test validation, age checks) run a few times a day at most, inside Lambda's "
    + "monthly free tier (1M requests, 400,000 GB-s)", "aws:lambda/function:Function", "aws:lambda/permission:Permission");
free("billed per restore job and for the restored resources' hours (a weekly test: docs/cost.md), not modelled",
    "aws:backup/restoreTestingPlan:RestoreTestingPlan", "aws:backup/restoreTestingSelection:RestoreTestingSelection");
free("free: billed on the RDS Proxy", "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", "aws:rds/proxyTarget:ProxyTarget");
free("free: billed on the GuardDuty detector", "aws:guardduty/detectorFeature:DetectorFeature");
free("billed as the replica bucket's storage; cross-region replication transfer is left out (docs/cost.md)",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
free("free: billed on the NAT gateway's Elastic IP", "aws:ec2/eipAssociation:EipAssociation");
free("free: AWS Chatbot has no charge of its own, only the SNS deliveries (https://aws.amazon.com/chatbot/pricing/)",
    "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
free("free: KMS grants and X-Ray sampling/encryption settings cost nothing; traces are billed per trace recorded (docs/cost.md)",
    "aws:kms/grant:Grant", "aws:xray/samplingRule:SamplingRule", "aws:xray/encryptionConfig:EncryptionConfig");
// Usage-billed like traces: Insights per trace processed, Transaction Search per GB of spans ingested
// (https://aws.amazon.com/xray/pricing/, https://aws.amazon.com/cloudwatch/pricing/, read 2026-12-04).
free("free as resources: an X-Ray group and the trace destination setting; Insights and span ingestion are billed per use (README \"Tracing\")",
    "aws:xray/group:Group", "aws:xray/traceSegmentDestination:TraceSegmentDestination");
// Budgets without actions cost nothing; only action-enabled budgets beyond two and budget reports are billed
// (https://aws.amazon.com/aws-cost-management/aws-budgets/pricing/, read 2026-12-03). Tag activation is free.
free("free: a budget without actions", "aws:budgets/budget:Budget");
free("free: cost allocation tag activation", "aws:costexplorer/costAllocationTag:CostAllocationTag");

function freeBasis(type: string): string | undefined {
    if (FREE[type]) return FREE[type];
    if (type.startsWith("pulumi:providers:")) return "free: provider configuration";
    if (type.startsWith("cloudflare:")) return "free: Cloudflare bills the zone plan, not resources (docs/cost.md)";
    if (type.startsWith("random:") || type.startsWith("tls:")) return "free: computed locally, no cloud resource";
    return undefined;
}

/** `medium` of `db.t4g.medium` -> vCPUs. */
function vcpusOf(instanceClass: string): number {
    const n = RDS_VCPUS[instanceClass.split(".").pop() ?? ""];
    if (!n) throw new NoPrice(`no vCPU count for ${instanceClass}`);
    return n;
}

/** The longest key of `map` contained in `name`, else `default`. */
function byFragment<T>(map: Record<string, T>, name: string): { key: string; value: T } {
    const key = Object.keys(map).filter((k) => k !== "default" && name.includes(k)).sort((a, b) => b.length - a.length)[0] ?? "default";
    return { key, value: map[key] };
}

function rdsInstance(c: Ctx): Priced {
    const i = c.inputs;
    const cls = String(i.instanceClass);
    const replicaOf = i.replicateSourceDb !== undefined
        ? c.source("replicateSourceDb", c.r.type) ?? c.all.find((x) => x.type === c.r.type && plain(x).identifier === i.replicateSourceDb)
        : undefined;
    const multiAz = i.multiAz === true;
    const copies = multiAz ? 2 : 1;
    const ri = c.discounts.rdsReserved ?? 0;
    const hourly = c.p(`rds.${cls}`) * (1 - ri);
    const storageGb = Number(i.allocatedStorage ?? (replicaOf ? plain(replicaOf).allocatedStorage : undefined));
    if (!Number.isFinite(storageGb)) throw new NoPrice("no allocated storage (replica source not in the plan)");
    const storageType = i.storageType ?? "gp2";
    const gbMonth = c.p(`rds.${storageType}`);
    let monthly = copies * H * hourly + storageGb * copies * gbMonth;
    const reserved = ri ? ` (reserved, ${ri * 100}% off)` : "";
    const parts = [
        `${copies} x ${cls}${multiAz ? " Multi-AZ" : ""} x ${H} h x ${money(hourly)}${reserved}`,
        `${storageGb} GB ${storageType} x ${copies} x ${money(gbMonth)}`,
    ];
    if (!replicaOf && Number(i.backupRetentionPeriod ?? 1) > 0) {
        const billed = Math.max(0, c.usage.rdsBackupToStorageRatio - 1) * storageGb;
        const rate = c.p("rds.backup");
        monthly += billed * rate;
        parts.push(`${num(billed)} GB backup beyond free x ${money(rate)}`);
    }
    const piDays = Number(i.performanceInsightsRetentionPeriod ?? 7);
    if (i.performanceInsightsEnabled && piDays > 7) {
        const months = piDays === 731 ? 24 : Math.max(1, Math.round(piDays / 31));
        const vcpus = vcpusOf(cls) * copies;
        const first = c.p("rds.piFirstMonth");
        const extra = c.p("rds.piExtraMonth");
        monthly += vcpus * (first + (months - 1) * extra);
        parts.push(`PI ${months} months x ${vcpus} vCPU x (${money(first)} + ${months - 1} x ${money(extra)})`);
    }
    return { monthly, basis: parts.join(" + ") };
}

function rdsProxy(c: Ctx): Priced {
    const name = c.inputs.name;
    const target = c.all.find((t) => t.type === "aws:rds/proxyTarget:ProxyTarget"
        && ((t.propertyDependencies.dbProxyName ?? []).includes(c.r.urn) || (name !== undefined && plain(t).dbProxyName === name)));
    if (!target) throw new NoPrice("RDS Proxy has no target instance in the plan");
    const ti = plain(target);
    const instance = c.all.find((x) => x.type === "aws:rds/instance:Instance"
        && ((target.propertyDependencies.dbInstanceIdentifier ?? []).includes(x.urn)
            || (ti.dbInstanceIdentifier !== undefined && plain(x).identifier === ti.dbInstanceIdentifier)));
    if (!instance) throw new NoPrice("RDS Proxy target instance not in the plan");
    const cls = String(plain(instance).instanceClass);
    const vcpus = Math.max(2, vcpusOf(cls));
    const rate = c.p("rds.proxyVcpuHour");
    return { monthly: vcpus * H * rate, basis: `${vcpus} vCPU (${cls}) x ${H} h x ${money(rate)}` };
}

function backupsReplication(c: Ctx): Priced {
    const src = c.source("sourceDbInstanceArn", "aws:rds/instance:Instance");
    if (!src) throw new NoPrice("source instance of the backup replication not in the plan");
    const gb = Number(plain(src).allocatedStorage) * c.usage.rdsBackupToStorageRatio;
    const srcRegion = c.regionOf(src);
    const storage = c.p("rds.backup");
    const transfer = c.p("transfer.interRegionGb", srcRegion);
    const tGb = c.usage.rdsCrossRegionTransferGb;
    return {
        monthly: gb * storage + tGb * transfer,
        basis: `${num(gb)} GB backups in ${c.region} x ${money(storage)} + ${tGb} GB ${srcRegion}->${c.region} x ${money(transfer)}`,
    };
}

function fargateService(c: Ctx): Priced {
    const td = c.source("taskDefinition", "aws:ecs/taskDefinition:TaskDefinition");
    if (!td) throw new NoPrice("task definition of the service not in the plan");
    const t = plain(td);
    const arch = t.runtimePlatform?.cpuArchitecture ?? "X86_64";
    if (arch !== "ARM64") throw new NoPrice(`no price for Fargate ${arch} (the table holds Linux/ARM64 only)`);
    const vcpu = Number(t.cpu) / 1024;
    const gb = Number(t.memory) / 1024;
    const target = c.all.find((x) => x.type === "aws:appautoscaling/target:Target"
        && ((x.propertyDependencies.resourceId ?? []).includes(c.r.urn)
            || (typeof plain(x).resourceId === "string" && c.inputs.name !== undefined && plain(x).resourceId.endsWith(`/${c.inputs.name}`))));
    const tasks = target ? Number(plain(target).minCapacity) : Number(c.inputs.desiredCount ?? 1);
    const strategy: { capacityProvider: string; base?: number; weight?: number }[] = c.inputs.capacityProviderStrategies ?? [];
    let spot = 0;
    if (strategy.some((s) => s.capacityProvider === "FARGATE_SPOT")) {
        const bases = strategy.reduce((n, s) => n + (s.base ?? 0), 0);
        const weights = strategy.reduce((n, s) => n + (s.weight ?? 0), 0) || 1;
        const rest = Math.max(0, tasks - bases);
        const spotItem = strategy.find((s) => s.capacityProvider === "FARGATE_SPOT")!;
        spot = Math.min(tasks, (spotItem.base ?? 0)) + rest * (spotItem.weight ?? 0) / weights;
    }
    const onDemand = tasks - spot;
    const vRate = c.p("fargate.armVcpuHour");
    const gRate = c.p("fargate.armGbHour");
    const perTaskHour = vcpu * vRate + gb * gRate;
    const factor = c.usage.fargateSpotPriceFactor;
    const sp = c.discounts.computeSavingsPlan ?? 0;
    const split = spot > 0 || sp ? ` (${num(onDemand)} on-demand${sp ? ` x ${num(1 - sp)} Savings Plan` : ""} + ${num(spot)} Spot x ${factor})` : "";
    return {
        monthly: (onDemand * (1 - sp) + spot * factor) * perTaskHour * H,
        basis: `${tasks} ${target ? "min" : "desired"} tasks${split} x (${vcpu} vCPU x ${money(vRate)} + ${gb} GB x ${money(gRate)}) x ${H} h, ARM64`,
    };
}

function logGroup(c: Ctx): Priced {
    const i = c.inputs;
    if (i.logGroupClass && i.logGroupClass !== "STANDARD") throw new NoPrice(`no price for log class ${i.logGroupClass} in ${c.region}`);
    const name = String(i.name ?? c.r.name);
    const flowLog = c.pointingAt("aws:ec2/flowLog:FlowLog", "logDestination", c.r).length > 0;
    const { key, value } = byFragment(c.usage.logIngestGb, name);
    const ingest = flowLog ? c.usage.flowLogGb : value;
    const retention = Number(i.retentionInDays ?? 0);
    const days = Math.min(retention > 0 ? retention : Infinity, c.usage.logStorageHorizonDays);
    const stored = ingest * days / 30;
    const iRate = c.p("logs.ingestGb");
    const sRate = c.p("logs.storageGb");
    const storage = `${num(stored)} GB stored (${days} d) x ${money(sRate)}`;
    if (flowLog) return { monthly: stored * sRate, basis: `ingestion billed on the flow log; ${storage}` };
    return { monthly: ingest * iRate + stored * sRate, basis: `${ingest} GB ingested (${key}) x ${money(iRate)} + ${storage}` };
}

function metricAlarm(c: Ctx): Priced {
    const queries: any[] = c.inputs.metricQueries ?? [];
    const metrics = queries.length ? Math.max(1, queries.filter((q) => q.metric).length) : 1;
    const period = queries.length ? Math.min(...queries.map((q) => Number(q.metric?.period ?? 60))) : Number(c.inputs.period ?? 60);
    const highRes = period < 60;
    const rate = c.p(highRes ? "cw.alarmHighRes" : "cw.alarmStandard");
    return { monthly: metrics * rate, basis: `${metrics} metric${metrics > 1 ? "s" : ""} x ${money(rate)} (${highRes ? "high-resolution" : "standard"})` };
}

function bucket(c: Ctx): Priced {
    const name = String(c.inputs.bucket ?? c.inputs.bucketPrefix ?? c.r.name);
    const { key, value } = byFragment(c.usage.s3Gb, name);
    const classes: [keyof typeof value, string][] = [
        ["standard", "s3.standard"], ["standardIa", "s3.standardIa"], ["glacierIr", "s3.glacierIr"], ["deepArchive", "s3.deepArchive"],
    ];
    let monthly = 0;
    const parts: string[] = [];
    for (const [cls, priceKey] of classes) {
        if (!value[cls]) continue;
        const rate = c.p(priceKey);
        monthly += value[cls] * rate;
        parts.push(`${value[cls]} GB ${cls} x ${money(rate)}`);
    }
    const put = c.p("s3.putThousand");
    const get = c.p("s3.getThousand");
    monthly += c.usage.s3PutRequestsThousands * put + c.usage.s3GetRequestsThousands * get;
    parts.push(`${c.usage.s3PutRequestsThousands}k PUT x ${money(put)} + ${c.usage.s3GetRequestsThousands}k GET x ${money(get)}`);
    return { monthly, basis: `(${key}) ${parts.join(" + ")}` };
}

function trail(c: Ctx): Priced {
    const trails = c.all.filter((x) => x.type === c.r.type);
    const first = trails[0] === c.r;
    const i = c.inputs;
    const dataEvents = (i.eventSelectors ?? []).some((s: any) => (s.dataResources ?? []).length > 0)
        || (i.advancedEventSelectors ?? []).some((s: any) => (s.fieldSelectors ?? [])
            .some((f: any) => f.field === "eventCategory" && (f.equals ?? []).includes("Data")));
    let monthly = 0;
    const parts: string[] = [];
    if (first) parts.push("first trail: management events free");
    else {
        const rate = c.p("cloudtrail.managementMillion");
        const events = managementEventsMillions(c);
        monthly += events.millions * rate;
        parts.push(`additional trail: ${events.basis} x ${money(rate)}`);
    }
    if (dataEvents) {
        const rate = c.p("cloudtrail.dataMillion");
        monthly += c.usage.cloudtrailDataEventsMillions * rate;
        parts.push(`${c.usage.cloudtrailDataEventsMillions} M data events x ${money(rate)}`);
    }
    return { monthly, basis: parts.join(" + ") };
}

const fixed = (key: string, what: string): Rule => (c) => {
    const rate = c.p(key);
    return { monthly: rate, basis: `1 ${what} x ${money(rate)}` };
};

const RULES: Record<string, Rule> = {
    "aws:kms/key:Key": fixed("kms.key", "key-month"),
    // A key with imported material (BYOK) is billed as any customer-managed key.
    "aws:kms/externalKey:ExternalKey": fixed("kms.key", "key-month"),
    "aws:ec2/natGateway:NatGateway": (c) => {
        const count = c.all.filter((x) => x.type === c.r.type).length;
        const gb = c.usage.natProcessedGb / count;
        const h = c.p("nat.hour");
        const g = c.p("nat.gb");
        const gateways = `${c.usage.natProcessedGb} GB / ${count} gateway${count > 1 ? "s" : ""}`;
        return { monthly: H * h + gb * g, basis: `${H} h x ${money(h)} + ${num(gb)} GB (${gateways}) x ${money(g)}` };
    },
    "aws:ec2/eip:Eip": (c) => {
        const h = c.p("ipv4.hour");
        return { monthly: H * h, basis: `public IPv4 ${H} h x ${money(h)}` };
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": (c) => {
        const kind = c.inputs.vpcEndpointType ?? "Gateway";
        if (kind === "Gateway") return { monthly: 0, basis: "gateway endpoints are free" };
        if (kind !== "Interface") throw new NoPrice(`no price for ${kind} endpoints`);
        const azs = Array.isArray(c.inputs.subnetIds) ? c.inputs.subnetIds.length : 1;
        const h = c.p("vpce.azHour");
        const g = c.p("vpce.gb");
        const gb = c.usage.interfaceEndpointGb;
        // Clients in AZs without an endpoint ENI cross a zone boundary both ways (tasks spread evenly over the VPC's AZs).
        const vpcAzs = Math.max(azs, azCount(c));
        const crossing = gb * (vpcAzs - azs) / vpcAzs;
        const x = crossing > 0 ? c.p("transfer.interAzGb") : 0;
        const cross = crossing > 0 ? ` + ${num(crossing)} GB from ${vpcAzs - azs} AZ without an ENI x 2 x ${money(x)} inter-AZ` : "";
        return { monthly: azs * H * h + gb * g + crossing * 2 * x, basis: `${azs} AZ x ${H} h x ${money(h)} + ${gb} GB x ${money(g)}${cross}` };
    },
    "aws:ec2/vpc:Vpc": (c) => {
        // The VPC itself is free; traffic between the compute tier and the data tier's primaries (one AZ) is not:
        // with tasks spread evenly, (AZs - 1) / AZs of it crosses a zone, billed in each direction.
        const azs = azCount(c);
        const crossing = c.usage.dataTierTrafficGb * (azs - 1) / azs;
        const x = c.p("transfer.interAzGb");
        return {
            monthly: crossing * 2 * x,
            basis: `inter-AZ: ${c.usage.dataTierTrafficGb} GB app <-> data tier x ${azs - 1}/${azs} crossing = ${num(crossing)} GB x 2 x ${money(x)}`,
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (c) => {
        const kind = c.inputs.loadBalancerType ?? "application";
        if (kind !== "application") throw new NoPrice(`no price for ${kind} load balancers`);
        const h = c.p("alb.hour");
        const l = c.p("alb.lcuHour");
        const lcu = c.usage.albAverageLcu;
        return { monthly: H * h + lcu * H * l, basis: `ALB ${H} h x ${money(h)} + ${lcu} LCU x ${H} h x ${money(l)}` };
    },
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/proxy:Proxy": rdsProxy,
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": backupsReplication,
    "aws:elasticache/replicationGroup:ReplicationGroup": (c) => {
        const node = String(c.inputs.nodeType);
        const nodes = c.inputs.numCacheClusters !== undefined ? Number(c.inputs.numCacheClusters)
            : Number(c.inputs.numNodeGroups ?? 1) * (1 + Number(c.inputs.replicasPerNodeGroup ?? 0));
        const ri = c.discounts.cacheReserved ?? 0;
        const h = c.p(`cache.${node}`) * (1 - ri);
        return { monthly: nodes * H * h, basis: `${nodes} x ${node} x ${H} h x ${money(h)}${ri ? ` (reserved, ${ri * 100}% off)` : ""}` };
    },
    "aws:ecs/service:Service": fargateService,
    "aws:ec2/instance:Instance": (c) => {
        const type = String(c.inputs.instanceType);
        const h = c.p(`ec2.${type}`) * (1 - (c.discounts.computeSavingsPlan ?? 0));
        const gb = Number(c.inputs.rootBlockDevice?.volumeSize ?? 8);
        const vol = c.inputs.rootBlockDevice?.volumeType ?? "gp3";
        const g = c.p(`ebs.${vol}`);
        return { monthly: H * h + gb * g, basis: `1 x ${type} x ${H} h x ${money(h)} + ${gb} GB ${vol} x ${money(g)}` };
    },
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": fixed("cw.customMetric", "custom metric"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": fixed("cw.dashboard", "dashboard"),
    "aws:secretsmanager/secret:Secret": fixed("secrets.secret", "secret-month"),
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
    "aws:ecr/repository:Repository": (c) => {
        const g = c.p("ecr.gb");
        return { monthly: c.usage.ecrGbPerRepository * g, basis: `${c.usage.ecrGbPerRepository} GB x ${money(g)}` };
    },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (c) => {
        const g = c.p("firehose.gb");
        return { monthly: c.usage.firehoseGb * g, basis: `${c.usage.firehoseGb} GB ingested x ${money(g)}` };
    },
    "aws:cloudtrail/trail:Trail": trail,
    "aws:cfg/recorder:Recorder": configRecorderCost,
    "aws:cfg/rule:Rule": configRuleCost,
    "aws:guardduty/detector:Detector": detectorCost,
    "aws:backup/vault:Vault": (c) => {
        const w = c.p("backup.warmGb");
        const k = c.p("backup.coldGb");
        return {
            monthly: c.usage.backupVaultWarmGb * w + c.usage.backupVaultColdGb * k,
            basis: `${c.usage.backupVaultWarmGb} GB warm x ${money(w)} + ${c.usage.backupVaultColdGb} GB cold x ${money(k)}`,
        };
    },
    "aws:ec2/flowLog:FlowLog": (c) => {
        const dest = c.inputs.logDestinationType ?? "cloud-watch-logs";
        if (dest !== "cloud-watch-logs") throw new NoPrice(`no price for flow logs delivered to ${dest} in ${c.region}`);
        const g = c.p("logs.vendedGb");
        return { monthly: c.usage.flowLogGb * g, basis: `${c.usage.flowLogGb} GB vended logs x ${money(g)}` };
    },
    "aws:sns/topic:Topic": (c) => {
        const p = c.p("sns.publishMillion");
        const e = c.p("sns.emailThousand");
        return {
            monthly: c.usage.snsPublishesMillions * p + c.usage.snsEmailThousands * e,
            basis: `${c.usage.snsPublishesMillions} M publishes x ${money(p)} + ${c.usage.snsEmailThousands}k e-mails x ${money(e)}`,
        };
    },
    "aws:sesv2/emailIdentity:EmailIdentity": (c) => {
        const r = c.p("ses.thousand");
        return { monthly: c.usage.sesEmailsThousands * r, basis: `${c.usage.sesEmailsThousands}k e-mails x ${money(r)}` };
    },
    "aws:ssm/parameter:Parameter": (c) => {
        if (c.inputs.tier === "Advanced") {
            const r = c.p("ssm.advancedParameter");
            return { monthly: r, basis: `1 advanced parameter x ${money(r)}` };
        }
        return { monthly: 0, basis: "free: standard parameters" };
    },
};

/** Availability zones of the plan's subnets (at least 1). */
function azCount(c: Ctx): number {
    const zones = new Set(c.all.filter((r) => r.type === "aws:ec2/subnet:Subnet" && c.regionOf(r) === c.region).map((r) => plain(r).availabilityZone));
    return Math.max(1, zones.size);
}

/** `platform:<layer>:<Component>` of the resource's top-level component, walking up the parents. */
export function layerOf(r: RecordedResource, byUrn: Map<string, RecordedResource>): string {
    let top = r;
    const parentOf = (x: RecordedResource) => (x.parent ? byUrn.get(x.parent) : undefined);
    for (let up = parentOf(r); up && up.type !== "pulumi:pulumi:Stack"; up = parentOf(up)) top = up;
    const m = /^platform:([^:]+):/.exec(top.type);
    return m ? m[1] : "(stack)";
}

/** The region a resource is created in: its explicit provider's `region`, else the stack's. */
export function regionOf(r: RecordedResource, byUrn: Map<string, RecordedResource>, stackRegion: string): string {
    if (!r.provider) return stackRegion;
    const providerUrn = r.provider.split("::").slice(0, -1).join("::");
    const provider = byUrn.get(providerUrn);
    const region = provider ? plain(provider).region : undefined;
    return typeof region === "string" && region ? region : stackRegion;
}

/** Estimates the monthly cost of every custom resource recorded in a run. */
export function estimateCost(resources: RecordedResource[], opts: EstimateOptions): CostEstimate {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const items: CostItem[] = [];
    const unpriced: UnpricedItem[] = [];
    for (const r of resources) {
        if (!r.custom) continue;
        const layer = layerOf(r, byUrn);
        const region = regionOf(r, byUrn, opts.region);
        const base = { urn: r.urn, type: r.type, name: r.name, layer };
        const freeAs = freeBasis(r.type);
        if (freeAs) {
            items.push({ ...base, region, monthly: 0, basis: freeAs });
            continue;
        }
        const rule = RULES[r.type];
        if (!rule) {
            unpriced.push({ ...base, reason: `no price rule for ${r.type}` });
            continue;
        }
        const ctx: Ctx = {
            r, inputs: plain(r), region, usage: opts.usage, all: resources, discounts: opts.discounts ?? {},
            p: (key, at = region) => {
                const v = priceOf(key, at);
                if (v === undefined) throw new NoPrice(`no price for ${r.type} in ${at}`); // never borrowed from another region
                return v;
            },
            regionOf: (x) => regionOf(x, byUrn, opts.region),
            pointingAt: (type, prop, target) => resources.filter((x) => x.type === type && (x.propertyDependencies[prop] ?? []).includes(target.urn)),
            source: (prop, type) => (r.propertyDependencies[prop] ?? []).map((u) => byUrn.get(u)).find((x) => x?.type === type),
        };
        try {
            const { monthly, basis } = rule(ctx);
            if (!Number.isFinite(monthly)) throw new NoPrice(`inputs unknown in the plan (${basis})`);
            items.push({ ...base, region, monthly: cents(monthly), basis });
        } catch (err) {
            if (!(err instanceof NoPrice)) throw err;
            unpriced.push({ ...base, reason: err.message });
        }
    }
    return { currency: "USD", monthly: cents(items.reduce((n, i) => n + i.monthly, 0)), items, unpriced };
}

/** Monthly totals per layer, largest first. */
export function byLayer(estimate: CostEstimate): [string, number][] {
    const totals = new Map<string, number>();
    for (const i of estimate.items) totals.set(i.layer, (totals.get(i.layer) ?? 0) + i.monthly);
    return [...totals].map(([l, n]) => [l, cents(n)] as [string, number]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The text section of the plan: total, by layer, the top line items and anything unpriced. */
export function costText(estimate: CostEstimate, top = 10): string {
    const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const lines = [`Monthly cost estimate: ${usd(estimate.monthly)} USD (on-demand list prices and usage assumptions, docs/cost.md)`];
    lines.push("  By layer:");
    for (const [layer, n] of byLayer(estimate)) lines.push(`    ${usd(n).padStart(12)}  ${layer}`);
    const biggest = estimate.items.filter((i) => i.monthly > 0).sort((a, b) => b.monthly - a.monthly || a.urn.localeCompare(b.urn)).slice(0, top);
    lines.push(`  Top ${biggest.length} line items:`);
    for (const i of biggest) lines.push(`    ${usd(i.monthly).padStart(12)}  ${i.name} (${i.type}, ${i.region}): ${i.basis}`);
    if (estimate.unpriced.length) {
        lines.push(`  UNPRICED (${estimate.unpriced.length}, not in the total):`);
        for (const u of estimate.unpriced) lines.push(`    ${u.name} (${u.type}): ${u.reason}`);
    }
    return lines.join("\n");
}
