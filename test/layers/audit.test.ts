import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { Recorded, recordWithStackConfig, stackRecord } from "../../offline/testing";
import { buildAudit } from "../../stacks/layers/audit";
import { PlatformConfig } from "../../stacks/config";
import { MANAGED_CONFIG_RULES, configRulesFor } from "../../components";
import { PackConfig, runPolicies } from "../../offline/policy-runner";
import { auditPolicies, backupPlanCoverage } from "../../policy/audit";
import { stackCache } from "../fixtures/stack-cache";

const ACCOUNT = "111122223333";
const key = (region: string, id: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;

/** Builds the audit layer with fake upstream inputs, and a DR provider when the stack copies cross-region. */
function build(cfg: PlatformConfig) {
    const provider = new aws.Provider("aws", { region: cfg.region as aws.Region });
    const drProvider = cfg.dr.mode === "cross-region" ? new aws.Provider("aws-dr", { region: cfg.dr.region as aws.Region }) : undefined;
    return buildAudit(cfg, {
        accountId: ACCOUNT,
        logsKeyArn: key(cfg.region, "logs"),
        backupsKeyArn: key(cfg.region, "backups"),
        archiveBucketName: `${cfg.namePrefix}-backups`,
        archiveBucketArn: `arn:aws:s3:::${cfg.namePrefix}-backups`,
        alertsTopicArn: `arn:aws:sns:${cfg.region}:${ACCOUNT}:alerts`,
        drProvider,
        drBackupsKeyArn: cfg.dr.region ? key(cfg.dr.region, "dr-backups") : undefined,
        copyVaultKeyArn: cfg.dr.mode === "in-region" ? key(cfg.region, "copy-backups") : undefined,
        backupSelectionArns: [`arn:aws:rds:${cfg.region}:${ACCOUNT}:db:${cfg.namePrefix}-postgres`, `arn:aws:s3:::${cfg.namePrefix}-evidence`],
        findingsFirehoseArn: cfg.isProd ? `arn:aws:firehose:${cfg.region}:${ACCOUNT}:deliverystream/logs` : undefined,
    }, { providers: [provider] });
}

const records = stackCache<Promise<Recorded>>();
const recordOf = (stack: string) => {
    if (!records.has(stack)) records.set(stack, recordWithStackConfig(stack, build));
    return records.get(stack)!;
};

const EXPECT = {
    dev: { region: "eu-central-1", prod: false, retention: 7, auditDays: 90, copy: undefined },
    "prod-eu": { region: "eu-central-1", prod: true, retention: 35, auditDays: 2557, copy: "eu-west-1" },
    "prod-il": { region: "il-central-1", prod: true, retention: 35, auditDays: 2557, copy: "il-central-1" },
} as const;

describe("audit layer", () => {
    for (const [stack, expected] of Object.entries(EXPECT)) {
        describe(`stack ${stack}`, () => {
            it("passes the audit policies (data residency checked in prod-il)", async () => {
                const rec = await recordOf(stack);
                const config: PackConfig = stack === "prod-il" ? { "data-residency": { residencyRegion: "il-central-1" } } : {};
                // backup-plan-coverage has nothing in scope here (no RDS instance or data bucket in this graph): the next test
                // checks it on the whole program, where it has.
                const found = await runPolicies(auditPolicies, rec.resources, config);
                assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
            });

            it("covers the database and data buckets with the backup plan in the whole program (backup-plan-coverage in scope)", async () => {
                const whole = await stackRecord(stack);
                assert.deepEqual(await runPolicies([backupPlanCoverage], whole.resources), [], "satisfied");
                // Not vacuous: without the selection, the same graph fails the policy.
                const withoutSelection = whole.resources.filter((r) => r.type !== "aws:backup/selection:Selection");
                assert.ok((await runPolicies([backupPlanCoverage], withoutSelection)).length >= 2, "the policy has the database and buckets in scope");
            });

            it("records a multi-region, validated, CMK-encrypted trail delivered to the archive bucket and CloudWatch Logs", async () => {
                const rec = await recordOf(stack);
                const trail = rec.inputsOf(rec.one("aws:cloudtrail/trail:Trail", "audit-trail"));
                assert.equal(trail.isMultiRegionTrail, true);
                assert.equal(trail.includeGlobalServiceEvents, true);
                assert.equal(trail.enableLogFileValidation, true);
                assert.equal(trail.kmsKeyId, key(expected.region, "logs"));
                assert.equal(trail.s3BucketName, `platform-${stack}-backups`);
                assert.equal(trail.s3KeyPrefix, "cloudtrail");
                assert.match(
                    trail.cloudWatchLogsGroupArn,
                    new RegExp(`^arn:aws:logs:${expected.region}:\\d+:log-group:/aws/cloudtrail/platform-${stack}-trail:\\*$`),
                );
                const group = rec.inputsOf(rec.one("aws:cloudwatch/logGroup:LogGroup", "audit-trail-events"));
                assert.equal(group.retentionInDays, expected.auditDays);
                assert.equal(group.kmsKeyId, key(expected.region, "logs"));
            });

            it("lets the trail's delivery role only create streams and put events in its own log group", async () => {
                const rec = await recordOf(stack);
                const doc = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "audit-trail-logs-write")).policy);
                assert.deepEqual(doc.Statement.map((s: any) => s.Action), [["logs:CreateLogStream", "logs:PutLogEvents"]]);
                assert.match(doc.Statement[0].Resource, /log-group:\/aws\/cloudtrail\/platform-.*-trail:log-stream:\*$/);
                const trust = JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", "audit-trail-logs-role")).assumeRolePolicy);
                assert.equal(
                    trust.Statement[0].Condition.StringEquals["aws:SourceArn"],
                    `arn:aws:cloudtrail:${expected.region}:${ACCOUNT}:trail/platform-${stack}-trail`,
                );
            });

            it("records all supported types with global types in the home region, delivers to the archive and is enabled", async () => {
                const rec = await recordOf(stack);
                const recorder = rec.inputsOf(rec.one("aws:cfg/recorder:Recorder", "config"));
                assert.deepEqual(recorder.recordingGroup, { allSupported: true, includeGlobalResourceTypes: true });
                const channel = rec.inputsOf(rec.one("aws:cfg/deliveryChannel:DeliveryChannel", "config-channel"));
                assert.equal(channel.s3BucketName, `platform-${stack}-backups`);
                assert.equal(channel.s3KeyPrefix, "config");
                const status = rec.one("aws:cfg/recorderStatus:RecorderStatus", "config-status");
                assert.equal(rec.inputsOf(status).isEnabled, true);
                assert.ok(
                    status.dependencies.includes(rec.one("aws:cfg/deliveryChannel:DeliveryChannel", "config-channel").urn),
                    "status waits for the channel",
                );
                const attached = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => rec.inputsOf(a).policyArn);
                assert.ok(attached.includes("arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"));
            });

            it("lets Config assume its role only on behalf of this account (confused deputy)", async () => {
                const rec = await recordOf(stack);
                const trust = JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", "config-role")).assumeRolePolicy);
                const statements = trust.Statement.filter((s: any) => s.Principal?.Service === "config.amazonaws.com");
                assert.equal(statements.length, 1);
                assert.deepEqual(statements[0].Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
            });

            it("runs the managed Config rules mirroring the pack, each after the recorder (Multi-AZ only in prod)", async () => {
                const rec = await recordOf(stack);
                const recorder = rec.one("aws:cfg/recorder:Recorder", "config");
                const rules = rec.ofType("aws:cfg/rule:Rule");
                const ids = rules.map((r) => rec.inputsOf(r).source.sourceIdentifier).sort();
                // Rules the region does not offer are skipped (prod-il: three; see config-rule-availability.ts).
                const wanted = configRulesFor(expected.region, { isProd: expected.prod, homeRegion: true }).rules.map((r) => r.identifier).sort();
                assert.ok(wanted.length >= MANAGED_CONFIG_RULES.length - 4);
                assert.deepEqual(ids, wanted);
                assert.equal(ids.includes("RDS_MULTI_AZ_SUPPORT"), expected.prod);
                for (const id of ["S3_BUCKET_SSL_REQUESTS_ONLY", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "GUARDDUTY_ENABLED_CENTRALIZED"])
                    assert.ok(ids.includes(id), id);
                assert.equal(ids.includes("ROOT_ACCOUNT_MFA_ENABLED"), expected.region !== "il-central-1");
                for (const rule of rules) assert.ok(rule.dependencies.includes(recorder.urn), `${rule.name} waits for the recorder`);
            });

            it("enables GuardDuty with S3, RDS login and Fargate runtime monitoring, routing medium+ findings to alerts", async () => {
                const rec = await recordOf(stack);
                assert.equal(rec.inputsOf(rec.one("aws:guardduty/detector:Detector", "guardduty")).enable, true);
                const features = Object.fromEntries(
                    rec.ofType("aws:guardduty/detectorFeature:DetectorFeature").map((f) => [rec.inputsOf(f).name, rec.inputsOf(f)]),
                );
                assert.deepEqual(Object.keys(features).sort(), ["RDS_LOGIN_EVENTS", "RUNTIME_MONITORING", "S3_DATA_EVENTS"]);
                assert.ok(Object.values(features).every((f: any) => f.status === "ENABLED"));
                assert.deepEqual(features.RUNTIME_MONITORING.additionalConfigurations, [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }]);
                const pattern = JSON.parse(rec.inputsOf(rec.one("aws:cloudwatch/eventRule:EventRule", "guardduty-findings")).eventPattern);
                assert.deepEqual(pattern.detail.severity, [{ numeric: [">=", 4] }]);
                const targets = rec
                    .ofType("aws:cloudwatch/eventTarget:EventTarget")
                    .filter((t) => t.name.startsWith("guardduty-findings"))
                    .map((t) => rec.inputsOf(t).arn);
                assert.ok(targets.includes(`arn:aws:sns:${expected.region}:${ACCOUNT}:alerts`));
                assert.equal(targets.some((a: string) => a.includes(":firehose:")), expected.prod, "the Firehose target exists only when its ARN is given");
            });

            it("backs up daily with continuous backups, the configured retention, and copies to the DR destination", async () => {
                const rec = await recordOf(stack);
                const [rule] = rec.inputsOf(rec.one("aws:backup/plan:Plan", "backup-plan")).rules;
                assert.equal(rule.schedule, "cron(0 5 * * ? *)");
                assert.equal(rule.enableContinuousBackup, true);
                assert.equal(rule.lifecycle.deleteAfter, expected.retention);
                const vaults = rec.ofType("aws:backup/vault:Vault");
                const primary = rec.inputsOf(rec.one("aws:backup/vault:Vault", "backup"));
                assert.equal(primary.kmsKeyArn, key(expected.region, "backups"));
                if (!expected.copy) {
                    assert.equal(rule.copyActions, undefined);
                    assert.equal(vaults.length, 1);
                    return;
                }
                const copy = rec.one("aws:backup/vault:Vault", "backup-copy");
                assert.equal(rule.copyActions.length, 1);
                assert.match(rule.copyActions[0].destinationVaultArn, new RegExp(`^arn:aws:backup:${expected.copy}:`));
                assert.equal(rule.copyActions[0].lifecycle.deleteAfter, expected.retention);
                if (stack === "prod-eu") {
                    assert.match(copy.provider ?? "", /::aws-dr::/, "the DR vault is created in the DR region");
                    assert.equal(rec.inputsOf(copy).kmsKeyArn, key("eu-west-1", "dr-backups"));
                } else {
                    assert.doesNotMatch(copy.provider ?? "", /::aws-dr::/);
                    assert.equal(rec.inputsOf(copy).name, "platform-prod-il-isolated", "a second, separate vault in the region");
                    assert.equal(rec.inputsOf(copy).kmsKeyArn, key(expected.region, "copy-backups"), "under its own key");
                }
            });

            it("selects the RDS primary and the data buckets by ARN with the backup service role", async () => {
                const rec = await recordOf(stack);
                const selection = rec.inputsOf(rec.one("aws:backup/selection:Selection", "backup-selection"));
                assert.deepEqual(selection.resources, [
                    `arn:aws:rds:${expected.region}:${ACCOUNT}:db:platform-${stack}-postgres`,
                    `arn:aws:s3:::platform-${stack}-evidence`,
                ]);
                const role = rec.one("aws:iam/role:Role", "backup-role");
                const attached = rec
                    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                    .filter((a) => a.name.startsWith("backup-role-"))
                    .map((a) => rec.inputsOf(a).policyArn);
                assert.equal(attached.length, 4);
                assert.ok(attached.some((a: string) => a.endsWith("/AWSBackupServiceRolePolicyForS3Backup")));
                assert.equal(JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement[0].Principal.Service, "backup.amazonaws.com");
                const notes = rec.inputsOf(rec.one("aws:backup/vaultNotifications:VaultNotifications", "backup-notifications"));
                assert.equal(notes.snsTopicArn, `arn:aws:sns:${expected.region}:${ACCOUNT}:alerts`);
                assert.ok(notes.backupVaultEvents.includes("COPY_JOB_FAILED"));
            });

            it(`${expected.prod ? "locks every vault and protects it" : "does not lock or protect vaults"} in ${stack}`, async () => {
                const rec = await recordOf(stack);
                const locks = rec.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration");
                assert.equal(locks.length, expected.prod ? 2 : 0);
                for (const lock of locks) {
                    assert.deepEqual({ ...rec.inputsOf(lock), backupVaultName: undefined },
                        { backupVaultName: undefined, minRetentionDays: 35, maxRetentionDays: 2557, changeableForDays: 3 });
                }
                for (const vault of rec.ofType("aws:backup/vault:Vault")) assert.equal(vault.protect, expected.prod, vault.name);
            });
        });
    }

    it("refuses a DR-copying stack without the DR provider", async () => {
        await assert.rejects(recordWithStackConfig("prod-eu", (cfg) => buildAudit(cfg, {
            accountId: ACCOUNT, logsKeyArn: "k", backupsKeyArn: "k", archiveBucketName: "b", archiveBucketArn: "arn:aws:s3:::b",
            alertsTopicArn: "t", backupSelectionArns: [],
        }, {})), /drProvider or drBackupsKeyArn/);
    });
});
