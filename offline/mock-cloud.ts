import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDFLARE_RANGES } from "../standards/cloudflare";
import { UNKNOWN } from "./wire";

/**
 * A consistent, deterministic stand-in for AWS and Cloudflare under `pulumi.runtime.setMocks`.
 * Every answer derives from the stack (account id), the resource's provider (region) and its inputs, so two runs
 * give identical graphs and ARNs land in the right region, account and partition: wiring bugs show.
 */

/** Short, stable hex digest used for ids and auto-name suffixes. */
export function digest(text: string, length = 8): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A 12-digit account id that is stable per stack. */
export function mockAccountId(stack: string): string {
    return String(parseInt(digest(`account:${stack}`, 10), 16) % 9e11 + 1e11);
}

/** ELB log-delivery accounts per region (AWS's published list, regions launched before August 2022). */
const ELB_ACCOUNTS: Record<string, string> = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
    "eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-west-3": "009996457667",
    "eu-north-1": "897822967062", "eu-south-1": "635631232127", "ap-south-1": "718504428378", "ca-central-1": "985666609251",
};

/** Where an id is a generated AWS id, its prefix; otherwise the id is the physical name. */
const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet", "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb", "aws:ec2/internetGateway:InternetGateway": "igw", "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc", "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce", "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/flowLog:FlowLog": "fl", "aws:ec2/instance:Instance": "i", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:kms/key:Key": "key", "aws:ec2/launchTemplate:LaunchTemplate": "lt",
};

