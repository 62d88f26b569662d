import { strict as assert } from "assert";
import { isSecret } from "../../offline/engine";
import { runPolicies } from "../../offline/policy-runner";
import { record } from "../../offline/testing";
import { encryptionPolicies } from "../../policy/encryption";
import { secretsRotation } from "../../policy/storage";
import { ManagedSecret } from "./managed-secret";
import { RuntimeParameters } from "./runtime-parameters";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/secrets";
const common = { kmsKeyId: KEY, recoveryWindowInDays: 30, protect: true, description: "d" };

describe("ManagedSecret", () => {
    it("rotates through the Lambda on the given schedule where one exists, and passes the rotation and CMK policies", async () => {
        const rec = await record(() => new ManagedSecret("db", {
            ...common, secretName: "p/db", value: "v", rotation: { lambdaArn: "arn:aws:lambda:eu-central-1:111111111111:function:rotate", days: 30 },
        }));
        const rotation = rec.one("aws:secretsmanager/secretRotation:SecretRotation", "db-rotation");
        assert.deepEqual(rec.inputsOf(rotation).rotationRules, { automaticallyAfterDays: 30 });
        assert.equal(rec.one("aws:secretsmanager/secret:Secret", "db").inputs.tags.rotation, "lambda");
        assert.deepEqual(await runPolicies([secretsRotation, ...encryptionPolicies], rec.resources), []);
    });

    it("generates a value with @pulumi/random, keeps it secret, and marks manual rotation without a SecretRotation", async () => {
        const rec = await record(() => new ManagedSecret("jwt", { ...common, secretName: "p/jwt", value: { generate: 64 }, rotation: "manual" }));
        assert.equal(rec.ofType("aws:secretsmanager/secretRotation:SecretRotation").length, 0);
        assert.equal(rec.one("random:index/randomPassword:RandomPassword", "jwt-value").inputs.length, 64);
        const version = rec.one("aws:secretsmanager/secretVersion:SecretVersion", "jwt-version");
        assert.ok(isSecret(version.inputs.secretString));
        const secret = rec.one("aws:secretsmanager/secret:Secret", "jwt");
        assert.equal(secret.protect, true);
        assert.equal(secret.inputs.kmsKeyId, KEY);
        assert.equal(secret.inputs.tags.rotation, "manual");
    });

    it("refuses a bad name, recovery window or a short generated value", () => {
        assert.throws(() => new ManagedSecret("x", { ...common, secretName: "bad name", value: "v", rotation: "manual" }), /may contain only/);
        assert.throws(() => new ManagedSecret("x", { ...common, recoveryWindowInDays: 3, secretName: "p/x", value: "v", rotation: "manual" }),
            /recoveryWindowInDays must be 7-30/);
        assert.throws(() => new ManagedSecret("x", { ...common, secretName: "p/x", value: { generate: 16 }, rotation: "manual" }), /at least 32/);
    });
});

describe("RuntimeParameters", () => {
    it("stores plain settings as String and sensitive ones as SecureString with the secrets key, under one path", async () => {
        const rec = await record(() => new RuntimeParameters("cfg", {
            path: "/platform-test/", kmsKeyId: KEY,
            parameters: {
                "buckets/evidence": { value: "platform-test-evidence", description: "bucket" },
                "integrations/webhook-signing": { value: "s3cr3t", description: "HMAC", secure: true },
            },
        }));
        const byName = Object.fromEntries(rec.ofType("aws:ssm/parameter:Parameter").map((p) => [p.inputs.name, p]));
        assert.deepEqual(Object.keys(byName).sort(), ["/platform-test/buckets/evidence", "/platform-test/integrations/webhook-signing"]);
        assert.equal(byName["/platform-test/buckets/evidence"].inputs.type, "String");
        const secure = byName["/platform-test/integrations/webhook-signing"];
        assert.equal(secure.inputs.type, "SecureString");
        assert.equal(secure.inputs.keyId, KEY);
        assert.ok(isSecret(secure.inputs.value));
        assert.deepEqual(await runPolicies(encryptionPolicies, rec.resources), []);
    });

    it("refuses a path or name SSM would reject", () => {
        assert.throws(() => new RuntimeParameters("x", { path: "platform", kmsKeyId: KEY, parameters: {} }), /must look like/);
        assert.throws(() => new RuntimeParameters("x", { path: "/p/", kmsKeyId: KEY, parameters: { "bad name": { value: "v", description: "d" } } }),
            /may contain only/);
    });
});
