// Rotation function of an application's Postgres password login (Keycloak's), by AWS's "alternating users" strategy:
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html#rotating-secrets-two-users
// (read 2026-12-04). The secret is JSON { engine, host, port, dbname, username, password, masterarn }. Each rotation
// sets a new password on the user the secret does NOT name now (`<base>` or `<base>_clone`) and makes that user
// current, so the user running tasks log in as keeps its password until the rotation after: no login ever fails.
// The first rotation creates the clone. The clone is a member of `<base>`, which owns the database and its tables, and
// its sessions `SET ROLE <base>`, so tables Keycloak creates on upgrades stay owned by `<base>` for either user.
// The master user (the secret at `masterarn`) does this, as AWS's template does, because a user cannot clone itself.
// Passwords reach the server only as SCRAM verifiers (pg-wire.mjs): never plain text in a statement or a log.
// ECS reads the secret only when a task starts, so after the switch the service is redeployed (`finished`): every
// task then logs in as the new current user before the next rotation changes the other user's password.
import { connect, quoteRole, scramVerifier } from "./pg-wire.mjs";
import { randomAlphanumeric, rotate } from "./steps.mjs";

/** The user a rotation switches to: the base user and its `_clone` alternate. */
export function alternateUser(username, base) {
    if (username === base) return `${base}_clone`;
    if (username === `${base}_clone`) return base;
    throw new Error(`postgres-users rotation: the secret names user ${JSON.stringify(username)}, not ${base} or ${base}_clone`);
}

/**
 * The strategy. `master()` resolves to the master secret's JSON; `session(login)` opens a pg-wire session with
 * `{ host, port, database, user, password }`; `redeploy()` restarts the service's tasks.
 */
export function postgresUsersStrategy({ secrets, baseUser, passwordLength, master, session, redeploy }) {
    quoteRole(baseUser);
    const parse = (json, which) => {
        const v = JSON.parse(json);
        for (const key of ["host", "port", "dbname", "username", "password", "masterarn"]) {
            if (v[key] === undefined || v[key] === "") throw new Error(`postgres-users rotation: the ${which} value lacks ${key}`);
        }
        alternateUser(v.username, baseUser);
        return v;
    };
    const as = async (v, user, password, work) => {
        const db = await session({ host: v.host, port: Number(v.port), database: v.dbname, user, password });
        try {
            return await work(db);
        } finally {
            db.close();
        }
    };
    return {
        create: async ({ current }) => {
            const v = parse(current, "current");
            return JSON.stringify({ ...v, username: alternateUser(v.username, baseUser), password: await randomAlphanumeric(secrets, passwordLength) });
        },
        set: async ({ pending, current }) => {
            const next = parse(pending, "pending");
            const now = parse(current, "current");
            if (next.username === now.username) throw new Error("postgres-users rotation: the pending value names the current user");
            const admin = await master(next.masterarn);
            const role = quoteRole(next.username);
            const verifier = scramVerifier(next.password);
            await as(next, admin.username, admin.password, async (db) => {
                const exists = await db.query(`SELECT 1 FROM pg_roles WHERE rolname = '${next.username}'`);
                if (exists.length === 0) {
                    await db.query(`CREATE ROLE ${role} WITH LOGIN PASSWORD '${verifier}'`);
                    await db.query(`GRANT ${quoteRole(baseUser)} TO ${role}`);
                } else {
                    await db.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD '${verifier}'`);
                }
                // baseUser passed quoteRole: letters, digits and _ only, safe in a string literal.
                if (next.username !== baseUser) await db.query(`ALTER ROLE ${role} SET role = '${baseUser}'`);
            });
        },
        test: async ({ pending }) => {
            const next = parse(pending, "pending");
            const rows = await as(next, next.username, next.password, (db) => db.query("SELECT current_user, session_user"));
            if (rows[0]?.[1] !== next.username) throw new Error(`postgres-users rotation: logged in as ${rows[0]?.[1]}, not ${next.username}`);
            if (rows[0]?.[0] !== baseUser) throw new Error(`postgres-users rotation: ${next.username}'s sessions act as ${rows[0]?.[0]}, not ${baseUser}`);
        },
        finished: () => redeploy(),
    };
}

export async function handler(event, _context, clients) {
    const env = process.env;
    const secrets = clients?.secrets ?? new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({});
    const ecs = clients?.ecs ?? new (await import("@aws-sdk/client-ecs")).ECS({});
    const strategy = postgresUsersStrategy({
        secrets,
        baseUser: env.BASE_USER,
        passwordLength: Number(env.PASSWORD_LENGTH ?? "40"),
        master: clients?.master ?? (async (arn) => JSON.parse((await secrets.getSecretValue({ SecretId: arn })).SecretString)),
        session: clients?.session ?? connect,
        redeploy: async () => {
            await ecs.updateService({ cluster: env.ECS_CLUSTER, service: env.ECS_SERVICE, forceNewDeployment: true });
        },
    });
    await rotate(event, { secrets, strategy, log: clients?.log });
}
