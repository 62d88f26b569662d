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

/** One structured config object (e.g. `platform:network`) with readers that prefix the key on error. */
export class Section {
    constructor(public readonly key: string, private readonly raw: Record<string, unknown>) {}

    static of(key: string, value: unknown, optional = false): Section {
        if (value === undefined && optional) return new Section(key, {});
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new ConfigError(key, value, "an object (a YAML mapping)");
        }
        return new Section(key, value as Record<string, unknown>);
    }

    has(field: string): boolean { return this.raw[field] !== undefined; }
    /** `platform` + `environment` -> `platform:environment`; `platform:network` + `vpcCidr` -> `platform:network.vpcCidr`. */
    private k(field: string): string { return `${this.key}${this.key.includes(":") ? "." : ":"}${field}`; }

    section(field: string, optional = false): Section { return Section.of(this.k(field), this.raw[field], optional); }

    string(field: string, opts: { pattern?: RegExp; allowed?: string; default?: string } = {}): string {
        const v = this.raw[field] ?? opts.default;
        if (typeof v !== "string" || v.length === 0 || (opts.pattern && !opts.pattern.test(v))) {
            throw new ConfigError(this.k(field), v, opts.allowed ?? "a non-empty string");
        }
        return v;
    }

    optionalString(field: string, opts: { pattern?: RegExp; allowed?: string } = {}): string | undefined {
        return this.raw[field] === undefined ? undefined : this.string(field, opts);
    }

    oneOf<T extends string>(field: string, values: readonly T[], fallback?: T): T {
        const v = this.raw[field] ?? fallback;
        if (typeof v !== "string" || !values.includes(v as T)) throw new ConfigError(this.k(field), v, `one of ${values.join(", ")}`);
        return v as T;
    }

    int(field: string, opts: { min?: number; max?: number; default?: number; allowed?: readonly number[] } = {}): number {
        const v = this.raw[field] ?? opts.default;
        const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
        const inRange = typeof n === "number" && Number.isInteger(n) && (opts.min === undefined || n >= opts.min)
            && (opts.max === undefined || n <= opts.max) && (!opts.allowed || opts.allowed.includes(n));
        if (!inRange) {
            const allowed = opts.allowed ? `one of ${opts.allowed.join(", ")}`
                : `an integer${opts.min !== undefined ? ` >= ${opts.min}` : ""}${opts.max !== undefined ? ` and <= ${opts.max}` : ""}`;
            throw new ConfigError(this.k(field), v, allowed);
        }
        return n as number;
    }

    bool(field: string, fallback?: boolean): boolean {
        const v = this.raw[field] ?? fallback;
        if (v === "true" || v === true) return true;
        if (v === "false" || v === false) return false;
        throw new ConfigError(this.k(field), v, "true or false");
    }

    stringList(field: string, opts: { pattern?: RegExp; allowed?: string; values?: readonly string[]; minItems?: number; default?: string[] } = {}): string[] {
        const v = this.raw[field] ?? opts.default;
        const what = opts.allowed ?? (opts.values ? `a list of ${opts.values.join(", ")}` : "a list of strings");
        if (!Array.isArray(v) || v.length < (opts.minItems ?? 0)) throw new ConfigError(this.k(field), v, `${what}${opts.minItems ? ` (at least ${opts.minItems})` : ""}`);
        for (const item of v) {
            const ok = typeof item === "string" && (!opts.pattern || opts.pattern.test(item)) && (!opts.values || opts.values.includes(item));
            if (!ok) throw new ConfigError(this.k(field), item, what);
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

/** Formats a 32-bit number and prefix back into CIDR notation. */
export function formatIpv4Cidr(base: number, prefix: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${prefix}`;
}

/** True when the CIDR lies inside one of the RFC 1918 private ranges. */
export function isPrivateIpv4Cidr(cidr: string): boolean {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed) return false;
    const ranges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((r) => parseIpv4Cidr(r)!);
    return ranges.some((r) => parsed.prefix >= r.prefix && Math.floor(parsed.base / 2 ** (32 - r.prefix)) === Math.floor(r.base / 2 ** (32 - r.prefix)));
}
