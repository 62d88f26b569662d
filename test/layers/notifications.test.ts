import { strict as assert } from "assert";
import { runPolicies } from "../../offline/policy-runner";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { observabilityPolicies } from "../../policy/observability";
import { snsCmk } from "../../policy/encryption";
import { PlatformConfig } from "../../stacks/config";
import { ALERT_PUBLISHERS } from "../../standards";
import { NotificationsOutputs, buildNotifications } from "../../stacks/layers/notifications";

const T = {
    topic: "aws:sns/topic:Topic", topicPolicy: "aws:sns/topicPolicy:TopicPolicy", subscription: "aws:sns/topicSubscription:TopicSubscription",
    identity: "aws:sesv2/emailIdentity:EmailIdentity", mailFrom: "aws:sesv2/emailIdentityMailFromAttributes:EmailIdentityMailFromAttributes",
    configSet: "aws:sesv2/configurationSet:ConfigurationSet", eventDestination: "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination",
};
const ACCOUNT = "111111111111";
const alertsKey = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/alerts-key`;
const resolve = <T>(o: { apply: (f: (v: T) => void) => unknown }) => new Promise<T>((done) => o.apply(done));

for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`notifications layer (${stack})`, () => {
        let rec: Recorded;
        let cfg: PlatformConfig;
        let out: NotificationsOutputs;
        before(async () => {
            rec = await recordWithStackConfig(stack, (c) => {
                cfg = c;
                out = buildNotifications(c, { accountId: ACCOUNT, alertsKeyArn: alertsKey(c.region) }, {});
            });
        });
        const alertsTopic = () => rec.one(T.topic, "alerts");
        const policyOf = (topicName: string) => JSON.parse(rec.inputsOf(rec.one(T.topicPolicy, topicName)).policy);

        it("encrypts the alerts topic with the alerts key and names it after the stack", () => {
            const inputs = rec.inputsOf(alertsTopic());
            assert.equal(inputs.kmsMasterKeyId, alertsKey(cfg.region));
            assert.equal(inputs.name, `${cfg.namePrefix}-alerts`);
        });

        it("admits only the publishing services (for this account) and the account root to the alerts topic", () => {
            const doc = policyOf("alerts");
            assert.equal(doc.Statement.length, 2);
            const [account, services] = doc.Statement;
            assert.deepEqual(account.Principal, { AWS: `arn:aws:iam::${ACCOUNT}:root` });
            assert.deepEqual(services.Principal, { Service: ALERT_PUBLISHERS });
            assert.deepEqual(
                [...ALERT_PUBLISHERS].sort(),
                ["backup.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com", "ses.amazonaws.com"].concat("budgets.amazonaws.com").sort(),
            );
            assert.equal(services.Action, "sns:Publish");
            assert.deepEqual(services.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
            for (const s of doc.Statement) assert.match(String(s.Resource), /^arn:aws:sns:/, "every statement is scoped to the topic");
            assert.ok(rec.pointingAt(T.topicPolicy, "arn", alertsTopic()).length === 1, "the policy is attached to the alerts topic");
        });

        it("subscribes exactly the configured e-mail addresses to the alerts (high) topic, and no HTTPS webhook", () => {
            const subs = rec.pointingAt(T.subscription, "topic", alertsTopic()).map((s) => rec.inputsOf(s));
            assert.deepEqual(subs.filter((s) => s.protocol === "email").map((s) => s.endpoint).sort(), [...cfg.alerts.emails].sort());
            assert.equal(subs.length, cfg.alerts.emails.length, "a Slack webhook never confirms an SNS subscription: none");
        });

        it("verifies the domain with 2048-bit Easy DKIM and hands the three tokens out", async () => {
            const identity = rec.inputsOf(rec.one(T.identity, "email"));
            assert.equal(identity.emailIdentity, cfg.edge.domain);
            assert.equal(identity.dkimSigningAttributes.nextSigningKeyLength, "RSA_2048_BIT");
            assert.equal(out.dkimTokens.length, 3);
            const tokens = await Promise.all(out.dkimTokens.map((t) => resolve<string>(t)));
            assert.ok(tokens.every((t) => /^[0-9a-f]{32}$/.test(t)), tokens.join());
            assert.equal(new Set(tokens).size, 3);
        });

        it("uses a custom MAIL FROM domain that rejects mail when its MX record is missing", () => {
            const mailFrom = rec.inputsOf(rec.one(T.mailFrom, "email"));
            assert.equal(mailFrom.mailFromDomain, `${cfg.email.mailFromSubdomain}.${cfg.edge.domain}`);
            assert.equal(mailFrom.behaviorOnMxFailure, "REJECT_MESSAGE");
            assert.equal(out.mailFromDomain, mailFrom.mailFromDomain);
            assert.equal(out.mailFromMxHost, `feedback-smtp.${cfg.email.sesRegion}.amazonses.com`);
        });

        it("makes a TLS-requiring configuration set with reputation metrics the identity's default", () => {
            const set = rec.one(T.configSet, "email");
            const inputs = rec.inputsOf(set);
            assert.equal(inputs.deliveryOptions.tlsPolicy, "REQUIRE");
            assert.equal(inputs.reputationOptions.reputationMetricsEnabled, true);
            assert.deepEqual(rec.pointingAt(T.identity, "configurationSetName", set).map((r) => r.name), ["email"]);
        });

        it("sends bounces, complaints and rejects to the CMK-encrypted email-events topic, which only SES may publish to", () => {
            const destination = rec.inputsOf(rec.one(T.eventDestination, "email-delivery-problems")).eventDestination;
            assert.deepEqual(destination.matchingEventTypes, ["BOUNCE", "COMPLAINT", "REJECT"]);
            const eventsTopic = rec.one(T.topic, "email-events");
            assert.equal(rec.pointingAt(T.eventDestination, "eventDestination", eventsTopic).length, 1);
            assert.equal(rec.inputsOf(eventsTopic).kmsMasterKeyId, alertsKey(cfg.region));
            assert.deepEqual(policyOf("email-events").Statement[1].Principal, { Service: ["ses.amazonaws.com"] });
        });

        it("creates every SES resource in the configured SES region", () => {
            for (const type of [T.identity, T.mailFrom, T.configSet, T.eventDestination]) {
                for (const r of rec.ofType(type)) assert.equal(rec.inputsOf(r).region, cfg.email.sesRegion, `${type} ${r.name}`);
            }
            assert.equal(out.sesRegion, cfg.email.sesRegion);
        });

        it("passes the observability and SNS encryption policies", async () => {
            const violations = await runPolicies([...observabilityPolicies, snsCmk], rec.resources);
            assert.deepEqual(violations.map((v) => `${v.policy}: ${v.message}`), []);
        });
    });
}

describe("notifications layer, SES in another region", () => {
    it("requires a key of the SES region for the events topic, and creates the SES resources there", async () => {
        await assert.rejects(recordWithStackConfig("dev", (c) => {
            buildNotifications({ ...c, email: { ...c.email, sesRegion: "eu-west-1" } }, { accountId: ACCOUNT, alertsKeyArn: alertsKey(c.region) }, {});
        }), /sesRegionAlertsKeyArn/);
        const rec = await recordWithStackConfig("dev", (c) => {
            buildNotifications({ ...c, email: { ...c.email, sesRegion: "eu-west-1" } },
                { accountId: ACCOUNT, alertsKeyArn: alertsKey(c.region), sesRegionAlertsKeyArn: alertsKey("eu-west-1") }, {});
        });
        const events = rec.one(T.topic, "email-events");
        assert.equal(rec.inputsOf(events).region, "eu-west-1");
        assert.equal(rec.inputsOf(events).kmsMasterKeyId, alertsKey("eu-west-1"));
        assert.equal(rec.inputsOf(rec.one(T.topic, "alerts")).region, undefined, "the alerts topic stays in the stack's region");
        assert.equal(rec.inputsOf(rec.one(T.configSet, "email")).region, "eu-west-1");
    });
});
