import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLOUDTRAIL_PATTERNS, RUNBOOKS, alarmThresholds, rdsMaxConnections } from "../../components";
import { rdsMemoryGib } from "../../components/observability/thresholds";
import { RecordedResource } from "../../offline/engine";
import { mockAccountId } from "../../offline/mock-cloud";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, fake, recordWithStackConfig, violationsOf } from "../../offline/testing";
import { cisMonitoring } from "../../policy/cis-monitoring";
import { logsCmk } from "../../policy/encryption";
import { observabilityPolicies } from "../../policy/observability";
import { PlatformConfig } from "../../stacks/config";
import { ObservabilityInputs, ObservabilityOutputs, buildObservability } from "../../stacks/layers/observability";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm", metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    stream: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", subscription: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    role: "aws:iam/role:Role", rolePolicy: "aws:iam/rolePolicy:RolePolicy", dashboard: "aws:cloudwatch/dashboard:Dashboard",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
};
const RUNBOOK_FILE = path.resolve(__dirname, "..", "..", "docs", "runbooks.md");
/** Anchors docs/runbooks.md defines (explicit `<a id>` anchors, so headings can be reworded freely). */
const ANCHORS = new Set([...fs.readFileSync(RUNBOOK_FILE, "utf8").matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));
const QUEUES = ["reports", "scans", "notifications"];

