// A minimal PostgreSQL client for the rotation functions: TLS (SSLRequest), SCRAM-SHA-256 or MD5 password login,
// and simple queries. Lambda's Node.js runtime carries no Postgres driver and these functions upload no bundle, so the
// few messages a password rotation needs are written here, from the protocol's documentation:
// https://www.postgresql.org/docs/16/protocol-flow.html, https://www.postgresql.org/docs/16/protocol-message-formats.html
// and https://www.postgresql.org/docs/16/sasl-authentication.html (SCRAM-SHA-256, RFC 5802/7677) (read 2026-12-04).
// RDS's certificates are trusted through NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem (set on the function):
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading (read 2026-12-04).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import * as net from "node:net";
import * as tls from "node:tls";

/** Iterations of a SCRAM verifier made here: PostgreSQL's default (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;

const hmac = (key, text) => createHmac("sha256", key).update(text).digest();
const sha256 = (data) => createHash("sha256").update(data).digest();
const xor = (a, b) => Buffer.from(a.map((byte, i) => byte ^ b[i]));

/** The client-final message and the server signature expected for a SCRAM-SHA-256 exchange (RFC 5802 section 3). */
export function scramClientFinal({ password, clientFirstBare, serverFirst }) {
    const attrs = Object.fromEntries(serverFirst.split(",").map((kv) => [kv[0], kv.slice(2)]));
    const iterations = Number(attrs.i);
    if (!attrs.r || !attrs.s || !Number.isInteger(iterations) || iterations < 1) throw new Error("postgres: malformed SCRAM server-first message");
    const clientNonce = clientFirstBare.split(",").find((kv) => kv.startsWith("r=")).slice(2);
    if (!attrs.r.startsWith(clientNonce)) throw new Error("postgres: the server's SCRAM nonce does not extend the client's");
    const salted = pbkdf2Sync(password, Buffer.from(attrs.s, "base64"), iterations, 32, "sha256");
    const clientKey = hmac(salted, "Client Key");
    const withoutProof = `c=biws,r=${attrs.r}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const proof = xor(clientKey, hmac(sha256(clientKey), authMessage));
    const serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
    return { clientFinal: `${withoutProof},p=${proof.toString("base64")}`, serverSignature: serverSignature.toString("base64") };
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`).
 * `ALTER ROLE ... PASSWORD '<verifier>'` sets the password without the plain text ever reaching the server or its logs.
 */
export function scramVerifier(password, salt = randomBytes(16), iterations = SCRAM_ITERATIONS) {
    const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const storedKey = sha256(hmac(salted, "Client Key"));
    const serverKey = hmac(salted, "Server Key");
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** A role name the functions may put in SQL: lower-case letters, digits and `_`, at most 63 bytes. Quoted as an identifier. */
export function quoteRole(name) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`postgres: refusing role name ${JSON.stringify(name)}`);
    return `"${name}"`;
}

function message(type, body) {
    const head = Buffer.alloc(type ? 5 : 4);
    if (type) head.write(type, 0, "latin1");
    head.writeInt32BE(body.length + 4, type ? 1 : 0);
    return Buffer.concat([head, body]);
}
const cstr = (s) => Buffer.from(`${s}\0`, "utf8");
const int32 = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };

/** Reads whole backend messages from a stream. */
class Reader {
    constructor(stream) {
        this.buffer = Buffer.alloc(0);
        this.waiting = undefined;
        this.failure = undefined;
        this.attach(stream);
    }
    /** Reads from `stream` (and stops reading the stream before it: TLS takes over the raw socket). */
    attach(stream) {
        this.detach?.();
        const onData = (chunk) => { this.buffer = Buffer.concat([this.buffer, chunk]); this.wake(); };
        const onError = (e) => { this.failure = e; this.wake(); };
        const onClose = () => { this.failure ??= new Error("postgres: connection closed"); this.wake(); };
        stream.on("data", onData).on("error", onError).on("close", onClose);
        // The raw socket's errors and close still end the session; only its (encrypted) bytes are no longer ours.
        this.detach = () => stream.off("data", onData);
    }
    wake() { const w = this.waiting; this.waiting = undefined; w?.(); }
    async bytes(n) {
        while (this.buffer.length < n) {
            if (this.failure) throw this.failure;
            await new Promise((resolve) => { this.waiting = resolve; });
        }
        const out = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(n);
        return out;
    }
    async next() {
        const head = await this.bytes(5);
        return { type: head.toString("latin1", 0, 1), body: await this.bytes(head.readInt32BE(1) - 4) };
    }
}

/** The message of an ErrorResponse ('E'): severity, SQLSTATE code and text. */
function errorText(body) {
    const fields = {};
    for (let i = 0; i < body.length && body[i] !== 0;) {
        const end = body.indexOf(0, i + 1);
        fields[String.fromCharCode(body[i])] = body.toString("utf8", i + 1, end);
        i = end + 1;
    }
    return `${fields.S ?? "ERROR"} ${fields.C ?? ""}: ${fields.M ?? "unknown error"}`;
}

