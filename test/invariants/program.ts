import { RecordedResource } from "../../offline/engine";
import { Recorded, stackRecord } from "../../offline/testing";

/** Every project stack; each invariant holds on all of them. */
export const STACKS = ["dev", "prod-eu", "prod-il"] as const;
export type StackName = (typeof STACKS)[number];

export const T = {
    key: "aws:kms/key:Key", alias: "aws:kms/alias:Alias", bucket: "aws:s3/bucket:Bucket", bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucketLogging: "aws:s3/bucketLogging:BucketLogging",
    secret: "aws:secretsmanager/secret:Secret", taskDefinition: "aws:ecs/taskDefinition:TaskDefinition", service: "aws:ecs/service:Service",
    role: "aws:iam/role:Role", rolePolicy: "aws:iam/rolePolicy:RolePolicy", topic: "aws:sns/topic:Topic", topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm", trail: "aws:cloudtrail/trail:Trail", deliveryChannel: "aws:cfg/deliveryChannel:DeliveryChannel",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer", listener: "aws:lb/listener:Listener", trustStore: "aws:lb/trustStore:TrustStore",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup", ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", provider: "pulumi:providers:aws",
} as const;

/**
 * The rendered plan of one stack (the real program through the offline engine), with the lookups the invariants share.
 * The run itself is cached per mocha process by `stackRecord` (test/stacks.test.ts reads the same run).
 */
export class Program {
    private readonly byUrn: Map<string, RecordedResource>;

    constructor(public readonly stack: StackName, public readonly rec: Recorded) {
        this.byUrn = new Map(rec.resources.map((r) => [r.urn, r]));
    }

    get outputs(): Record<string, any> { return this.rec.outputs; }
    get resources(): RecordedResource[] { return this.rec.resources; }
    ofType(type: string): RecordedResource[] { return this.rec.ofType(type); }
    inputs(r: RecordedResource): Record<string, any> { return this.rec.inputsOf(r); }
    get(urn: string): RecordedResource | undefined { return this.byUrn.get(urn); }

    /** The resources `r`'s `prop` input was computed from, optionally of one type. */
    deps(r: RecordedResource, prop: string, type?: string): RecordedResource[] {
        return (r.propertyDependencies[prop] ?? []).map((u) => this.byUrn.get(u)).filter((d): d is RecordedResource => !!d && (!type || d.type === type));
    }

    /** The one resource of `type` that `r`'s `prop` came from; throws naming `r` when there is none or several. */
    dep(r: RecordedResource, prop: string, type: string): RecordedResource {
        const found = this.deps(r, prop, type);
        if (found.length !== 1) throw new Error(`${r.name}.${prop}: expected one ${type} behind it, found ${found.map((d) => d.name).join(", ") || "none"}`);
        return found[0];
    }

    /** The region a resource is created in (its provider's region). */
    regionOf(r: RecordedResource): string {
        const provider = this.ofType(T.provider).find((p) => r.provider?.startsWith(`${p.urn}::`));
        return provider?.inputs.region ?? this.outputs.region;
    }

    /** The stack's primary region. */
    get region(): string { return this.outputs.region; }

    /** A key's data class, read from its alias (`alias/<prefix>/<class>`), and whether it lives in the DR region. */
    keyClass(key: RecordedResource): string {
        const alias = this.ofType(T.alias).find((a) => this.deps(a, "targetKeyId").includes(key));
        if (!alias) throw new Error(`key ${key.name} has no alias`);
        // The in-region copy vault's own key ring is aliased `<prefix>-copy/<class>`: a class of its own.
        const [prefix, cls] = String(alias.inputs.name).replace(/^alias\//, "").split("/");
        const keyClass = prefix.endsWith("-copy") ? `${cls}-copy` : cls;
        return this.regionOf(key) === this.region ? keyClass : `${keyClass}@${this.regionOf(key)}`;
    }

    /** The ARN of a key, from the stack outputs (the program exports every key's ARN). */
    keyArn(key: RecordedResource): string {
        const keyClass = this.keyClass(key);
        const arn = keyClass.includes("@") ? this.outputs.drBackupsKeyArn
            : keyClass === "backups-copy" ? this.outputs.copyVaultKeyArn : this.outputs.kmsKeyArns?.[keyClass];
        if (!arn) throw new Error(`no exported ARN for key ${key.name} (${keyClass})`);
        return arn;
    }

    /** The statements of a JSON policy input. */
    statements(r: RecordedResource, prop = "policy"): PolicyStatement[] {
        const doc = JSON.parse(this.inputs(r)[prop]);
        return asList(doc.Statement);
    }

    /** A bucket's purpose tag (evidence, backups, alb-logs, ...). */
    purpose(bucket: RecordedResource): string { return bucket.inputs.tags?.["bucket-purpose"]; }

    /** The bucket a companion resource (policy, SSE, logging) points at through its `bucket` input. */
    bucketOf(companion: RecordedResource, prop = "bucket"): RecordedResource { return this.dep(companion, prop, T.bucket); }

    /** The resources that point at `bucket` through `prop`, e.g. its bucket policy. */
    companionsOf(bucket: RecordedResource, type: string, prop = "bucket"): RecordedResource[] {
        return this.ofType(type).filter((c) => this.deps(c, prop).includes(bucket));
    }
}

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: any;
    Action?: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

export function asList<V>(v: V | V[] | undefined): V[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Does an IAM action pattern (with `*` wildcards) cover `action`? */
export function actionCovers(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
    return re.test(action);
}

/** Allow statements whose actions cover `action`. */
export function allowing(statements: PolicyStatement[], action: string): PolicyStatement[] {
    return statements.filter((s) => s.Effect === "Allow" && asList(s.Action).some((a) => actionCovers(a, action)));
}

/** The service principals of a statement. */
export function servicesOf(s: PolicyStatement): string[] {
    return asList(s.Principal?.Service);
}

const programs = new Map<string, Promise<Program>>();

/** The rendered plan of a project stack, one program run per stack per mocha process. */
export function program(stack: StackName): Promise<Program> {
    if (!programs.has(stack)) programs.set(stack, stackRecord(stack).then((rec) => new Program(stack, rec)));
    return programs.get(stack)!;
}

/** Forgets the cached programs (see `forgetStackPlans`; test/fixtures/stryker-root-hooks.ts calls both). */
export function forgetPrograms(): void {
    programs.clear();
}