function fakeInputs(cfg: PlatformConfig): ObservabilityInputs {
    const account = mockAccountId(cfg.stack);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${cfg.region}:${account}:${resource}`;
    const families = Object.entries(cfg.services).filter(([, s]) => s.enabled).map(([f]) => f);
    return {
        accountId: account,
        logsKeyArn: arn("kms", "key/logs"),
        alertsTopicArn: arn("sns", `${cfg.namePrefix}-alerts`),
        logzioTokenSecretArn: arn("secretsmanager", `secret:${cfg.namePrefix}/logzio-AbCdEf`),
        secretsKeyArn: arn("kms", "key/secrets"),
        failedDeliveryBucketArn: `arn:aws:s3:::${cfg.namePrefix}-log-delivery-failures`,
        failedDeliveryKeyArn: arn("kms", "key/logs"),
        albArnSuffix: `app/${cfg.namePrefix}/0123456789abcdef`,
        targetGroupArnSuffixes: Object.fromEntries(
            ["api", ...(cfg.services.keycloak.enabled ? ["keycloak"] : [])].map((tg) => [tg, `targetgroup/${cfg.namePrefix}-${tg}/0123456789abcdef`]),
        ),
        clusterName: cfg.namePrefix,
        serviceNames: Object.fromEntries(families.map((f) => [f, `${cfg.namePrefix}-${f}`])),
        dbInstanceIdentifier: `${cfg.namePrefix}-db`,
        replicaIdentifier: cfg.database.readReplica ? `${cfg.namePrefix}-db-replica` : undefined,
        redisReplicationGroupId: `${cfg.namePrefix}-queue`,
        logGroupNames: Object.fromEntries(families.map((f) => [f, `/ecs/${cfg.namePrefix}/${f}`])),
        flowLogGroupName: `/vpc/${cfg.namePrefix}/flow-logs`,
        trailLogGroupName: `/cloudtrail/${cfg.namePrefix}`,
        breakGlassRoleArn: `arn:aws:iam::${account}:role/${cfg.namePrefix}-break-glass`,
        queues: QUEUES,
    };
}

const TOKEN_PLACEHOLDER = "offline-placeholder-for-platform:logzioShippingToken";

for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`observability layer (${stack})`, () => {
        let rec: Recorded;
        let cfg: PlatformConfig;
        let inputs: ObservabilityInputs;
        let out: ObservabilityOutputs;
        before(async () => {
            rec = await recordWithStackConfig(stack, (c) => {
                cfg = c;
                inputs = fakeInputs(c);
                out = buildObservability(c, inputs, {});
            });
        });
        const alarms = () => rec.ofType(T.alarm).map((a) => rec.inputsOf(a));
        const alarmsOf = (runbook: string) => alarms().filter((a) => (a.name as string).startsWith(`${cfg.namePrefix}-${runbook}`));
        const policyDoc = (r: RecordedResource) => JSON.parse(rec.inputsOf(r).policy);

        it("wires every alarm to the alerts topic on ALARM and OK, and links a runbook section that exists", () => {
            assert.ok(alarms().length >= 20, `only ${alarms().length} alarms`);
            for (const a of alarms()) {
                assert.deepEqual(a.alarmActions, [inputs.alertsTopicArn], a.name);
                assert.deepEqual(a.okActions, [inputs.alertsTopicArn], a.name);
                const link = /Runbook: (\S+)#([a-z0-9-]+)$/.exec(a.alarmDescription);
                assert.ok(link, `${a.name}: no runbook link in "${a.alarmDescription}"`);
                assert.equal(link[1], `https://github.com/${cfg.cicd.githubRepository}/blob/main/docs/runbooks.md`);
                assert.ok(ANCHORS.has(link[2]), `${a.name}: docs/runbooks.md has no section #${link[2]}`);
                assert.ok((a.name as string).startsWith(`${cfg.namePrefix}-${link[2]}`), `${a.name} is named after its runbook`);
            }
        });

        it("raises every alarm kind the runbook documents (and each documented kind has an anchor)", () => {
            for (const id of Object.keys(RUNBOOKS)) {
                assert.ok(ANCHORS.has(id), `docs/runbooks.md lacks #${id}`);
                if (id === "rds-replica-lag" && !cfg.database.readReplica) continue;
                // Raised by the components that own the metric (BucketReplication, OriginTrust); the whole-program
                // invariant (test/invariants/merged-fixes.test.ts) checks their links.
                if (id === "replication-failed" || id === "aop-client-certificate-expiry") continue;
                // Raised by RestoreTesting, RotationFunction and TokenAgeCheck (test/layers/restore-testing-plan.test.ts,
                // secret-rotation-plan.test.ts check them in the plans).
                if (["restore-test-failed", "restore-test-overdue", "secret-rotation-failed", "external-token-age"].includes(id)) continue;
                assert.ok(alarmsOf(id).length >= 1, `no ${id} alarm`);
            }
            assert.deepEqual(out.alarmNames.length, alarms().length);
        });

        it("alarms on replica lag only when the stack has a read replica", () => {
            const lag = alarmsOf("rds-replica-lag");
            assert.equal(lag.length, cfg.database.readReplica ? 1 : 0);
            if (lag.length) assert.deepEqual(lag[0].dimensions, { DBInstanceIdentifier: inputs.replicaIdentifier });
        });

        it("sets each alarm from the environment's threshold table (wiring; the table's values are tested below)", () => {
            const t = alarmThresholds({
                production: cfg.isProd,
                dbInstanceClass: cfg.database.instanceClass,
                dbAllocatedStorageGb: cfg.database.allocatedStorageGb,
            });
            assert.equal(alarmsOf("alb-5xx")[0].threshold, t.alb5xxPer5Min);
            assert.equal(alarmsOf("target-5xx")[0].threshold, t.target5xxPer5Min);
            assert.equal(alarmsOf("api-p99-latency")[0].threshold, t.apiP99Seconds);
            assert.equal(alarmsOf("api-p99-latency")[0].extendedStatistic, "p99");
            assert.equal(alarmsOf("rds-cpu")[0].threshold, t.rdsCpuPercent);
            assert.equal(alarmsOf("rds-connections")[0].threshold, t.rdsConnections);
            assert.equal(alarmsOf("rds-free-storage")[0].threshold, t.rdsFreeStorageBytes);
            assert.equal(alarmsOf("redis-memory")[0].threshold, t.redisMemoryPercent);
            assert.equal(alarmsOf("dead-letter-depth")[0].threshold, t.deadLetterDepth);
            assert.equal(alarmsOf("queue-depth")[0].threshold, t.queueDepth);
        });

        it("watches each ECS service's running count against its desired count with metric math", () => {
            const ecs = alarmsOf("ecs-running-below-desired");
            assert.equal(ecs.length, Object.keys(inputs.serviceNames).length);
            for (const a of ecs) {
                const [running, desired, gap] = a.metricQueries;
                assert.equal(running.metric.metricName, "RunningTaskCount");
                assert.equal(desired.metric.metricName, "DesiredTaskCount");
                assert.equal(running.metric.namespace, "ECS/ContainerInsights");
                assert.equal(gap.expression, "desired - running");
                assert.equal(a.comparisonOperator, "GreaterThanThreshold");
                assert.equal(a.threshold, 0);
            }
        });

        it("alarms on unhealthy targets per target group, and on Redis memory and evictions across every node", () => {
            assert.equal(alarmsOf("unhealthy-targets").length, Object.keys(inputs.targetGroupArnSuffixes).length);
            const evictions = alarmsOf("redis-evictions")[0];
            const members = evictions.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.CacheClusterId);
            assert.equal(members.length, 1 + cfg.redis.replicasPerShard);
            assert.equal(members[0], `${inputs.redisReplicationGroupId}-001`);
            assert.equal(evictions.threshold, 0);
        });

        it("alarms on BullMQ queue depth and dead-letter depth per queue, in Platform/BullMQ by Environment and Queue", () => {
            for (const [runbook, metric] of [["queue-depth", "QueueDepth"], ["dead-letter-depth", "DeadLetterDepth"]]) {
                const found = alarmsOf(runbook);
                assert.deepEqual(found.map((a) => a.dimensions.Queue).sort(), [...QUEUES].sort());
                for (const a of found) {
                    assert.equal(a.namespace, "Platform/BullMQ");
                    assert.equal(a.metricName, metric);
                    assert.equal(a.dimensions.Environment, cfg.environment);
                }
            }
        });

        it("turns CloudTrail events into metrics on the trail's log group: every CIS 4.x pattern and break-glass use, each alarmed at 1", () => {
            const filters = rec.ofType(T.metricFilter).map((f) => rec.inputsOf(f));
            assert.equal(filters.length, Object.keys(CLOUDTRAIL_PATTERNS).length + 1);
            for (const f of filters) assert.equal(f.logGroupName, inputs.trailLogGroupName);
            const patterns = filters.map((f) => f.pattern);
            for (const [key, pattern] of Object.entries(CLOUDTRAIL_PATTERNS)) assert.ok(patterns.includes(pattern), `no filter with the ${key} pattern`);
            assert.ok(patterns.some((p) => p.includes(`$.requestParameters.roleArn = "${inputs.breakGlassRoleArn}"`)));
            assert.equal(new Set(filters.map((f) => f.name)).size, filters.length, "filter names are unique");
            for (const f of filters) {
                assert.ok(f.name.length <= 255, f.name);
                assert.ok(f.pattern.length <= 1024, `${f.name}: pattern of ${f.pattern.length} chars (PutMetricFilter allows 1024)`);
                const alarm = alarms().find((a) => a.metricName === f.metricTransformation.name && a.namespace === f.metricTransformation.namespace);
                assert.ok(alarm, `no alarm on ${f.metricTransformation.name}`);
                assert.equal(alarm.threshold, 1);
                assert.equal(alarm.name, f.name, "filter and alarm share the <prefix>-<runbook id> name");
            }
        });

        it("meets every CIS 4.x monitoring control (4.1-4.15) the pack's cis-monitoring policy checks", async () => {
            const trail = fake("aws:cloudtrail/trail:Trail", "trail", {});
            assert.deepEqual(await violationsOf(cisMonitoring, [trail, ...rec.resources]), []);
        });

        it("alarms on failed AWS Backup and copy jobs", () => {
            const [backup] = alarmsOf("backup-job-failures");
            assert.deepEqual(
                backup.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.metricName),
                ["NumberOfBackupJobsFailed", "NumberOfCopyJobsFailed"],
            );
        });

        it("ships logs to the configured Logz.io listener, keeps only failed records, encrypts with the logs key", function () {
            // prod-il ships nothing (data residency: no in-region listener); test/layers/log-residency.test.ts covers it.
            if (!cfg.logShipping.enabled) return this.skip();
            const stream = rec.inputsOf(rec.one(T.stream, "log-shipping"));
            assert.equal(stream.destination, "http_endpoint");
            const http = stream.httpEndpointConfiguration;
            assert.equal(http.url, cfg.logShipping.listenerUrl);
            assert.equal(http.name, "Logz.io");
            assert.equal(http.s3BackupMode, "FailedDataOnly");
            assert.equal(http.s3Configuration.bucketArn, inputs.failedDeliveryBucketArn);
            assert.equal(http.s3Configuration.kmsKeyArn, inputs.failedDeliveryKeyArn);
            assert.deepEqual(stream.serverSideEncryption, { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: inputs.logsKeyArn });
            assert.equal(http.secretsManagerConfiguration.enabled, true);
            assert.equal(http.secretsManagerConfiguration.secretArn, inputs.logzioTokenSecretArn);
            assert.equal(http.accessKey, undefined);
        });

        it("never puts the Logz.io token into any resource's inputs", () => {
            for (const r of rec.resources) assert.ok(!JSON.stringify(rec.inputsOf(r)).includes(TOKEN_PLACEHOLDER), `${r.type} ${r.name} carries the token`);
        });

        it("subscribes every service, flow-log and CloudTrail log group to the stream through a role that may only put records", function () {
            // prod-il ships nothing (data residency: no in-region listener); test/layers/log-residency.test.ts covers it.
            if (!cfg.logShipping.enabled) return this.skip();
            const stream = rec.one(T.stream, "log-shipping");
            const subs = rec.pointingAt(T.subscription, "destinationArn", stream).map((s) => rec.inputsOf(s));
            const expected = [...Object.values(inputs.logGroupNames), inputs.flowLogGroupName, inputs.trailLogGroupName];
            assert.deepEqual(subs.map((s) => s.logGroup).sort(), [...expected].sort());
            const role = rec.one(T.role, "log-shipping-logs");
            const trust = JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement;
            assert.deepEqual(trust.map((s: any) => s.Principal.Service), [`logs.${cfg.region}.amazonaws.com`]);
            // Confused-deputy guard: only this account's log groups in this region may assume the role.
            assert.deepEqual(trust[0].Condition, { StringLike: { "aws:SourceArn": `arn:aws:logs:${cfg.region}:${inputs.accountId}:*` } });
            const roleArn = `arn:aws:iam::${inputs.accountId}:role/${rec.inputsOf(role).name}`;
            for (const s of subs) assert.equal(s.roleArn, roleArn, "every subscription uses the put-only role");
            const [policy] = rec.pointingAt(T.rolePolicy, "role", role);
            const streamArn = `arn:aws:firehose:${cfg.region}:${inputs.accountId}:deliverystream/${cfg.namePrefix}-logzio`;
            assert.deepEqual(policyDoc(policy).Statement, [
                { Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: streamArn },
            ]);
            assert.equal(rec.pointingAt(T.rolePolicy, "policy", stream).length, 1, "the logs role's policy names the stream itself");
        });

        it("gives the Firehose role exact resources only: the bucket, the secret, the keys and its own log stream", function () {
            // prod-il ships nothing (data residency: no in-region listener); test/layers/log-residency.test.ts covers it.
            if (!cfg.logShipping.enabled) return this.skip();
            const role = rec.one(T.role, "log-shipping-firehose");
            const [policy] = rec.pointingAt(T.rolePolicy, "role", role);
            const resources = policyDoc(policy).Statement.flatMap((s: any) => [].concat(s.Resource));
            assert.ok(!resources.includes("*"));
            assert.ok(resources.includes(inputs.logzioTokenSecretArn));
            assert.ok(resources.includes(inputs.failedDeliveryBucketArn));
            assert.ok(resources.includes(`${inputs.failedDeliveryBucketArn}/*`));
        });

        it("builds one dashboard with ALB, ECS, RDS, Redis and queue widgets", () => {
            const dashboard = rec.inputsOf(rec.one(T.dashboard, "dashboard"));
            assert.equal(dashboard.dashboardName, cfg.namePrefix);
            const body = JSON.parse(dashboard.dashboardBody);
            const namespaces = new Set(body.widgets.flatMap((w: any) => w.properties.metrics.map((m: any[]) => m[0])));
            for (const ns of ["AWS/ApplicationELB", "ECS/ContainerInsights", "AWS/RDS", "AWS/ElastiCache", "Platform/BullMQ"])
                assert.ok(namespaces.has(ns), ns);
            for (const w of body.widgets) assert.equal(w.properties.region, cfg.region);
        });

        it("passes the observability policies and logs-cmk", async () => {
            const violations = await runPolicies([...observabilityPolicies, logsCmk], rec.resources);
            assert.deepEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
        });
    });
}