/** The ARN's service and resource part per type, where it is not `<module>` and `<physical name>`. */
const ARN_SHAPES: Record<string, (p: string, id: string) => [service: string, resource: string, global?: boolean]> = {
    "aws:s3/bucket:Bucket": (p) => ["s3", p, true],
    "aws:s3/bucketV2:BucketV2": (p) => ["s3", p, true],
    "aws:iam/role:Role": (p) => ["iam", `role/${p}`, true],
    "aws:iam/policy:Policy": (p) => ["iam", `policy/${p}`, true],
    "aws:iam/group:Group": (p) => ["iam", `group/${p}`, true],
    "aws:iam/instanceProfile:InstanceProfile": (p) => ["iam", `instance-profile/${p}`, true],
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": () => ["iam", "oidc-provider/token.actions.githubusercontent.com", true],
    "aws:kms/key:Key": (_p, id) => ["kms", `key/${id}`],
    "aws:kms/replicaKey:ReplicaKey": (_p, id) => ["kms", `key/${id}`],
    "aws:kms/alias:Alias": (p) => ["kms", p],
    "aws:cloudwatch/logGroup:LogGroup": (p) => ["logs", `log-group:${p}`],
    "aws:sns/topic:Topic": (p) => ["sns", p],
    "aws:secretsmanager/secret:Secret": (p) => ["secretsmanager", `secret:${p}-${digest(p, 6)}`],
    "aws:rds/instance:Instance": (p) => ["rds", `db:${p}`],
    "aws:rds/proxy:Proxy": (p) => ["rds", `db-proxy:prx-${digest(p, 17)}`],
    "aws:rds/proxyEndpoint:ProxyEndpoint": (p) => ["rds", `db-proxy-endpoint:prx-endpoint-${digest(p, 17)}`],
    "aws:rds/parameterGroup:ParameterGroup": (p) => ["rds", `pg:${p}`],
    "aws:rds/subnetGroup:SubnetGroup": (p) => ["rds", `subgrp:${p}`],
    "aws:elasticache/replicationGroup:ReplicationGroup": (p) => ["elasticache", `replicationgroup:${p}`],
    "aws:elasticache/parameterGroup:ParameterGroup": (p) => ["elasticache", `parametergroup:${p}`],
    "aws:elasticache/user:User": (p) => ["elasticache", `user:${p}`],
    "aws:elasticache/userGroup:UserGroup": (p) => ["elasticache", `usergroup:${p}`],
    "aws:lb/loadBalancer:LoadBalancer": (p) => ["elasticloadbalancing", `loadbalancer/app/${p}/${digest(p, 16)}`],
    "aws:lb/targetGroup:TargetGroup": (p) => ["elasticloadbalancing", `targetgroup/${p}/${digest(p, 16)}`],
    "aws:lb/listener:Listener": (p) => ["elasticloadbalancing", `listener/app/${p}/${digest(p, 16)}`],
    "aws:lb/trustStore:TrustStore": (p) => ["elasticloadbalancing", `truststore/${p}/${digest(p, 16)}`],
    "aws:ecs/cluster:Cluster": (p) => ["ecs", `cluster/${p}`],
    "aws:ecs/service:Service": (p) => ["ecs", `service/${p}`],
    "aws:ecs/taskDefinition:TaskDefinition": (p) => ["ecs", `task-definition/${p}:1`],
    "aws:ecr/repository:Repository": (p) => ["ecr", `repository/${p}`],
    "aws:backup/vault:Vault": (p) => ["backup", `backup-vault:${p}`],
    "aws:backup/plan:Plan": (p) => ["backup", `backup-plan:${p}`],
    "aws:cloudtrail/trail:Trail": (p) => ["cloudtrail", `trail/${p}`],
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": (p) => ["firehose", `deliverystream/${p}`],
    "aws:ssm/parameter:Parameter": (p) => ["ssm", `parameter${p.startsWith("/") ? p : `/${p}`}`],
    "aws:acm/certificate:Certificate": (p) => ["acm", `certificate/${digest(p, 36)}`],
    "aws:guardduty/detector:Detector": (_p, id) => ["guardduty", `detector/${id}`],
    "aws:cloudwatch/eventRule:EventRule": (p) => ["events", `rule/${p}`],
    "aws:cloudwatch/metricAlarm:MetricAlarm": (p) => ["cloudwatch", `alarm:${p}`],
    "aws:sesv2/configurationSet:ConfigurationSet": (p) => ["ses", `configuration-set/${p}`],
    "aws:sesv2/emailIdentity:EmailIdentity": (p) => ["ses", `identity/${p}`],
    "aws:ec2/instance:Instance": (_p, id) => ["ec2", `instance/${id}`],
    "aws:ec2/vpc:Vpc": (_p, id) => ["ec2", `vpc/${id}`],
    "aws:ec2/subnet:Subnet": (_p, id) => ["ec2", `subnet/${id}`],
    "aws:ec2/securityGroup:SecurityGroup": (_p, id) => ["ec2", `security-group/${id}`],
    "aws:lambda/function:Function": (p) => ["lambda", `function:${p}`],
    "aws:sqs/queue:Queue": (p) => ["sqs", p],
};

/** Inputs that carry a resource's physical name, in the order AWS resources use them. */
const NAME_INPUTS = ["bucket", "identifier", "replicationGroupId", "clusterIdentifier", "family", "emailIdentity", "name"];

interface Provider { region?: string }

export class MockCloud implements pulumi.runtime.Mocks {
    private readonly providers = new Map<string, Provider>();
    readonly accountId: string;
    /** Stack transforms (registerResourceTransform), in registration order: the engine runs them (offline/transforms.ts). */
    readonly transforms: pulumi.ResourceTransform[] = [];

    /**
     * `preview`: answer as providers do in the first `pulumi preview` of a new stack: no ids, inputs echoed as `Check`
     * returns them (auto-names included: Pulumi assigns them in `Check`), every other output unknown.
     */
    constructor(stack: string, private readonly defaultRegion: string, readonly preview = false) {
        this.accountId = mockAccountId(stack);
    }

    /** The region of the provider a resource or invoke uses (a reference is `<provider urn>::<provider id>`). */
    private regionOf(providerRef: string | undefined): string {
        if (!providerRef) return this.defaultRegion;
        const parts = providerRef.split("::").slice(0, -1);
        const key = `${parts[parts.length - 2]?.split("$").pop()}::${parts[parts.length - 1]}`;
        return this.providers.get(key)?.region || this.defaultRegion;
    }

