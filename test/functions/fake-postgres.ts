import { createHash, createHmac, pbkdf2Sync, randomBytes } from "crypto";
import { Duplex } from "stream";

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();

/** A stored SCRAM-SHA-256 verifier, parsed. */
export function parseVerifier(verifier: string) {
    const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
    if (!m) throw new Error(`not a SCRAM verifier: ${verifier}`);
    return { iterations: Number(m[1]), salt: Buffer.from(m[2], "base64"), storedKey: Buffer.from(m[3], "base64"), serverKey: Buffer.from(m[4], "base64") };
}

/** Whether `password` matches a SCRAM verifier, as the server decides at login. */
export function verifierAccepts(verifier: string, password: string): boolean {
    const v = parseVerifier(verifier);
    const salted = pbkdf2Sync(password, v.salt, v.iterations, 32, "sha256");
    return sha256(hmac(salted, "Client Key")).equals(v.storedKey);
}

interface Role { verifier?: string; login: boolean; memberOf: string[]; setRole?: string }

/**
 * An in-memory Postgres that understands the statements the rotation functions send (role lookup, CREATE/ALTER ROLE
 * with a SCRAM verifier, GRANT, ALTER ROLE SET role, SELECT current_user) and refuses plain-text passwords.
 */
export class FakePostgres {
    public readonly roles = new Map<string, Role>();
    public readonly statements: { user: string; sql: string }[] = [];

    addRole(name: string, password: string, verifierOf: (p: string) => string, memberOf: string[] = []): void {
        this.roles.set(name, { verifier: verifierOf(password), login: true, memberOf });
    }

    login(user: string, password: string): boolean {
        const role = this.roles.get(user);
        return !!role?.login && !!role.verifier && verifierAccepts(role.verifier, password);
    }

    /** A session object with the shape pg-wire's `connect` resolves to. */
    async session(opts: { user: string; password: string }) {
        if (!this.login(opts.user, opts.password)) throw new Error(`postgres: FATAL 28P01: password authentication failed for user "${opts.user}"`);
        const current = this.roles.get(opts.user)!.setRole ?? opts.user;
        return { query: async (sql: string) => this.exec(opts.user, current, sql), close: () => undefined };
    }

    exec(user: string, current: string, sql: string): (string | null)[][] {
        this.statements.push({ user, sql });
        const lookup = /^SELECT 1 FROM pg_roles WHERE rolname = '([a-z0-9_]+)'$/.exec(sql);
        if (lookup) return this.roles.has(lookup[1]) ? [["1"]] : [];
        const password = /^(CREATE|ALTER) ROLE "([a-z0-9_]+)" WITH LOGIN PASSWORD '([^']+)'$/.exec(sql);
        if (password) {
            const [, verb, name, verifier] = password;
            if (!verifier.startsWith("SCRAM-SHA-256$")) throw new Error("a plain-text password reached the server");
            if (verb === "CREATE" && this.roles.has(name)) throw new Error(`role "${name}" already exists`);
            const role = this.roles.get(name) ?? { login: true, memberOf: [] };
            this.roles.set(name, { ...role, login: true, verifier });
            return [];
        }
        const grant = /^GRANT "([a-z0-9_]+)" TO "([a-z0-9_]+)"$/.exec(sql);
        if (grant) {
            this.roles.get(grant[2])!.memberOf.push(grant[1]);
            return [];
        }
        const setRole = /^ALTER ROLE "([a-z0-9_]+)" SET role = '([a-z0-9_]+)'$/.exec(sql);
        if (setRole) {
            if (!this.roles.get(setRole[1])!.memberOf.includes(setRole[2])) throw new Error(`role "${setRole[1]}" is not a member of "${setRole[2]}"`);
            this.roles.get(setRole[1])!.setRole = setRole[2];
            return [];
        }
        if (sql === "SELECT current_user, session_user") return [[current, user]];
        throw new Error(`FakePostgres: unexpected statement ${sql}`);
    }
}

