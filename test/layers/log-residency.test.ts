import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { fake, stackRecord, violationsOf } from "../../offline/testing";
import { readStackFiles } from "../../offline/stack-files";
import { dataResidency } from "../../policy/audit";
import { RawConfig, parseConfig } from "../../stacks/config";
import { ConfigError } from "../../stacks/validate";

/** Issue 14 item 15: with data residency, logs are not shipped out of the region, and the pack sees where they go. */

const SECRETS = { cloudflareApiToken: pulumi.secret("t"), logzioShippingToken: pulumi.secret("t") };
const EU_LISTENER = "https://aws-firehose-logs-listener-eu.logz.io/logs";

function parse(stack: string, edit: (raw: any) => void = () => undefined) {
    const { config } = readStackFiles(stack);
    const raw: RawConfig = { "aws:region": config["aws:region"] };
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith("platform:")) continue;
        try { raw[key.slice("platform:".length)] = JSON.parse(value); } catch { raw[key.slice("platform:".length)] = value; }
    }
    edit(raw);
    return parseConfig(raw, { project: "platform", stack, secretValues: SECRETS });
}

function rejects(edit: (raw: any) => void, key: string, allowed: RegExp) {
    assert.throws(() => parse("prod-il", edit), (err: Error) => {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
        assert.match(err.message, new RegExp(`^config ${key.replace(/[.]/g, "\\.")}: `));
        assert.match(err.message, allowed);
        return true;
    });
}

describe("log shipping under data residency (config)", () => {
    it("prod-il ships no logs until an in-region destination is configured", () => {
        assert.equal(parse("prod-il").logShipping.enabled, false);
        assert.equal(parse("prod-eu").logShipping.enabled, true);
        assert.equal(parse("prod-eu").logShipping.destinationRegion, "eu-central-1", "the EU listener's region is known");
    });

    it("refuses the EU Logz.io listener in a residency stack, naming the key and the region", () => {
        rejects((r) => { r.logShipping = { enabled: true, listenerUrl: EU_LISTENER }; }, "platform:logShipping.destinationRegion", /il-central-1/);
    });

    it("refuses a destination region that contradicts a known Logz.io listener", () => {
        rejects((r) => { r.logShipping = { enabled: true, listenerUrl: EU_LISTENER, destinationRegion: "il-central-1" }; },
            "platform:logShipping.destinationRegion", /eu-central-1/);
    });

    it("accepts an in-region destination declared for a listener it does not know", () => {
        const cfg = parse("prod-il", (r) => {
            // The S3 fetcher is required wherever shipping is on (the ALB and S3 access logs; issue 24 item 4).
            r.logShipping = {
                enabled: true, listenerUrl: "https://logs.example.co.il/firehose", destinationRegion: "il-central-1",
                s3Fetcher: { accountId: "123456789012", externalId: "siem:extid:0001" },
            };
        });
        assert.deepEqual([cfg.logShipping.enabled, cfg.logShipping.destinationRegion], [true, "il-central-1"]);
    });
});

describe("log shipping under data residency (prod-il plan)", () => {
    it("creates no Firehose HTTP endpoint and sends no GuardDuty findings out of the region", async () => {
        const rec = await stackRecord("prod-il");
        assert.deepEqual(rec.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").map((s) => s.name), []);
        const targets = rec.ofType("aws:cloudwatch/eventTarget:EventTarget").map((t) => rec.inputsOf(t).arn as string);
        assert.ok(targets.every((arn) => !arn.includes(":firehose:")), "a findings target still names a Firehose stream");
    });

    it("keeps shipping, with its destination region on the stream, in prod-eu", async () => {
        const rec = await stackRecord("prod-eu");
        const stream = rec.inputsOf(rec.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-shipping"));
        assert.equal(stream.tags["destination-region"], "eu-central-1");
    });
});

describe("data-residency policy sees Firehose HTTP endpoint destinations", () => {
    const il = fake("pulumi:providers:aws", "aws", { region: "il-central-1" }, {}, { custom: true });
    const stream = (tags: Record<string, string>) => fake("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-shipping", {
        destination: "http_endpoint", httpEndpointConfiguration: { url: EU_LISTENER }, tags,
    }, {}, { provider: `${il.urn}::id` });
    const config = { residencyRegion: "il-central-1" };

    it("flags a stream whose HTTP endpoint is outside the region or undeclared", async () => {
        assert.match(
            (await violationsOf(dataResidency, [il, stream({ "destination-region": "eu-central-1" })], config)).join("\n"),
            /log-shipping.*eu-central-1/,
        );
        assert.match((await violationsOf(dataResidency, [il, stream({})], config)).join("\n"), /log-shipping.*no destination-region/);
    });

    it("passes a stream whose endpoint is declared in the region", async () => {
        assert.deepEqual(await violationsOf(dataResidency, [il, stream({ "destination-region": "il-central-1" })], config), []);
    });
});
