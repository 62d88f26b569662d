import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { SECRET_KEYS } from "../stacks/config";

/** The project root: the folder holding Pulumi.yaml. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * The project a program file belongs to: the nearest folder from the file up to the project root that holds a
 * Pulumi.yaml (bootstrap/ and shared/ are projects of their own, with their own stack files).
 */
export function projectRootOf(programFile: string | undefined): string {
    if (!programFile) return PROJECT_ROOT;
    let dir = path.dirname(path.resolve(programFile));
    while (dir.startsWith(PROJECT_ROOT) && dir !== PROJECT_ROOT) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        dir = path.dirname(dir);
    }
    return PROJECT_ROOT;
}

/** A stack's config as the Pulumi language host hands it to a program: `ns:key` -> string (objects as JSON). */
export interface StackFiles {
    project: string;
    stack: string;
    config: Record<string, string>;
    secretKeys: string[];
}

/** Raised when a stack or its files do not exist or do not parse; the plan CLI exits 2. */
export class StackFileError extends Error {
    override name = "StackFileError";
}

/** Every stack that has a Pulumi.<stack>.yaml beside Pulumi.yaml. */
export function listStacks(root = PROJECT_ROOT): string[] {
    return fs.readdirSync(root).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
}

/**
 * Reads Pulumi.yaml and Pulumi.<stack>.yaml the way the CLI does: project defaults first, stack values over
 * them. Secure values (and secrets not set in the file) get obvious placeholders, so that a plan needs no secret.
 */
export function readStackFiles(stack: string, root = PROJECT_ROOT): StackFiles {
    const projectFile = parseYamlFile(path.join(root, "Pulumi.yaml"));
    const project = String(projectFile.name);
    const stackPath = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        throw new StackFileError(`stack "${stack}" has no Pulumi.${stack}.yaml; known stacks: ${listStacks(root).join(", ")}`);
    }
    const stackFile = parseYamlFile(stackPath);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, decl] of Object.entries<any>(projectFile.config ?? {})) {
        const value = decl && typeof decl === "object" && !Array.isArray(decl) ? decl.default : decl;
        if (value !== undefined) config[qualify(project, key)] = encode(value);
    }
    // Top-level `secretsprovider:`/`encryptedkey:` (written by `pulumi stack init --secrets-provider`) need no reading.
    for (const [key, value] of Object.entries<any>(stackFile.config ?? {})) {
        const qualified = qualify(project, key);
        const { value: plain, secret } = withPlaceholders(value, qualified);
        config[qualified] = encode(plain);
        if (secret) secretKeys.push(qualified);
    }
    // The platform's own secrets; another project (an example program in its own folder) declares none here.
    for (const name of root === PROJECT_ROOT ? Object.keys(SECRET_KEYS) : []) {
        const qualified = `platform:${name}`;
        if (!(qualified in config)) config[qualified] = `offline-placeholder-for-${qualified}`;
        if (!secretKeys.includes(qualified)) secretKeys.push(qualified);
    }
    return { project, stack, config, secretKeys };
}

/**
 * Replaces each `{secure: v1:...}` (also nested, from `config set --secret --path`) with a placeholder; the whole key
 * is then a secret, as the CLI marks it.
 */
function withPlaceholders(value: any, at: string): { value: any; secret: boolean } {
    if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) return { value: `offline-placeholder-for-${at}`, secret: true };
    if (!value || typeof value !== "object") return { value, secret: false };
    let secret = false;
    const mapped = Array.isArray(value) ? [] as any[] : {} as Record<string, any>;
    for (const [k, v] of Object.entries(value)) {
        const inner = withPlaceholders(v, `${at}.${k}`);
        secret ||= inner.secret;
        (mapped as any)[k] = inner.value;
    }
    return { value: mapped, secret };
}

/** A program to plan: its entry file, and the folder whose Pulumi.yaml and Pulumi.<stack>.yaml hold its config. */
export interface ProgramLocation {
    entry: string;
    root: string;
}

/**
 * Where a `--program` points: a folder holding its own Pulumi.yaml (a separate project, e.g. examples/<name>/) runs
 * the entry its `main` names (index.ts by default) with that folder's stack files; a file runs with the project's.
 */
export function locateProgram(program: string): ProgramLocation {
    const resolved = path.resolve(program);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isDirectory()) return { entry: resolved, root: projectRootOf(resolved) };
    if (!fs.existsSync(path.join(resolved, "Pulumi.yaml"))) throw new StackFileError(`program folder ${program} has no Pulumi.yaml`);
    const main = parseYamlFile(path.join(resolved, "Pulumi.yaml")).main;
    const entry = path.join(resolved, typeof main === "string" && main.endsWith(".ts") ? main : path.join(main ?? ".", "index.ts"));
    if (!fs.existsSync(entry)) throw new StackFileError(`program folder ${program}: its entry ${path.relative(resolved, entry)} does not exist`);
    return { entry, root: resolved };
}

/** Parsed YAML by text: the tests read the same stack files hundreds of times, and callers only read what they get. */
const parsedByText = new Map<string, any>();

function parseYamlFile(file: string): any {
    try {
        const text = fs.readFileSync(file, "utf8");
        if (!parsedByText.has(text)) parsedByText.set(text, parse(text) ?? {});
        return parsedByText.get(text);
    } catch (err) {
        throw new StackFileError(`${path.basename(file)} does not parse: ${(err as Error).message}`);
    }
}

function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function encode(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}
