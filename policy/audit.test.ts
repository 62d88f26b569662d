import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as audit from "./audit";
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { RecordedResource } from "../offline/engine";
import { toPolicyResources } from "../offline/policy-runner";

// The engine's own proxy (marked @internal in the typings): props wrapped as the analyzer wraps them at preview.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: any) => any; unknownStringValue: string };

/** Fake resources as a first preview shows them to a stack policy: props behind the unknown-checking proxy. */
function atPreview(recorded: RecordedResource[]): PolicyResource[] {
    const resources = toPolicyResources(recorded);
    for (const r of resources as any[]) r.props = proxy.unknownCheckingProxy({ ...r.props });
    return resources;
}

const TRAIL = "aws:cloudtrail/trail:Trail";
const goodTrail = {
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    cloudWatchLogsGroupArn: "arn:aws:logs:eu-central-1:1:log-group:/t:*",
    kmsKeyId: "k",
};

describe("audit policies", () => {
    describe("cloudtrail-baseline", () => {
        it("passes a multi-region, validated trail delivering to CloudWatch Logs and an Object-Locked bucket", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "archive", { objectLockEnabled: true });
            assert.deepEqual(await violationsOf(audit.cloudtrailBaseline, [bucket, fake(TRAIL, "trail", goodTrail, { s3BucketName: [bucket] })]), []);
        });
        it("flags a single-region trail without validation, CloudWatch Logs or Object Lock", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "plain", {});
            const found = (await violationsOf(audit.cloudtrailBaseline, [bucket, fake(TRAIL, "trail", { kmsKeyId: "k" }, { s3BucketName: [bucket] })])).join(
                "\n",
            );
            for (const expected of [/multi-region/, /validate log files/, /CloudWatch Logs/, /no Object Lock/]) assert.match(found, expected);
        });
        it("flags a trail that does not record: logging off, or selectors dropping management writes", async () => {
            const off = await violationsOf(audit.cloudtrailBaseline, [fake(TRAIL, "trail", { ...goodTrail, enableLogging: false })]);
            assert.deepEqual(off, ["trail trail has logging switched off (enableLogging false)"]);
            const readOnly = await violationsOf(audit.cloudtrailBaseline, [
                fake(TRAIL, "trail", { ...goodTrail, eventSelectors: [{ readWriteType: "ReadOnly", includeManagementEvents: true }] }),
            ]);
            assert.deepEqual(readOnly, ["trail trail does not record management events, read and write"]);
            const advanced = await violationsOf(audit.cloudtrailBaseline, [fake(TRAIL, "trail", { ...goodTrail, advancedEventSelectors: [{ fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] }, { field: "readOnly", equals: ["true"] }] }] })]);
            assert.deepEqual(advanced, ["trail trail does not record management events, read and write"]);
        });
        it("passes selectors that keep all management events and add S3 data events for evidence buckets", async () => {
            const evidence = fake("aws:s3/bucket:Bucket", "evidence", { bucket: "evidence", tags: { "bucket-purpose": "evidence" } });
            const selectors = {
                eventSelectors: [
                    { readWriteType: "All", includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::evidence/"] }] },
                ],
            };
            assert.deepEqual(
                await violationsOf(audit.cloudtrailBaseline, [evidence, fake(TRAIL, "trail", { ...goodTrail, ...selectors })], {
                    dataEventBucketPurposes: ["evidence"],
                }),
                [],
            );
            const missing = await violationsOf(audit.cloudtrailBaseline, [evidence, fake(TRAIL, "trail", goodTrail)], {
                dataEventBucketPurposes: ["evidence"],
            });
            assert.deepEqual(missing, ["no trail records S3 object-level data events for evidence bucket evidence"]);
        });
        describe("S3 data events for the evidence and documents buckets by default (CIS 3.8/3.9)", () => {
            const evidence = fake("aws:s3/bucket:Bucket", "evidence", { bucket: "ev", tags: { "bucket-purpose": "evidence" } });
            const documents = fake("aws:s3/bucket:Bucket", "documents", { bucket: "docs", tags: { "bucket-purpose": "documents" } });
            const management = { fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] };
            const objects = (arns: unknown[]) => ({ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] }, { field: "resources.ARN", startsWiths: arns }] });
            it("flags a trail without object-level selectors when evidence and documents buckets exist (no pack config needed)", async () => {
                const found = await violationsOf(audit.cloudtrailBaseline, [evidence, documents, fake(TRAIL, "trail", goodTrail)]);
                assert.deepEqual(found.sort(), ["no trail records S3 object-level data events for documents bucket docs",
                    "no trail records S3 object-level data events for evidence bucket ev"]);
            });
            it("passes advanced selectors naming both buckets' objects, and flags the one left out", async () => {
                const both = { ...goodTrail, advancedEventSelectors: [management, objects(["arn:aws:s3:::ev/", "arn:aws:s3:::docs/"])] };
                assert.deepEqual(await violationsOf(audit.cloudtrailBaseline, [evidence, documents, fake(TRAIL, "trail", both)]), []);
                const one = { ...goodTrail, advancedEventSelectors: [management, objects(["arn:aws:s3:::ev/"])] };
                assert.deepEqual(await violationsOf(audit.cloudtrailBaseline, [evidence, documents, fake(TRAIL, "trail", one)]),
                    ["no trail records S3 object-level data events for documents bucket docs"]);
            });
            it("decides at preview: unknown bucket ARNs count for the buckets the selectors were computed from, and only those", async () => {
                const trail = (deps: RecordedResource[]) => fake(TRAIL, "trail",
                    { ...goodTrail, advancedEventSelectors: [management, objects([proxy.unknownStringValue, proxy.unknownStringValue])] },
                    { advancedEventSelectors: deps });
                const run = async (recorded: RecordedResource[]) => {
                    const found: string[] = [];
                    const args = { resources: atPreview(recorded), getConfig: () => ({}) } as unknown as StackValidationArgs;
                    await (audit.cloudtrailBaseline as any).validateStack(args, (m: string) => found.push(m));
                    return found;
                };
                assert.deepEqual(await run([evidence, documents, trail([evidence, documents])]), []);
                assert.deepEqual(await run([evidence, documents, trail([evidence])]),
                    ["no trail records S3 object-level data events for documents bucket docs"]);
            });
        });
    });

    describe("config-recorder", () => {
        const recorder = fake("aws:cfg/recorder:Recorder", "config", { recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } });
        const channel = fake("aws:cfg/deliveryChannel:DeliveryChannel", "channel", { s3BucketName: "b" });
        it("passes an all-types recorder with a channel and an enabled status", async () => {
            const status = fake("aws:cfg/recorderStatus:RecorderStatus", "status", { isEnabled: true }, { name: [recorder] });
            assert.deepEqual(await violationsOf(audit.configRecorder, [recorder, channel, status]), []);
        });
        it("flags a partial recorder that is never switched on and has no channel", async () => {
            const partial = fake("aws:cfg/recorder:Recorder", "partial", { recordingGroup: { allSupported: false, resourceTypes: ["AWS::S3::Bucket"] } });
            const status = fake("aws:cfg/recorderStatus:RecorderStatus", "status", { isEnabled: false }, { name: [partial] });
            const found = (await violationsOf(audit.configRecorder, [partial, status])).join("\n");
            for (const expected of [/all supported/, /no enabled RecorderStatus/, /no delivery channel/]) assert.match(found, expected);
        });
        it("flags a baseline stack (one with a trail) that has no recorder, and ignores stacks without one", async () => {
            assert.match((await violationsOf(audit.configRecorder, [fake(TRAIL, "trail", goodTrail)])).join(), /no AWS Config recorder/);
            assert.deepEqual(await violationsOf(audit.configRecorder, [fake("aws:s3/bucket:Bucket", "state", {})]), []);
        });
    });

    describe("guardduty-enabled", () => {
        const detector = fake("aws:guardduty/detector:Detector", "gd", { enable: true });
        const feature = (name: string, extra: Record<string, any> = {}) =>
            fake("aws:guardduty/detectorFeature:DetectorFeature", `gd-${name}`, { name, status: "ENABLED", ...extra }, { detectorId: [detector] });
        const runtime = feature("RUNTIME_MONITORING", { additionalConfigurations: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }] });
        it("passes an enabled detector with S3, RDS login and Fargate runtime monitoring", async () => {
            assert.deepEqual(await violationsOf(audit.guarddutyEnabled, [detector, feature("S3_DATA_EVENTS"), feature("RDS_LOGIN_EVENTS"), runtime]), []);
        });
        it("flags a detector missing features, and runtime monitoring without the Fargate agent", async () => {
            const found = (await violationsOf(audit.guarddutyEnabled, [detector, feature("S3_DATA_EVENTS"), feature("RUNTIME_MONITORING")])).join("\n");
            assert.match(found, /lacks enabled features RDS_LOGIN_EVENTS/);
            assert.match(found, /ECS Fargate agent/);
        });
        it("flags a suspended detector and a baseline stack without a detector", async () => {
            assert.match((await violationsOf(audit.guarddutyEnabled, [fake("aws:guardduty/detector:Detector", "off", { enable: false })])).join(), /suspended/);
            assert.match((await violationsOf(audit.guarddutyEnabled, [fake(TRAIL, "trail", goodTrail)])).join(), /no GuardDuty detector/);
        });
    });

    describe("backup-plan-coverage", () => {
        const db = fake("aws:rds/instance:Instance", "postgres", { identifier: "platform-prod-eu-postgres", tags: PROD_TAGS });
        const replica = fake("aws:rds/instance:Instance", "postgres-replica", { replicateSourceDb: "x", tags: PROD_TAGS });
        const evidence = fake("aws:s3/bucket:Bucket", "evidence", {
            bucket: "platform-prod-eu-evidence",
            tags: { ...PROD_TAGS, "bucket-purpose": "evidence" },
        });
        const logs = fake("aws:s3/bucket:Bucket", "access-logs", { bucket: "logs", tags: { ...PROD_TAGS, "bucket-purpose": "access-logs" } });
        const plan = (copy: boolean) =>
            fake("aws:backup/plan:Plan", "plan", {
                tags: PROD_TAGS,
                rules: [{ ruleName: "daily", copyActions: copy ? [{ destinationVaultArn: "arn:aws:backup:eu-west-1:1:backup-vault:dr" }] : undefined }],
            });
        it("passes when the primary and data buckets are selected (by dependency or known ARN) and the prod plan copies", async () => {
            const selection = fake(
                "aws:backup/selection:Selection",
                "sel",
                { resources: ["arn:aws:rds:eu-central-1:1:db:platform-prod-eu-postgres", "arn:aws:s3:::platform-prod-eu-evidence"] },
                { resources: [db] },
            );
            assert.deepEqual(await violationsOf(audit.backupPlanCoverage, [db, replica, evidence, logs, plan(true), selection]), []);
        });
        it("flags an unselected data bucket and a prod plan without a copy action, ignoring replicas and log buckets", async () => {
            const selection = fake("aws:backup/selection:Selection", "sel", {}, { resources: [db] });
            const found = await violationsOf(audit.backupPlanCoverage, [db, replica, evidence, logs, plan(false), selection]);
            assert.deepEqual(found, [
                "data bucket evidence is not selected by any AWS Backup plan",
                "prod backup plan plan copies no recovery point to a DR destination",
            ]);
        });
        it("accepts a tag-based selection", async () => {
            const tagged = fake("aws:s3/bucket:Bucket", "documents", { tags: { "bucket-purpose": "documents", backup: "daily" } });
            const selection = fake("aws:backup/selection:Selection", "sel", { selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] });
            assert.deepEqual(await violationsOf(audit.backupPlanCoverage, [tagged, selection]), []);
        });
    });

    describe("backup-vault-lock", () => {
        const vault = fake("aws:backup/vault:Vault", "backup", { name: "platform-prod-eu-backups", kmsKeyArn: "k", tags: PROD_TAGS });
        it("passes a prod vault joined to a lock configuration", async () => {
            const lock = fake("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock", { minRetentionDays: 35 }, { backupVaultName: [vault] });
            assert.deepEqual(await violationsOf(audit.backupVaultLock, [vault, lock]), []);
        });
        it("flags a prod vault without a lock and leaves dev vaults alone", async () => {
            const dev = fake("aws:backup/vault:Vault", "dev", { name: "dev", tags: { ...PROD_TAGS, environment: "dev" } });
            assert.deepEqual(await violationsOf(audit.backupVaultLock, [vault, dev]), ["prod backup vault backup has no vault lock"]);
        });
        it("flags prod plan rules and copies that keep recovery points shorter than the target vault's lock minimum", async () => {
            const lock = fake(
                "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
                "lock",
                { backupVaultName: "platform-prod-eu-backups", minRetentionDays: 35 },
                { backupVaultName: [vault] },
            );
            const dr = fake("aws:backup/vault:Vault", "dr", { name: "platform-prod-eu-dr", kmsKeyArn: "k", tags: PROD_TAGS });
            const drLock = fake(
                "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
                "dr-lock",
                { backupVaultName: "platform-prod-eu-dr", minRetentionDays: 90 },
                { backupVaultName: [dr] },
            );
            const plan = (deleteAfter: number, copyDeleteAfter: number) =>
                fake(
                    "aws:backup/plan:Plan",
                    "plan",
                    {
                        tags: PROD_TAGS,
                        rules: [
                            {
                                ruleName: "daily",
                                targetVaultName: "platform-prod-eu-backups",
                                lifecycle: { deleteAfter },
                                copyActions: [
                                    {
                                        destinationVaultArn: "arn:aws:backup:eu-west-1:1:backup-vault:platform-prod-eu-dr",
                                        lifecycle: { deleteAfter: copyDeleteAfter },
                                    },
                                ],
                            },
                        ],
                    },
                    { rules: [vault, dr] },
                );
            assert.deepEqual(await violationsOf(audit.backupVaultLock, [vault, lock, dr, drLock, plan(35, 90)]), []);
            assert.deepEqual(await violationsOf(audit.backupVaultLock, [vault, lock, dr, drLock, plan(14, 35)]), [
                "prod backup plan plan rule daily keeps recovery points 14 days in vault platform-prod-eu-backups, whose lock requires at least 35 " +
                "(the backup job fails)",
                "prod backup plan plan rule daily copies to vault platform-prod-eu-dr for 35 days, whose lock requires at least 90 (the copy job fails)",
            ]);
        });
    });

    describe("data-residency", () => {
        const provider = (name: string, region: string) => fake("pulumi:providers:aws", name, { region }, {}, { custom: true });
        const il = provider("aws", "il-central-1");
        const eu = provider("aws-dr", "eu-west-1");
        const on = (p: ReturnType<typeof provider>) => ({ provider: `${p.urn}::id` });
        const config = { residencyRegion: "il-central-1" };
        it("passes when providers and stateful resources are all in the residency region", async () => {
            const bucket = fake("aws:s3/bucket:Bucket", "evidence", {}, {}, on(il));
            const plan = fake(
                "aws:backup/plan:Plan",
                "plan",
                { rules: [{ copyActions: [{ destinationVaultArn: "arn:aws:backup:il-central-1:1:backup-vault:isolated" }] }] },
                {},
                on(il),
            );
            assert.deepEqual(await violationsOf(audit.dataResidency, [il, bucket, plan], config), []);
        });
        it("flags a provider, a vault and a copy destination outside the region", async () => {
            const vault = fake("aws:backup/vault:Vault", "dr", { kmsKeyArn: "k" }, {}, on(eu));
            const plan = fake(
                "aws:backup/plan:Plan",
                "plan",
                { rules: [{ copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-west-1:1:backup-vault:dr" }] }] },
                {},
                on(il),
            );
            const found = (await violationsOf(audit.dataResidency, [il, eu, vault, plan], config)).join("\n");
            for (const expected of [/provider aws-dr targets eu-west-1/, /Vault dr is in eu-west-1/, /copies recovery points to eu-west-1/])
                assert.match(found, expected);
        });
        it("is not applicable without a residency region", async () => {
            assert.deepEqual(await violationsOf(audit.dataResidency, [eu, fake("aws:backup/vault:Vault", "dr", {}, {}, on(eu))]), []);
        });
    });
});
