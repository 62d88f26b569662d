import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { listStacks, readStackFiles } from "../offline/stack-files";
import { KNOWN_KEYS, SECRET_KEYS } from "../stacks/config";

const ROOT = path.resolve(__dirname, "..");
const yaml = (root: string, file: string) => parse(fs.readFileSync(path.join(root, file), "utf8"));

/** What `pulumi config set --secret` writes: `{secure: v1:<base64>}`. */
const isSecure = (v: unknown) => !!v && typeof v === "object" && typeof (v as any).secure === "string" && /^v1:[A-Za-z0-9+/=:]+$/.test((v as any).secure);
/** Names that hold credentials wherever they appear; their values must be encrypted. */
const SECRET_NAME = /(token|apikey|webhookurl|password|secret)$/i;

/**
 * The Pulumi CLI's rules for Pulumi.yaml `config:` against each stack file (pulumi/pulumi
 * sdk/go/common/workspace/config.go, mergeConfig and validateStackConfigValue): a key in the project's namespace
 * declared without `default` or `value` is required on every stack ("Stack 'x' is missing configuration value");
 * an explicitly typed key must hold a value of that type; `secret: true` with a type requires an encrypted value.
 * https://github.com/pulumi/pulumi/blob/master/sdk/go/common/workspace/config.go
 */
function cliProblems(root: string): string[] {
    const project = yaml(root, "Pulumi.yaml");
    const problems: string[] = [];
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    for (const stack of listStacks(root)) {
        const stackFile = yaml(root, `Pulumi.${stack}.yaml`) ?? {};
        const values = new Map(Object.entries<any>(stackFile.config ?? {}).map(([k, v]) => [qualify(k), v]));
        for (const [declared, decl] of Object.entries<any>(project.config ?? {})) {
            const key = qualify(declared);
            const spec = decl && typeof decl === "object" && !Array.isArray(decl) ? decl : { default: decl };
            const found = values.has(key);
            if (!found && spec.default === undefined && spec.value === undefined && key.split(":")[0] === project.name) {
                problems.push(`Stack '${stack}' is missing configuration value '${declared}'`);
                continue;
            }
            if (!found || !spec.type) continue;
            const value = values.get(key);
            if (spec.secret && !isSecure(value)) problems.push(`Stack '${stack}' with configuration key '${declared}' must be encrypted as it's secret`);
            if (!isSecure(value) && !matchesType(spec.type, spec.items, value))
                problems.push(`Stack '${stack}' with configuration key '${declared}' must be of type '${spec.type}'`);
        }
    }
    return problems;
}

function matchesType(type: string, items: any, value: unknown): boolean {
    switch (type) {
        case "string": return typeof value !== "object" || value === null;
        case "integer": return Number.isInteger(typeof value === "string" ? Number(value) : value);
        case "boolean": return [true, false, "true", "false"].includes(value as any);
        case "array": return Array.isArray(value) && (!items?.type || value.every((v) => matchesType(items.type, items.items, v)));
        default: return false;
    }
}

/** Secrets are committed only encrypted, and every `platform:` key is one the program reads. */
function stackFileProblems(root: string): string[] {
    const problems: string[] = [];
    const walk = (stack: string, at: string, v: unknown) => {
        if (isSecure(v)) return;
        if (SECRET_NAME.test(at.split(/[.:]/).pop()!)) problems.push(`${stack}: ${at} is a credential in plain text; set it with pulumi config set --secret`);
        if (v && typeof v === "object" && !Array.isArray(v)) for (const [k, inner] of Object.entries(v)) walk(stack, `${at}.${k}`, inner);
    };
    for (const stack of listStacks(root)) {
        const stackFile = yaml(root, `Pulumi.${stack}.yaml`) ?? {};
        for (const [key, value] of Object.entries<any>(stackFile.config ?? {})) {
            const [ns, name] = key.includes(":") ? key.split(":") : ["platform", key];
            if (ns === "platform" && !KNOWN_KEYS.includes(name)) problems.push(`${stack}: ${key} is not a key the program reads`);
            if (ns === "platform" && name in SECRET_KEYS && !isSecure(value)) problems.push(`${stack}: ${key} must be set with --secret`);
            walk(stack, key, value);
        }
    }
    return problems;
}

/** A copy of the project files in a temp folder, with `edit` applied to one stack file. */
function projectCopy(stack: string, edit: (file: any) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "project-files-"));
    for (const f of fs.readdirSync(ROOT).filter((f) => /^Pulumi(\..+)?\.yaml$/.test(f))) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    const file = yaml(dir, `Pulumi.${stack}.yaml`);
    edit(file);
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(file));
    return dir;
}

