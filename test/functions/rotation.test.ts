import { strict as assert } from "assert";
import * as path from "path";
import { FakeSecrets, loadFunction, quiet, runRotation } from "./fake-secrets";

const fn = (file: string) => loadFunction(path.resolve(__dirname, "..", "..", "functions", "rotation", file));
const noWait = { intervalMs: 0, timeoutMs: 1000, sleep: async () => undefined };
const ARN = "arn:aws:secretsmanager:eu-central-1:111111111111:secret:platform-dev/x";

describe("rotation steps (functions/rotation/steps.mjs)", () => {
    it("refuses a secret whose rotation is disabled, and a version that is not AWSPENDING", async () => {
        const { handler } = await fn("jwt.mjs");
        const secrets = new FakeSecrets(ARN, "a".repeat(64), false);
        secrets.startRotation("t1");
        await assert.rejects(
            handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "createSecret" }, {}, { secrets, log: quiet }),
            /not enabled for rotation/,
        );
        secrets.rotationEnabled = true;
        await assert.rejects(handler({ SecretId: ARN, ClientRequestToken: "nope", Step: "createSecret" }, {}, { secrets, log: quiet }), /has no stage/);
        await assert.rejects(handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "bogus" }, {}, { secrets, log: quiet }), /malformed event/);
    });

    it("createSecret is idempotent: a second call keeps the pending value", async () => {
        const { handler } = await fn("jwt.mjs");
        const secrets = new FakeSecrets(ARN, "a".repeat(64));
        secrets.startRotation("t1");
        const event = { SecretId: ARN, ClientRequestToken: "t1", Step: "createSecret" };
        await handler(event, {}, { secrets, log: quiet });
        const first = secrets.valueOf("AWSPENDING");
        await handler(event, {}, { secrets, log: quiet });
        assert.equal(secrets.valueOf("AWSPENDING"), first);
        assert.equal(secrets.calls.filter((c) => c.op === "putSecretValue").length, 1);
    });
});

describe("JWT signing key rotation (functions/rotation/jwt.mjs)", () => {
    it("runs the four steps: a new 64-character alphanumeric key becomes AWSCURRENT and the old key stays AWSPREVIOUS", async () => {
        const { handler } = await fn("jwt.mjs");
        const old = "a".repeat(64);
        const secrets = new FakeSecrets(ARN, old);
        await runRotation(handler, secrets, "t1", {});
        const current = secrets.valueOf("AWSCURRENT")!;
        assert.notEqual(current, old);
        assert.match(current, /^[A-Za-z0-9]{64}$/);
        assert.equal(secrets.valueOf("AWSPREVIOUS"), old, "the BFF still verifies tokens signed with the previous key");
        const gen = secrets.calls.find((c) => c.op === "getRandomPassword")!.input;
        assert.deepEqual([gen.PasswordLength, gen.ExcludePunctuation], [64, true]);
    });

    it("finishSecret on a version that is already AWSCURRENT changes nothing", async () => {
        const { handler } = await fn("jwt.mjs");
        const secrets = new FakeSecrets(ARN, "a".repeat(64));
        await handler({ SecretId: ARN, ClientRequestToken: "v1", Step: "finishSecret" }, {}, { secrets, log: quiet });
        assert.equal(secrets.calls.filter((c) => c.op === "updateSecretVersionStage").length, 0);
    });
});

/** A replication group that holds at most two tokens, with ROTATE and SET semantics. */
class FakeElastiCache {
    public tokens: string[];
    public readonly modifications: { token: string; strategy: string }[] = [];
    constructor(
        initial: string,
        private readonly refuseSet = false,
    ) {
        this.tokens = [initial];
    }
    async describeReplicationGroups() {
        return { ReplicationGroups: [{ Status: "available" }] };
    }
    async modifyReplicationGroup(input: any) {
        assert.equal(input.ApplyImmediately, true);
        this.modifications.push({ token: input.AuthToken, strategy: input.AuthTokenUpdateStrategy });
        if (input.AuthTokenUpdateStrategy === "ROTATE") this.tokens = [this.tokens[this.tokens.length - 1], input.AuthToken];
        else if (input.AuthTokenUpdateStrategy === "SET") {
            if (this.refuseSet) throw Object.assign(new Error("SET allowed only after ROTATE"), { name: "InvalidParameterCombinationException" });
            this.tokens = [input.AuthToken];
        }
        return {};
    }
    probe = async (token: string) => this.tokens.includes(token);
}

