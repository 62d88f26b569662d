import { strict as assert } from "assert";
import { AlertTopic, ChatChannel, ON_CALL_DELIVERY_POLICY, SEVERITIES, SEVERITY_ROUTES, TenantKey, ecrScanPattern, severityOf } from "..";
import { isSecret } from "../../offline/engine";
import { record } from "../../offline/testing";

const ACCOUNT = "111111111111";
const SUB = "aws:sns/topicSubscription:TopicSubscription";

describe("alert channels (components)", () => {
    it("AlertTopic subscribes SMS numbers and the on-call endpoint (secret, auto-confirming, retried about an hour)", async () => {
        const rec = await record(() => new AlertTopic("critical", {
            topicName: "p-alerts-critical", kmsKeyArn: "arn:aws:kms:eu-central-1:111111111111:key/k", accountId: ACCOUNT,
            publishers: ["cloudwatch.amazonaws.com"], smsNumbers: ["+447700900123"], onCallEndpoint: "https://events.pagerduty.com/integration/abc/enqueue",
        }));
        const subs = rec.ofType(SUB);
        assert.deepEqual(subs.map((s) => s.name).sort(), ["critical-on-call", "critical-sms-447700900123"]);
        const onCall = rec.one(SUB, "critical-on-call");
        assert.ok(isSecret(onCall.inputs.endpoint));
        assert.equal(rec.inputsOf(onCall).endpointAutoConfirms, true);
        const retry = ON_CALL_DELIVERY_POLICY.healthyRetryPolicy;
        assert.ok(retry.numRetries <= 100 && retry.numNoDelayRetries + retry.numMinDelayRetries + retry.numMaxDelayRetries <= retry.numRetries);
        assert.equal(rec.inputsOf(rec.one(SUB, "critical-sms-447700900123")).protocol, "sms");
    });

    it("AlertTopic refuses an SMS number that is not E.164", async () => {
        await assert.rejects(record(() => new AlertTopic("t", {
            topicName: "t", kmsKeyArn: "k", accountId: ACCOUNT, publishers: ["cloudwatch.amazonaws.com"], smsNumbers: ["01701234567"],
        })), /not E\.164/);
    });

    it("ChatChannel needs a Chatbot API region and real Slack ids", async () => {
        const base = {
            configurationName: "p-alerts", slackTeamId: "T0EXAMPLE01", slackChannelId: "C0EXAMPLE01", topicArns: ["arn:aws:sns:eu-central-1:1:t"],
        };
        await assert.rejects(record(() => new ChatChannel("c", { ...base, apiRegion: "eu-central-1" })), /no Chatbot API/);
        await assert.rejects(record(() => new ChatChannel("c", { ...base, apiRegion: "us-east-2", slackTeamId: "acme" })), /Slack team id/);
        const rec = await record(() => new ChatChannel("c", { ...base, apiRegion: "us-east-2" }));
        assert.equal(rec.inputsOf(rec.one("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "c")).region, "us-east-2");
    });

    it("routes every severity to e-mail or chat, and only critical to the on-call tool", () => {
        for (const s of SEVERITIES) assert.ok(SEVERITY_ROUTES[s].chat || SEVERITY_ROUTES[s].email, s);
        assert.deepEqual(SEVERITIES.filter((s) => SEVERITY_ROUTES[s].onCall), ["critical"]);
        assert.equal(severityOf("alb-5xx"), "critical");
        assert.equal(severityOf("no-such-alarm"), "high");
    });

    it("matches ECR scans with findings at or above the minimum severity only", () => {
        assert.deepEqual(ecrScanPattern("CRITICAL").detail,
            { "scan-status": ["COMPLETE"], $or: [{ "finding-severity-counts": { CRITICAL: [{ numeric: [">", 0] }] } }] });
        assert.equal((ecrScanPattern("LOW").detail as any).$or.length, 4);
    });

    it("TenantKey with KMS-generated material rotates yearly; it refuses a bad tenant id", async () => {
        const args = {
            tenantId: "acme", aliasPrefix: "p", origin: "AWS_KMS" as const, accountId: ACCOUNT, region: "eu-central-1",
            writerRoleArns: [`arn:aws:iam::${ACCOUNT}:role/p-api-task`], bucketArns: ["arn:aws:s3:::p-evidence"], deletionWindowDays: 7, protect: false,
        };
        const rec = await record(() => new TenantKey("tk", args));
        const key = rec.inputsOf(rec.one("aws:kms/key:Key", "tk"));
        assert.deepEqual([key.enableKeyRotation, key.rotationPeriodInDays], [true, 365]);
        await assert.rejects(record(() => new TenantKey("tk", { ...args, tenantId: "Acme!" })), /lowercase/);
    });
});
