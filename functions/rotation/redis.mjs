// Rotation function of the Redis (ElastiCache) AUTH token. The secret string is the token itself.
// ElastiCache keeps two tokens while clients switch: ModifyReplicationGroup with AuthTokenUpdateStrategy ROTATE adds
// the new token beside the current one; SET (allowed only after a ROTATE) makes one token the only one.
// https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html and
// https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html#auth-modifyng-token (read 2026-12-03)
// So each rotation first SETs the current token (dropping the one before it, which clients have had a whole rotation
// period to leave), then ROTATEs the new token in: both AWSCURRENT and the new value work until the next rotation.
import * as tls from "node:tls";
import { randomAlphanumeric, rotate, waitFor } from "./steps.mjs";

/** Sends AUTH over TLS and resolves to true on +OK, false on an error reply. */
export function authProbe(host, port, token, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const socket = tls.connect({ host, port, servername: host, timeout: timeoutMs });
        let reply = "";
        const done = (fn) => { socket.destroy(); fn(); };
        socket.on("secureConnect", () => socket.write(`*2\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(token)}\r\n${token}\r\n`));
        socket.on("data", (chunk) => {
            reply += chunk.toString("utf8");
            if (reply.includes("\r\n")) done(() => resolve(reply.startsWith("+OK")));
        });
        socket.on("timeout", () => done(() => reject(new Error(`AUTH probe of ${host}:${port} timed out`))));
        socket.on("error", (e) => done(() => reject(e)));
    });
}

/**
 * The strategy for one replication group. `probe(token)` says whether Redis accepts a token; `wait` is waitFor's
 * options (tests pass a fake sleep).
 */
export function redisStrategy({ elasticache, secrets, groupId, tokenLength, probe, wait = {}, log = console.log }) {
    const available = () => waitFor(`replication group ${groupId} to be available`, async () => {
        const out = await elasticache.describeReplicationGroups({ ReplicationGroupId: groupId });
        return out.ReplicationGroups?.[0]?.Status === "available";
    }, wait);
    const modify = async (token, strategy) => {
        await elasticache.modifyReplicationGroup({ ReplicationGroupId: groupId, AuthToken: token, AuthTokenUpdateStrategy: strategy, ApplyImmediately: true });
        await available();
    };
    return {
        create: () => randomAlphanumeric(secrets, tokenLength),
        set: async ({ pending, current, previous }) => {
            await available();
            if (await probe(pending)) {
                log(`redis rotation: ${groupId} already accepts the pending token`);
                return;
            }
            if (previous !== undefined && previous !== current) {
                try {
                    await modify(current, "SET");
                } catch (e) {
                    // SET is refused unless the last change was a ROTATE (e.g. the token was last set by Pulumi).
                    if (e?.name !== "InvalidParameterCombinationException" && e?.name !== "InvalidParameterValueException") throw e;
                    log(`redis rotation: SET of the current token refused (${e.message}); rotating from the current token`);
                }
            }
            await modify(pending, "ROTATE");
        },
        test: async ({ pending, current }) => {
            await available();
            if (!(await probe(pending))) throw new Error(`redis rotation: ${groupId} refuses the pending token`);
            if (!(await probe(current))) throw new Error(`redis rotation: ${groupId} refuses the current token; clients still using it would fail`);
        },
    };
}

export async function handler(event, _context, clients) {
    const env = process.env;
    const host = env.REDIS_HOST;
    const port = Number(env.REDIS_PORT ?? "6379");
    const secrets = clients?.secrets ?? new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({});
    const elasticache = clients?.elasticache ?? new (await import("@aws-sdk/client-elasticache")).ElastiCache({});
    const probe = clients?.probe ?? ((token) => authProbe(host, port, token));
    const strategy = redisStrategy({
        elasticache, secrets, groupId: env.REPLICATION_GROUP_ID, tokenLength: Number(env.TOKEN_LENGTH ?? "64"), probe, wait: clients?.wait, log: clients?.log,
    });
    await rotate(event, { secrets, strategy, log: clients?.log });
}
