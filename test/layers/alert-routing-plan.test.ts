import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { SEVERITIES, SEVERITY_ROUTES, severityOf } from "../../components";
import { RecordedResource, isSecret } from "../../offline/engine";
import { Recorded, stackRecord } from "../../offline/testing";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    key: "aws:kms/key:Key",
    chat: "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
    role: "aws:iam/role:Role",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
};
const ANCHORS = new Set(
    [...fs.readFileSync(path.resolve(__dirname, "..", "..", "docs", "runbooks.md"), "utf8").matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]),
);
const PLAN = { dev: { chat: true, onCall: false }, "prod-eu": { chat: true, onCall: true }, "prod-il": { chat: false, onCall: true } } as const;

/** The physical topic name an ARN ends with. */
const topicNameOf = (arn: string) => String(arn).split(":").pop()!;

for (const [stack, expected] of Object.entries(PLAN)) {
    describe(`alert routing in the ${stack} plan`, () => {
        let rec: Recorded;
        let prefix: string;
        before(async () => {
            rec = await stackRecord(stack);
            prefix = `platform-${stack}`;
        });
        const topic = (severity: string) => rec.one(T.topic, severity === "high" ? "alerts" : `alerts-${severity}`);
        const subscriptionsOf = (t: RecordedResource) => rec.pointingAt(T.subscription, "topic", t).map((s) => rec.inputsOf(s));

        it("has one encrypted topic per severity, named after the stack (high keeps <prefix>-alerts)", () => {
            for (const severity of SEVERITIES) {
                const inputs = rec.inputsOf(topic(severity));
                assert.equal(inputs.name, severity === "high" ? `${prefix}-alerts` : `${prefix}-alerts-${severity}`);
                assert.match(String(inputs.kmsMasterKeyId), /^arn:aws:kms:/);
            }
        });

        it("sends every alarm to the topic of its severity (critical alarms to the critical topic), on ALARM and on OK", () => {
            const alarms = rec
                .ofType(T.alarm)
                .map((a) => rec.inputsOf(a))
                .filter((a) => /Severity: (critical|high|low)\./.test(a.alarmDescription ?? ""));
            assert.ok(alarms.length > 20, `expected the runbook alarms, found ${alarms.length}`);
            let critical = 0;
            for (const a of alarms) {
                const severity = /Severity: (\w+)\./.exec(a.alarmDescription)![1];
                const runbook = /#([a-z0-9-]+)$/.exec(a.alarmDescription)![1];
                assert.equal(severity, severityOf(runbook), `${a.name}: severity in the description matches its runbook`);
                const want = severity === "high" ? `${prefix}-alerts` : `${prefix}-alerts-${severity}`;
                assert.deepEqual(a.alarmActions.map(topicNameOf), [want], `${a.name} alarms ${want}`);
                assert.deepEqual(a.okActions.map(topicNameOf), [want], `${a.name} clears on ${want}`);
                if (severity === "critical") critical++;
            }
            assert.ok(critical >= 5, `critical alarms exist (${critical})`);
        });

        it(
            expected.onCall
                ? "pages the on-call tool from the critical topic only, through an auto-confirming HTTPS subscription"
                : "pages nobody (no on-call tool configured)",
            () => {
                for (const severity of SEVERITIES) {
                    const https = subscriptionsOf(topic(severity)).filter((s) => s.protocol === "https");
                    if (severity === "critical" && expected.onCall) {
                        assert.equal(https.length, 1);
                        assert.match(https[0].endpoint, /^https:\/\/events\.pagerduty\.com\/integration\/.+\/enqueue$/);
                        assert.equal(https[0].endpointAutoConfirms, true);
                        const retries = JSON.parse(https[0].deliveryPolicy).healthyRetryPolicy;
                        assert.ok(retries.numRetries >= retries.numNoDelayRetries + retries.numMinDelayRetries + retries.numMaxDelayRetries);
                        assert.ok(retries.numRetries <= 100, "SNS allows at most 100 retries");
                    } else {
                        assert.deepEqual(https, [], `${severity}: no HTTPS subscription (no Slack webhook, no pager)`);
                    }
                }
            },
        );

        it("keeps the on-call endpoint secret in the plan", () => {
            for (const s of rec.ofType(T.subscription).filter((r) => rec.inputsOf(r).protocol === "https")) {
                assert.ok(isSecret(s.inputs.endpoint), `${s.name}: endpoint recorded as a secret`);
            }
        });

        it("subscribes e-mail where the severity's route says so (low falls back to e-mail without a chat channel)", () => {
            for (const severity of SEVERITIES) {
                const route = SEVERITY_ROUTES[severity];
                const wantEmail = route.email === true || (route.email === "without-chat" && !expected.chat);
                const emails = subscriptionsOf(topic(severity)).filter((s) => s.protocol === "email");
                assert.equal(emails.length > 0, wantEmail, `${severity}: e-mail subscribed = ${wantEmail}`);
            }
        });

        it(
            expected.chat
                ? "shows the chat severities in Slack through AWS Chatbot, with a read-only role and guardrail"
                : "has no chat channel (AWS Chatbot is not confirmed for the region)",
            () => {
                const chats = rec.ofType(T.chat);
                if (!expected.chat) return assert.equal(chats.length, 0);
                assert.equal(chats.length, 1);
                const chat = rec.inputsOf(chats[0]);
                assert.deepEqual(
                    chat.snsTopicArns.map(topicNameOf).sort(),
                    SEVERITIES.filter((s) => SEVERITY_ROUTES[s].chat)
                        .map((s) => (s === "high" ? `${prefix}-alerts` : `${prefix}-alerts-${s}`))
                        .sort(),
                );
                assert.deepEqual(chat.guardrailPolicyArns, ["arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]);
                assert.equal(chat.userAuthorizationRequired, true);
                assert.ok(["us-east-2", "us-west-2", "ap-southeast-1", "eu-west-1"].includes(chat.region), "created where the Chatbot API is");
                const role = rec.inputsOf(rec.one(T.role, "alerts-chat-role"));
                assert.equal(JSON.parse(role.assumeRolePolicy).Statement[0].Principal.Service, "chatbot.amazonaws.com");
            },
        );

        it("lets every service a topic admits as publisher use the alerts key for that topic (encrypted SNS needs both)", () => {
            const alertsKey = rec.ofType(T.key).find((k) => rec.inputsOf(k).tags?.["key-class"] === "alerts" && k.name === "keys-alerts")!;
            const statements = JSON.parse(rec.inputsOf(alertsKey).policy).Statement;
            for (const severity of SEVERITIES) {
                const policy = JSON.parse(rec.inputsOf(rec.pointingAt(T.topicPolicy, "arn", topic(severity))[0]).policy);
                const publishers: string[] = policy.Statement.find((s: any) => s.Sid === "ServicesPublishForThisAccount").Principal.Service;
                for (const service of publishers) {
                    const grant = statements.find((s: any) => s.Principal?.Service === service);
                    assert.ok(grant, `${severity}: the alerts key admits ${service}`);
                    assert.ok(grant.Action.includes("kms:GenerateDataKey*") && grant.Action.includes("kms:Decrypt"), `${service}: GenerateDataKey and Decrypt`);
                    assert.match(grant.Condition.ArnLike["kms:EncryptionContext:aws:sns:topicArn"], /^arn:aws:sns:/);
                }
            }
        });

        describe("security signals", () => {
            const targetOf = (ruleName: string) => {
                const rule = rec.one(T.rule, ruleName);
                const targets = rec
                    .pointingAt(T.target, "rule", rule)
                    .map((t) => rec.inputsOf(t))
                    .filter((t) => /:sns:/.test(String(t.arn)));
                assert.equal(targets.length, 1, `${ruleName}: one SNS target`);
                return { rule: rec.inputsOf(rule), target: targets[0] };
            };
            const readable = (target: any) => {
                const message = JSON.parse(target.inputTransformer.inputTemplate);
                assert.equal(message.version, "1.0");
                assert.equal(message.source, "custom", "AWS Chatbot's custom notification schema");
                assert.ok(message.content.title && message.content.description);
                const used = [...target.inputTransformer.inputTemplate.matchAll(/<([A-Za-z]+)>/g)].map((m: RegExpMatchArray) => m[1]);
                for (const v of used) assert.ok(v in target.inputTransformer.inputPaths, `<${v}> has an input path`);
                const anchor = /#([a-z0-9-]+)"/.exec(target.inputTransformer.inputTemplate.replace(/\?region=<region>#\/findings/, ""))?.[1];
                assert.ok(anchor && ANCHORS.has(anchor), `runbook anchor ${anchor} exists in docs/runbooks.md`);
                return message;
            };

            it("routes ECR scan findings at or above HIGH to the high topic with a readable message", () => {
                const { rule, target } = targetOf("security-signals-ecr-scan-findings");
                const pattern = JSON.parse(rule.eventPattern);
                assert.deepEqual(pattern.source, ["aws.ecr"]);
                assert.deepEqual(pattern["detail-type"], ["ECR Image Scan"]);
                assert.deepEqual(
                    pattern.detail.$or.map((o: any) => Object.keys(o["finding-severity-counts"])[0]),
                    ["HIGH", "CRITICAL"],
                );
                assert.equal(topicNameOf(target.arn), `${prefix}-alerts`);
                readable(target);
            });

            it("routes AWS Config rules that turn NON_COMPLIANT to the high topic with a readable message", () => {
                const { rule, target } = targetOf("security-signals-config-noncompliant");
                const pattern = JSON.parse(rule.eventPattern);
                assert.deepEqual(pattern.detail.newEvaluationResult.complianceType, ["NON_COMPLIANT"]);
                assert.equal(topicNameOf(target.arn), `${prefix}-alerts`);
                readable(target);
            });

            it("routes GuardDuty findings of severity >= 4 to the high topic with a readable message", () => {
                const { rule, target } = targetOf("guardduty-findings");
                assert.deepEqual(JSON.parse(rule.eventPattern).detail.severity, [{ numeric: [">=", 4] }]);
                assert.equal(topicNameOf(target.arn), `${prefix}-alerts`);
                readable(target);
            });

            it("admits EventBridge on the topic policy and the topic key", () => {
                const policy = JSON.parse(rec.inputsOf(rec.pointingAt(T.topicPolicy, "arn", topic("high"))[0]).policy);
                assert.ok(
                    policy.Statement.some((s: any) => s.Action === "sns:Publish" && [].concat(s.Principal.Service).includes("events.amazonaws.com" as never)),
                );
            });
        });
    });
}
