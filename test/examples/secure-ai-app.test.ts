import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Plan } from "../../offline/plan";
import { RecordedResource } from "../../offline/engine";
import { Recorded, programPlan } from "../../offline/testing";
import { StackFileError, locateProgram, readStackFiles } from "../../offline/stack-files";
import { runCli } from "../../offline/cli-main";
import { ConfigError } from "../../stacks/validate";
import { parseConfig } from "../../examples/secure-ai-app/config";

// The example program of issue 22 (examples/secure-ai-app): each stack is planned once per test process and reused.
const PROGRAM = "examples/secure-ai-app";
const ROOT = path.resolve(PROGRAM);
const STACKS = ["dev", "staging", "prod"] as const;
const planOf = (stack: (typeof STACKS)[number]) => programPlan(PROGRAM, stack);
const recordOf = async (stack: (typeof STACKS)[number]) => { const p = await planOf(stack); return new Recorded(p.run.resources, p.run.outputs); };

/** The URNs a resource's property was computed from. */
const depsOf = (r: RecordedResource, prop: string) => r.propertyDependencies[prop] ?? [];
const children = (rec: Recorded, parent: RecordedResource, type: string) => rec.childrenOf(parent).filter((r) => r.type === type);

describe("examples/secure-ai-app: a second program built from the library", function () {
    this.timeout(120_000);

    it("finds its own Pulumi.yaml, main and stack files (dev, prod, staging), apart from the platform's", () => {
        const where = locateProgram(PROGRAM);
        assert.deepEqual([where.root, path.basename(where.entry)], [ROOT, "index.ts"]);
        const files = readStackFiles("staging", where.root);
        assert.equal(files.project, "secure-ai-app");
        assert.equal(files.config["app:environment"], "prod");
        assert.ok(!Object.keys(files.config).some((k) => k.startsWith("platform:")), "no platform secrets are injected into another project");
        assert.throws(() => readStackFiles("prod-eu", where.root),
            (e: Error) => e instanceof StackFileError && /known stacks: dev, prod, staging/.test(e.message));
        assert.throws(() => locateProgram("components"), /program folder components has no Pulumi.yaml/);
    });

    it("the plan CLI refuses a --program that does not exist, before planning (exit 2)", async () => {
        const err: string[] = [];
        const code = await runCli(["--program", "examples/no-such-app", "--stack", "dev"], { out: () => undefined, err: (t) => err.push(t) });
        assert.equal(code, 2);
        assert.match(err.join(""), /--program examples\/no-such-app: no such file or folder/);
    });

    for (const stack of STACKS) {
        it(`${stack}: plans with the project's policy pack and no violation, mandatory or advisory`, async () => {
            const plan: Plan = await planOf(stack);
            assert.deepEqual(plan.violations.map((v) => `${v.policy}: ${v.message}`), []);
            assert.equal(plan.run.project, "secure-ai-app");
        });
    }

    it("the AI service is reachable only from the api tier: one ingress rule, its port, from the api's security group", async () => {
        const rec = await recordOf("prod");
        const aiSg = rec.one("aws:ec2/securityGroup:SecurityGroup", "ai-sg");
        const apiSg = rec.one("aws:ec2/securityGroup:SecurityGroup", "api-sg");
        const ingress = rec.pointingAt("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId", aiSg);
        assert.deepEqual(ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? null, depsOf(r, "referencedSecurityGroupId")]),
            [[8000, 8000, null, [apiSg.urn]]]);
        const apiEgressToAi = rec.pointingAt("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId", apiSg)
            .filter((r) => depsOf(r, "referencedSecurityGroupId").includes(aiSg.urn));
        assert.deepEqual(apiEgressToAi.map((r) => r.inputs.fromPort), [8000]);
        // No path from the internet: no load balancer, no public IP, no egress beyond the VPC.
        const ai = rec.inputsOf(rec.one("aws:ecs/service:Service", "ai"));
        assert.equal(ai.loadBalancers, undefined);
        assert.equal(ai.networkConfiguration.assignPublicIp, false);
        assert.ok(ai.serviceRegistries?.registryArn, "the api finds it by its private Cloud Map name");
        const aiEgress = rec.pointingAt("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId", aiSg);
        assert.ok(aiEgress.every((r) => r.inputs.cidrIpv4 !== "0.0.0.0/0"), "the AI service has no internet egress");
        const forwarded = rec.ofType("aws:lb/targetGroup:TargetGroup").map((t) => t.inputs.port);
        assert.deepEqual(forwarded, [3000], "the ALB forwards to the api only");
    });

    it("every alarm notifies the alerts topic on ALARM and OK and links a runbook section that exists", async () => {
        const rec = await recordOf("dev");
        const runbooks = fs.readFileSync(path.join(ROOT, "RUNBOOKS.md"), "utf8");
        const topic = rec.one("aws:sns/topic:Topic", "alerts");
        const alarms = rec.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.ok(alarms.length >= 10, `alarms on the ALB, targets, services, database and certificate (got ${alarms.length})`);
        for (const alarm of alarms) {
            for (const prop of ["alarmActions", "okActions"]) assert.deepEqual(depsOf(alarm, prop), [topic.urn], `${alarm.name} ${prop}`);
            const link = /Runbook: (\S+)#([a-z0-9-]+)$/.exec(alarm.inputs.alarmDescription ?? "");
            assert.ok(link, `${alarm.name} has a runbook link`);
            assert.equal(link![1], "https://github.com/example-org/infra/blob/main/examples/secure-ai-app/RUNBOOKS.md");
            assert.ok(runbooks.includes(`<a id="${link![2]}"></a>`), `RUNBOOKS.md has the section #${link![2]} (${alarm.name})`);
        }
    });

    it("encrypts logs, alerts, secrets, images, the database, buckets and backups with the library's keys, per class", async () => {
        const rec = await recordOf("prod");
        const ring = rec.resources.find((r) => r.type === "platform:security:KeyRing" && r.name === "keys")!;
        const keyUrn = (cls: string) => rec.one("aws:kms/key:Key", `keys-${cls}`).urn;
        assert.ok(children(rec, ring, "aws:kms/key:Key").every((k) => k.inputs.enableKeyRotation === true));
        const encryptedWith = (type: string, prop: string, cls: string, except: string[] = []) => {
            const found = rec.ofType(type).filter((r) => !except.includes(r.name));
            assert.ok(found.length > 0, `some ${type}`);
            for (const r of found) assert.deepEqual(depsOf(r, prop), [keyUrn(cls)], `${r.name}: ${prop} is the ${cls} key`);
        };
        encryptedWith("aws:cloudwatch/logGroup:LogGroup", "kmsKeyId", "logs");
        encryptedWith("aws:sns/topic:Topic", "kmsMasterKeyId", "alerts");
        encryptedWith("aws:secretsmanager/secret:Secret", "kmsKeyId", "secrets");
        encryptedWith("aws:rds/instance:Instance", "kmsKeyId", "data");
        encryptedWith("aws:ecr/repository:Repository", "encryptionConfigurations", "data");
        // The DR copy vault lives in the DR region, with the DR region's own backups key.
        const drVaults = rec.ofType("aws:backup/vault:Vault").filter((v) => v.provider?.includes("aws-dr"));
        assert.equal(drVaults.length, 1);
        assert.deepEqual(depsOf(drVaults[0], "kmsKeyArn"), [rec.one("aws:kms/key:Key", "dr-keys-backups").urn]);
        encryptedWith("aws:backup/vault:Vault", "kmsKeyArn", "backups", drVaults.map((v) => v.name));
        // S3: SSE-KMS with the data key, except the ALB log bucket (S3 accepts only SSE-S3 for ALB log delivery).
        for (const sse of rec.ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")) {
            const rule = sse.inputs.rules[0].applyServerSideEncryptionByDefault;
            if (sse.name.startsWith("alb-logs")) assert.equal(rule.sseAlgorithm, "AES256");
            else assert.deepEqual([rule.sseAlgorithm, depsOf(sse, "rules")], ["aws:kms", [keyUrn("data")]], sse.name);
        }
    });

    it("traces every service to X-Ray: each task exports spans to the region's OTLP endpoint and its role may write them", async () => {
        const rec = await recordOf("dev");
        for (const family of ["api", "ai"]) {
            const [container] = JSON.parse(rec.inputsOf(rec.one("aws:ecs/taskDefinition:TaskDefinition", family)).containerDefinitions);
            const env = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
            assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "https://xray.eu-central-1.amazonaws.com/v1/traces");
            assert.equal(env.OTEL_SERVICE_NAME, `ai-app-dev-${family}`);
            const taskPolicy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", `${family}-task`)).policy);
            assert.ok(taskPolicy.Statement.some((s: any) => s.Action.includes("xray:PutTraceSegments")), `${family} may write traces`);
        }
        assert.equal(rec.one("aws:xray/traceSegmentDestination:TraceSegmentDestination", "tracing-destination").inputs.destination, "CloudWatchLogs");
        const endpoints = rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName);
        assert.ok(endpoints.includes("com.amazonaws.eu-central-1.xray"), "spans leave through the X-Ray interface endpoint");
    });

    it("the three environments differ as configured: size, protection, Multi-AZ and backup copies", async () => {
        // One after the other: the mocked runtime is process-wide, two programs cannot run at once.
        const dev = await recordOf("dev");
        const staging = await recordOf("staging");
        const prod = await recordOf("prod");
        const nat = (r: Recorded) => r.ofType("aws:ec2/natGateway:NatGateway").length;
        assert.deepEqual([nat(dev), nat(staging), nat(prod)], [1, 2, 3]);
        const db = (r: Recorded) => r.inputsOf(r.ofType("aws:rds/instance:Instance")[0]);
        assert.deepEqual([dev, staging, prod].map((r) => [db(r).multiAz, db(r).deletionProtection, db(r).backupRetentionPeriod]),
            [[false, false, 7], [true, true, 35], [true, true, 35]]);
        const scaledOn = (r: Recorded) => r.ofType("aws:appautoscaling/policy:Policy")
            .map((p) => p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType).sort();
        assert.deepEqual(scaledOn(prod), ["ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilization",
            "ECSServiceAverageMemoryUtilization", "ECSServiceAverageMemoryUtilization"], "api and ai scale on CPU and on memory");
        const keysProtected = (r: Recorded) => r.ofType("aws:kms/key:Key").every((k) => k.protect);
        assert.deepEqual([keysProtected(dev), keysProtected(staging), keysProtected(prod)], [false, true, true]);
        const copies = (r: Recorded) => r.ofType("aws:backup/plan:Plan").flatMap((p) => p.inputs.rules.flatMap((rule: any) => rule.copyActions ?? []));
        assert.equal(copies(dev).length, 0);
        assert.ok(copies(prod).length > 0 && copies(staging).length > 0, "production-class stacks copy recovery points to the DR region");
        // Staging runs as the production class (the pack's vocabulary has dev and prod), told apart by its stage tag.
        const tags = (r: Recorded) => r.one("aws:ecs/cluster:Cluster", "cluster").inputs.tags;
        assert.deepEqual([tags(dev).environment, tags(staging).environment, tags(prod).environment], ["dev", "prod", "prod"]);
        assert.deepEqual([tags(dev).stage, tags(staging).stage, tags(prod).stage], ["dev", "staging", "prod"]);
    });
});

