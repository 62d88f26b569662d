import type { PlatformConfig } from "./config";
import { ConfigError, Section } from "./validate";

/** AWS cron expressions (six fields) as AWS Backup schedules take them. */
const AWS_CRON = /^cron\((\S+ ){5}\S+\)$/;

/**
 * The `platform:restoreTesting` section: weekly AWS Backup restore tests of the database and the data buckets.
 * Required on in prod (issue 21: weekly backup verification), unless `manualReason` says why AWS Backup restore
 * testing cannot run there (e.g. the region does not offer it): the weekly restore is then the hand-run one of
 * docs/runbooks.md#restore-test-failed. Off unless set in dev.
 */
export function parseRestoreTesting(rt: Section, isProd: boolean): PlatformConfig["restoreTesting"] {
    const enabled = rt.bool("enabled", false);
    if (!enabled) {
        const manualReason = rt.optionalString("manualReason", { pattern: /^.{20,300}$/, allowed: "20-300 characters saying why restore testing cannot run" });
        if (isProd && !manualReason) {
            throw new ConfigError(
                "platform:restoreTesting.enabled",
                enabled,
                "true in prod (weekly restore tests of the database and the data buckets), or false with manualReason (why AWS Backup restore " +
                "testing cannot run)",
            );
        }
        return { enabled: false, manualReason };
    }
    const schedule = rt.string("schedule", { pattern: AWS_CRON, allowed: "an AWS cron expression in UTC, e.g. cron(0 6 ? * SAT *) for Saturdays 06:00" });
    const maxDaysWithoutTest = rt.int("maxDaysWithoutTest", { min: 1, max: 31, default: 8 });
    if (isProd && maxDaysWithoutTest > 8) {
        throw new ConfigError("platform:restoreTesting.maxDaysWithoutTest", maxDaysWithoutTest, "1-8 in prod (a weekly test, one day of slack)");
    }
    return {
        enabled: true,
        schedule,
        startWindowHours: rt.int("startWindowHours", { min: 1, max: 168, default: 24 }),
        validationWindowHours: rt.int("validationWindowHours", { min: 1, max: 168, default: 4 }),
        maxDaysWithoutTest,
    };
}
