import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { stackPlan } from "../offline/testing";

const README = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");

/** The outputs the README's table documents (first column, each `name` in it). */
function documentedOutputs(): string[] {
    const table = README.slice(README.indexOf("<!-- outputs-table:begin -->"), README.indexOf("<!-- outputs-table:end -->"));
    return table.split("\n").filter((l) => l.startsWith("| `")).flatMap((l) => [...l.split("|")[1].matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]));
}

describe("README", () => {
    it("states each stack's monthly estimate as the plan computes it (cost table, whole dollars)", async () => {
        for (const stack of ["dev", "prod-eu", "prod-il", "nonprod", "prod-eu-dr"]) {
            const row = new RegExp(`^\\| ${stack} \\| \\$([0-9,]+) \\|`, "m").exec(README);
            assert.ok(row, `no cost row for ${stack}`);
            assert.equal(Number(row[1].replace(/,/g, "")), Math.round((await stackPlan(stack)).cost.monthly), stack);
        }
    });

    it("documents every prod stack output, and every documented output exists", async () => {
        const documented = documentedOutputs();
        const eu = Object.keys((await stackPlan("prod-eu")).run.outputs);
        const il = Object.keys((await stackPlan("prod-il")).run.outputs);
        assert.deepEqual(eu.filter((o) => !documented.includes(o)), [], "outputs missing from the README table");
        assert.deepEqual(documented.filter((o) => !eu.includes(o) && !il.includes(o)), [], "README documents outputs the stacks do not have");
        assert.ok(documented.filter((o) => !eu.includes(o)).every((o) => o === "authUrl"), "only authUrl is IL-only");
    });

    it("shows the two commands a newcomer needs (doc lint)", () => {
        assert.ok(README.includes("npm ci && npm run plan -- --stack prod-eu"));
        assert.ok(README.includes("npm test"));
        for (const cmd of ["pulumi login", "pulumi up --stack", "pulumi preview --stack prod-eu --policy-pack policy"]) assert.ok(README.includes(cmd), cmd);
    });

    it("lists every secret config key with its set --secret command", async () => {
        const { SECRET_KEYS } = await import("../stacks/config");
        for (const key of Object.keys(SECRET_KEYS)) assert.ok(README.includes(`pulumi config set --secret platform:${key}`), key);
    });

    it("starts with the two quick-start commands, before any other command", () => {
        const firstBlock = README.slice(README.indexOf("```bash"), README.indexOf("```", README.indexOf("```bash") + 7));
        assert.match(firstBlock, /^```bash\nnpm ci && npm run plan -- --stack prod-eu .*\nnpm test /);
    });

    it("has a table of contents whose links all resolve and that covers every section", () => {
        const anchor = (h: string) => h.toLowerCase().replace(/[^a-z0-9 -]/g, "").trim().replace(/ /g, "-");
        const headings = [...README.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]);
        const toc = README.slice(README.indexOf("## Contents"), README.indexOf("\n## ", README.indexOf("## Contents") + 5));
        const links = [...toc.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]);
        assert.deepEqual(links.filter((l) => !headings.map(anchor).includes(l)), [], "TOC links without a heading");
        const sections = [...README.matchAll(/^## (.+)$/gm)].map((m) => anchor(m[1])).filter((a) => a !== "contents");
        assert.deepEqual(sections.filter((a) => !links.includes(a)), [], "sections missing from the TOC");
    });

    it("troubleshoots the errors a newcomer meets", () => {
        const section = README.slice(README.indexOf("## Troubleshooting"), README.indexOf("\n## ", README.indexOf("## Troubleshooting") + 5));
        for (const symptom of ["EBADENGINE", "npm run plan -- --stack dev", "npm run -s plan", "passphrase", "missing configuration value",
            "pulumi cancel", "FAIL <policy>", "EntityAlreadyExists", "AWS account ID not allowed", "did you mean"]) {
            assert.ok(section.includes(symptom), symptom);
        }
    });

    it("shows the first deploy: stack init with the secrets provider, committing the stack file, the switch to OIDC", () => {
        for (const text of ["scripts/first-deploy.sh --stack", "--secrets-provider 'awskms://alias/pulumi-secrets?region=il-central-1'",
            "encryptedkey", "commit", "admin", "CLOUDFLARE_READ_TOKEN", "CLOUDFLARE_DEPLOY_TOKEN", "deployment branches: `main` only"]) {
            assert.ok(README.includes(text), text);
        }
        assert.match(README, /Node\.js 22/);
        assert.doesNotMatch(README, /Node\.js 20/);
    });
});