    /** The SDK's mock monitor hands each stack transform here; it does not run them itself. */
    registerTransform(transform: pulumi.ResourceTransform): void {
        this.transforms.push(transform);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        const region = this.regionOf(args.provider);
        const account = this.accountId;
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account, arn: `arn:aws:iam::${account}:role/deployer`, userId: `AROA${digest(account, 16).toUpperCase()}`, id: account };
            case "aws:index/getRegion:getRegion":
                return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:index/getAvailabilityZones:getAvailabilityZones": {
                const names = ["a", "b", "c"].map((s) => `${region}${s}`);
                return { names, zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 6)}-az${i + 1}`), id: region, groupNames: [region] };
            }
            case "aws:elb/getServiceAccount:getServiceAccount": {
                const elbAccount = ELB_ACCOUNTS[region];
                return { id: elbAccount ?? "", arn: elbAccount ? `arn:aws:iam::${elbAccount}:root` : "" };
            }
            case "aws:ssm/getParameter:getParameter":
                return { name: args.inputs.name, type: "String", value: `ami-${digest(`${region}:${args.inputs.name}`, 17)}`, id: args.inputs.name };
            case "aws:ec2/getAmi:getAmi":
                return { id: `ami-${digest(region, 17)}`, architecture: "arm64", imageId: `ami-${digest(region, 17)}` };
            case "aws:kms/getKey:getKey": {
                // An existing key read by alias (the recovery stack reads the source's DR backups key): a stable key id per alias and region.
                const keyId = digest(`${region}:${args.inputs.keyId}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
                return {
                    id: keyId, keyId: args.inputs.keyId, arn: `arn:aws:kms:${region}:${account}:key/${keyId}`,
                    enabled: true, keyState: "Enabled", keyManager: "CUSTOMER",
                };
            }
            case "cloudflare:index/getIpRanges:getIpRanges":
                return {
                    ipv4Cidrs: [...CLOUDFLARE_RANGES.ipv4],
                    ipv6Cidrs: [...CLOUDFLARE_RANGES.ipv6],
                    etag: "offline",
                    chinaIpv4Cidrs: [],
                    chinaIpv6Cidrs: [],
                };
            case "cloudflare:index/getZone:getZone":
                return {
                    id: args.inputs.zoneId ?? digest(JSON.stringify(args.inputs), 32),
                    zoneId: args.inputs.zoneId,
                    name: args.inputs.filter?.name ?? "example.com",
                    status: "active",
                    account: { id: digest("cf-account", 32) },
                };
            default:
                throw new Error(`the offline mocked cloud does not answer the invoke ${args.token}; add it to offline/mock-cloud.ts`);
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        if (args.type.startsWith("pulumi:providers:")) {
            this.providers.set(providerUrn(args), { region: args.inputs.region });
            return { id: this.preview ? "" : `provider-${digest(args.name)}`, state: args.inputs };
        }
        const created = this.created(args);
        return this.preview ? { id: "", state: previewState(args, created.state) } : created;
    }

    /** What the resource looks like once created: ids, ARNs and endpoints derived from stack, region and inputs. */
    private created(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        // @pulumi/aws 7 resources may name their own region (the `region` input) over the provider's.
        const region = (args.type.startsWith("aws:") && typeof args.inputs.region === "string" && args.inputs.region) || this.regionOf(args.provider);
        const account = this.accountId;
        const physical = physicalName(args);
        const id = args.id || (ID_PREFIX[args.type] ? `${ID_PREFIX[args.type]}-${digest(`${args.type}:${args.name}`, 17)}` : physical);
        const [module] = args.type.split(":")[1]?.split("/") ?? [""];
        const shape = ARN_SHAPES[args.type]?.(physical, id) ?? [module, `${module}/${physical}`];
        const [service, resource, global] = shape;
        const arn = `arn:aws:${service}:${global ? "" : region}:${service === "s3" ? "" : account}:${resource}`;
        const state: Record<string, any> = { ...args.inputs, id, name: args.inputs.name ?? physical };
        if (args.type.startsWith("aws:")) Object.assign(state, { arn: args.inputs.arn ?? arn, region, tagsAll: args.inputs.tags ?? {} });
        Object.assign(state, this.extraOutputs(args, { region, account, physical, id, arn }));
        return { id, state };
    }

    /** Outputs beyond id/arn/name that the program or its wiring reads. */
    private extraOutputs(
        args: pulumi.runtime.MockResourceArgs,
        c: { region: string; account: string; physical: string; id: string; arn: string },
    ): Record<string, any> {
        const i = args.inputs;
        switch (args.type) {
            case "aws:ec2/vpc:Vpc":
                return { defaultSecurityGroupId: `sg-${digest(`${c.id}:default`, 17)}`, defaultNetworkAclId: `acl-${digest(`${c.id}:default`, 17)}`,
                         defaultRouteTableId: `rtb-${digest(`${c.id}:main`, 17)}`, mainRouteTableId: `rtb-${digest(`${c.id}:main`, 17)}`, ownerId: c.account };
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2":
                return { bucket: c.physical, arn: `arn:aws:s3:::${c.physical}`, bucketDomainName: `${c.physical}.s3.amazonaws.com`,
                         bucketRegionalDomainName: `${c.physical}.s3.${c.region}.amazonaws.com`, hostedZoneId: "Z21DNDUVLTQW6Q" };
            case "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration":
                return { websiteEndpoint: `${i.bucket}.s3-website.${c.region}.amazonaws.com`, websiteDomain: `s3-website.${c.region}.amazonaws.com` };
            case "aws:s3/bucketObjectv2:BucketObjectv2":
                // Versioned buckets give every upload a version id (the trust store pins it).
                return { versionId: digest(`${c.id}:${JSON.stringify(i.content ?? "")}`, 32) };
            case "aws:kms/key:Key":
            case "aws:kms/replicaKey:ReplicaKey":
                return { keyId: c.id };
            case "aws:iam/role:Role":
                return { uniqueId: `AROA${digest(c.physical, 16).toUpperCase()}` };
            case "aws:rds/instance:Instance": {
                const address = `${c.physical}.c${digest(c.account, 11)}.${c.region}.rds.amazonaws.com`;
                return {
                    address,
                    endpoint: `${address}:5432`,
                    port: 5432,
                    resourceId: `db-${digest(c.physical, 26).toUpperCase()}`,
                    masterUserSecrets: i.manageMasterUserPassword
                        ? [
                              {
                                  secretArn: `arn:aws:secretsmanager:${c.region}:${c.account}:secret:rds!db-${digest(c.physical, 36)}`,
                                  kmsKeyId: i.masterUserSecretKmsKeyId,
                                  secretStatus: "active",
                              },
                          ]
                        : [],
                };
            }
            case "aws:rds/proxy:Proxy":
            case "aws:rds/proxyEndpoint:ProxyEndpoint":
                return { endpoint: `${c.physical}.proxy-c${digest(c.account, 11)}.${c.region}.rds.amazonaws.com` };
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return { primaryEndpointAddress: `master.${c.physical}.${digest(c.physical, 6)}.${c.region}.cache.amazonaws.com`,
                         readerEndpointAddress: `replica.${c.physical}.${digest(c.physical, 6)}.${c.region}.cache.amazonaws.com`, port: 6379 };
            case "aws:lb/loadBalancer:LoadBalancer":
                return { dnsName: `${c.physical}-${parseInt(digest(c.physical), 16)}.${c.region}.elb.amazonaws.com`, zoneId: "Z215JYRZR1TBD5",
                         arnSuffix: c.arn.split(":loadbalancer/")[1] };
            case "aws:lb/targetGroup:TargetGroup":
                return { arnSuffix: c.arn.split(":")[5] };
            case "aws:ecr/repository:Repository":
                return { repositoryUrl: `${c.account}.dkr.ecr.${c.region}.amazonaws.com/${c.physical}`, registryId: c.account };
            case "aws:ecs/taskDefinition:TaskDefinition":
                return { revision: 1, arnWithoutRevision: c.arn.replace(/:1$/, "") };
            case "aws:ec2/instance:Instance":
                return { privateIp: "10.0.0.10", publicIp: "" };
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return { dnsEntries: [{ dnsName: `${c.id}.${i.serviceName}`, hostedZoneId: "Z7HUB22UULQXV" }], prefixListId: `pl-${digest(c.id, 8)}` };
            case "aws:sesv2/emailIdentity:EmailIdentity":
                return {
                    dkimSigningAttributes: {
                        ...(i.dkimSigningAttributes ?? {}),
                        tokens: [1, 2, 3].map((n) => digest(`${c.physical}:${n}`, 32)),
                        status: "PENDING",
                    },
                };
            case "aws:cloudwatch/logGroup:LogGroup":
                return { arn: `arn:aws:logs:${c.region}:${c.account}:log-group:${c.physical}` };
            case "cloudflare:index/originCaCertificate:OriginCaCertificate":
                return { certificate: mockPem("CERTIFICATE", c.physical), expiresOn: "2041-11-25T00:00:00Z" };
            case "tls:index/privateKey:PrivateKey":
                return {
                    privateKeyPem: mockPem("PRIVATE KEY", args.name),
                    publicKeyPem: mockPem("PUBLIC KEY", args.name),
                    privateKeyPemPkcs8: mockPem("PRIVATE KEY", args.name),
                };
            case "tls:index/certRequest:CertRequest":
                return { certRequestPem: mockPem("CERTIFICATE REQUEST", args.name) };
            case "tls:index/selfSignedCert:SelfSignedCert":
            case "tls:index/locallySignedCert:LocallySignedCert":
                return { certPem: mockPem("CERTIFICATE", args.name) };
            case "random:index/randomPassword:RandomPassword":
            case "random:index/randomString:RandomString":
                return { result: `offline-${digest(args.name, Math.max(8, Math.min(Number(i.length ?? 32), 64)))}` };
            case "random:index/randomId:RandomId":
                return { hex: digest(args.name, Number(i.byteLength ?? 8) * 2), b64Std: digest(args.name, 12) };
            default:
                return {};
        }
    }
}