describe("Redis AUTH token rotation (functions/rotation/redis.mjs)", () => {
    before(() => {
        process.env.REPLICATION_GROUP_ID = "platform-dev-redis";
    });

    it("first rotation: ROTATEs the new token in, and both the new and the old token work afterwards", async () => {
        const { handler } = await fn("redis.mjs");
        const old = "o".repeat(64);
        const secrets = new FakeSecrets(ARN, old);
        const elasticache = new FakeElastiCache(old);
        await runRotation(handler, secrets, "t1", { elasticache, probe: elasticache.probe, wait: noWait });
        const next = secrets.valueOf("AWSCURRENT")!;
        assert.deepEqual(
            elasticache.modifications.map((m) => m.strategy),
            ["ROTATE"],
        );
        assert.deepEqual(elasticache.tokens, [old, next], "AWSPREVIOUS keeps working while clients switch");
        assert.equal(secrets.valueOf("AWSPREVIOUS"), old);
    });

    it("second rotation: SETs the current token (dropping the one from two rotations ago), then ROTATEs the new one in", async () => {
        const { handler } = await fn("redis.mjs");
        const old = "o".repeat(64);
        const secrets = new FakeSecrets(ARN, old);
        const elasticache = new FakeElastiCache(old);
        const clients = { elasticache, probe: elasticache.probe, wait: noWait };
        await runRotation(handler, secrets, "t1", clients);
        const second = secrets.valueOf("AWSCURRENT")!;
        await runRotation(handler, secrets, "t2", clients);
        const third = secrets.valueOf("AWSCURRENT")!;
        assert.deepEqual(
            elasticache.modifications.map((m) => `${m.strategy}:${m.token === second ? "2" : m.token === third ? "3" : "?"}`),
            ["ROTATE:2", "SET:2", "ROTATE:3"],
        );
        assert.deepEqual(elasticache.tokens, [second, third]);
        assert.ok(!elasticache.tokens.includes(old), "the token from two rotations ago no longer works");
    });

    it("setSecret repeated after the ROTATE does not modify the group again", async () => {
        const { handler } = await fn("redis.mjs");
        const secrets = new FakeSecrets(ARN, "o".repeat(64));
        const elasticache = new FakeElastiCache("o".repeat(64));
        const clients = { secrets, elasticache, probe: elasticache.probe, wait: noWait, log: quiet };
        secrets.startRotation("t1");
        for (const Step of ["createSecret", "setSecret", "setSecret"]) await handler({ SecretId: ARN, ClientRequestToken: "t1", Step }, {}, clients);
        assert.equal(elasticache.modifications.length, 1);
    });

    it("testSecret fails when Redis refuses the pending token", async () => {
        const { handler } = await fn("redis.mjs");
        const secrets = new FakeSecrets(ARN, "o".repeat(64));
        const elasticache = new FakeElastiCache("o".repeat(64));
        secrets.startRotation("t1");
        const clients = { secrets, elasticache, probe: elasticache.probe, wait: noWait, log: quiet };
        await handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "createSecret" }, {}, clients);
        await assert.rejects(handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "testSecret" }, {}, clients), /refuses the pending token/);
    });

    it("a refused SET (token last set outside a ROTATE) still rotates from the current token", async () => {
        const { handler } = await fn("redis.mjs");
        const old = "o".repeat(64);
        const secrets = new FakeSecrets(ARN, old);
        const elasticache = new FakeElastiCache(old, true);
        const clients = { elasticache, probe: elasticache.probe, wait: noWait };
        await runRotation(handler, secrets, "t1", clients);
        await runRotation(handler, secrets, "t2", clients);
        assert.deepEqual(
            elasticache.modifications.map((m) => m.strategy),
            ["ROTATE", "SET", "ROTATE"],
        );
        assert.ok(elasticache.tokens.includes(secrets.valueOf("AWSCURRENT")!));
    });
});

describe("Postgres master password rotation (functions/rotation/postgres.mjs)", () => {
    before(() => {
        process.env.DB_INSTANCE_ID = "platform-dev-postgres";
    });
    const initial = JSON.stringify({ engine: "postgres", host: "db.internal", port: 5432, username: "platform_admin", password: "old", dbname: "platform" });

    class FakeRds {
        public readonly modifications: any[] = [];
        private pendingPolls = 0;
        async describeDBInstances() {
            const pending = this.pendingPolls > 0 ? { MasterUserPassword: "****" } : {};
            if (this.pendingPolls > 0) this.pendingPolls--;
            return { DBInstances: [{ DBInstanceStatus: "available", PendingModifiedValues: pending }] };
        }
        async modifyDBInstance(input: any) {
            this.modifications.push(input);
            this.pendingPolls = 2;
            return {};
        }
    }

    it("sets the new password on the instance through the RDS API, keeps the rest of the JSON, and waits until it is applied", async () => {
        const { handler } = await fn("postgres.mjs");
        const secrets = new FakeSecrets(ARN, initial);
        const rds = new FakeRds();
        await runRotation(handler, secrets, "t1", { rds, wait: noWait });
        const current = JSON.parse(secrets.valueOf("AWSCURRENT")!);
        assert.notEqual(current.password, "old");
        assert.deepEqual({ ...current, password: "old" }, JSON.parse(initial));
        assert.deepEqual(rds.modifications, [{ DBInstanceIdentifier: "platform-dev-postgres", MasterUserPassword: current.password, ApplyImmediately: true }]);
        const gen = secrets.calls.find((c) => c.op === "getRandomPassword")!.input;
        assert.equal(gen.ExcludeCharacters, "/@\"'\\ ", "never a character RDS refuses in a master password");
    });
});
