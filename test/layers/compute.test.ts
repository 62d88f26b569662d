import { strict as assert } from "assert";
import { VPC_ENI_ACTIONS, validateFargateSize } from "../../components";
import { RecordedResource } from "../../offline/engine";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { PlatformConfig, TaskFamily } from "../../stacks/config";
import { CUSTOMER_SCAN_ROLE_NAME, ComputeInputs, FAMILIES, buildCompute } from "../../stacks/layers/compute";
import { IngressOutputs, buildIngress } from "../../stacks/layers/ingress";
import { fakeIngressInputs } from "../fixtures/ingress-inputs";
import { runPolicies } from "../../offline/policy-runner";
import { computePolicies } from "../../policy/compute";
import { ingressPolicies } from "../../policy/ingress";
import { stackCache } from "../fixtures/stack-cache";

const ACCOUNT = "111122223333";
const ARN = {
    dataKey: "arn:aws:kms:eu-central-1:111122223333:key/data",
    logsKey: "arn:aws:kms:eu-central-1:111122223333:key/logs",
    secretsKey: "arn:aws:kms:eu-central-1:111122223333:key/secrets",
    evidence: "arn:aws:s3:::platform-test-evidence",
    documents: "arn:aws:s3:::platform-test-documents",
    jwt: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:jwt-AbCdEf",
    workos: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:workos-AbCdEf",
    dbUser: "arn:aws:rds-db:REGION:111122223333:dbuser:prx-0123456789abcdef0/platform_app",
    redisAuth: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:redis-auth-AbCdEf",
    sesIdentity: "arn:aws:ses:eu-central-1:111122223333:identity/complyhub.io",
};

/** Upstream layers' outputs, as plain strings. */
function fakeComputeInputs(ingress: IngressOutputs): ComputeInputs {
    return {
        accountId: ACCOUNT,
        vpcId: "vpc-0fake",
        computeSubnetIds: ["subnet-app-a", "subnet-app-b", "subnet-app-c"],
        keys: { dataKeyArn: ARN.dataKey, logsKeyArn: ARN.logsKey, secretsKeyArn: ARN.secretsKey },
        buckets: {
            evidenceBucketArn: ARN.evidence,
            evidenceBucketName: "platform-test-evidence",
            documentsBucketArn: ARN.documents,
            documentsBucketName: "platform-test-documents",
        },
        secrets: { jwtSigningKeyArn: ARN.jwt, workosApiKeyArn: ARN.workos },
        data: {
            postgresEndpoint: "app.proxy-fake.eu-central-1.rds.amazonaws.com",
            postgresInstanceAddress: "db.fake.eu-central-1.rds.amazonaws.com",
            databaseName: "platform",
            iamAuth: { resourceId: "prx-0123456789abcdef0", dbUser: "platform_app" },
            redisEndpoint: "master.redis.fake.cache.amazonaws.com",
            redisAuthSecretArn: ARN.redisAuth,
            postgresClientsSecurityGroupId: "sg-pgclients", redisClientsSecurityGroupId: "sg-redisclients", postgresAdminsSecurityGroupId: "sg-pgadmins",
            postgresDirectClientsSecurityGroupId: "sg-pgdirect",
            postgresSecurityGroupId: "sg-postgres",
            postgresMasterSecretArn: "arn:aws:secretsmanager:eu-central-1:111122223333:secret:platform-test/postgres/master-AbCdEf",
        },
        email: { identityArn: ARN.sesIdentity },
        alertsTopicArn: "arn:aws:sns:eu-central-1:111122223333:alerts",
        runtimeParametersPath: "/platform-test/",
        ingress,
    };
}

function build(cfg: PlatformConfig) {
    const ingress = buildIngress(cfg, fakeIngressInputs(), {});
    return buildCompute(cfg, fakeComputeInputs(ingress), {});
}

const runs = stackCache<Promise<Recorded>>();
const configs = new Map<string, PlatformConfig>();
function computeOf(stack: string): Promise<Recorded> {
    if (!runs.has(stack)) runs.set(stack, recordWithStackConfig(stack, (cfg) => { configs.set(stack, cfg); return build(cfg); }));
    return runs.get(stack)!;
}