/**
 * A new resource at preview: what the program passed (unknowns stay unknown), the auto-name Pulumi's `Check` assigns
 * (https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming), and the unknown sentinel for every output
 * the provider computes on create.
 */
function previewState(args: pulumi.runtime.MockResourceArgs, created: Record<string, any>): Record<string, any> {
    const autoNamed = (key: string) => (key === "name" || (key === "bucket" && args.type.startsWith("aws:s3/bucket")))
        && !["namePrefix", "bucketPrefix"].some((prefix) => prefix in args.inputs);
    const state: Record<string, any> = {};
    for (const [key, value] of Object.entries(created)) {
        state[key] = key in args.inputs ? args.inputs[key] : autoNamed(key) ? value : UNKNOWN;
    }
    return state;
}

/** The URN the mock monitor gives a provider, so that later `provider` references resolve to its region. */
function providerUrn(args: pulumi.runtime.MockResourceArgs): string {
    return `${args.type}::${args.name}`;
}

function physicalName(args: pulumi.runtime.MockResourceArgs): string {
    for (const key of NAME_INPUTS) {
        if (typeof args.inputs[key] === "string" && args.inputs[key]) return args.inputs[key];
    }
    for (const key of ["namePrefix", "bucketPrefix", "identifierPrefix"]) {
        if (typeof args.inputs[key] === "string") return `${args.inputs[key]}${digest(args.name, 7)}`;
    }
    // Pulumi's auto-naming appends a random 7-character suffix; offline it is derived from the name, so runs agree.
    return `${args.name}-${digest(args.name, 7)}`;
}


function mockPem(label: string, seed: string): string {
    return `-----BEGIN ${label}-----\nT0ZGTElORS${digest(seed, 40)}\n-----END ${label}-----\n`;
}
