import { strict as assert } from "assert";
import * as path from "path";
import { FakeSecrets, loadFunction, quiet, runRotation } from "./fake-secrets";
import { FakePostgres, serveWire, streamPair, verifierAccepts } from "./fake-postgres";

const fn = (file: string) => loadFunction(path.resolve(__dirname, "..", "..", "functions", "rotation", file));
const ARN = "arn:aws:secretsmanager:il-central-1:111111111111:secret:platform-prod-il/keycloak/database-password-AbCdEf";
const MASTER_ARN = "arn:aws:secretsmanager:il-central-1:111111111111:secret:platform-prod-il/postgres/master-XyZ123";

describe("Postgres wire client of the rotation functions (functions/rotation/pg-wire.mjs)", () => {
    it("computes SCRAM-SHA-256 exactly as RFC 7677's example exchange", async () => {
        const { scramClientFinal } = await fn("pg-wire.mjs");
        const out = scramClientFinal({
            password: "pencil",
            clientFirstBare: "n=user,r=rOprNGfwEbeRWgbNEkqO",
            serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        });
        assert.equal(out.clientFinal, "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assert.equal(out.serverSignature, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    });

    it("logs in with SCRAM against a stored verifier it made, runs queries, and reports a wrong password", async () => {
        const { connect, scramVerifier } = await fn("pg-wire.mjs");
        const db = new FakePostgres();
        db.addRole("keycloak", "s3cretPassw0rd", scramVerifier);
        const open = async () => {
            const [client, server] = streamPair();
            serveWire(server, db);
            return client;
        };
        const session = await connect({ host: "db", port: 5432, user: "keycloak", password: "s3cretPassw0rd", database: "keycloak", tls: false, open });
        assert.deepEqual(await session.query("SELECT current_user, session_user"), [["keycloak", "keycloak"]]);
        await assert.rejects(session.query("DROP TABLE x"), /unexpected statement/);
        session.close();
        await assert.rejects(
            connect({ host: "db", port: 5432, user: "keycloak", password: "wrong", database: "keycloak", tls: false, open }),
            /password authentication failed/,
        );
    });

    it("refuses role names that are not plain lower-case identifiers", async () => {
        const { quoteRole } = await fn("pg-wire.mjs");
        assert.equal(quoteRole("keycloak_clone"), '"keycloak_clone"');
        for (const bad of ['x"; DROP ROLE y; --', "Keycloak", "", "a".repeat(64)]) assert.throws(() => quoteRole(bad), /refusing role name/);
    });
});

describe("Keycloak database password rotation, alternating users (functions/rotation/postgres-users.mjs)", () => {
    const setup = async () => {
        const { handler } = await fn("postgres-users.mjs");
        const { scramVerifier } = await fn("pg-wire.mjs");
        const db = new FakePostgres();
        db.addRole("platform_admin", "masterPassword1", scramVerifier);
        db.addRole("keycloak", "firstPassword000000000000000000000000000", scramVerifier);
        const initial = {
            engine: "postgres", host: "db", port: 5432, dbname: "keycloak", masterarn: MASTER_ARN,
            username: "keycloak", password: "firstPassword000000000000000000000000000",
        };
        const secrets = new FakeSecrets(ARN, JSON.stringify(initial));
        const redeploys: unknown[] = [];
        const masterReads: string[] = [];
        const clients = {
            session: (o: { user: string; password: string }) => db.session(o),
            master: async (arn: string) => { masterReads.push(arn); return { username: "platform_admin", password: "masterPassword1" }; },
            ecs: { updateService: async (input: unknown) => { redeploys.push(input); return {}; } },
        };
        process.env.BASE_USER = "keycloak";
        process.env.ECS_CLUSTER = "platform-prod-il";
        process.env.ECS_SERVICE = "keycloak";
        return { handler, db, secrets, clients, redeploys, masterReads, initial };
    };

    it("first rotation: creates keycloak_clone (member of keycloak, acting as keycloak) with a new password, and the old login still works", async () => {
        const { handler, db, secrets, clients, redeploys, masterReads, initial } = await setup();
        await runRotation(handler, secrets, "t1", clients);
        const current = JSON.parse(secrets.valueOf("AWSCURRENT")!);
        assert.equal(current.username, "keycloak_clone");
        assert.notEqual(current.password, initial.password);
        const rest = (v: Record<string, unknown>) => ({ ...v, username: undefined, password: undefined });
        assert.deepEqual(rest(current), rest(initial), "host, port, dbname, masterarn kept");
        assert.ok(db.login("keycloak_clone", current.password), "the new user logs in with the new password");
        assert.ok(db.login("keycloak", initial.password), "tasks still on the previous user keep logging in");
        assert.deepEqual(db.roles.get("keycloak_clone")!.memberOf, ["keycloak"]);
        assert.equal(db.roles.get("keycloak_clone")!.setRole, "keycloak", "tables created by the clone stay owned by keycloak");
        assert.equal(JSON.parse(secrets.valueOf("AWSPREVIOUS")!).username, "keycloak");
        assert.deepEqual(masterReads, [MASTER_ARN], "the master secret named in the secret does the change");
        assert.ok(db.statements.every((s) => !s.sql.includes(current.password)), "no statement carries the plain-text password");
        assert.deepEqual(redeploys, [{ cluster: "platform-prod-il", service: "keycloak", forceNewDeployment: true }], "tasks restart on the new user");
    });

    it("second rotation: changes the original user's password and switches back to it; the clone keeps its password", async () => {
        const { handler, db, secrets, clients, redeploys } = await setup();
        await runRotation(handler, secrets, "t1", clients);
        const clone = JSON.parse(secrets.valueOf("AWSCURRENT")!);
        await runRotation(handler, secrets, "t2", clients);
        const current = JSON.parse(secrets.valueOf("AWSCURRENT")!);
        assert.equal(current.username, "keycloak");
        assert.ok(db.login("keycloak", current.password));
        assert.ok(db.login("keycloak_clone", clone.password), "the clone's tasks keep working until the redeploy replaces them");
        assert.equal(db.statements.filter((s) => s.sql.startsWith("CREATE ROLE")).length, 1, "the clone is created once");
        assert.equal(redeploys.length, 2);
    });

    it("setSecret and createSecret are safe to repeat; testSecret fails when the pending login is refused", async () => {
        const { handler, db, secrets, clients } = await setup();
        secrets.startRotation("t1");
        const step = (Step: string) => handler({ SecretId: ARN, ClientRequestToken: "t1", Step }, {}, { secrets, log: quiet, ...clients });
        await step("createSecret");
        await step("createSecret");
        await step("setSecret");
        await step("setSecret");
        await step("testSecret");
        db.roles.get("keycloak_clone")!.verifier = "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA";
        await assert.rejects(step("testSecret"), /password authentication failed/);
        assert.equal(JSON.parse(secrets.valueOf("AWSCURRENT")!).username, "keycloak", "a failed test leaves the current user in place");
    });

    it("refuses a secret that names another user (never touches the master user or others)", async () => {
        const { handler, secrets, clients } = await setup();
        const other = new FakeSecrets(ARN, JSON.stringify({ ...JSON.parse(secrets.valueOf("AWSCURRENT")!), username: "platform_admin" }));
        other.startRotation("t1");
        await assert.rejects(
            handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "createSecret" }, {}, { secrets: other, log: quiet, ...clients }),
            /names user "platform_admin", not keycloak or keycloak_clone/,
        );
    });

    it("a retried finishSecret redeploys again", async () => {
        const { handler, secrets, clients, redeploys } = await setup();
        await runRotation(handler, secrets, "t1", clients);
        await handler({ SecretId: ARN, ClientRequestToken: "t1", Step: "finishSecret" }, {}, { secrets, log: quiet, ...clients });
        assert.equal(redeploys.length, 2);
    });
});

describe("Keycloak bootstrap administrator password rotation (functions/rotation/keycloak-bootstrap-admin.mjs)", () => {
    it("runs the four steps: a new 40-character password becomes current, the old one previous", async () => {
        const { handler } = await fn("keycloak-bootstrap-admin.mjs");
        process.env.PASSWORD_LENGTH = "40";
        const old = "b".repeat(40);
        const secrets = new FakeSecrets(ARN, old);
        await runRotation(handler, secrets, "t1", {});
        assert.match(secrets.valueOf("AWSCURRENT")!, /^[A-Za-z0-9]{40}$/);
        assert.notEqual(secrets.valueOf("AWSCURRENT"), old);
        assert.equal(secrets.valueOf("AWSPREVIOUS"), old);
    });

    it("testSecret refuses a pending value that is too short", async () => {
        const { bootstrapAdminStrategy } = await fn("keycloak-bootstrap-admin.mjs");
        const strategy = bootstrapAdminStrategy(new FakeSecrets(ARN, "x"), 40);
        await assert.rejects(strategy.test({ pending: "short", current: "b".repeat(40) }), /keycloak bootstrap admin rotation: the pending value is not 40/);
    });
});

describe("verifierAccepts (the fake server's check)", () => {
    it("accepts the password a verifier was made from, and no other", async () => {
        const { scramVerifier } = await fn("pg-wire.mjs");
        const v = scramVerifier("abc");
        assert.ok(verifierAccepts(v, "abc"));
        assert.ok(!verifierAccepts(v, "abd"));
    });
});