/** What `pulumi stack init --secrets-provider awskms://...` and `pulumi config set --secret` add to a stack file. */
function initialisedWithSecrets(file: any) {
    file.encryptedkey = "AQICAHhj2BqzXy0Nl9Ik4rwBHpVt7nqAAAAfjB8BgkqhkiG9w0BBwagbzBtAgEAMGgGCSqGSIb3DQEHATAeBglghkgBZQMEAS4wEQQM";
    file.config["platform:logzioShippingToken"] = { secure: "v1:0Wm0WnOqzPZXRz7m:CgJ8kQzUaVQQw4Vd1n2rX5wXhX2g" };
    file.config["platform:workosApiKey"] = { secure: "v1:c2Vjb25kOmNpcGhlcnRleHQ=" };
    file.config["platform:cloudflareApiToken"] = { secure: "v1:dGhpcmQ6Y2lwaGVydGV4dA==" };
}

describe("project files as the Pulumi CLI reads them", () => {
    const project = yaml(ROOT, "Pulumi.yaml");

    it("declares a TypeScript nodejs program whose entry is stacks/", () => {
        assert.equal(project.name, "platform");
        assert.deepEqual([project.runtime.name, project.runtime.options.typescript, project.main], ["nodejs", true, "stacks/"]);
        assert.ok(fs.existsSync(path.join(ROOT, "stacks", "index.ts")));
    });

    it("resolves every stack's config under the CLI's rules (no missing required key, types and secrets as declared)", () => {
        assert.deepEqual(cliProblems(ROOT), []);
    });

    it("the rule check fails a stack that omits a required key, as `pulumi preview` would", () => {
        const dir = projectCopy("dev", (f) => { delete f.config["platform:accountId"]; });
        assert.deepEqual(cliProblems(dir), ["Stack 'dev' is missing configuration value 'platform:accountId'"]);
    });

    it("sets only keys the program reads, and no credential in plain text", () => {
        assert.deepEqual(stackFileProblems(ROOT), []);
        const plain = projectCopy("prod-eu", (f) => { f.config["platform:slackWebhookUrl"] = "https://hooks.slack.com/services/T/B/x"; });
        assert.deepEqual(stackFileProblems(plain), ["prod-eu: platform:slackWebhookUrl must be set with --secret",
            "prod-eu: platform:slackWebhookUrl is a credential in plain text; set it with pulumi config set --secret"]);
        const typo = projectCopy("dev", (f) => { f.config["platform:bastionn"] = { enabled: false }; });
        assert.deepEqual(stackFileProblems(typo), ["dev: platform:bastionn is not a key the program reads"]);
    });

    it("stays green once the README's `stack init --secrets-provider` and `config set --secret` output is committed", () => {
        for (const stack of listStacks(ROOT)) {
            const dir = projectCopy(stack, initialisedWithSecrets);
            assert.deepEqual([...cliProblems(dir), ...stackFileProblems(dir)], [], stack);
            const files = readStackFiles(stack, dir);
            assert.equal(files.config["platform:logzioShippingToken"], "offline-placeholder-for-platform:logzioShippingToken");
            assert.ok(files.secretKeys.includes("platform:workosApiKey"));
            assert.ok(!JSON.stringify(files.config).includes("v1:"), "no ciphertext reaches the program");
        }
    });

    it("treats a nested secure value (`config set --secret --path`) as a secret with a placeholder", () => {
        const dir = projectCopy("dev", (f) => { f.config["platform:edge"].apiKeyHeader = { secure: "v1:bmVzdGVk" }; });
        const files = readStackFiles("dev", dir);
        assert.equal(JSON.parse(files.config["platform:edge"]).apiKeyHeader, "offline-placeholder-for-platform:edge.apiKeyHeader");
        assert.ok(files.secretKeys.includes("platform:edge"));
    });

    it("names the awskms secrets provider of the stack's own region in every stack file", () => {
        for (const stack of listStacks(ROOT)) {
            const file = yaml(ROOT, `Pulumi.${stack}.yaml`);
            assert.equal(file.secretsprovider, `awskms://alias/pulumi-secrets?region=${file.config["aws:region"]}`, stack);
            if (file.encryptedkey !== undefined) assert.match(file.encryptedkey, /^[A-Za-z0-9+/]+=*$/, stack);
        }
    });

    it("gives the policy pack what `pulumi preview --policy-pack policy` needs", () => {
        assert.equal(yaml(ROOT, "policy/PulumiPolicy.yaml").runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "package.json"), "utf8"));
        assert.ok(pkg.name && pkg.version && pkg.dependencies["@pulumi/policy"]);
    });
});
