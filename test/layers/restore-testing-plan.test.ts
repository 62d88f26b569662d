import { strict as assert } from "assert";
import { stackRecord } from "../../offline/testing";

const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const SG = "aws:ec2/securityGroup:SecurityGroup";

/**
 * Issue 21 item 1 in the real plans: weekly restore tests in prod of the database and the evidence and documents
 * buckets, from the stack's own vaults, restored by a role that carries the stack's boundary, validated by a
 * function AWS Backup events reach, and alarmed when a test fails or none completes within 8 days.
 */
for (const stack of ["prod-eu", "prod-il"]) {
    describe(`restore tests in the plan of ${stack}`, () => {
        it("runs a restore testing plan every Saturday from the stack's vaults (the in-region copy vault too, never a vault of another region)", async () => {
            const rec = await stackRecord(stack);
            const plan = rec.one(PLAN, "restore-testing-plan");
            assert.equal(plan.inputs.scheduleExpression, "cron(0 6 ? * SAT *)");
            assert.match(plan.inputs.name, /^[A-Za-z0-9_]{1,50}$/, "AWS Backup accepts letters, digits and underscores only");
            const vaults = plan.propertyDependencies.recoveryPointSelection ?? [];
            assert.ok(vaults.includes(rec.one("aws:backup/vault:Vault", "backup").urn), "the primary vault");
            const copy = rec.one("aws:backup/vault:Vault", "backup-copy").urn;
            assert.equal(vaults.includes(copy), stack === "prod-il", "the in-region copy vault (prod-il) is tested; the DR-region vault (prod-eu) cannot be");
        });

        it("selects the Postgres primary, restored into the data subnets behind a security group that admits and sends nothing", async () => {
            const rec = await stackRecord(stack);
            const db = rec.one(SELECTION, "restore-testing-database");
            assert.equal(db.inputs.protectedResourceType, "RDS");
            assert.ok(db.propertyDependencies.protectedResourceArns.includes(rec.one("aws:rds/instance:Instance", "postgres").urn));
            const overrides = db.propertyDependencies.restoreMetadataOverrides ?? [];
            assert.ok(overrides.includes(rec.one("aws:rds/subnetGroup:SubnetGroup", "postgres").urn), "the data subnets' DB subnet group");
            const isolated = rec.one(SG, "restore-testing-db");
            assert.ok(overrides.includes(isolated.urn));
            assert.deepEqual(isolated.inputs.egress, [], "no egress");
            const ingress = rec.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
            assert.equal(ingress.filter((r) => (r.propertyDependencies.securityGroupId ?? []).includes(isolated.urn)).length, 0, "no ingress");
            assert.ok(db.inputs.validationWindowHours >= 1 && db.inputs.validationWindowHours <= 168);
        });

        it("selects exactly the evidence and documents buckets", async () => {
            const rec = await stackRecord(stack);
            const buckets = rec.one(SELECTION, "restore-testing-buckets");
            assert.equal(buckets.inputs.protectedResourceType, "S3");
            const byPurpose = (purpose: string) => rec.ofType("aws:s3/bucket:Bucket").find((b) => b.inputs.tags?.["bucket-purpose"] === purpose)!.urn;
            assert.deepEqual([...buckets.propertyDependencies.protectedResourceArns].sort(), [byPurpose("evidence"), byPurpose("documents")].sort());
        });

        it("restores with its own bounded role: AWS's restore policies and the backups and data keys only through Backup, RDS and S3", async () => {
            const rec = await stackRecord(stack);
            const role = rec.one("aws:iam/role:Role", "restore-testing-role");
            assert.equal(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal.Service, "backup.amazonaws.com");
            assert.ok(role.inputs.permissionsBoundary, "the stack's permissions boundary");
            for (const sel of rec.ofType(SELECTION)) assert.ok(sel.propertyDependencies.iamRoleArn.includes(role.urn));
            const attached = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => (a.propertyDependencies.role ?? []).includes(role.urn)).map((a) => a.inputs.policyArn).sort();
            assert.deepEqual(attached, ["arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"]);
            const keys = rec.one("aws:iam/rolePolicy:RolePolicy", "restore-testing-keys");
            const keyUrns = keys.propertyDependencies.policy ?? [];
            const keyNamed = (name: string) => rec.one("aws:kms/key:Key", name).urn;
            assert.ok(keyUrns.includes(keyNamed("keys-backups")) && keyUrns.includes(keyNamed("keys-data")));
            const use = JSON.parse(rec.inputsOf(keys).policy).Statement.find((s: any) => s.Sid === "UseKeysThroughServices");
            assert.ok(use.Condition.StringEquals["kms:ViaService"].every((v: string) => /^(backup|rds|s3)\.[a-z0-9-]+\.amazonaws\.com$/.test(v)));
        });

        it("validates each finished restore: AWS Backup's restore job events and a 6-hourly schedule invoke the validation function", async () => {
            const rec = await stackRecord(stack);
            const fn = rec.one("aws:lambda/function:Function", "restore-testing-validation");
            assert.ok((fn.propertyDependencies.environment ?? []).includes(rec.one(PLAN, "restore-testing-plan").urn), "it knows the plan");
            const jobs = rec.one("aws:cloudwatch/eventRule:EventRule", "restore-testing-restore-jobs");
            const pattern = JSON.parse(jobs.inputs.eventPattern);
            assert.deepEqual([pattern.source, pattern["detail-type"]], [["aws.backup"], ["Restore Job State Change"]]);
            for (const ruleName of ["restore-testing-restore-jobs", "restore-testing-overdue-check"]) {
                const rule = rec.one("aws:cloudwatch/eventRule:EventRule", ruleName);
                const target = rec.ofType("aws:cloudwatch/eventTarget:EventTarget").find((t) => (t.propertyDependencies.rule ?? []).includes(rule.urn))!;
                assert.ok(target.propertyDependencies.arn.includes(fn.urn), `${ruleName} invokes the function`);
                const permission = rec.ofType("aws:lambda/permission:Permission").find((p) => (p.propertyDependencies.sourceArn ?? []).includes(rule.urn))!;
                assert.equal(permission.inputs.principal, "events.amazonaws.com");
            }
            const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "restore-testing-validation-policy")).policy);
            assert.ok(policy.Statement.some((s: any) => [s.Action].flat().includes("backup:PutRestoreValidationResult")));
        });

        it("alarms on a failed restore job or validation, and when no test completed in 8 days (a silent check alarms too)", async () => {
            const rec = await stackRecord(stack);
            const failed = rec.inputsOf(rec.one(ALARM, "restore-testing-failed"));
            const metrics = failed.metricQueries.filter((q: any) => q.metric).map((q: any) => `${q.metric.namespace}/${q.metric.metricName}`);
            assert.deepEqual(metrics.sort(), ["AWS/Backup/NumberOfRestoreJobsFailed", "Platform/RestoreTesting/RestoreTestsFailed"]);
            assert.match(failed.alarmDescription, /runbooks\.md#restore-test-failed$/);
            const overdue = rec.inputsOf(rec.one(ALARM, "restore-testing-overdue"));
            assert.equal(overdue.metricName, "RestoreTestOverdue");
            assert.equal(overdue.treatMissingData, "breaching");
            assert.match(overdue.alarmDescription, /8 days.*runbooks\.md#restore-test-overdue$/);
            const fn = rec.inputsOf(rec.one("aws:lambda/function:Function", "restore-testing-validation"));
            assert.equal(fn.environment.variables.MAX_DAYS_WITHOUT_TEST, "8");
            for (const a of [failed, overdue]) assert.equal(a.alarmActions.length, 1);
        });
    });
}

describe("restore tests in the plan of dev", () => {
    it("has none (platform:restoreTesting.enabled is false; weekly tests are a prod duty)", async () => {
        const rec = await stackRecord("dev");
        assert.equal(rec.ofType(PLAN).length + rec.ofType(SELECTION).length, 0);
    });
});