const SERVICE = "aws:ecs/service:Service";
const TASKDEF = "aws:ecs/taskDefinition:TaskDefinition";
const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

const EXPECTED: Record<string, { families: string[] }> = {
    dev: { families: ["api", "api-workers", "scanner-workers"] },
    "prod-eu": { families: ["api", "api-workers", "scanner-workers"] },
    "prod-il": { families: ["api", "api-workers", "scanner-workers", "ai-workers", "keycloak"] },
};

/** Per enabled family (by service name), what the stack's parsed config asks for: the layer must follow it, whatever the YAML says. */
function configured<V>(stack: string, pick: (s: PlatformConfig["services"][TaskFamily]) => V): Record<string, V> {
    const cfg = configs.get(stack)!;
    return Object.fromEntries(
        (Object.keys(cfg.services) as TaskFamily[]).filter((f) => cfg.services[f].enabled).map((f) => [FAMILIES[f].name, pick(cfg.services[f])]),
    );
}

/** The component a resource belongs to (`<family>` or `<family>-scaling`), from its parent chain. */
function familyOf(r: Recorded, res: RecordedResource): string {
    const parent = r.resources.find((p) => p.urn === res.parent);
    return parent ? parent.name : res.name;
}

function statementsOf(r: Recorded, rp: RecordedResource): any[] {
    return JSON.parse(r.inputsOf(rp).policy).Statement;
}

/** Actions AWS offers no resource-level permission for, each with the reason it is allowed. */
const STAR_ALLOWED: Record<string, (s: any) => boolean> = {
    "cloudwatch:PutMetricData": (s) => s.Condition?.StringEquals?.["cloudwatch:namespace"] === "Platform/BullMQ",
    "ecr:GetAuthorizationToken": () => true,
    "ssmmessages:CreateControlChannel": () => true, "ssmmessages:CreateDataChannel": () => true,
    "ssmmessages:OpenControlChannel": () => true, "ssmmessages:OpenDataChannel": () => true, "logs:DescribeLogGroups": () => true,
    // X-Ray's trace and sampling APIs have no resource-level permissions (AWSXrayWriteOnlyAccess uses "*").
    "xray:PutTraceSegments": () => true, "xray:PutTelemetryRecords": () => true, "xray:GetSamplingRules": () => true,
    "xray:GetSamplingTargets": () => true, "xray:GetSamplingStatisticSummaries": () => true,
    // Keycloak's rotation functions (VpcFunction): ENI management and Secrets Manager's password generator have no resource.
    ...Object.fromEntries(VPC_ENI_ACTIONS.map((a) => [a, () => true])),
    "secretsmanager:GetRandomPassword": () => true,
};

