import { costContextOfStack } from "../../offline/cost/usage";
import { strict as assert } from "assert";
import { stackPlan, stackRecord } from "../../offline/testing";

const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET = "aws:s3/bucket:Bucket";

/**
 * CIS 3.8/3.9 in the real program: the account trail records S3 object-level read and write events for the evidence and
 * documents buckets (and only for them: never the archive bucket it writes its own log files to), and still records
 * every management event, read and write (advanced selectors replace the default, so management must be selected too).
 */
for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`trail data events in the plan of ${stack}`, () => {
        it("selects S3 object events for exactly the evidence and documents buckets, read and write, beside all management events", async () => {
            const rec = await stackRecord(stack);
            const trail = rec.one(TRAIL, "audit-trail");
            const selectors: any[] = rec.inputsOf(trail).advancedEventSelectors ?? [];
            const fieldsOf = (s: any) => Object.fromEntries((s.fieldSelectors ?? []).map((f: any) => [f.field, f]));

            const management = selectors.map(fieldsOf).filter((f) => f.eventCategory?.equals?.includes("Management"));
            assert.equal(management.length, 1, "one management selector");
            assert.equal(management[0].readOnly, undefined, "management events read and write");

            const data = selectors.map(fieldsOf).filter((f) => f.eventCategory?.equals?.includes("Data"));
            assert.equal(data.length, 1, "one data selector");
            assert.deepEqual(data[0]["resources.type"].equals, ["AWS::S3::Object"]);
            assert.equal(data[0].readOnly, undefined, "object reads and writes");

            const byPurpose = (purpose: string) => rec.ofType(BUCKET).filter((b) => b.inputs.tags?.["bucket-purpose"] === purpose);
            const [evidence, documents] = [byPurpose("evidence"), byPurpose("documents")];
            assert.equal(evidence.length, 1);
            assert.equal(documents.length, 1);
            const expected = [...evidence, ...documents].map((b) => `arn:aws:s3:::${b.inputs.bucket}/`);
            assert.deepEqual([...data[0]["resources.ARN"].startsWiths].sort(), expected.sort());
            // Decided at preview too: the selectors are computed from these buckets (their ARNs are unknown before create).
            const deps = trail.propertyDependencies.advancedEventSelectors ?? [];
            for (const b of [...evidence, ...documents]) assert.ok(deps.includes(b.urn), `selectors depend on ${b.name}`);
            for (const b of [...byPurpose("backups"), ...byPurpose("access-logs")]) assert.ok(!deps.includes(b.urn), `no data events for ${b.name}`);
        });

        it("prices the trail's data events in the cost estimate: the usage assumption at $0.10 per 100,000 events", async () => {
            const plan = await stackPlan(stack);
            const item = plan.cost.items.find((i) => i.type === TRAIL && i.name === "audit-trail")!;
            // 2 buckets x (PUT/LIST + GET requests a month) = the stack's cloudtrailDataEventsMillions x $1.00 per M
            // (defaults: 2 x (100 k + 1,000 k) = 2.2 M; dev: 2 x (10 k + 100 k) = 0.22 M).
            const { usage } = costContextOfStack(stack);
            assert.equal(usage.cloudtrailDataEventsMillions, +(2 * (usage.s3PutRequestsThousands + usage.s3GetRequestsThousands) / 1000).toFixed(2));
            assert.ok(item.basis.endsWith(`${usage.cloudtrailDataEventsMillions} M data events x $1`), item.basis);
            assert.equal(item.monthly, usage.cloudtrailDataEventsMillions);
        });
    });
}
