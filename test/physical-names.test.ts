import { strict as assert } from "assert";
import { RecordedResource } from "../offline/engine";
import { Recorded, stackRecord } from "../offline/testing";

/**
 * Physical names AWS keeps unique, and the scope each is unique in. Create-or-update APIs (PutMetricAlarm,
 * PutRolePolicy, PutRetentionPolicy...) do not refuse a second resource with the same name: the last writer wins and
 * the two Pulumi resources fight forever, so a clash must be caught here, over the whole plan of every stack.
 * `account` = one per account; `region` = one per account and region; a function = one per that parent.
 */
type Scope = "account" | "region" | "global" | ((r: RecordedResource) => string);
const inParent = (input: string) => (r: RecordedResource) => `${input}=${String(r.inputs[input] ?? "default")}`;

const UNIQUE_NAME_SCOPES: Readonly<Record<string, Scope>> = {
    "aws:iam/role:Role": "account",
    "aws:iam/policy:Policy": "account",
    "aws:iam/group:Group": "account",
    "aws:iam/user:User": "account",
    "aws:iam/instanceProfile:InstanceProfile": "account",
    // "Budget names must be unique within an account" (API_budgets_CreateBudget).
    "aws:budgets/budget:Budget": "account",
    "aws:s3/bucket:Bucket": "global",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "region",
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": "region",
    "aws:cloudwatch/dashboard:Dashboard": "region",
    "aws:cloudwatch/logGroup:LogGroup": "region",
    "aws:ssm/parameter:Parameter": "region",
    "aws:ssm/document:Document": "region",
    "aws:secretsmanager/secret:Secret": "region",
    "aws:ecr/repository:Repository": "region",
    "aws:ecs/cluster:Cluster": "region",
    "aws:sns/topic:Topic": "region",
    "aws:kms/alias:Alias": "region",
    "aws:rds/parameterGroup:ParameterGroup": "region",
    "aws:rds/subnetGroup:SubnetGroup": "region",
    "aws:rds/proxy:Proxy": "region",
    "aws:elasticache/parameterGroup:ParameterGroup": "region",
    "aws:elasticache/subnetGroup:SubnetGroup": "region",
    "aws:lb/loadBalancer:LoadBalancer": "region",
    "aws:lb/targetGroup:TargetGroup": "region",
    "aws:lb/trustStore:TrustStore": "region",
    "aws:cfg/rule:Rule": "region",
    "aws:cfg/recorder:Recorder": "region",
    "aws:cfg/deliveryChannel:DeliveryChannel": "region",
    "aws:cloudtrail/trail:Trail": "region",
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "region",
    "aws:backup/vault:Vault": "region",
    "aws:backup/plan:Plan": "region",
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": "region",
    "aws:sesv2/configurationSet:ConfigurationSet": "region",
    "aws:lambda/function:Function": "region",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": "region",
    "aws:cloudformation/stack:Stack": "region",
    "aws:cloudwatch/eventRule:EventRule": inParent("eventBusName"),
    "aws:ec2/securityGroup:SecurityGroup": inParent("vpcId"),
    "aws:iam/rolePolicy:RolePolicy": inParent("role"),
    "aws:iam/userPolicy:UserPolicy": inParent("user"),
    "aws:cloudwatch/logStream:LogStream": inParent("logGroupName"),
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": inParent("logGroupName"),
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": inParent("logGroupName"),
    "aws:ecs/service:Service": inParent("cluster"),
    "aws:backup/selection:Selection": inParent("planId"),
    "aws:backup/restoreTestingSelection:RestoreTestingSelection": inParent("restoreTestingPlanName"),
};

/** Types whose `name` input is not a unique physical name (a feature or a status of the one parent it names). */
const NOT_NAMES = new Set([
    "aws:guardduty/detectorFeature:DetectorFeature", // the feature's name (RUNTIME_MONITORING...), one per detector
    "aws:cfg/recorderStatus:RecorderStatus", // the recorder it starts
]);

/** The physical name of a resource, where it has one. */
function physicalNameOf(r: RecordedResource): string | undefined {
    const i = r.inputs;
    const name = r.type === "aws:s3/bucket:Bucket" ? i.bucket : r.type === "aws:sesv2/configurationSet:ConfigurationSet" ? i.configurationSetName : i.name;
    return typeof name === "string" ? name : undefined;
}

/** The AWS region a resource is created in: its own `region` input, else its provider's, else the stack's. */
function regionOf(rec: Recorded, r: RecordedResource): string {
    if (typeof r.inputs.region === "string") return r.inputs.region;
    const providerUrn = r.provider?.split("::").slice(0, -1).join("::");
    const provider = rec.resources.find((p) => p.urn === providerUrn);
    return String(provider?.inputs.region ?? "stack-default");
}

/** Every group of resources that share one physical name within its AWS scope. */
function duplicatePhysicalNames(rec: Recorded): string[] {
    const seen = new Map<string, string[]>();
    for (const r of rec.resources) {
        if (!r.custom || !r.type.startsWith("aws:")) continue;
        const scope = UNIQUE_NAME_SCOPES[r.type];
        const name = physicalNameOf(r);
        if (!scope || name === undefined) continue;
        const where =
            scope === "global" ? "global" : scope === "account" ? "account" : scope === "region" ? regionOf(rec, r) : `${regionOf(rec, r)}/${scope(r)}`;
        const key = `${r.type} ${where} ${name}`;
        seen.set(key, [...(seen.get(key) ?? []), r.name]);
    }
    return [...seen.entries()].filter(([, names]) => names.length > 1).map(([key, names]) => `${key}: ${names.join(", ")}`);
}

describe("physical names over the whole plan", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        describe(`stack ${stack}`, () => {
            it("gives no two resources of one type the same physical name within the scope AWS keeps it unique in", async () => {
                assert.deepEqual(duplicatePhysicalNames(await stackRecord(stack)), []);
            });
            it("knows the uniqueness scope of every AWS type that takes a name", async () => {
                const rec = await stackRecord(stack);
                const unknown = [...new Set(rec.resources
                    .filter((r) => r.custom && r.type.startsWith("aws:") && typeof r.inputs.name === "string")
                    .map((r) => r.type)
                    .filter((t) => !(t in UNIQUE_NAME_SCOPES) && !NOT_NAMES.has(t)))];
                assert.deepEqual(unknown, [], "add these types to UNIQUE_NAME_SCOPES (or NOT_NAMES with the reason)");
            });
        });
    }

    it("finds a clash of two alarms in one region (the check itself)", () => {
        const alarm = (name: string): RecordedResource => ({
            urn: `urn:pulumi:t::p::aws:cloudwatch/metricAlarm:MetricAlarm::${name}`, type: "aws:cloudwatch/metricAlarm:MetricAlarm", name, custom: true,
            protect: false, retainOnDelete: false, inputs: { name: "platform-x-api-p99-latency" }, dependencies: [], propertyDependencies: {}, aliases: [],
        });
        assert.equal(duplicatePhysicalNames(new Recorded([alarm("a"), alarm("b")])).length, 1);
    });
});
