import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import { alarmsHaveActions, logRetentionProd, sesTls, snsTopicPolicyScoped } from "./observability";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC_ARN = "arn:aws:sns:eu-central-1:111111111111:platform-prod-eu-alerts";

describe("alarms-have-actions", () => {
    it("passes an alarm that notifies an SNS topic", async () => {
        assert.deepEqual(await violationsOf(alarmsHaveActions, [fake(ALARM, "cpu", { alarmActions: [TOPIC_ARN] })]), []);
    });
    it("passes an alarm whose actions come from a topic not created yet (unknown ARN)", async () => {
        const topic = fake("aws:sns/topic:Topic", "alerts", {});
        assert.deepEqual(await violationsOf(alarmsHaveActions, [topic, fake(ALARM, "cpu", { alarmActions: [undefined] }, { alarmActions: [topic] })]), []);
    });
    it("flags an alarm without actions", async () => {
        const [message] = await violationsOf(alarmsHaveActions, [fake(ALARM, "cpu", {})]);
        assert.match(message, /alarm cpu has no alarmActions/);
    });
    it("flags an alarm whose actions are not SNS topics", async () => {
        const found = await violationsOf(alarmsHaveActions, [fake(ALARM, "cpu", { alarmActions: ["arn:aws:automate:eu-central-1:ec2:stop"] })]);
        assert.match(found.join(), /include no SNS topic/);
    });
});

describe("ses-tls", () => {
    const SET = "aws:sesv2/configurationSet:ConfigurationSet";
    it("passes a configuration set that requires TLS", async () => {
        assert.deepEqual(await violationsOf(sesTls, [fake(SET, "mail", { deliveryOptions: { tlsPolicy: "REQUIRE" } })]), []);
    });
    it("flags a configuration set left on OPTIONAL (the default)", async () => {
        assert.match((await violationsOf(sesTls, [fake(SET, "mail", {})])).join(), /OPTIONAL \(default\); REQUIRE is needed/);
        assert.equal((await violationsOf(sesTls, [fake(SET, "mail", { deliveryOptions: { tlsPolicy: "OPTIONAL" } })])).length, 1);
    });
});

describe("log-retention-prod", () => {
    const LOG = "aws:cloudwatch/logGroup:LogGroup";
    it("passes prod log groups kept 365 days or more, and never-expiring ones", async () => {
        assert.deepEqual(
            await violationsOf(logRetentionProd, [
                fake(LOG, "api", { retentionInDays: 365, tags: PROD_TAGS }),
                fake(LOG, "trail", { retentionInDays: 2557, tags: PROD_TAGS }),
                fake(LOG, "forever", { tags: PROD_TAGS }),
            ]),
            [],
        );
    });
    it("flags a prod log group kept less than the minimum", async () => {
        const [message] = await violationsOf(logRetentionProd, [fake(LOG, "api", { retentionInDays: 90, tags: PROD_TAGS })]);
        assert.match(message, /keeps logs 90 days; production needs at least 365/);
    });
    it("ignores dev log groups", async () => {
        assert.deepEqual(await violationsOf(logRetentionProd, [fake(LOG, "api", { retentionInDays: 14, tags: { ...PROD_TAGS, environment: "dev" } })]), []);
    });
    it("takes the minimum from the pack config", async () => {
        const group = fake(LOG, "api", { retentionInDays: 365, tags: PROD_TAGS });
        assert.equal((await violationsOf(logRetentionProd, [group], { minimumRetentionDays: 400 })).length, 1);
    });
});

describe("sns-topic-policy-scoped", () => {
    const POLICY = "aws:sns/topicPolicy:TopicPolicy";
    const doc = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    it('passes a policy naming services with a SourceAccount condition, and a conditioned "*"', async () => {
        assert.deepEqual(
            await violationsOf(snsTopicPolicyScoped, [
                fake(POLICY, "alerts", {
                    policy: doc({
                        Effect: "Allow",
                        Principal: { Service: "cloudwatch.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: TOPIC_ARN,
                        Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } },
                    }),
                }),
                fake(POLICY, "org", {
                    policy: doc({
                        Effect: "Allow",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: TOPIC_ARN,
                        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                    }),
                }),
            ]),
            [],
        );
    });
    it("counts \"*\" as public unless a condition pins the source account, organisation, endpoint or address", async () => {
        const open = { Sid: "Open", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN };
        const transportOnly = fake(POLICY, "t", { policy: doc({ ...open, Condition: { Bool: { "aws:SecureTransport": "true" } } }) });
        assert.match((await violationsOf(snsTopicPolicyScoped, [transportOnly])).join(), /without a condition fixing the source or principal/);
        const pinned = fake(POLICY, "p", { policy: doc({ ...open, Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } }) });
        assert.deepEqual(await violationsOf(snsTopicPolicyScoped, [pinned]), []);
    });
    it("flags \"*\" without a condition, as a string or as AWS principal, on a topic policy or a topic", async () => {
        const open = { Sid: "Open", Effect: "Allow", Action: "sns:Publish", Resource: TOPIC_ARN };
        const found = await violationsOf(snsTopicPolicyScoped, [
            fake(POLICY, "a", { policy: doc({ ...open, Principal: "*" }) }),
            fake("aws:sns/topic:Topic", "b", { policy: doc({ ...open, Principal: { AWS: ["*"] } }) }),
        ]);
        assert.deepEqual(found, [
            "a: statement Open allows \"*\" without a condition fixing the source or principal",
            "b: statement Open allows \"*\" without a condition fixing the source or principal",
        ]);
    });
});
