import { AnalyzerInfo, LEVELS } from "./client";
import type { PackConfig } from "../policy-runner";

/** A `--policy-pack-config` the pack would refuse; the plan exits 2 with this message. */
export class PackConfigError extends Error {
    override name = "PackConfigError";
}

/**
 * Checks a pack config as the Pulumi CLI does before it configures the analyzer (parsePolicyPackConfig and
 * ValidatePolicyPackConfig in pulumi/pulumi's resource/plugin package: a level must be advisory, mandatory,
 * remediate or disabled; each policy's settings are validated with gojsonschema against its configSchema). Two checks
 * are stricter than the CLI, which silently ignores them: a key that names no policy of the pack, and a setting the
 * policy's schema does not declare. Both are typos that would otherwise leave a policy at its default.
 */
export function validatePackConfig(config: unknown, info: AnalyzerInfo, file: string): void {
    const fail = (what: string) => { throw new PackConfigError(`${file}: ${what}`); };
    if (!config || typeof config !== "object" || Array.isArray(config)) fail("must be a JSON object of policy name -> level or settings");
    const known = new Map(info.policies.map((p) => [p.name, p]));
    const levels = LEVELS.join(", ");
    for (const [name, value] of Object.entries(config as PackConfig)) {
        if (name === "all") {
            if (typeof value !== "string" || !LEVELS.includes(value as any)) fail(`all: enforcementLevel got ${JSON.stringify(value)}; allowed: ${levels}`);
            continue;
        }
        const policy = known.get(name);
        if (!policy) fail(`policy "${name}" is not in the pack ${info.name}; known policies: ${[...known.keys()].sort().join(", ")}`);
        const { enforcementLevel, ...params } = typeof value === "string" ? { enforcementLevel: value } : (value ?? {}) as Record<string, unknown>;
        if (typeof value !== "string" && (typeof value !== "object" || value === null || Array.isArray(value))) {
            fail(`${name}: got ${JSON.stringify(value)}; expected an enforcement level (${levels}) or an object of settings`);
        }
        if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as any)) {
            fail(`${name}: enforcementLevel got ${JSON.stringify(enforcementLevel)}; allowed: ${levels}`);
        }
        const schema = policy!.configSchema;
        if (!schema && Object.keys(params).length) fail(`${name}: takes no settings, got ${Object.keys(params).join(", ")}`);
        if (!schema) continue;
        for (const key of Object.keys(params)) {
            if (!(key in schema.properties)) fail(`${name}.${key}: not a setting of this policy; known: ${Object.keys(schema.properties).join(", ")}`);
            const problem = schemaProblem(params[key], schema.properties[key]);
            if (problem) fail(`${name}.${key}: ${problem}`);
        }
        for (const key of schema.required ?? []) {
            if (!(key in params) && !("default" in (schema.properties[key] ?? {}))) fail(`${name}.${key}: required by the policy's configSchema`);
        }
    }
}

/** The first way `value` breaks a JSON Schema fragment (the subset config schemas use), or undefined. */
function schemaProblem(value: unknown, schema: any, at = ""): string | undefined {
    if (!schema || typeof schema !== "object") return undefined;
    const got = `${at}got ${JSON.stringify(value)}`;
    const types: string[] = schema.type === undefined ? [] : [].concat(schema.type);
    if (types.length && !types.some((t) => typeMatches(value, t))) return `${got}; expected ${types.join(" or ")}`;
    if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
        return `${got}; allowed: ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`;
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) return `${got}; minimum ${schema.minimum}`;
        if (schema.maximum !== undefined && value > schema.maximum) return `${got}; maximum ${schema.maximum}`;
    }
    if (typeof value === "string") {
        if (schema.minLength !== undefined && value.length < schema.minLength) return `${got}; at least ${schema.minLength} characters`;
        if (schema.pattern && !new RegExp(schema.pattern).test(value)) return `${got}; must match ${schema.pattern}`;
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) return `${got}; at least ${schema.minItems} items`;
        for (const [i, item] of value.entries()) {
            const problem = schemaProblem(item, schema.items, `item ${i} `);
            if (problem) return problem;
        }
    }
    if (value && typeof value === "object" && !Array.isArray(value) && schema.properties) {
        for (const [k, v] of Object.entries(value)) {
            if (!(k in schema.properties) && schema.additionalProperties === false) return `${at}unknown property ${k}`;
            const problem = schemaProblem(v, schema.properties[k], `${at}${k}: `);
            if (problem) return problem;
        }
    }
    return undefined;
}

function typeMatches(value: unknown, type: string): boolean {
    switch (type) {
        case "string": return typeof value === "string";
        case "number": return typeof value === "number" && Number.isFinite(value);
        case "integer": return Number.isInteger(value);
        case "boolean": return typeof value === "boolean";
        case "array": return Array.isArray(value);
        case "object": return !!value && typeof value === "object" && !Array.isArray(value);
        case "null": return value === null;
        default: return true;
    }
}