describe("observability layer inputs", () => {
    it("refuses a stack with a read replica but no replica identifier", async () => {
        await assert.rejects(
            recordWithStackConfig("prod-eu", (c) => buildObservability(c, { ...fakeInputs(c), replicaIdentifier: undefined }, {})),
            /replicaIdentifier/,
        );
    });
});

describe("alarm thresholds (hand-computed values)", () => {
    it("knows the memory of the Graviton RDS classes: burstable by size, m 4 GiB/vCPU, r 8, x2 16", () => {
        assert.deepEqual(["db.t4g.micro", "db.t4g.medium", "db.t4g.large"].map(rdsMemoryGib), [1, 4, 8]);
        assert.deepEqual(
            ["db.m7g.large", "db.m7g.2xlarge", "db.r6g.large", "db.r7g.xlarge", "db.r6g.4xlarge", "db.x2g.large"].map(rdsMemoryGib),
            [8, 32, 16, 32, 128, 32],
        );
    });

    it("derives max_connections as LEAST(memory / 9531392, 5000) and alarms at 80% of it", () => {
        // 4 GiB = 4294967296 B / 9531392 = 450.6; 16 GiB -> 1802.4; 128 GiB -> 14419 capped at 5000.
        assert.deepEqual(["db.t4g.medium", "db.r6g.large", "db.r6g.4xlarge"].map(rdsMaxConnections), [450, 1802, 5000]);
        // 0.8 x 1802 = 1441.6
        assert.equal(alarmThresholds({ production: true, dbInstanceClass: "db.r6g.large", dbAllocatedStorageGb: 100 }).rdsConnections, 1441);
    });

    it("pages early in prod and only on clear failures in dev; free storage alarms at 10% of allocated, at least 2 GiB", () => {
        const GIB = 1024 ** 3;
        const prod = alarmThresholds({ production: true, dbInstanceClass: "db.r6g.large", dbAllocatedStorageGb: 100 });
        const dev = alarmThresholds({ production: false, dbInstanceClass: "db.t4g.medium", dbAllocatedStorageGb: 10 });
        const pick = (t: typeof prod) => [t.alb5xxPer5Min, t.target5xxPer5Min, t.apiP99Seconds, t.unhealthyMinutes, t.belowDesiredMinutes, t.rdsCpuPercent,
            t.replicaLagSeconds, t.redisMemoryPercent, t.queueDepth, t.deadLetterDepth];
        assert.deepEqual(pick(prod), [10, 25, 2, 3, 5, 80, 60, 75, 1000, 0]);
        assert.deepEqual(pick(dev), [50, 100, 5, 10, 15, 90, 300, 90, 5000, 25]);
        assert.equal(prod.rdsFreeStorageBytes, 10 * GIB);
        assert.equal(dev.rdsFreeStorageBytes, 2 * GIB, "10% of 10 GB is below the 2 GiB floor");
    });
});
