import { strict as assert } from "assert";
import { record } from "../offline/testing";
import { ALERT_PUBLISHERS, MIN_PROD_LOG_RETENTION_DAYS } from "../standards";
import { AlertTopic } from "./notifications/alert-topic";
import { Network } from "./network/network";
import { KeyRing } from "./security/key-ring";

// What a caller gets when they leave an optional argument out: the secure choice, documented as "Default: ...".
const ACCOUNT = "111111111111";
const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";

describe("library defaults", () => {
    it("KeyRing: keys are protected and wait the longest deletion window AWS allows (30 days)", async () => {
        const rec = await record(() => { new KeyRing("keys", { aliasPrefix: "platform-test" }); });
        const keys = rec.ofType("aws:kms/key:Key");
        assert.ok(keys.length > 0);
        for (const key of keys) {
            assert.equal(key.protect, true, key.name);
            assert.equal(rec.inputsOf(key).deletionWindowInDays, 30, key.name);
        }
    });

    it("Network: a NAT gateway per AZ, and a protected flow-log group kept MIN_PROD_LOG_RETENTION_DAYS", async () => {
        const rec = await record(() => {
            new Network("net", {
                namePrefix: "platform-test", vpcCidr: "10.0.0.0/16", availabilityZones: 3, interfaceEndpoints: [], flowLogs: { kmsKeyArn: KEY },
            });
        });
        assert.equal(rec.ofType("aws:ec2/natGateway:NatGateway").length, 3);
        const group = rec.one("aws:cloudwatch/logGroup:LogGroup", "net-flow-logs");
        assert.equal(group.protect, true);
        assert.equal(rec.inputsOf(group).retentionInDays, MIN_PROD_LOG_RETENTION_DAYS);
    });

    it("AlertTopic: admits exactly the services the alerts key lets use the key (ALERT_PUBLISHERS)", async () => {
        const rec = await record(() => {
            const ring = new KeyRing("keys", { accountId: ACCOUNT, aliasPrefix: "platform-test", classes: ["alerts"] });
            new AlertTopic("alerts", { topicName: "platform-test-alerts", kmsKeyArn: ring.key("alerts").arn, accountId: ACCOUNT });
        });
        const topicPolicy = JSON.parse(rec.inputsOf(rec.ofType("aws:sns/topicPolicy:TopicPolicy")[0]).policy);
        const publishers = topicPolicy.Statement.flatMap((s: any) => [s.Principal?.Service ?? []].flat());
        assert.deepEqual([...new Set(publishers)].sort(), [...ALERT_PUBLISHERS].sort());
        const keyPolicy = JSON.parse(rec.inputsOf(rec.ofType("aws:kms/key:Key")[0]).policy);
        const keyServices = keyPolicy.Statement.flatMap((s: any) => [s.Principal?.Service ?? []].flat());
        assert.deepEqual([...new Set(keyServices)].sort(), [...ALERT_PUBLISHERS].sort());
    });
});
