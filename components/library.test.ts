import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { record } from "../offline/testing";
import { TAGGABLE_TYPES } from "../standards/tags";
import { SecureBucket } from "./storage/secure-bucket";
import { KeyRing } from "./security/key-ring";
import { Network } from "./network/network";
import { AuditTrail } from "./audit/audit-trail";
import { serviceTrustPolicy } from "./security/service-trust";
import { FargateService, FargateServiceArgs } from "./compute/fargate-service";
import { Postgres } from "./data/postgres";

/** A FargateService's arguments in il-central-1 (everything a caller must give). */
const FARGATE_BASE: FargateServiceArgs = {
    family: "api", namePrefix: "platform-test", accountId: "111122223333", region: "il-central-1",
    clusterArn: "arn:aws:ecs:il-central-1:111122223333:cluster/platform-test", clusterName: "platform-test",
    cpu: 256, memory: 512, image: "repo/api:1", repositoryArn: "arn:aws:ecr:il-central-1:111122223333:repository/platform/api",
    secretsKmsKeyArn: "arn:aws:kms:il-central-1:111122223333:key/s", healthCheckCommand: ["CMD-SHELL", "true"],
    logKmsKeyArn: "arn:aws:kms:il-central-1:111122223333:key/l", vpcId: "vpc-1", vpcCidr: "10.0.0.0/16", subnetIds: ["subnet-1"], desiredCount: 1,
};

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";

describe("a component's tags argument", () => {
    it("reaches every taggable AWS resource inside the component; a resource's own tags win", async () => {
        const rec = await record(() => {
            new SecureBucket("docs", {
                bucketName: "platform-test-docs", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
                accessLogBucket: "platform-test-logs", tags: { team: "records", "bucket-purpose": "overridden by the bucket's own" },
            });
            new KeyRing("keys", {
                accountId: "111111111111", region: "eu-central-1", aliasPrefix: "alias/platform-test", deletionWindowDays: 7, protect: false,
                tags: { team: "security" },
            });
        });
        const bucket = rec.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const taggable = rec.resources.filter((r) => r.custom && TAGGABLE_TYPES.has(r.type));
        assert.ok(taggable.length >= 2, "the bucket and the keys are taggable");
        for (const r of taggable) {
            const team = r.urn.includes("KeyRing") ? "security" : "records";
            assert.equal(rec.inputsOf(r).tags?.team, team, `${r.type} ${r.name}`);
        }
        assert.equal(rec.inputsOf(bucket).tags["bucket-purpose"], "documents", "the component's own tag wins over the caller's");
    });

    it("changes nothing when not given (no transform, same inputs)", async () => {
        const rec = await record(() => {
            new SecureBucket("docs", {
                bucketName: "platform-test-docs", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
                accessLogBucket: "platform-test-logs",
            });
        });
        assert.equal(rec.inputsOf(rec.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!).tags.team, undefined);
    });
});

describe("a component's region argument", () => {
    const ring = (region: string, provider?: aws.Provider) => new KeyRing("keys", {
        accountId: "111111111111", region, aliasPrefix: "alias/platform-test", deletionWindowDays: 7, protect: false,
    }, provider ? { provider } : undefined);

    it("must be the region of the component's AWS provider (ARNs and kms:ViaService are built from it)", async () => {
        await assert.rejects(record(() => { ring("eu-central-1", new aws.Provider("west", { region: "eu-west-1" })); }),
            /KeyRing keys: region "eu-central-1" is not the region of its AWS provider \("eu-west-1"\)/);
    });

    it("passes when they agree", async () => {
        const rec = await record(() => { ring("eu-west-1", new aws.Provider("west", { region: "eu-west-1" })); });
        assert.ok(rec.resources.some((r) => r.type === "aws:kms/key:Key"));
    });
});