/**
 * Opens a session: `{ host, port, user, password, database }`. `open(host, port)` returns a connected socket (tests
 * pass an in-memory one with `tls: false`); in Lambda it is TCP upgraded to verified TLS after the SSLRequest.
 * Resolves to `{ query(sql) -> rows (arrays of strings or null), close() }`.
 */
export async function connect({ host, port, user, password, database, tls: useTls = true, open = defaultOpen, timeoutMs = 15000 }) {
    let socket = await open(host, port);
    const reader = new Reader(socket);
    const timer = setTimeout(() => socket.destroy(new Error(`postgres: ${host}:${port} did not answer within ${timeoutMs} ms`)), timeoutMs);
    try {
        if (useTls) {
            socket.write(message(undefined, int32(80877103)));
            const answer = (await reader.bytes(1)).toString("latin1");
            if (answer !== "S") throw new Error(`postgres: ${host} refused TLS`);
            socket = tls.connect({ socket, servername: host });
            reader.attach(socket);
        }
        socket.write(message(undefined, Buffer.concat([int32(196608), cstr("user"), cstr(user), cstr("database"), cstr(database), Buffer.from([0])])));
        await authenticate(socket, reader, user, password);
        for (;;) {
            const m = await reader.next();
            if (m.type === "E") throw new Error(`postgres: ${errorText(m.body)}`);
            if (m.type === "Z") break;
        }
    } catch (e) {
        socket.destroy();
        throw e;
    } finally {
        clearTimeout(timer);
    }
    return {
        async query(sql) {
            socket.write(message("Q", cstr(sql)));
            const rows = [];
            let failure;
            for (;;) {
                const m = await reader.next();
                if (m.type === "E") failure = new Error(`postgres: ${errorText(m.body)}`);
                if (m.type === "D") rows.push(dataRow(m.body));
                if (m.type === "Z") break;
            }
            if (failure) throw failure;
            return rows;
        },
        close() {
            socket.end(message("X", Buffer.alloc(0)));
        },
    };
}

function dataRow(body) {
    const row = [];
    let at = 2;
    for (let i = 0; i < body.readInt16BE(0); i++) {
        const len = body.readInt32BE(at);
        at += 4;
        row.push(len < 0 ? null : body.toString("utf8", at, at + len));
        if (len > 0) at += len;
    }
    return row;
}

async function authenticate(socket, reader, user, password) {
    let scram;
    for (;;) {
        const m = await reader.next();
        if (m.type === "E") throw new Error(`postgres: ${errorText(m.body)}`);
        if (m.type !== "R") throw new Error(`postgres: unexpected message ${m.type} during login`);
        const code = m.body.readInt32BE(0);
        if (code === 0) return;
        if (code === 5) {
            const inner = createHash("md5").update(password + user).digest("hex");
            const outer = createHash("md5").update(Buffer.concat([Buffer.from(inner), m.body.subarray(4, 8)])).digest("hex");
            socket.write(message("p", cstr(`md5${outer}`)));
        } else if (code === 10) {
            const mechanisms = m.body.toString("utf8", 4).split("\0");
            if (!mechanisms.includes("SCRAM-SHA-256")) throw new Error(`postgres: no supported SASL mechanism in ${mechanisms.join(" ")}`);
            // PostgreSQL takes the user from the startup message: the SCRAM user name is left empty.
            const clientFirstBare = `n=,r=${randomBytes(18).toString("base64")}`;
            const first = Buffer.from(`n,,${clientFirstBare}`);
            socket.write(message("p", Buffer.concat([cstr("SCRAM-SHA-256"), int32(first.length), first])));
            scram = { clientFirstBare };
        } else if (code === 11 && scram) {
            Object.assign(scram, scramClientFinal({ password, clientFirstBare: scram.clientFirstBare, serverFirst: m.body.toString("utf8", 4) }));
            socket.write(message("p", Buffer.from(scram.clientFinal)));
        } else if (code === 12 && scram?.serverSignature) {
            const v = m.body.toString("utf8", 4).split(",").find((kv) => kv.startsWith("v="))?.slice(2) ?? "";
            const expected = Buffer.from(scram.serverSignature, "base64");
            const got = Buffer.from(v, "base64");
            if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new Error("postgres: the server's SCRAM signature is wrong");
        } else {
            throw new Error(`postgres: unsupported authentication request ${code} (use SCRAM-SHA-256 or MD5 passwords)`);
        }
    }
}

function defaultOpen(host, port) {
    return new Promise((resolve, reject) => {
        const socket = net.connect({ host, port });
        socket.once("connect", () => resolve(socket));
        socket.once("error", reject);
    });
}
