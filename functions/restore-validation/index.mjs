// Validates AWS Backup restore tests and watches that they keep running.
// 1. On "Restore Job State Change" events (EventBridge, source aws.backup) of the platform's restore testing plan:
//    looks at what the restore created (an RDS instance available and encrypted; an S3 bucket holding objects) and
//    reports the verdict with PutRestoreValidationResult, as AWS's restore testing validation describes:
//    https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-validation.html (read 2026-12-03)
// 2. On its schedule: counts the plan's restore jobs completed in the last MAX_DAYS_WITHOUT_TEST days and publishes
//    RestoreTestOverdue (1 when there is none), which an alarm watches (missing data alarms too).
// Metrics go to the Platform/RestoreTesting namespace, dimension RestoreTestingPlan.
// Runtime: Lambda nodejs22.x with its built-in AWS SDK for JavaScript v3.

export const NAMESPACE = "Platform/RestoreTesting";

/** The identifier at the end of an ARN (`arn:aws:rds:...:db:<id>`, `arn:aws:s3:::<bucket>`). */
export function resourceIdOf(arn) {
    return String(arn ?? "").split(":").pop();
}

/** Checks one completed restore; resolves to { status: SUCCESSFUL | FAILED, message }. */
export async function validateRestore(job, { rds, s3 }) {
    const id = resourceIdOf(job.CreatedResourceArn);
    if (!id) return { status: "FAILED", message: "the restore job names no created resource" };
    if (job.ResourceType === "RDS") {
        const db = (await rds.describeDBInstances({ DBInstanceIdentifier: id })).DBInstances?.[0];
        if (!db) return { status: "FAILED", message: `restored instance ${id} not found` };
        if (db.DBInstanceStatus !== "available") return { status: "FAILED", message: `restored instance ${id} is ${db.DBInstanceStatus}` };
        if (!db.StorageEncrypted) return { status: "FAILED", message: `restored instance ${id} is not encrypted` };
        return { status: "SUCCESSFUL", message: `instance ${id} available and encrypted` };
    }
    if (job.ResourceType === "S3") {
        const out = await s3.listObjectsV2({ Bucket: id, MaxKeys: 10 });
        return (out.KeyCount ?? 0) > 0
            ? { status: "SUCCESSFUL", message: `bucket ${id} holds restored objects` }
            : { status: "FAILED", message: `restored bucket ${id} is empty` };
    }
    return { status: "FAILED", message: `no validation for resource type ${job.ResourceType}` };
}

function metric(planArn, name, value) {
    const plan = resourceIdOf(planArn);
    return { Namespace: NAMESPACE, MetricData: [{ MetricName: name, Value: value, Unit: "Count", Dimensions: [{ Name: "RestoreTestingPlan", Value: plan }] }] };
}

/** Handles one restore job event; returns what it did. */
export async function onRestoreJob(detail, { backup, rds, s3, cloudwatch, planArn }) {
    const job = await backup.describeRestoreJob({ RestoreJobId: detail?.restoreJobId });
    if (job.CreatedBy?.RestoreTestingPlanArn !== planArn) return "ignored: not a restore test of this plan";
    if (job.Status === "FAILED" || job.Status === "ABORTED") {
        await cloudwatch.putMetricData(metric(planArn, "RestoreTestsFailed", 1));
        return `restore job ${job.RestoreJobId} ${job.Status}`;
    }
    if (job.Status !== "COMPLETED") return `restore job ${job.RestoreJobId} is ${job.Status}`;
    let verdict;
    try {
        verdict = await validateRestore(job, { rds, s3 });
    } catch (e) {
        verdict = { status: "FAILED", message: `validation error: ${e?.message ?? e}` };
    }
    await backup.putRestoreValidationResult({ RestoreJobId: job.RestoreJobId, ValidationStatus: verdict.status, ValidationStatusMessage: verdict.message });
    await cloudwatch.putMetricData(metric(planArn, verdict.status === "SUCCESSFUL" ? "RestoreTestsSucceeded" : "RestoreTestsFailed", 1));
    return `restore job ${job.RestoreJobId}: ${verdict.status} (${verdict.message})`;
}

/** Publishes RestoreTestOverdue: 1 when no restore test of the plan completed in the last `maxDays` days. */
export async function checkOverdue({ backup, cloudwatch, planArn, maxDays, now = new Date() }) {
    const after = new Date(now.getTime() - maxDays * 86400000);
    const out = await backup.listRestoreJobs({ ByRestoreTestingPlanArn: planArn, ByStatus: "COMPLETED", ByCompleteAfter: after, MaxResults: 10 });
    const overdue = (out.RestoreJobs ?? []).length === 0 ? 1 : 0;
    await cloudwatch.putMetricData(metric(planArn, "RestoreTestOverdue", overdue));
    return overdue;
}

export async function handler(event, _context, clients) {
    const env = process.env;
    const c = clients ?? {
        backup: new (await import("@aws-sdk/client-backup")).Backup({}),
        rds: new (await import("@aws-sdk/client-rds")).RDS({}),
        s3: new (await import("@aws-sdk/client-s3")).S3({}),
        cloudwatch: new (await import("@aws-sdk/client-cloudwatch")).CloudWatch({}),
    };
    const log = clients?.log ?? console.log;
    const planArn = env.RESTORE_TESTING_PLAN_ARN;
    if (event?.source === "aws.backup") {
        log(await onRestoreJob(event.detail, { ...c, planArn }));
        return;
    }
    const overdue = await checkOverdue({ ...c, planArn, maxDays: Number(env.MAX_DAYS_WITHOUT_TEST ?? "8") });
    log(`restore tests overdue: ${overdue === 1 ? "yes" : "no"}`);
}