describe("examples/secure-ai-app config", () => {
    /** The raw `app:*` values of a stack file, as the program reads them. */
    const rawOf = (stack: string): Record<string, unknown> => {
        const files = readStackFiles(stack, ROOT);
        return Object.fromEntries(Object.entries(files.config).filter(([k]) => k.startsWith("app:"))
            .map(([k, v]) => [k.slice(4), /^[[{]/.test(v) ? JSON.parse(v) : v]));
    };
    const parse = (raw: Record<string, unknown>, stage = "prod") =>
        parseConfig(raw, { project: "secure-ai-app", stage, region: "eu-central-1", secretValues: {} });
    const rejects = (raw: Record<string, unknown>, pattern: RegExp, stage?: string) =>
        assert.throws(() => parse(raw, stage), (e: Error) => e instanceof ConfigError && pattern.test(e.message), String(pattern));

    it("reads every stack file of the example", () => {
        for (const stack of STACKS) assert.equal(parse(rawOf(stack), stack).namePrefix, `ai-app-${stack}`);
    });
    it("names the key, the value and what is allowed when a value is wrong", () => {
        const prod = rawOf("prod");
        rejects({ ...prod, servcies: {} }, /config app:servcies: got \{\}; allowed: no such key \(did you mean services\?\)/);
        rejects({ ...prod, services: { ...(prod.services as object), ai: { cpu: 1024, memory: 512, minTasks: 2, maxTasks: 3 } } },
            /config app:services\.ai\.memory: got 512; allowed: a valid Fargate memory for 1024 CPU units/);
        rejects({ ...prod, backup: {} }, /config app:backup\.drRegion: missing; allowed: a DR region for the backup copies \(required in production\)/);
        rejects({ ...prod, logRetentionDays: "30" }, /config app:logRetentionDays: got "30"; allowed: one of 365, 400/);
        rejects({ ...prod, network: { ...(prod.network as object), availabilityZones: 1 } },
            /config app:network\.availabilityZones: got 1; allowed: an integer >= 2/);
        rejects({ ...prod, edge: { ...(prod.edge as object), plann: "pro" } }, /config app:edge\.plann/);
    });
});
