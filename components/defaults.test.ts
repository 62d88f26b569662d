import { strict as assert } from "assert";
import { record } from "../offline/testing";
import { ALERT_PUBLISHERS, MIN_PROD_BACKUP_RETENTION_DAYS, MIN_PROD_LOG_RETENTION_DAYS } from "../standards";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM, CLOUDFLARE_RANGES } from "../standards/cloudflare";
import { BackupProtection } from "./audit/backup-protection";
import { ContainerRegistry } from "./compute/container-registry";
import { FargateService } from "./compute/fargate-service";
import { OriginLoadBalancer } from "./ingress/origin-load-balancer";
import { Postgres } from "./data/postgres";
import { Redis } from "./data/redis";
import { AlertTopic } from "./notifications/alert-topic";
import { SecureBucket } from "./storage/secure-bucket";
import { Network } from "./network/network";
import { KeyRing } from "./security/key-ring";

// What a caller gets when they leave an optional argument out: the secure choice, documented as "Default: ...".
const ACCOUNT = "111111111111";
const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";
const WIRING = { namePrefix: "platform-test", alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts", runbookBaseUrl: "https://runbooks.example/r" };

describe("library defaults", () => {
    it("KeyRing: keys are protected and wait the longest deletion window AWS allows (30 days)", async () => {
        const rec = await record(() => { new KeyRing("keys", { aliasPrefix: "platform-test" }); });
        const keys = rec.ofType("aws:kms/key:Key");
        assert.ok(keys.length > 0);
        for (const key of keys) {
            assert.equal(key.protect, true, key.name);
            assert.equal(rec.inputsOf(key).deletionWindowInDays, 30, key.name);
        }
    });

    it("Network: a NAT gateway per AZ, and a protected flow-log group kept MIN_PROD_LOG_RETENTION_DAYS", async () => {
        const rec = await record(() => {
            new Network("net", {
                namePrefix: "platform-test", vpcCidr: "10.0.0.0/16", availabilityZones: 3, interfaceEndpoints: [], flowLogs: { kmsKeyArn: KEY },
            });
        });
        assert.equal(rec.ofType("aws:ec2/natGateway:NatGateway").length, 3);
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs");
        assert.equal(group.protect, true);
        assert.equal(rec.inputsOf(group).retentionInDays, MIN_PROD_LOG_RETENTION_DAYS);
    });

    it("AlertTopic: admits exactly the services the alerts key lets use the key (ALERT_PUBLISHERS)", async () => {
        const rec = await record(() => {
            const ring = new KeyRing("keys", { accountId: ACCOUNT, aliasPrefix: "platform-test", classes: ["alerts"] });
            new AlertTopic("alerts", { topicName: "platform-test-alerts", kmsKeyArn: ring.key("alerts").arn, accountId: ACCOUNT });
        });
        const topicPolicy = JSON.parse(rec.inputsOf(rec.ofType("aws:sns/topicPolicy:TopicPolicy")[0]).policy);
        const publishers = topicPolicy.Statement.flatMap((s: any) => [s.Principal?.Service ?? []].flat());
        assert.deepEqual([...new Set(publishers)].sort(), [...ALERT_PUBLISHERS].sort());
        const keyPolicy = JSON.parse(rec.inputsOf(rec.ofType("aws:kms/key:Key")[0]).policy);
        const keyServices = keyPolicy.Statement.flatMap((s: any) => [s.Principal?.Service ?? []].flat());
        assert.deepEqual([...new Set(keyServices)].sort(), [...ALERT_PUBLISHERS].sort());
    });

    it("Postgres: Multi-AZ, deletion protection, final snapshot, protected, 35 days of PITR and prod log retention", async () => {
        const rec = await record(() => {
            new Postgres("db", {
                namePrefix: "platform-test", region: "eu-central-1", accountId: ACCOUNT, vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"],
                engineVersion: "16", parameterGroupFamily: "postgres16", instanceClass: "db.t4g.medium", allocatedStorageGb: 20, maxAllocatedStorageGb: 100,
                databaseName: "app", masterUsername: "app_admin", backupWindow: "02:00-03:00", maintenanceWindow: "sun:03:30-sun:04:30",
                masterSecret: { rotationDays: 30, recoveryWindowDays: 30, rotationSubnetIds: ["subnet-a"], wiring: WIRING },
                dataKeyArn: KEY, secretsKeyArn: KEY, logsKeyArn: KEY,
            });
        });
        const db = rec.ofType("aws:rds/instance:Instance")[0];
        const inputs = rec.inputsOf(db);
        assert.equal(inputs.multiAz, true);
        assert.equal(inputs.deletionProtection, true);
        assert.equal(inputs.skipFinalSnapshot, false);
        assert.equal(inputs.backupRetentionPeriod, MIN_PROD_BACKUP_RETENTION_DAYS);
        assert.equal(inputs.monitoringInterval, 60);
        assert.equal(inputs.performanceInsightsRetentionPeriod, 7);
        assert.equal(db.protect, true);
        for (const group of rec.ofType("aws:cloudwatch/logGroup:LogGroup")) {
            assert.equal(rec.inputsOf(group).retentionInDays, MIN_PROD_LOG_RETENTION_DAYS, group.name);
        }
        assert.ok(rec.ofType("aws:cloudwatch/logGroup:LogGroup").some((g) => rec.inputsOf(g).name === "RDSOSMetrics"), "the encrypted RDSOSMetrics group");
    });

    it("Redis: 35 days of snapshots, a 30-day secret recovery window, protected with a final snapshot", async () => {
        const rec = await record(() => {
            new Redis("redis", {
                namePrefix: "platform-test", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], engineVersion: "7.1", parameterGroupFamily: "redis7",
                nodeType: "cache.t4g.small", replicas: 1, dataKeyArn: KEY, secretsKeyArn: KEY, logsKeyArn: KEY,
                snapshotWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30",
            });
        });
        const group = rec.ofType("aws:elasticache/replicationGroup:ReplicationGroup")[0];
        assert.equal(rec.inputsOf(group).snapshotRetentionLimit, 35);
        assert.ok(rec.inputsOf(group).finalSnapshotIdentifier);
        assert.equal(group.protect, true);
        assert.equal(rec.inputsOf(rec.ofType("aws:secretsmanager/secret:Secret")[0]).recoveryWindowInDays, 30);
    });

    it("SecureBucket: protected, noncurrent versions kept 90 days", async () => {
        const rec = await record(() => {
            new SecureBucket("docs", { bucketName: "platform-test-docs", purpose: "documents", kmsKeyArn: KEY, accessLogBucket: "platform-test-logs" });
        });
        assert.equal(rec.ofType("aws:s3/bucket:Bucket")[0].protect, true);
        const rules = rec.inputsOf(rec.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]).rules;
        assert.equal(rules.find((r: any) => r.noncurrentVersionExpiration).noncurrentVersionExpiration.noncurrentDays, 90);
    });

    it("ContainerRegistry: protected repositories keeping 50 images, pullable by this account only", async () => {
        const rec = await record(() => { new ContainerRegistry("ecr", { repositories: { api: "platform/api" }, kmsKeyArn: KEY }); });
        assert.equal(rec.ofType("aws:ecr/repository:Repository")[0].protect, true);
        const lifecycle = JSON.parse(rec.inputsOf(rec.ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy")[0]).policy);
        assert.equal(lifecycle.rules[0].selection.countNumber, 50);
        assert.equal(rec.ofType("aws:ecr/repositoryPolicy:RepositoryPolicy").length, 0);
    });

    it("FargateService: no internet egress, no task permissions, on-demand Fargate, prod log retention", async () => {
        const rec = await record(() => {
            new FargateService("svc", {
                family: "api", namePrefix: "platform-test", accountId: ACCOUNT, region: "eu-central-1",
                clusterArn: "arn:aws:ecs:eu-central-1:111111111111:cluster/c", clusterName: "c", cpu: 256, memory: 512,
                image: "111111111111.dkr.ecr.eu-central-1.amazonaws.com/platform/api:1",
                repositoryArn: "arn:aws:ecr:eu-central-1:111111111111:repository/platform/api",
                secretsKmsKeyArn: KEY, healthCheckCommand: ["CMD", "/healthcheck"], logKmsKeyArn: KEY,
                vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: ["subnet-a"], desiredCount: 1,
            });
        });
        const egress = rec.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => rec.inputsOf(r).cidrIpv4);
        assert.deepEqual(egress, ["10.0.0.0/16"], "HTTPS to the VPC endpoints only");
        const service = rec.inputsOf(rec.ofType("aws:ecs/service:Service")[0]);
        assert.deepEqual(service.capacityProviderStrategies.map((c: any) => c.capacityProvider), ["FARGATE"]);
        assert.equal(rec.inputsOf(rec.ofType("aws:cloudwatch/logGroup:LogGroup")[0]).retentionInDays, MIN_PROD_LOG_RETENTION_DAYS);
        assert.ok(rec.ofType("aws:iam/role:Role").some((r) => r.name === "svc-task"));
        assert.equal(rec.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name === "svc-task").length, 0, "the task role has no policy");
    });

    it("OriginLoadBalancer: Cloudflare's bundled ranges and origin-pull CA, a TLS 1.2+ policy, deletion protection", async () => {
        const rec = await record(() => {
            new OriginLoadBalancer("origin", {
                namePrefix: "platform-test", vpcId: "vpc-1", publicSubnetIds: ["subnet-a", "subnet-b"], certificatePem: "CERT", privateKeyPem: "KEY",
                trustStoreBucketName: "platform-test-trust", accessLogsBucketName: "platform-test-logs",
                routes: [{ key: "api", port: 8080, hostHeader: "api.example.com", priority: 10, healthCheckPath: "/health" }],
            });
        });
        const ingress = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.equal(ingress.length, CLOUDFLARE_RANGES.ipv4.length + CLOUDFLARE_RANGES.ipv6.length);
        const alb = rec.inputsOf(rec.ofType("aws:lb/loadBalancer:LoadBalancer")[0]);
        assert.equal(alb.enableDeletionProtection, true);
        assert.equal(alb.idleTimeout, 60);
        assert.equal(rec.inputsOf(rec.ofType("aws:lb/listener:Listener")[0]).sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
        assert.equal(rec.inputsOf(rec.ofType("aws:s3/bucketObjectv2:BucketObjectv2")[0]).content, CLOUDFLARE_ORIGIN_PULL_CA_PEM);
    });

    it("BackupProtection: a protected vault, 35-day retention with continuous backups, a daily plan", async () => {
        const rec = await record(() => {
            new BackupProtection("backup", {
                namePrefix: "platform-test", kmsKeyArn: KEY, resourceArns: ["arn:aws:rds:eu-central-1:111111111111:db:x"],
                alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts",
            });
        });
        assert.equal(rec.ofType("aws:backup/vault:Vault")[0].protect, true);
        const [rule] = rec.inputsOf(rec.ofType("aws:backup/plan:Plan")[0]).rules;
        assert.equal(rule.lifecycle.deleteAfter, MIN_PROD_BACKUP_RETENTION_DAYS);
        assert.equal(rule.enableContinuousBackup, true);
        assert.equal(rule.schedule, "cron(0 5 * * ? *)");
    });

    it("AlertTopic without accountId: the topic policy names the provider's account", async () => {
        const rec = await record(() => { new AlertTopic("alerts", { topicName: "platform-test-alerts", kmsKeyArn: KEY }); });
        const policy = JSON.parse(rec.inputsOf(rec.ofType("aws:sns/topicPolicy:TopicPolicy")[0]).policy);
        const accounts = policy.Statement.map((s: any) => s.Condition?.StringEquals?.["aws:SourceAccount"]).filter(Boolean);
        assert.ok(accounts.length > 0 && accounts.every((a: string) => /^\d{12}$/.test(a)), JSON.stringify(accounts));
    });
});