/** Two connected in-memory streams: what one writes, the other reads. */
export function streamPair(): [Duplex, Duplex] {
    // eslint-disable-next-line prefer-const
    let b: Duplex;
    const a = new Duplex({ read() {}, write(chunk, _e, cb) { b.push(chunk); cb(); }, final(cb) { b.push(null); cb(); } });
    b = new Duplex({ read() {}, write(chunk, _e, cb) { a.push(chunk); cb(); }, final(cb) { a.push(null); cb(); } });
    return [a, b];
}

/**
 * The server side of PostgreSQL's protocol over `socket` (no TLS) for one session: a startup message, SCRAM-SHA-256
 * login against `db`'s stored verifiers (RFC 5802 section 3, as the server checks a proof), then simple queries.
 */
export function serveWire(socket: Duplex, db: FakePostgres): void {
    let buffer = Buffer.alloc(0);
    let started = false;
    let user = "";
    let scram: { clientFirstBare: string; serverFirst: string; verifier: ReturnType<typeof parseVerifier> } | undefined;
    const send = (type: string, body: Buffer) => {
        const head = Buffer.alloc(5);
        head.write(type, 0, "latin1");
        head.writeInt32BE(body.length + 4, 1);
        socket.write(Buffer.concat([head, body]));
    };
    const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
    const auth = (code: number, data = "") => send("R", Buffer.concat([int32(code), Buffer.from(data)]));
    const fail = (text: string) => send("E", Buffer.from(`SERROR\0C28P01\0M${text}\0\0`));
    const ready = () => send("Z", Buffer.from("I"));
    socket.on("data", (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
            const typed = started;
            if (buffer.length < (typed ? 5 : 4)) return;
            const len = buffer.readInt32BE(typed ? 1 : 0);
            const total = len + (typed ? 1 : 0);
            if (buffer.length < total) return;
            const type = typed ? buffer.toString("latin1", 0, 1) : "";
            const body = buffer.subarray(typed ? 5 : 4, total);
            buffer = buffer.subarray(total);
            if (!typed) {
                started = true;
                const fields = body.subarray(4).toString("utf8").split("\0");
                user = fields[fields.indexOf("user") + 1];
                auth(10, "SCRAM-SHA-256\0\0");
            } else if (type === "p" && !scram) {
                const mechEnd = body.indexOf(0);
                const data = body.subarray(mechEnd + 5).toString("utf8");
                const clientFirstBare = data.replace(/^n,,/, "");
                const verifier = db.roles.get(user)?.verifier;
                if (!verifier) { fail(`role "${user}" does not exist`); return; }
                const v = parseVerifier(verifier);
                const nonce = clientFirstBare.split(",").find((kv) => kv.startsWith("r="))!.slice(2) + randomBytes(9).toString("base64");
                const serverFirst = `r=${nonce},s=${v.salt.toString("base64")},i=${v.iterations}`;
                scram = { clientFirstBare, serverFirst, verifier: v };
                auth(11, serverFirst);
            } else if (type === "p" && scram) {
                const clientFinal = body.toString("utf8");
                const withoutProof = clientFinal.replace(/,p=[^,]+$/, "");
                const proof = Buffer.from(clientFinal.split(",p=")[1], "base64");
                const authMessage = `${scram.clientFirstBare},${scram.serverFirst},${withoutProof}`;
                const signature = hmac(scram.verifier.storedKey, authMessage);
                const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
                if (!sha256(clientKey).equals(scram.verifier.storedKey)) { fail(`password authentication failed for user "${user}"`); return; }
                auth(12, `v=${hmac(scram.verifier.serverKey, authMessage).toString("base64")}`);
                auth(0);
                ready();
            } else if (type === "Q") {
                const sql = body.toString("utf8", 0, body.length - 1);
                try {
                    const current = db.roles.get(user)!.setRole ?? user;
                    for (const row of db.exec(user, current, sql)) {
                        const cols = row.map((c) => (c === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(c)), Buffer.from(c)])));
                        const n = Buffer.alloc(2);
                        n.writeInt16BE(row.length);
                        send("D", Buffer.concat([n, ...cols]));
                    }
                    send("C", Buffer.from("SELECT\0"));
                } catch (e) {
                    send("E", Buffer.from(`SERROR\0C42000\0M${(e as Error).message}\0\0`));
                }
                ready();
            } else if (type === "X") {
                socket.end();
            }
        }
    });
}
