/**
 * Small, strict readers for raw stack config. Each one names the key, the value given and what is allowed,
 * so a wrong Pulumi.<stack>.yaml fails before any resource is registered with one clear message.
 */

/** A wrong or missing stack config value. The plan CLI turns it into exit code 2. */
export class ConfigError extends Error {
    constructor(public readonly key: string, given: unknown, allowed: string) {
        super(`config ${key}: ${given === undefined ? "missing" : `got ${JSON.stringify(given)}`}; allowed: ${allowed}`);
        this.name = "ConfigError";
    }
}

/** Edit distance between two keys (case-insensitive), for "did you mean" hints. */
function editDistance(a: string, b: string): number {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const row = [i];
        for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
        prev = row;
    }
    return prev[y.length];
}

/** The known key closest to `given` when it is plausibly a typo of it (or a prefix of it); undefined otherwise. */
export function closestKey(given: string, known: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const key of known) {
        const distance = key.toLowerCase().startsWith(given.toLowerCase()) || given.toLowerCase().startsWith(key.toLowerCase())
            ? Math.min(1, editDistance(given, key)) : editDistance(given, key);
        if (!best || distance < best.distance) best = { key, distance };
    }
    return best && best.distance <= Math.max(2, Math.floor(best.key.length / 3)) ? best.key : undefined;
}

/** The error for a config key nobody reads: names it, and the closest known key or the known keys. */
export function unknownKeyError(key: string, given: unknown, field: string, known: readonly string[]): ConfigError {
    const guess = closestKey(field, known);
    return new ConfigError(key, given, `no such key${guess ? ` (did you mean ${guess}?)` : ""}; known keys: ${[...known].sort().join(", ")}`);
}

/** One structured config object (e.g. `platform:network`) with readers that prefix the key on error. */
export class Section {
    /** While `Section.tracking` runs, every Section made is collected here, so unread keys can be found afterwards. */
    private static collector: Section[] | undefined;
    /** Fields some reader asked for (or `allow`ed): the keys this section knows. */
    private readonly seen = new Set<string>();

    constructor(public readonly key: string, private readonly raw: Record<string, unknown>) {
        Section.collector?.push(this);
    }

    /** Runs `parse` and returns its result with every Section it made. */
    static tracking<T>(parse: () => T): { result: T; sections: Section[] } {
        const outer = Section.collector;
        const sections: Section[] = [];
        Section.collector = sections;
        try {
            return { result: parse(), sections };
        } finally {
            Section.collector = outer;
        }
    }

    /** Marks fields as known that this stack's choices leave unread (e.g. keycloakHostname with provider workos). */
    allow(...fields: string[]): void { for (const f of fields) this.seen.add(f); }

    /** Throws for the first field of the mapping no reader asked for, suggesting the closest known one. */
    rejectUnknown(): void {
        const known = [...this.seen];
        for (const [field, value] of Object.entries(this.raw)) {
            if (!this.seen.has(field)) throw unknownKeyError(this.k(field), value, field, known);
        }
    }

    /** A missing field's error, with a hint when the mapping holds a near-miss spelling of it (mulitAz for multiAz). */
    private fail(field: string, given: unknown, allowed: string): ConfigError {
        const typo = given === undefined ? Object.keys(this.raw).find((k) => k !== field && closestKey(k, [field]) === field) : undefined;
        return new ConfigError(this.k(field), given, typo ? `${allowed} (found ${typo}: did you mean ${field}?)` : allowed);
    }

    static of(key: string, value: unknown, optional = false): Section {
        if (value === undefined && optional) return new Section(key, {});
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new ConfigError(key, value, "an object (a YAML mapping)");
        }
        return new Section(key, value as Record<string, unknown>);
    }

    has(field: string): boolean { this.seen.add(field); return this.raw[field] !== undefined; }
    /** `platform` + `environment` -> `platform:environment`; `platform:network` + `vpcCidr` -> `platform:network.vpcCidr`. */
    private k(field: string): string { return `${this.key}${this.key.includes(":") ? "." : ":"}${field}`; }

    section(field: string, optional = false): Section { this.seen.add(field); return Section.of(this.k(field), this.raw[field], optional); }

    string(field: string, opts: { pattern?: RegExp; allowed?: string; default?: string } = {}): string {
        this.seen.add(field);
        const v = this.raw[field] ?? opts.default;
        if (typeof v !== "string" || v.length === 0 || (opts.pattern && !opts.pattern.test(v))) {
            throw this.fail(field, v, opts.allowed ?? "a non-empty string");
        }
        return v;
    }

    optionalString(field: string, opts: { pattern?: RegExp; allowed?: string } = {}): string | undefined {
        this.seen.add(field);
        return this.raw[field] === undefined ? undefined : this.string(field, opts);
    }

    oneOf<T extends string>(field: string, values: readonly T[], fallback?: T): T {
        this.seen.add(field);
        const v = this.raw[field] ?? fallback;
        if (typeof v !== "string" || !values.includes(v as T)) throw this.fail(field, v, `one of ${values.join(", ")}`);
        return v as T;
    }

    int(field: string, opts: { min?: number; max?: number; default?: number; allowed?: readonly number[] } = {}): number {
        this.seen.add(field);
        const v = this.raw[field] ?? opts.default;
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
        const inRange = typeof n === "number" && Number.isInteger(n) && (opts.min === undefined || n >= opts.min)
            && (opts.max === undefined || n <= opts.max) && (!opts.allowed || opts.allowed.includes(n));
        if (!inRange) {
            const allowed = opts.allowed ? `one of ${opts.allowed.join(", ")}`
                : `an integer${opts.min !== undefined ? ` >= ${opts.min}` : ""}${opts.max !== undefined ? ` and <= ${opts.max}` : ""}`;
            throw this.fail(field, v, allowed);
        }
        return n as number;
    }

    bool(field: string, fallback?: boolean): boolean {
        this.seen.add(field);
        const v = this.raw[field] ?? fallback;
        if (v === "true" || v === true) return true;
        if (v === "false" || v === false) return false;
        throw this.fail(field, v, "true or false");
    }

    stringList(field: string, opts: { pattern?: RegExp; allowed?: string; values?: readonly string[]; minItems?: number; default?: string[] } = {}): string[] {
        this.seen.add(field);
        const v = this.raw[field] ?? opts.default;
        const what = opts.allowed ?? (opts.values ? `a list of ${opts.values.join(", ")}` : "a list of strings");
        if (!Array.isArray(v) || v.length < (opts.minItems ?? 0)) throw this.fail(field, v, `${what}${opts.minItems ? ` (at least ${opts.minItems})` : ""}`);
        for (const item of v) {
            const ok = typeof item === "string" && (!opts.pattern || opts.pattern.test(item)) && (!opts.values || opts.values.includes(item));
            if (!ok) throw this.fail(field, item, what);
        }
        return [...v] as string[];
    }
}

/** Parses `a.b.c.d/n` into its base address as a 32-bit number and its prefix; undefined when malformed. */
export function parseIpv4Cidr(cidr: string): { base: number; prefix: number } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    const hostBits = 32 - prefix;
    if (base % 2 ** hostBits !== 0) return undefined; // host bits set: not a network address
    return { base, prefix };
}

/** True when the CIDR lies inside one of the RFC 1918 private ranges. */
export function isPrivateIpv4Cidr(cidr: string): boolean {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed) return false;
    const ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((r) => parseIpv4Cidr(r)!);
    return ranges.some((r) => parsed.prefix >= r.prefix && Math.floor(parsed.base / 2 ** (32 - r.prefix)) === Math.floor(r.base / 2 ** (32 - r.prefix)));
}