describe("compute layer", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        const expected = EXPECTED[stack];
        describe(stack, () => {
            it("runs exactly the enabled families (ai-workers and keycloak only in prod-il)", async () => {
                const r = await computeOf(stack);
                assert.deepEqual(r.ofType(SERVICE).map((s) => r.inputsOf(s).name).sort(), [...expected.families].sort());
                // prod-eu and prod-il pull from the shared-services registry (test/topology.test.ts); dev builds its own.
                const own = stack === "dev" ? expected.families.map((f) => `platform/${f}`).sort() : [];
                assert.deepEqual(r.ofType("aws:ecr/repository:Repository").map((x) => r.inputsOf(x).name).sort(), own);
            });

            it("bounds each family's task count from config", async () => {
                const r = await computeOf(stack);
                const bounds = Object.fromEntries(r.ofType(TARGET).map((t) => {
                    const i = r.inputsOf(t);
                    return [familyOf(r, t).replace(/-scaling$/, ""), [i.minCapacity, i.maxCapacity]];
                }));
                assert.deepEqual(bounds, configured(stack, (s) => [s.minTasks, s.maxTasks]));
            });

            it("scales the api on requests per target and p99 latency, workers on BullMQ queue depth, keycloak on CPU", async () => {
                const r = await computeOf(stack);
                const policiesOf = (family: string) => r.ofType(POLICY).filter((p) => familyOf(r, p) === `${family}-scaling`).map((p) => r.inputsOf(p));
                const alarmsOf = (family: string) => r.ofType(ALARM).filter((p) => familyOf(r, p) === `${family}-scaling`).map((p) => r.inputsOf(p));

                const api = policiesOf("api");
                const tracking = api.find((p) => p.policyType === "TargetTrackingScaling")!;
                assert.equal(tracking.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType, "ALBRequestCountPerTarget");
                assert.match(
                    tracking.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel,
                    /^app\/platform-[a-z-]+-origin\/[0-9a-f]+\/targetgroup\/platform-[a-z-]+-api\/[0-9a-f]+$/,
                );
                assert.ok(api.some((p) => p.policyType === "StepScaling"));
                const latency = alarmsOf("api")[0];
                assert.deepEqual([latency.metricName, latency.extendedStatistic, latency.namespace], ["TargetResponseTime", "p99", "AWS/ApplicationELB"]);

                assert.deepEqual(latency.alarmActions.filter((a: string) => a.includes(":sns:")), ["arn:aws:sns:eu-central-1:111122223333:alerts"]);

                for (const worker of expected.families.filter((f) => f.endsWith("-workers"))) {
                    const policies = policiesOf(worker);
                    assert.deepEqual(policies.map((p) => p.policyType), ["TargetTrackingScaling"]);
                    const metrics = policies[0].targetTrackingScalingPolicyConfiguration.customizedMetricSpecification.metrics;
                    const depth = metrics.find((m: any) => m.id === "depth").metricStat.metric;
                    const queue = FAMILIES[Object.keys(FAMILIES).find((k) => FAMILIES[k as TaskFamily].name === worker) as TaskFamily].queue!;
                    assert.deepEqual([depth.namespace, depth.metricName], ["Platform/BullMQ", "QueueDepth"]);
                    assert.deepEqual(depth.dimensions, [
                        { name: "Environment", value: stack === "dev" ? "dev" : "prod" },
                        { name: "Queue", value: queue.name },
                    ]);
                    const tasks = metrics.find((m: any) => m.id === "tasks").metricStat.metric;
                    assert.deepEqual(tasks.dimensions, [{ name: "ClusterName", value: `platform-${stack}` }, { name: "ServiceName", value: worker }]);
                    assert.equal(metrics.find((m: any) => m.returnData).expression, "depth / tasks");
                    assert.equal(policies[0].targetTrackingScalingPolicyConfiguration.targetValue, queue.backlogPerTask);
                    assert.equal(alarmsOf(worker).length, 0, "target tracking manages its own alarms");
                }
                if (expected.families.includes("keycloak")) {
                    const kc = policiesOf("keycloak");
                    assert.equal(kc.length, 1);
                    assert.equal(
                        kc[0].targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType,
                        "ECSServiceAverageCPUUtilization",
                    );
                }
            });

            it("never runs the api on Fargate Spot; workers use Spot only where config allows", async () => {
                const r = await computeOf(stack);
                for (const s of r.ofType(SERVICE).map((x) => r.inputsOf(x))) {
                    const providers = s.capacityProviderStrategies.map((c: any) => c.capacityProvider);
                    assert.equal(providers.includes("FARGATE_SPOT"), configured(stack, (c) => c.spot)[s.name], s.name);
                    if (s.name === "api") assert.ok(!providers.includes("FARGATE_SPOT"), "the api never runs on Spot");
                    assert.ok(providers.includes("FARGATE"), `${s.name} keeps an on-demand base`);
                }
            });

            it("grants roles exact resource ARNs only (\"*\" only for actions without resource-level permissions)", async () => {
                const r = await computeOf(stack);
                for (const rp of r.ofType(ROLE_POLICY)) {
                    for (const s of statementsOf(r, rp)) {
                        const resources = [s.Resource].flat(2);
                        if (resources.includes("*")) {
                            assert.equal(resources.length, 1);
                            for (const a of [s.Action].flat()) assert.ok(STAR_ALLOWED[a]?.(s), `${rp.name}: ${a} on "*"`);
                        } else if (s.Sid === "AssumeCustomerScanRoles") {
                            // The one account wildcard: a tenant's AWS account id is data, not config (README "Stack outputs").
                            assert.deepEqual(
                                [rp.name, s.Action, resources],
                                ["scanner-workers-task", ["sts:AssumeRole"], [`arn:aws:iam::*:role/${CUSTOMER_SCAN_ROLE_NAME}`]],
                            );
                        } else {
                            // A Lambda's own log group is named with its streams (`log-group:<name>:*`).
                            const exact =
                                /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^*]+(\/\*|:log-stream:\*)?$|^arn:aws:logs:[a-z0-9-]+:\d{12}:log-group:[^*:]+:\*$/;
                            for (const res of resources) assert.match(res, exact, `${rp.name}: ${res}`);
                        }
                    }
                }
                const task = (family: string) => r.ofType(ROLE_POLICY).find((p) => p.name === `${family}-task`);
                const apiResources = statementsOf(r, task("api")!).flatMap((s) => [s.Resource].flat());
                assert.ok(apiResources.includes(`${ARN.evidence}/*`) && apiResources.includes(`${ARN.documents}/*`) && apiResources.includes(ARN.dataKey));
                const region = stack === "prod-il" ? "il-central-1" : "eu-central-1";
                for (const family of expected.families.filter((f) => f !== "keycloak")) {
                    const login = statementsOf(r, task(family)!).find((s) => s.Sid === "DatabaseIamAuth");
                    assert.equal(login?.Resource, ARN.dbUser.replace("REGION", region), `${family} logs in with IAM auth as exactly the application user`);
                }
                const scanner = statementsOf(r, task("scanner-workers")!).flatMap((s) => [s.Resource].flat());
                assert.ok(scanner.includes(`${ARN.evidence}/*`) && !scanner.includes(`${ARN.documents}/*`), "scanner-workers touch evidence only");
                const workers = statementsOf(r, task("api-workers")!);
                assert.deepEqual(workers.find((s) => s.Sid === "SendEmail")?.Resource, [ARN.sesIdentity]);
                const exec = statementsOf(r, r.ofType(ROLE_POLICY).find((p) => p.name === "api-execution")!);
                assert.deepEqual([exec.find((s) => s.Sid === "ReadSecrets").Resource].flat().sort(), [ARN.redisAuth, ARN.jwt, ARN.workos].sort());
                const [own, agent] = exec.find((s) => s.Sid === "PullImage").Resource;
                assert.match(own, /^arn:aws:ecr:[a-z0-9-]+:\d{12}:repository\/platform\/api$/);
                assert.match(
                    agent,
                    new RegExp(`^arn:aws:ecr:${region}:\\d{12}:repository/aws-guardduty-agent-fargate$`),
                    "the GuardDuty sidecar of the region",
                );
            });

            it("gives every family its own execution and task role", async () => {
                const r = await computeOf(stack);
                for (const td of r.ofType(TASKDEF).map((x) => r.inputsOf(x))) assert.notEqual(td.executionRoleArn, td.taskRoleArn);
                assert.equal(r.ofType("aws:iam/role:Role").filter((x) => /-(exec|task)$/.test(r.inputsOf(x).name)).length, 2 * expected.families.length);
            });

            it("hardens every task: ARM64, awsvpc, non-root, read-only root, logs to a KMS log group, secrets only via valueFrom", async () => {
                const r = await computeOf(stack);
                for (const td of r.ofType(TASKDEF).map((x) => r.inputsOf(x))) {
                    assert.equal(td.runtimePlatform.cpuArchitecture, "ARM64");
                    assert.equal(td.networkMode, "awsvpc");
                    for (const c of JSON.parse(td.containerDefinitions)) {
                        assert.equal(c.user, "1000:1000");
                        assert.equal(c.readonlyRootFilesystem, true);
                        assert.equal(c.privileged, false);
                        assert.equal(c.logConfiguration.logDriver, "awslogs");
                        // The application container gets its secrets by valueFrom; sidecars (the X-Ray daemon) get none.
                        if (c.essential === false) assert.equal(c.secrets, undefined, `${c.name}: a sidecar holds no secret`);
                        else assert.ok(c.secrets.length > 0 && c.secrets.every((s: any) => s.valueFrom.startsWith("arn:aws:secretsmanager:")));
                        assert.ok(c.environment.every((e: any) => !/(secret|password|token|key)$/i.test(e.name)), JSON.stringify(c.environment));
                    }
                }
                for (const lg of r.ofType("aws:cloudwatch/logGroup:LogGroup").map((x) => r.inputsOf(x))) assert.equal(lg.kmsKeyId, ARN.logsKey);
            });

            it("runs services in private subnets without public IPs, with circuit breaker rollback; no ECS Exec (read-only root)", async () => {
                const r = await computeOf(stack);
                for (const s of r.ofType(SERVICE).map((x) => r.inputsOf(x))) {
                    assert.equal(s.networkConfiguration.assignPublicIp, false);
                    assert.deepEqual(s.networkConfiguration.subnets, ["subnet-app-a", "subnet-app-b", "subnet-app-c"]);
                    assert.deepEqual(s.deploymentCircuitBreaker, { enable: true, rollback: true });
                    assert.equal(s.enableExecuteCommand, false);
                }
                const cluster = r.inputsOf(r.ofType("aws:ecs/cluster:Cluster")[0]);
                assert.deepEqual(cluster.settings, [{ name: "containerInsights", value: "enhanced" }]);
                assert.equal(cluster.configuration?.executeCommandConfiguration, undefined);
            });

            it("passes the compute and ingress policies", async () => {
                const r = await computeOf(stack);
                const found = await runPolicies([...computePolicies, ...ingressPolicies], r.resources);
                assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
            });

            it("builds the Session Manager bastion only where config enables it", async () => {
                const r = await computeOf(stack);
                const instances = r.ofType("aws:ec2/instance:Instance").map((x) => r.inputsOf(x));
                assert.equal(instances.length, stack === "dev" ? 0 : 1);
                for (const i of instances) {
                    assert.equal(i.metadataOptions.httpTokens, "required");
                    assert.equal(i.associatePublicIpAddress, false);
                    assert.equal(i.keyName, undefined);
                    assert.deepEqual([i.rootBlockDevice.encrypted, i.rootBlockDevice.kmsKeyId], [true, ARN.dataKey]);
                    assert.ok(i.vpcSecurityGroupIds.includes("sg-pgadmins") && i.vpcSecurityGroupIds.includes("sg-redisclients"));
                    assert.deepEqual(r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => r.inputsOf(a).policyArn),
                        ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
                    const sg = r.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === "bastion-sg")!;
                    assert.equal(r.inputsOf(sg).ingress, undefined);
                    assert.deepEqual(
                        r.pointingAt("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "securityGroupId", sg),
                        [],
                        "no inbound rule at all",
                    );
                    const egress = r.pointingAt("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "securityGroupId", sg).map((e) => r.inputsOf(e));
                    // HTTPS only, never to the internet. (The real program passes no S3 prefix list, so the bastion reaches S3
                    // only through what the VPC rule allows: test/invariants/after-merge.test.ts.pending holds that check.)
                    assert.ok(
                        egress.length >= 1 && egress.every((e) => e.fromPort === 443 && e.toPort === 443 && e.ipProtocol === "tcp"),
                        JSON.stringify(egress),
                    );
                    assert.ok(
                        egress.every((e) => e.cidrIpv4 !== "0.0.0.0/0" && e.cidrIpv6 !== "::/0"),
                        "no egress to the internet",
                    );
                }
            });
        });
    }

    it("keeps Keycloak's database password in its own KMS-encrypted secret, read only by its execution role", async () => {
        const r = await computeOf("prod-il");
        const secret = r.ofType("aws:secretsmanager/secret:Secret").find((s) => r.inputsOf(s).name === "platform-prod-il/keycloak/database-password")!;
        assert.ok(secret.protect, "protected in prod");
        assert.equal(r.inputsOf(secret).kmsKeyId, ARN.secretsKey);
        const exec = statementsOf(r, r.ofType(ROLE_POLICY).find((p) => p.name === "keycloak-execution")!);
        const read = [exec.find((s) => s.Sid === "ReadSecrets").Resource].flat();
        assert.ok(read.every((arn: string) => arn.includes(":secret:platform-prod-il/keycloak/")), JSON.stringify(read));
        const kc = JSON.parse(r.inputsOf(r.ofType(TASKDEF).find((t) => r.inputsOf(t).family === "platform-prod-il-keycloak")!).containerDefinitions)[0];
        assert.ok(kc.environment.find((e: any) => e.name === "KC_DB_URL").value.endsWith("/keycloak?sslmode=require"));
        assert.deepEqual(kc.secrets.map((s: any) => s.name).sort(), ["KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_DB_PASSWORD", "KC_DB_USERNAME"]);
        const service = r.inputsOf(r.ofType(SERVICE).find((s) => r.inputsOf(s).name === "keycloak")!);
        assert.ok(service.networkConfiguration.securityGroups.includes("sg-pgdirect"), "reaches the primary through the direct-clients group");
        assert.ok(!service.networkConfiguration.securityGroups.includes("sg-redisclients"), "no Redis for Keycloak");
    });

    it("rejects an invalid Fargate cpu/memory pair with a clear error naming the family", async () => {
        await assert.rejects(
            recordWithStackConfig("dev", (cfg) =>
                build({ ...cfg, services: { ...cfg.services, scannerWorkers: { ...cfg.services.scannerWorkers, cpu: 1024, memory: 512 } } }),
            ),
            /task family scanner-workers: memory 512 MiB is not valid with cpu 1024 \(allowed: 2048, 3072, 4096, 5120, 6144, 7168, 8192 MiB\)/,
        );
        assert.throws(
            () => validateFargateSize("api", 256, 4096),
            /task family api: memory 4096 MiB is not valid with cpu 256 \(allowed: 512, 1024, 2048 MiB\)/,
        );
        assert.throws(() => validateFargateSize("api", 300, 1024), /cpu 300 is not a Fargate CPU value/);
        assert.deepEqual(validateFargateSize("api", 16384, 122880), { cpu: 16384, memory: 122880 });
    });

    it("creates no repositories with an external registry and pulls from it", async () => {
        const r = await recordWithStackConfig("prod-eu", (cfg) =>
            build({ ...cfg, registry: { mode: "external", externalRegistryUrl: "999988887777.dkr.ecr.eu-central-1.amazonaws.com", pullAccountIds: [] } }),
        );
        assert.equal(r.ofType("aws:ecr/repository:Repository").length, 0);
        const api = JSON.parse(r.inputsOf(r.ofType(TASKDEF).find((t) => r.inputsOf(t).family === "platform-prod-eu-api")!).containerDefinitions)[0];
        assert.equal(api.image, "999988887777.dkr.ecr.eu-central-1.amazonaws.com/platform/api:bootstrap");
        const exec = statementsOf(r, r.ofType(ROLE_POLICY).find((p) => p.name === "api-execution")!);
        assert.equal(exec.find((s) => s.Sid === "PullImage").Resource[0], "arn:aws:ecr:eu-central-1:999988887777:repository/platform/api");
    });

    it("lets only the configured accounts pull, and keeps the last 50 images", async () => {
        const r = await recordWithStackConfig("prod-eu", (cfg) => build({ ...cfg, registry: { mode: "create", pullAccountIds: ["444455556666"] } }));
        const policies = r.ofType("aws:ecr/repositoryPolicy:RepositoryPolicy").map((p) => JSON.parse(r.inputsOf(p).policy).Statement[0]);
        assert.equal(policies.length, 3);
        for (const s of policies) {
            assert.deepEqual(s.Principal.AWS, ["arn:aws:iam::444455556666:root"]);
            assert.deepEqual(s.Action, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]);
        }
        for (const lp of r.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy"))
            assert.equal(JSON.parse(r.inputsOf(lp).policy).rules[0].selection.countNumber, 50);
        for (const repo of r.ofType("aws:ecr/repository:Repository")) {
            const i = r.inputsOf(repo);
            assert.deepEqual(
                [i.imageTagMutability, i.imageScanningConfiguration.scanOnPush, i.encryptionConfigurations[0].kmsKey, repo.protect],
                ["IMMUTABLE", true, ARN.dataKey, true],
            );
        }
    });
});
