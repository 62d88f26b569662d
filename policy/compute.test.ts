import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import * as compute from "./compute";

const REPO = "aws:ecr/repository:Repository";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";
const ROLE = "aws:iam/role:Role";

const goodContainer = {
    name: "api",
    image: "x",
    user: "1000:1000",
    privileged: false,
    readonlyRootFilesystem: true,
    environment: [{ name: "REDIS_HOST", value: "redis" }],
    secrets: [{ name: "JWT_SIGNING_KEY", valueFrom: "arn:aws:secretsmanager:eu-central-1:1:secret:jwt" }],
    logConfiguration: { logDriver: "awslogs", options: {} },
};
const taskDef = (container: Record<string, any> = {}, inputs: Record<string, any> = {}) => fake(TD, "api", {
    family: "api", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "2048",
    executionRoleArn: "arn:aws:iam::1:role/exec", taskRoleArn: "arn:aws:iam::1:role/task",
    containerDefinitions: JSON.stringify([{ ...goodContainer, ...container }]), ...inputs,
});

describe("compute policies", () => {
    describe("ecr-scan-on-push", () => {
        it("passes a repository scanning on push", async () => {
            assert.deepEqual(await violationsOf(compute.ecrScanOnPush, [fake(REPO, "api", { imageScanningConfiguration: { scanOnPush: true } })]), []);
        });
        it("passes any repository when the registry uses enhanced scanning", async () => {
            const enhanced = fake("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration", "scan", {
                scanType: "ENHANCED",
                rules: [{ scanFrequency: "CONTINUOUS_SCAN" }],
            });
            assert.deepEqual(await violationsOf(compute.ecrScanOnPush, [fake(REPO, "api", {}), enhanced]), []);
        });
        it("flags a repository that does not scan", async () => {
            assert.match((await violationsOf(compute.ecrScanOnPush, [fake(REPO, "api", {})])).join(), /repository api does not scan images on push/);
        });
    });

    describe("ecr-immutable-tags", () => {
        it("passes IMMUTABLE", async () => {
            assert.deepEqual(await violationsOf(compute.ecrImmutableTags, [fake(REPO, "api", { imageTagMutability: "IMMUTABLE" })]), []);
        });
        it("flags mutable tags (the default)", async () => {
            assert.match((await violationsOf(compute.ecrImmutableTags, [fake(REPO, "api", {})])).join(), /MUTABLE, not IMMUTABLE/);
        });
    });

    describe("ecr-lifecycle", () => {
        const repo = fake(REPO, "api", { name: "platform/api" });
        it("passes a repository joined to a lifecycle policy", async () => {
            const lp = fake("aws:ecr/lifecyclePolicy:LifecyclePolicy", "api", { policy: "{}" }, { repository: [repo] });
            assert.deepEqual(await violationsOf(compute.ecrLifecycle, [repo, lp]), []);
        });
        it("flags a repository without one (a policy of another repository does not count)", async () => {
            const other = fake(REPO, "other", { name: "platform/other" });
            const lp = fake("aws:ecr/lifecyclePolicy:LifecyclePolicy", "other", { policy: "{}" }, { repository: [other] });
            assert.match((await violationsOf(compute.ecrLifecycle, [repo, other, lp])).join(), /repository api has no lifecycle policy/);
        });
    });

    describe("ecs-container-insights", () => {
        it("passes enhanced", async () => {
            assert.deepEqual(
                await violationsOf(compute.ecsContainerInsights, [
                    fake("aws:ecs/cluster:Cluster", "c", { settings: [{ name: "containerInsights", value: "enhanced" }] }),
                ]),
                [],
            );
        });
        it("flags a cluster without Container Insights", async () => {
            assert.match((await violationsOf(compute.ecsContainerInsights, [fake("aws:ecs/cluster:Cluster", "c", {})])).join(), /not configured/);
        });
    });

    describe("ecs-task-hardening", () => {
        it("passes a non-root, read-only, unprivileged awsvpc task", async () => {
            assert.deepEqual(await violationsOf(compute.ecsTaskHardening, [taskDef()]), []);
        });
        it("flags root, privileged, writable root and bridge networking", async () => {
            const found = await violationsOf(compute.ecsTaskHardening, [
                taskDef({ user: "0:0", privileged: true, readonlyRootFilesystem: false }, { networkMode: "bridge" }),
            ]);
            assert.deepEqual(found, [
                "api: networkMode is bridge, not awsvpc", "api: container api is privileged",
                "api: container api runs as root (user 0:0)", "api: container api has a writable root filesystem",
            ]);
        });
        it("flags an unset user (the image's default is root)", async () => {
            assert.match((await violationsOf(compute.ecsTaskHardening, [taskDef({ user: undefined })])).join(), /runs as root \(user unset\)/);
        });
        it("allows a writable root filesystem only for exempted container names", async () => {
            assert.deepEqual(
                await violationsOf(compute.ecsTaskHardening, [taskDef({ readonlyRootFilesystem: false })], { readOnlyRootExemptContainers: ["api"] }),
                [],
            );
        });
    });

    describe("ecs-no-secrets-in-env", () => {
        it("passes secrets injected through valueFrom", async () => {
            assert.deepEqual(await violationsOf(compute.ecsNoSecretsInEnv, [taskDef()]), []);
        });
        it("passes non-secret settings whose names merely sound secret", async () => {
            const environment = [{ name: "PASSWORD_MIN_LENGTH", value: "12" }, { name: "ACCESS_TOKEN_TTL_SECONDS", value: "900" }];
            assert.deepEqual(await violationsOf(compute.ecsNoSecretsInEnv, [taskDef({ environment })]), []);
        });
        it("flags a credential URL in environment, whatever the variable is called", async () => {
            const found = await violationsOf(compute.ecsNoSecretsInEnv, [
                taskDef({ environment: [{ name: "UPSTREAM", value: "redis://default:hunter22@cache:6379" }] }),
            ]);
            assert.match(found.join(), /container api environment UPSTREAM holds a credential \(URL with a password\)/);
        });
        it("lets the allow-list name a variable whose value only looks like a credential", async () => {
            const environment = [{ name: "SAMPLE_JWT", value: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c" }];
            assert.match((await violationsOf(compute.ecsNoSecretsInEnv, [taskDef({ environment })])).join(), /JWT/);
            assert.deepEqual(await violationsOf(compute.ecsNoSecretsInEnv, [taskDef({ environment })], { allowedNames: ["SAMPLE_JWT"] }), []);
        });
        it("flags an access key value whatever its name", async () => {
            assert.match(
                (await violationsOf(compute.ecsNoSecretsInEnv, [taskDef({ environment: [{ name: "X", value: "AKIAABCDEFGHIJKLMNOP" }] })])).join(),
                /X holds a credential \(AWS access key id\)/,
            );
        });
    });

    describe("ecs-logging", () => {
        it("passes containers with a log configuration", async () => {
            assert.deepEqual(await violationsOf(compute.ecsLogging, [taskDef()]), []);
        });
        it("flags a container without one", async () => {
            assert.match((await violationsOf(compute.ecsLogging, [taskDef({ logConfiguration: undefined })])).join(), /container api has no logConfiguration/);
        });
    });

    describe("ecs-deploy-safety", () => {
        const service = (inputs: Record<string, any>) => fake(SERVICE, "api", inputs);
        it("passes a service with circuit breaker rollback and distinct roles", async () => {
            assert.deepEqual(
                await violationsOf(compute.ecsDeploySafety, [service({ deploymentCircuitBreaker: { enable: true, rollback: true } }), taskDef()]),
                [],
            );
        });
        it("flags a service without rollback", async () => {
            assert.match(
                (await violationsOf(compute.ecsDeploySafety, [service({ deploymentCircuitBreaker: { enable: true, rollback: false } })])).join(),
                /no deployment circuit breaker with rollback/,
            );
        });
        it("flags a task definition whose task role is its execution role, even while the ARN is unknown", async () => {
            const role = fake(ROLE, "shared", {});
            const td = fake(TD, "api", { networkMode: "awsvpc", containerDefinitions: "[]" }, { executionRoleArn: [role], taskRoleArn: [role] });
            assert.match((await violationsOf(compute.ecsDeploySafety, [role, td])).join(), /uses its execution role as task role/);
            assert.equal((await violationsOf(compute.ecsDeploySafety, [taskDef({}, { taskRoleArn: "arn:aws:iam::1:role/exec" })])).length, 1);
        });
    });

    describe("fargate-valid-size", () => {
        it("passes valid pairs in both notations", async () => {
            assert.deepEqual(await violationsOf(compute.fargateValidSize, [taskDef(), taskDef({}, { cpu: "1 vCPU", memory: "8 GB" })]), []);
        });
        it("flags an invalid pair with the allowed values", async () => {
            assert.match(
                (await violationsOf(compute.fargateValidSize, [taskDef({}, { cpu: "256", memory: "4096" })])).join(),
                /memory 4096 MiB is not valid with cpu 256 \(allowed: 512, 1024, 2048 MiB\)/,
            );
        });
    });

    describe("no-public-ip-tasks", () => {
        it("passes a service without public IPs", async () => {
            assert.deepEqual(
                await violationsOf(compute.noPublicIpTasks, [fake(SERVICE, "api", { networkConfiguration: { assignPublicIp: false, subnets: ["s"] } })]),
                [],
            );
        });
        it("flags assignPublicIp", async () => {
            assert.match(
                (
                    await violationsOf(compute.noPublicIpTasks, [fake(SERVICE, "api", { networkConfiguration: { assignPublicIp: true, subnets: ["s"] } })])
                ).join(),
                /public IP/,
            );
        });
    });
});
