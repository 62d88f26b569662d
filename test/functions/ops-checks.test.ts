import { strict as assert } from "assert";
import * as path from "path";
import { FakeSecrets, loadFunction, quiet } from "./fake-secrets";

const load = (dir: string) => loadFunction(path.resolve(__dirname, "..", "..", "functions", dir, "index.mjs"));
const PLAN = "arn:aws:backup:eu-central-1:111111111111:restore-testing-plan:platform_prod_eu_weekly-abc";

class FakeCloudWatch {
    public readonly data: any[] = [];
    async putMetricData(input: any) {
        this.data.push(...input.MetricData.map((d: any) => ({ ns: input.Namespace, ...d })));
        return {};
    }
    named(name: string) {
        return this.data.filter((d) => d.MetricName === name);
    }
}

function fakes(job: any, opts: { db?: any; keys?: number } = {}) {
    const validations: any[] = [];
    const listed: any[] = [];
    return {
        validations,
        listed,
        backup: {
            describeRestoreJob: async (input: any) => ({ RestoreJobId: input.RestoreJobId, ...job }),
            putRestoreValidationResult: async (input: any) => {
                validations.push(input);
                return {};
            },
            listRestoreJobs: async (input: any) => {
                listed.push(input);
                return { RestoreJobs: job.completedRecently ? [{ RestoreJobId: "r0" }] : [] };
            },
        },
        rds: { describeDBInstances: async () => ({ DBInstances: opts.db ? [opts.db] : [] }) },
        s3: { listObjectsV2: async () => ({ KeyCount: opts.keys ?? 0 }) },
        cloudwatch: new FakeCloudWatch(),
        log: quiet,
    };
}

describe("restore test validation (functions/restore-validation)", () => {
    before(() => {
        process.env.RESTORE_TESTING_PLAN_ARN = PLAN;
        process.env.MAX_DAYS_WITHOUT_TEST = "8";
    });
    const event = { source: "aws.backup", "detail-type": "Restore Job State Change", detail: { restoreJobId: "r1", status: "COMPLETED" } };
    const rdsJob = {
        Status: "COMPLETED",
        ResourceType: "RDS",
        CreatedBy: { RestoreTestingPlanArn: PLAN },
        CreatedResourceArn: "arn:aws:rds:eu-central-1:111111111111:db:awsbackup-restore-test-1",
    };

    it("reports SUCCESSFUL for a restored RDS instance that is available and encrypted", async () => {
        const { handler } = await load("restore-validation");
        const c = fakes(rdsJob, { db: { DBInstanceStatus: "available", StorageEncrypted: true } });
        await handler(event, {}, c);
        assert.deepEqual(
            c.validations.map((v) => [v.RestoreJobId, v.ValidationStatus]),
            [["r1", "SUCCESSFUL"]],
        );
        assert.equal(c.cloudwatch.named("RestoreTestsSucceeded").length, 1);
    });

    it("reports FAILED for an unencrypted restored instance and an empty restored bucket, and counts the failures", async () => {
        const { handler } = await load("restore-validation");
        const c1 = fakes(rdsJob, { db: { DBInstanceStatus: "available", StorageEncrypted: false } });
        await handler(event, {}, c1);
        assert.equal(c1.validations[0].ValidationStatus, "FAILED");
        assert.match(c1.validations[0].ValidationStatusMessage, /not encrypted/);
        const s3Job = {
            Status: "COMPLETED",
            ResourceType: "S3",
            CreatedBy: { RestoreTestingPlanArn: PLAN },
            CreatedResourceArn: "arn:aws:s3:::awsbackup-restore-test-2",
        };
        const c2 = fakes(s3Job, { keys: 0 });
        await handler(event, {}, c2);
        assert.equal(c2.validations[0].ValidationStatus, "FAILED");
        assert.equal(c2.cloudwatch.named("RestoreTestsFailed").length, 1);
        const c3 = fakes(s3Job, { keys: 3 });
        await handler(event, {}, c3);
        assert.equal(c3.validations[0].ValidationStatus, "SUCCESSFUL");
    });

    it("counts a failed restore job as a failed restore test; ignores restores that are not this plan's tests", async () => {
        const { handler } = await load("restore-validation");
        const failed = fakes({ ...rdsJob, Status: "FAILED" });
        await handler(event, {}, failed);
        assert.equal(failed.cloudwatch.named("RestoreTestsFailed").length, 1);
        assert.equal(failed.validations.length, 0);
        const manual = fakes({ ...rdsJob, CreatedBy: {} });
        await handler(event, {}, manual);
        assert.equal(manual.cloudwatch.data.length + manual.validations.length, 0);
    });

    it("on its schedule publishes RestoreTestOverdue = 1 when no restore test completed in the last 8 days, 0 otherwise", async () => {
        const { handler, checkOverdue } = await load("restore-validation");
        const none = fakes({});
        await handler({ source: "aws.events", "detail-type": "Scheduled Event" }, {}, none);
        assert.deepEqual(
            none.cloudwatch.named("RestoreTestOverdue").map((d) => d.Value),
            [1],
        );
        assert.equal(none.listed[0].ByRestoreTestingPlanArn, PLAN);
        assert.equal(none.listed[0].ByStatus, "COMPLETED");
        const recent = fakes({ completedRecently: true });
        const now = new Date("2026-12-03T00:00:00Z");
        assert.equal(await checkOverdue({ ...recent, planArn: PLAN, maxDays: 8, now }), 0);
        assert.equal(recent.listed[0].ByCompleteAfter.toISOString(), "2026-11-25T00:00:00.000Z");
    });
});

describe("external token age (functions/secret-age)", () => {
    it("publishes the age in days of each secret's AWSCURRENT version", async () => {
        const { publishAges } = await load("secret-age");
        const secrets = new FakeSecrets("arn:aws:secretsmanager:eu-central-1:111111111111:secret:platform-dev/workos-api-key", "k");
        const cloudwatch = new FakeCloudWatch();
        const ages = await publishAges({ secrets, cloudwatch, watched: { "workos-api-key": secrets.arn }, now: new Date("2026-04-11T00:00:00Z") });
        assert.deepEqual(ages, { "workos-api-key": 100 });
        assert.deepEqual(
            cloudwatch.data.map((d) => [d.ns, d.MetricName, d.Value, d.Dimensions[0].Value]),
            [["Platform/Secrets", "SecretAgeDays", 100, "workos-api-key"]],
        );
        assert.equal(secrets.calls[0].input.SecretId, secrets.arn);
    });
});