describe("region and account from the component's provider", () => {
    const IL = () => new aws.Provider("il", { region: "il-central-1" });

    it("KeyRing without region or accountId grants CloudWatch Logs of the provider's region, in the provider's account", async () => {
        const rec = await record(() => { new KeyRing("keys", { aliasPrefix: "platform-test" }, { provider: IL() }); }, { stack: "derive" });
        const logsKey = rec.resources.find((r) => r.type === "aws:kms/key:Key" && r.inputs.tags["key-class"] === "logs")!;
        const policy = JSON.parse(rec.inputsOf(logsKey).policy);
        const logs = policy.Statement.find((s: any) => s.Principal.Service === "logs.il-central-1.amazonaws.com");
        assert.ok(logs, "the logs service principal of the provider's region");
        const account = /^arn:aws:iam::(\d{12}):root$/.exec(policy.Statement[0].Principal.AWS)?.[1];
        assert.ok(account, "the account statement names the caller identity's account");
        assert.equal(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], `arn:aws:logs:il-central-1:${account}:log-group:*`);
    });

    it("Network without region or accountId names the provider region's endpoints and scopes flow logs to the provider's account", async () => {
        const rec = await record(() => {
            new Network("net", {
                namePrefix: "platform-test", vpcCidr: "10.0.0.0/16", availabilityZones: 2, interfaceEndpoints: ["ecr.api"], flowLogs: { kmsKeyArn: KEY },
            }, { provider: IL() });
        });
        const endpoints = rec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => rec.inputsOf(e).serviceName).sort();
        assert.deepEqual(endpoints, ["com.amazonaws.il-central-1.ecr.api", "com.amazonaws.il-central-1.s3"]);
        const role = rec.ofType("aws:iam/role:Role").find((r) => r.name === "net-flow-logs")!;
        const condition = JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement[0].Condition;
        const account = condition.StringEquals["aws:SourceAccount"];
        assert.match(account, /^\d{12}$/);
        assert.equal(condition.ArnLike["aws:SourceArn"], `arn:aws:ec2:il-central-1:${account}:vpc-flow-log/*`);
    });

    it("derives the region at a first preview too (invokes run at preview)", async () => {
        const build = () => { new KeyRing("keys", { accountId: "111111111111", aliasPrefix: "platform-test", classes: ["logs"] }, { provider: IL() }); };
        const rec = await record(build, { preview: true });
        const policy = JSON.parse(rec.inputsOf(rec.ofType("aws:kms/key:Key")[0]).policy);
        assert.ok(policy.Statement.some((s: any) => s.Principal.Service === "logs.il-central-1.amazonaws.com"));
    });

    it("AuditTrail without region or accountId scopes its delivery role's trust to the trail ARN in the provider's region", async () => {
        const rec = await record(() => {
            const args = { trailName: "platform-test", namePrefix: "platform-test", archiveBucketName: "archive", kmsKeyArn: KEY };
            new AuditTrail("trail", args, { provider: IL() });
        });
        const trust = JSON.parse(rec.inputsOf(rec.ofType("aws:iam/role:Role")[0]).assumeRolePolicy);
        assert.match(trust.Statement[0].Condition.StringEquals["aws:SourceArn"], /^arn:aws:cloudtrail:il-central-1:\d{12}:trail\/platform-test$/);
        assert.equal(rec.inputsOf(rec.ofType("aws:cloudwatch/logGroup:LogGroup")[0]).retentionInDays, 365);
    });

    it("FargateService without region or accountId scopes its task trust, secret decryption and log driver to the provider's", async () => {
        const { region: _region, accountId: _account, ...rest } = FARGATE_BASE;
        const rec = await record(() => {
            const secrets = [{ name: "DB", secretArn: "arn:aws:secretsmanager:il-central-1:1:secret:db" }];
            new FargateService("api", { ...rest, secrets }, { provider: IL() });
        }, { stack: "derive" });
        const trust = JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", "api-task")).assumeRolePolicy).Statement[0];
        const account = trust.Condition.StringEquals["aws:SourceAccount"];
        assert.match(account, /^\d{12}$/, "the caller identity's account");
        assert.equal(trust.Condition.ArnLike["aws:SourceArn"], `arn:aws:ecs:il-central-1:${account}:*`);
        const execution = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "api-execution")).policy);
        const decrypt = execution.Statement.find((s: any) => s.Sid === "DecryptSecrets");
        assert.deepEqual(decrypt.Condition.StringEquals["kms:ViaService"], ["secretsmanager.il-central-1.amazonaws.com", "ssm.il-central-1.amazonaws.com"]);
        const container = JSON.parse(rec.inputsOf(rec.ofType("aws:ecs/taskDefinition:TaskDefinition")[0]).containerDefinitions)[0];
        assert.equal(container.logConfiguration.options["awslogs-region"], "il-central-1");
    });

    it("Postgres without region or accountId scopes its monitoring trust and its rotation's key use to the provider's", async () => {
        const key = "arn:aws:kms:il-central-1:111111111111:key/k";
        const rec = await record(() => {
            new Postgres("db", {
                namePrefix: "platform-test", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], engineVersion: "16", parameterGroupFamily: "postgres16",
                instanceClass: "db.t4g.medium", allocatedStorageGb: 20, maxAllocatedStorageGb: 100, databaseName: "app", masterUsername: "app_admin",
                backupWindow: "02:00-03:00", maintenanceWindow: "sun:03:30-sun:04:30", dataKeyArn: key, secretsKeyArn: key, logsKeyArn: key,
                masterSecret: {
                    rotationDays: 30, recoveryWindowDays: 30, rotationSubnetIds: ["subnet-a"],
                    wiring: {
                        namePrefix: "platform-test", alertsTopicArn: "arn:aws:sns:il-central-1:111111111111:alerts", runbookBaseUrl: "https://r.example/r",
                    },
                },
            }, { provider: IL() });
        }, { stack: "derive" });
        const monitoring = rec.resources.find((r) => r.type === "aws:iam/role:Role" && /monitoring\.rds/.test(rec.inputsOf(r).assumeRolePolicy))!;
        const account = JSON.parse(rec.inputsOf(monitoring).assumeRolePolicy).Statement[0].Condition.StringEquals["aws:SourceAccount"];
        assert.match(account, /^\d{12}$/, "the caller identity's account");
        const policies = rec.ofType("aws:iam/rolePolicy:RolePolicy").map((p) => rec.inputsOf(p).policy as string);
        const viaServices = policies.flatMap((p) => JSON.parse(p).Statement).map((st: any) => st.Condition?.StringEquals?.["kms:ViaService"]).filter(Boolean);
        const inRegion = viaServices.every((v: string) => v === "secretsmanager.il-central-1.amazonaws.com");
        assert.ok(viaServices.length > 0 && inRegion, JSON.stringify(viaServices));
    });

    it("a given region is still checked against the provider", async () => {
        await assert.rejects(record(() => {
            new Network("net", {
                region: "eu-central-1", namePrefix: "platform-test", vpcCidr: "10.0.0.0/16", availabilityZones: 2, interfaceEndpoints: [],
                flowLogs: { kmsKeyArn: KEY },
            }, { provider: IL() });
        }), /Network net: region "eu-central-1" is not the region of its AWS provider \("il-central-1"\)/);
    });
});

describe("serviceTrustPolicy", () => {
    it("lets exactly one service assume the role, under the confused-deputy condition when given", async () => {
        const guarded = serviceTrustPolicy("firehose.amazonaws.com", { StringEquals: { "aws:SourceAccount": "111111111111" } });
        const policy = await new Promise<string>((resolve) => guarded.apply(resolve));
        assert.deepEqual(JSON.parse(policy), {
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
            }],
        });
        const bare = await new Promise<string>((resolve) => serviceTrustPolicy("backup.amazonaws.com").apply(resolve));
        assert.equal(JSON.parse(bare).Statement[0].Condition, undefined);
    });
});
