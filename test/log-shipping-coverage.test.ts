import { strict as assert } from "assert";
import { Recorded, stackRecord } from "../offline/testing";
import { readStackFiles } from "../offline/stack-files";
import { parseConfig } from "../stacks/config";
import { ConfigError } from "../stacks/validate";

/**
 * Issue 24 item 4: every log group and every log bucket of every stack has a path to the SIEM in the plan (a
 * subscription filter into the shipping stream; the SIEM's S3 fetcher role for files AWS writes only to S3), or a
 * documented reason why not. The reasons are few and named here.
 */
const STACKS = ["dev", "nonprod", "prod-eu", "prod-eu-dr", "prod-il"];
const LOG_BUCKET_PURPOSES = ["alb-logs", "access-logs"];

/** Log groups that carry no events for the SIEM, with the reason. */
const NOT_EVENTS: { pattern: RegExp; reason: string }[] = [
    {
        pattern: /^RDSOSMetrics$/,
        reason: "Enhanced Monitoring OS metrics (one JSON sample per interval), read as metrics in CloudWatch and Performance Insights",
    },
    { pattern: /^\/aws\/ecs\/containerinsights\/.+\/performance$/, reason: "Container Insights performance events: metrics, not logs" },
    {
        pattern: /^\/aws\/kinesisfirehose\/.+-logzio$/,
        reason: "the shipping stream's own delivery errors: shipping them through the failing stream would loop; failed records land in S3 and alarm",
    },
];

const nameOf = (rec: Recorded, r: { inputs: Record<string, any> }) => rec.inputsOf(r as any).name as string;

for (const stack of STACKS) {
    describe(`log shipping coverage: ${stack}`, () => {
        const shipping = JSON.parse(readStackFiles(stack).config["platform:logShipping"] ?? "{}");
        const residency = readStackFiles(stack).config["platform:residency"];

        if (shipping.enabled === false) {
            it("ships nothing because of data residency, and says so in config (logs stay in CloudWatch Logs in the region)", async () => {
                assert.ok(residency, `${stack} turns shipping off without platform:residency`);
                const rec = await stackRecord(stack);
                assert.equal(rec.ofType("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").length, 0);
                assert.equal(rec.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").length, 0);
            });
            return;
        }

        it("subscribes every log group with events to the shipping stream", async () => {
            const rec = await stackRecord(stack);
            const filters = rec.ofType("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
            const shippedUrns = new Set(filters.flatMap((f) => f.propertyDependencies.logGroup ?? []));
            const shippedNames = new Set(filters.map((f) => rec.inputsOf(f).logGroup));
            const missing = rec
                .ofType("aws:cloudwatch/logGroup:LogGroup")
                .filter((g) => !shippedUrns.has(g.urn) && !shippedNames.has(nameOf(rec, g)))
                .map((g) => nameOf(rec, g))
                .filter((name) => !NOT_EVENTS.some((e) => e.pattern.test(name)));
            assert.deepEqual(missing, []);
            // The groups issue 24 names explicitly.
            for (const expected of [/\/aws\/rds\/instance\/.+\/postgresql$/, /\/aws\/rds\/instance\/.+\/upgrade$/, /\/slow-log$/, /\/engine-log$/]) {
                assert.ok(
                    [...shippedNames].some((n) => expected.test(String(n))),
                    `${expected} is not shipped`,
                );
            }
        });

        it("lets the SIEM's S3 fetcher read every log bucket (ALB access and connection logs, S3 access logs), read-only", async () => {
            const rec = await stackRecord(stack);
            const logBuckets = rec
                .ofType("aws:s3/bucket:Bucket")
                .filter((b) => LOG_BUCKET_PURPOSES.includes(rec.inputsOf(b).tags?.["bucket-purpose"]))
                .map((b) => rec.inputsOf(b).bucket as string);
            assert.ok(logBuckets.length >= 2, logBuckets.join());
            const role = rec.one("aws:iam/role:Role", "log-fetcher");
            const trust = JSON.parse(rec.inputsOf(role).assumeRolePolicy).Statement[0];
            assert.equal(trust.Principal.AWS, `arn:aws:iam::${shipping.s3Fetcher.accountId}:root`);
            assert.equal(trust.Condition.StringEquals["sts:ExternalId"], shipping.s3Fetcher.externalId);
            const policy = JSON.parse(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "log-fetcher-read")).policy);
            const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
            assert.deepEqual([...new Set(actions)].sort(), ["kms:Decrypt", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket"]);
            const listed = policy.Statement.find((s: any) => s.Sid === "ListLogBuckets").Resource;
            for (const bucket of logBuckets) assert.ok(listed.includes(`arn:aws:s3:::${bucket}`), `${bucket} has no shipping path`);
            const read = policy.Statement.find((s: any) => s.Sid === "ReadLogObjects").Resource as string[];
            const albBucket = logBuckets.find((b) => b.endsWith("-alb-logs"))!;
            assert.deepEqual(read.filter((r) => r.includes(albBucket)).sort(), [
                `arn:aws:s3:::${albBucket}/alb/access/*`,
                `arn:aws:s3:::${albBucket}/alb/connections/*`,
            ]);
        });
    });
}

describe("log shipping coverage: config", () => {
    it("refuses shipping without the S3 fetcher, naming the key", () => {
        const { config } = readStackFiles("prod-eu");
        const raw: Record<string, any> = { "aws:region": config["aws:region"] };
        for (const [k, v] of Object.entries(config)) {
            if (k.startsWith("platform:"))
                try {
                    raw[k.slice(9)] = JSON.parse(v);
                } catch {
                    raw[k.slice(9)] = v;
                }
        }
        delete raw.logShipping.s3Fetcher;
        for (const secret of ["cloudflareApiToken", "logzioShippingToken", "workosApiKey", "slackWebhookUrl"]) delete raw[secret];
        assert.throws(
            () => parseConfig(raw, { project: "platform", stack: "prod-eu", secretValues: { logzioShippingToken: undefined as any } }),
            (e: unknown) => e instanceof ConfigError && e.key === "platform:logShipping.s3Fetcher",
        );
    });

    it("requires the S3 fetcher wherever shipping is on", () => {
        for (const stack of STACKS) {
            const shipping = JSON.parse(readStackFiles(stack).config["platform:logShipping"] ?? "{}");
            if (shipping.enabled !== false) assert.match(shipping.s3Fetcher?.accountId ?? "", /^\d{12}$/, stack);
        }
    });
});
