import { strict as assert } from "assert";
import { parse, rejects } from "../test/fixtures/config-parse";
import { CHATBOT_TOPIC_REGIONS } from "../components/notifications/chat-channel";
import { AWS_REGIONS } from "./config";

describe("stack config: alert channels, security signals and tenant keys", () => {
    it("reads the chat channel, the on-call tool and the signal thresholds (defaults HIGH and 4)", () => {
        const eu = parse("prod-eu");
        assert.deepEqual(eu.alerts.chat, { slackTeamId: "T0EXAMPLE01", slackChannelId: "C0EXAMPLE01", apiRegion: "us-east-2" });
        assert.deepEqual(eu.alerts.onCall, { provider: "pagerduty" });
        assert.deepEqual(eu.alerts.smsNumbers, []);
        assert.deepEqual(eu.alerts.securitySignals, { ecrMinimumSeverity: "HIGH", guardDutyMinimumSeverity: 4 });
        assert.equal(parse("prod-il").alerts.chat, undefined);
    });

    it("accepts a chat channel in il-central-1: Chatbot takes SNS topics of the opt-in Israel region (chatbot-regions, read 2026-12-04)", () => {
        const il = parse("prod-il", (raw) => {
            raw.alerts.chat = { slackTeamId: "T0EXAMPLE01", slackChannelId: "C0EXAMPLE01", apiRegion: "eu-west-1" };
        });
        assert.deepEqual(il.alerts.chat, { slackTeamId: "T0EXAMPLE01", slackChannelId: "C0EXAMPLE01", apiRegion: "eu-west-1" });
        for (const region of AWS_REGIONS) assert.ok((CHATBOT_TOPIC_REGIONS as readonly string[]).includes(region), `${region} is a Chatbot topic region`);
    });

    it("rejects malformed Slack ids, a Chatbot API region without the API, SMS numbers that are not E.164, unknown on-call tools", () => {
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.chat.slackTeamId = "acme";
            },
            "platform:alerts.chat.slackTeamId",
            /Slack workspace id/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.chat.slackChannelId = "#alerts";
            },
            "platform:alerts.chat.slackChannelId",
            /channel id/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.chat.apiRegion = "eu-central-1";
            },
            "platform:alerts.chat.apiRegion",
            /us-east-2, us-west-2, ap-southeast-1, eu-west-1/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.smsNumbers = ["0170 1234567"];
            },
            "platform:alerts.smsNumbers",
            /E\.164/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.onCall = { provider: "pager-tree" };
            },
            "platform:alerts.onCall.provider",
            /pagerduty/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.chat.webhook = "x";
            },
            "platform:alerts.chat.webhook",
            /no such key/,
        );
    });

    it("validates the security signal thresholds", () => {
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.securitySignals = { ecrMinimumSeverity: "SEVERE" };
            },
            "platform:alerts.securitySignals.ecrMinimumSeverity",
            /INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.alerts.securitySignals = { guardDutyMinimumSeverity: 9 };
            },
            "platform:alerts.securitySignals.guardDutyMinimumSeverity",
            /<= 8/,
        );
        assert.equal(
            parse("prod-eu", (raw) => {
                raw.alerts.securitySignals = { guardDutyMinimumSeverity: 7 };
            }).alerts.securitySignals.guardDutyMinimumSeverity,
            7,
        );
    });

    it("reads tenant keys (prod-eu's example tenant imports its own material) and rejects bad ids and origins", () => {
        assert.deepEqual(parse("prod-eu").tenantKeys, [{ tenantId: "acme-health", origin: "EXTERNAL" }]);
        assert.deepEqual(parse("dev").tenantKeys, []);
        rejects(
            "prod-eu",
            (raw) => {
                raw.tenantKeys = { "Acme Health": { origin: "AWS_KMS" } };
            },
            "platform:tenantKeys.Acme Health",
            /lowercase letters/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.tenantKeys = { acme: { origin: "HSM" } };
            },
            "platform:tenantKeys.acme.origin",
            /AWS_KMS, EXTERNAL/,
        );
        rejects(
            "prod-eu",
            (raw) => {
                raw.tenantKeys = { acme: { origin: "AWS_KMS", material: "x" } };
            },
            "platform:tenantKeys.acme.material",
            /no such key; known keys: origin/,
        );
    });
});
