import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { digest } from "../../offline/mock-cloud";
import { FargateService, FargateServiceArgs, tmpfsMounts } from "./fargate-service";
import { guardDutyAgentRepositoryArn } from "./guardduty-agent";
import { ServiceAutoscaling } from "./service-autoscaling";
import { SessionManagerBastion } from "./session-manager-bastion";

const base: FargateServiceArgs = {
    family: "api", namePrefix: "platform-test", accountId: "111122223333", region: "eu-central-1",
    clusterArn: "arn:aws:ecs:eu-central-1:111122223333:cluster/platform-test", clusterName: "platform-test",
    cpu: 256, memory: 512, image: "repo/api:1", repositoryArn: "arn:aws:ecr:eu-central-1:111122223333:repository/platform/api",
    environment: { REDIS_HOST: "redis" }, secrets: [], secretsKmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/s",
    healthCheckCommand: ["CMD-SHELL", "true"], logKmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/l", logRetentionDays: 30,
    taskPolicyStatements: [], vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: ["subnet-1"], additionalSecurityGroupIds: [],
    internetHttpsEgress: false, desiredCount: 1, capacity: "on-demand",
};

describe("FargateService", () => {
    it("rejects a secret that names neither or both of a Secrets Manager secret and an SSM parameter", async () => {
        await assert.rejects(record(() => new FargateService("api", { ...base, secrets: [{ name: "JWT" }] })),
            /secret JWT needs exactly one of secretArn \/ parameterArn/);
    });
    it("rejects a name that is both an environment variable and a secret", async () => {
        await assert.rejects(record(() => new FargateService("api", {
            ...base, secrets: [{ name: "REDIS_HOST", secretArn: "arn:aws:secretsmanager:eu-central-1:1:secret:x" }],
        })), /REDIS_HOST is both/);
    });
    it("rejects an invalid Fargate size before creating anything", async () => {
        await assert.rejects(record(() => new FargateService("api", { ...base, cpu: 512, memory: 512 })),
            /task family api: memory 512 MiB is not valid with cpu 512/);
    });
    it("injects a JSON key of a secret as <arn>:<key>:: and lets the execution role read exactly that secret", async () => {
        const secretArn = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:db-AbC";
        const r = await record(() => new FargateService("api", { ...base, secrets: [{ name: "DB_PASSWORD", secretArn, jsonKey: "password" }] }));
        const td = r.inputsOf(r.ofType("aws:ecs/taskDefinition:TaskDefinition")[0]);
        assert.deepEqual(JSON.parse(td.containerDefinitions)[0].secrets, [{ name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` }]);
        const exec = JSON.parse(r.inputsOf(r.one("aws:iam/rolePolicy:RolePolicy", "api-execution")).policy).Statement;
        assert.deepEqual(exec.find((s: any) => s.Sid === "ReadSecrets").Resource, [secretArn]);
        assert.equal(r.ofType("aws:iam/rolePolicy:RolePolicy").length, 1, "no task policy when the family needs no AWS API");
    });
});

describe("FargateService writable paths", () => {
    it("mounts each writable path as a tmpfs owned by the container user, and no bind-mount volume", async () => {
        const writablePaths = [{ containerPath: "/tmp", sizeMiB: 64 }, { containerPath: "/var/cache/app", sizeMiB: 32 }];
        const r = await record(() => new FargateService("api", { ...base, writablePaths }));
        const td = r.inputsOf(r.ofType("aws:ecs/taskDefinition:TaskDefinition")[0]);
        const c = JSON.parse(td.containerDefinitions)[0];
        assert.deepEqual(c.linuxParameters.tmpfs.map((t: any) => [t.containerPath, t.size]), [["/tmp", 64], ["/var/cache/app", 32]]);
        for (const t of c.linuxParameters.tmpfs) for (const o of ["uid=1000", "gid=1000", "nosuid", "nodev"]) assert.ok(t.mountOptions.includes(o), o);
        assert.deepEqual(c.mountPoints, []);
        assert.equal(td.volumes, undefined);
    });
    it("refuses tmpfs sizes over half the task memory, a relative path, and a size that is not a positive whole number", () => {
        assert.throws(() => tmpfsMounts("api", [{ containerPath: "/tmp", sizeMiB: 300 }], 512), /more than half the task's 512 MiB/);
        assert.throws(() => tmpfsMounts("api", [{ containerPath: "tmp", sizeMiB: 10 }], 512), /must be an absolute path/);
        assert.throws(() => tmpfsMounts("api", [{ containerPath: "/tmp", sizeMiB: 0 }], 512), /positive whole sizeMiB/);
    });
    it("uses a longer health-check grace when asked (Keycloak's first start)", async () => {
        const lb = { targetGroupArn: "arn:aws:elasticloadbalancing:eu-central-1:111122223333:targetgroup/tg/1", securityGroupId: "sg-alb" };
        const r = await record(() => new FargateService("kc", {
            ...base, family: "keycloak", containerPort: 8080, loadBalancer: lb, healthCheckGracePeriodSeconds: 300,
        }));
        assert.equal(r.ofType("aws:ecs/service:Service")[0].inputs.healthCheckGracePeriodSeconds, 300);
    });
});

describe("GuardDuty Fargate agent repositories", () => {
    it("names the agent repository of each region the stacks use, and refuses an unknown region by name", () => {
        assert.equal(guardDutyAgentRepositoryArn("il-central-1"), "arn:aws:ecr:il-central-1:870907303882:repository/aws-guardduty-agent-fargate");
        assert.equal(guardDutyAgentRepositoryArn("eu-central-1"), "arn:aws:ecr:eu-central-1:323658145986:repository/aws-guardduty-agent-fargate");
        assert.throws(() => guardDutyAgentRepositoryArn("ap-east-2"), /region ap-east-2 is not known/);
    });
});

describe("ServiceAutoscaling", () => {
    it("refuses queue-depth scaling from zero tasks", async () => {
        await assert.rejects(record(() => new ServiceAutoscaling("w", {
            resourceId: "service/c/w", minTasks: 0, maxTasks: 2, alarmNamePrefix: "p-w",
            scaling: {
                kind: "queue-depth", namespace: "Platform/BullMQ", metricName: "QueueDepth", dimensions: {}, backlogPerTask: 5,
                clusterName: "c", serviceName: "w",
            },
        })), /queue-depth scaling needs minTasks >= 1/);
    });
    it("rejects max below min", async () => {
        await assert.rejects(record(() => new ServiceAutoscaling("w", {
            resourceId: "service/c/w", minTasks: 3, maxTasks: 2, alarmNamePrefix: "p-w", scaling: { kind: "cpu", targetPercent: 60 },
        })), /minTasks <= maxTasks/);
    });
});

describe("SessionManagerBastion", () => {
    it("rejects a non-Graviton instance type (the AMI is arm64)", async () => {
        await assert.rejects(record(() => new SessionManagerBastion("b", {
            namePrefix: "p", instanceType: "t3.micro", vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetId: "s", clientSecurityGroupIds: [], volumeKmsKeyArn: "k",
            sessionLogs: { kmsKeyArn: "arn:aws:kms:eu-central-1:1:key/logs", retentionDays: 30 },
        })), /not a Graviton/);
    });
    it("takes its AMI from the AL2023 arm64 SSM parameter", async () => {
        const r = await record(() => new SessionManagerBastion("b", {
            namePrefix: "p", instanceType: "t4g.nano", vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetId: "s", clientSecurityGroupIds: [], volumeKmsKeyArn: "k",
            sessionLogs: { kmsKeyArn: "arn:aws:kms:eu-central-1:1:key/logs", retentionDays: 30 },
        }));
        // The mocked cloud answers each parameter name with its own id, so this names the parameter that was read: AWS's
        // public AL2023 arm64 parameter (https://docs.aws.amazon.com/linux/al2023/ug/ec2.html), not any other.
        const requested = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        assert.equal(r.inputsOf(r.ofType("aws:ec2/instance:Instance")[0]).ami, `ami-${digest(`eu-central-1:${requested}`, 17)}`);
    });
});
