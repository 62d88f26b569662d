import { strict as assert } from "assert";
import { parse, rejects } from "../test/fixtures/config-parse";

describe("stack config: restore tests and secret rotation", () => {
    it("reads weekly restore tests in prod and none in dev", () => {
        const eu = parse("prod-eu").restoreTesting;
        assert.deepEqual(eu, { enabled: true, schedule: "cron(0 6 ? * SAT *)", startWindowHours: 24, validationWindowHours: 4, maxDaysWithoutTest: 8 });
        assert.equal(parse("prod-il").restoreTesting.enabled, true);
        assert.deepEqual(parse("dev").restoreTesting, { enabled: false, manualReason: undefined });
    });

    it("refuses prod without restore tests unless manualReason says why, and names the key", () => {
        rejects("prod-eu", (raw) => { raw.restoreTesting = { enabled: false }; }, "platform:restoreTesting.enabled", /manualReason/);
        const cfg = parse("prod-il", (raw) => { raw.restoreTesting = { enabled: false, manualReason: "restore testing is not offered in il-central-1" }; });
        assert.deepEqual(cfg.restoreTesting, { enabled: false, manualReason: "restore testing is not offered in il-central-1" });
    });

    it("refuses a schedule that is not an AWS cron expression, windows outside 1-168 hours, and more than 8 days without a test in prod", () => {
        const edit = (patch: Record<string, unknown>) => (raw: any) => { raw.restoreTesting = { ...raw.restoreTesting, ...patch }; };
        rejects("prod-eu", edit({ schedule: "weekly" }), "platform:restoreTesting.schedule", /AWS cron expression/);
        rejects("prod-eu", edit({ validationWindowHours: 200 }), "platform:restoreTesting.validationWindowHours", /168/);
        rejects("prod-eu", edit({ maxDaysWithoutTest: 14 }), "platform:restoreTesting.maxDaysWithoutTest", /1-8 in prod/);
        rejects("prod-eu", edit({ bogus: 1 }), "platform:restoreTesting.bogus", /no such key/);
    });

    it("reads the token age limit (default 180 days) and refuses one out of range", () => {
        assert.equal(parse("prod-eu").secrets.externalTokenMaxAgeDays, 180);
        assert.equal(parse("dev", (raw) => { delete raw.secrets.externalTokenMaxAgeDays; }).secrets.externalTokenMaxAgeDays, 180);
        rejects("dev", (raw) => { raw.secrets.externalTokenMaxAgeDays = 0; }, "platform:secrets.externalTokenMaxAgeDays", /1/);
    });
});
