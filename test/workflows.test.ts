import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/**
 * The node24 majors (Dec 2026): checkout v7, setup-node v7, configure-aws-credentials v6, pulumi/actions v7; cache v5 and
 * upload-artifact v7 (actions/cache v5.0.0 and upload-artifact v6.0.0 release notes: "runs on Node.js 24").
 */
const CURRENT_MAJOR: Record<string, number> = {
    "actions/checkout": 7, "actions/setup-node": 7, "aws-actions/configure-aws-credentials": 6, "pulumi/actions": 7,
    "actions/cache": 5, "actions/upload-artifact": 7,
};

interface Job { file: string; id: string; job: any; steps: any[] }

function workflows(): Record<string, any> {
    return Object.fromEntries(fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).map((f) => [f, parse(fs.readFileSync(path.join(DIR, f), "utf8"))]));
}

function jobs(): Job[] {
    return Object.entries(workflows()).flatMap(([file, wf]) =>
        Object.entries<any>(wf.jobs ?? {}).map(([id, job]) => ({ file, id, job, steps: job.steps ?? [] })));
}

const usesOf = (step: any, action: string) => typeof step.uses === "string" && step.uses.split("@")[0] === action;
const pulumiStep = (j: Job) => j.steps.find((s) => usesOf(s, "pulumi/actions"));
/** A deploy environment is any environment that is not a `-preview` one. */
const isDeployEnv = (env: unknown) => typeof env === "string" && !env.endsWith("-preview");

describe("GitHub Actions workflows", () => {
    it("use the current (node24) major of every action", () => {
        for (const { file, id, steps } of jobs()) {
            for (const step of steps.filter((s) => typeof s.uses === "string" && !s.uses.startsWith("./"))) {
                const [action, ref] = step.uses.split("@");
                assert.ok(action in CURRENT_MAJOR, `${file} ${id}: ${action} is not on the reviewed list`);
                assert.equal(ref, `v${CURRENT_MAJOR[action]}`, `${file} ${id}: ${step.uses}`);
            }
        }
    });

    it("run Node from .nvmrc, which is 22 like package.json engines and .ci/run", () => {
        assert.equal(read(".nvmrc").trim(), "22");
        assert.equal(JSON.parse(read("package.json")).engines.node, ">=22");
        assert.match(read(".ci/use-node.sh"), /NODE_PINNED=22\.\d+\.\d+/);
        assert.match(read(".ci/run"), /source \.ci\/use-node\.sh/);
        assert.match(read(".ci/run"), /grep -q '\^npm warn'/, ".ci/run fails on npm warnings (EBADENGINE, install scripts)");
        const setups = jobs().flatMap((j) => j.steps.filter((s) => usesOf(s, "actions/setup-node")));
        assert.ok(setups.length > 0);
        for (const s of setups) assert.deepEqual([s.with?.["node-version-file"], s.with?.["node-version"]], [".nvmrc", undefined]);
    });

    it("pin the Pulumi CLI to the SDK's version and enforce the policy pack in every preview and up", () => {
        const sdk = JSON.parse(read("package.json")).dependencies["@pulumi/pulumi"];
        assert.equal(read(".pulumi-version").trim(), sdk);
        const steps = jobs().map(pulumiStep).filter(Boolean);
        assert.deepEqual([...new Set(steps.map((s) => s.with.command))].sort(), ["preview", "up"]);
        for (const s of steps) {
            assert.equal(s.with["pulumi-version-file"], ".pulumi-version");
            assert.equal(s.with.policyPacks, "policy");
        }
    });

    it("give the edit-capable Cloudflare token only to `up` jobs in deploy environments; previews get the read-only one", () => {
        for (const j of jobs()) {
            const step = pulumiStep(j);
            const tokens: string[] = JSON.stringify(j.job).match(/CLOUDFLARE_[A-Z_]*TOKEN/g) ?? [];
            if (!step) {
                assert.ok(!tokens.includes("CLOUDFLARE_DEPLOY_TOKEN") || j.job.uses, `${j.file} ${j.id} sees the deploy token`);
                continue;
            }
            const token = step.env?.CLOUDFLARE_API_TOKEN;
            if (step.with.command === "up") {
                assert.equal(token, "${{ secrets.CLOUDFLARE_DEPLOY_TOKEN }}", `${j.file} ${j.id}`);
                assert.ok(isDeployEnv(j.job.environment), `${j.file} ${j.id} runs up outside a deploy environment`);
            } else {
                assert.equal(token, "${{ secrets.CLOUDFLARE_READ_TOKEN }}", `${j.file} ${j.id}`);
                assert.match(j.job.environment, /-preview$/, `${j.file} ${j.id}`);
                assert.ok(!tokens.includes("CLOUDFLARE_DEPLOY_TOKEN"), `${j.file} ${j.id}`);
            }
        }
        assert.doesNotMatch(read(".github/workflows/preview.yml"), /CLOUDFLARE_DEPLOY_TOKEN|secrets: inherit/);
    });

    it("run deploy environments only from main", () => {
        const deployJobs = jobs().filter((j) => isDeployEnv(j.job.environment) || (j.job.uses && j.file === "deploy.yml"));
        assert.ok(deployJobs.length >= 4);
        for (const j of deployJobs) assert.match(String(j.job.if ?? ""), /github\.ref == 'refs\/heads\/main'/, `${j.file} ${j.id}`);
        assert.deepEqual(Object.keys(workflows()["preview.yml"].on), ["pull_request"]);
        assert.ok(jobs().filter((j) => j.file === "preview.yml").every((j) => !isDeployEnv(j.job.environment)));
    });

    it("keep previews and deploys in separate concurrency groups; a running deploy is never cancelled", () => {
        const groups = (kind: string) => jobs().filter((j) => pulumiStep(j)?.with.command === kind).map((j) => {
            assert.ok(j.job.concurrency?.group, `${j.file} ${j.id} has no concurrency group`);
            return { group: String(j.job.concurrency.group), cancel: j.job.concurrency["cancel-in-progress"] };
        });
        const ups = groups("up");
        const previews = groups("preview");
        for (const u of ups) {
            assert.match(u.group, /^pulumi-deploy-/);
            assert.equal(u.cancel, false);
        }
        for (const p of previews) assert.doesNotMatch(p.group, /^pulumi-deploy-/);
        assert.deepEqual(ups.filter((u) => previews.some((p) => p.group === u.group)), []);
    });

    it("preview the same commit in the same run before the approval gate of every up", () => {
        const upJobs = jobs().filter((j) => pulumiStep(j)?.with.command === "up");
        for (const up of upJobs) {
            const needs = [up.job.needs ?? []].flat();
            const preview = jobs().find((j) => j.file === up.file && needs.includes(j.id) && pulumiStep(j)?.with.command === "preview");
            assert.ok(preview, `${up.file} ${up.id} does not need a preview job`);
            assert.equal(pulumiStep(preview!).with["stack-name"], pulumiStep(up).with["stack-name"]);
            for (const j of [preview!, up]) assert.equal(j.steps.find((s) => usesOf(s, "actions/checkout")).with?.ref, "${{ github.sha }}");
        }
    });

    it("guard the AWS account and give deploys a 4 h session for long RDS/ElastiCache changes", () => {
        for (const j of jobs()) {
            for (const creds of j.steps.filter((s) => usesOf(s, "aws-actions/configure-aws-credentials"))) {
                const hub = creds.with["role-to-assume"] === "${{ vars.AWS_HUB_ROLE_ARN }}";
                assert.equal(creds.with["allowed-account-ids"], hub ? "${{ vars.AWS_HUB_ACCOUNT_ID }}" : "${{ vars.AWS_ACCOUNT_ID }}", `${j.file} ${j.id}`);
                const chained = creds.with["role-chaining"] === true;
                // STS caps a chained session at one hour; the direct OIDC session of a single-account deploy gets 4 h.
                if (pulumiStep(j)?.with.command === "up" && !hub)
                    assert.equal(creds.with["role-duration-seconds"], chained ? 3600 : 14400, `${j.file} ${j.id}`);
            }
        }
    });

    it("reach the workload role through the hub role when AWS_HUB_ROLE_ARN is set, directly (single-account) otherwise", () => {
        // The DR drill runs in its own sandbox account with its drill role (AWS_DRILL_ROLE_ARN), outside the hub topology.
        const jobsWithCreds = jobs().filter((j) => j.file !== "dr-drill.yml" && j.steps.some((s) => usesOf(s, "aws-actions/configure-aws-credentials")));
        assert.ok(jobsWithCreds.length >= 3);
        for (const j of jobsWithCreds) {
            const creds = j.steps.filter((s) => usesOf(s, "aws-actions/configure-aws-credentials"));
            const [hub, chained, direct] = creds;
            assert.equal(creds.length, 3, `${j.file} ${j.id}`);
            assert.equal(hub.with["role-to-assume"], "${{ vars.AWS_HUB_ROLE_ARN }}");
            assert.equal(hub.if, "vars.AWS_HUB_ROLE_ARN != ''");
            assert.equal(hub.with["role-chaining"], undefined);
            assert.equal(chained.if, "vars.AWS_HUB_ROLE_ARN != ''");
            assert.equal(chained.with["role-chaining"], true);
            assert.equal(direct.if, "vars.AWS_HUB_ROLE_ARN == ''");
            assert.equal(chained.with["role-to-assume"], direct.with["role-to-assume"]);
            // A preview job never names the deploy role; an up job never the preview role.
            const kind = pulumiStep(j)?.with.command === "up" ? "DEPLOY" : "PREVIEW";
            assert.equal(direct.with["role-to-assume"], `\${{ vars.AWS_${kind}_ROLE_ARN }}`, `${j.file} ${j.id}`);
            assert.ok(j.steps.indexOf(hub) < j.steps.indexOf(chained) && j.steps.indexOf(chained) < j.steps.indexOf(pulumiStep(j)));
        }
    });

    it("run every check CI runs before anything is previewed or deployed", () => {
        for (const file of ["preview.yml", "deploy.yml"]) {
            const runs = workflows()
                [file].jobs.checks.steps.map((s: any) => s.run)
                .filter(Boolean)
                .join("\n");
            for (const cmd of ["npm ci", "npm run typecheck", "npm test", "npm run lint:workflows", "npm run -s plan -- --stack"])
                assert.ok(runs.includes(cmd), `${file}: ${cmd}`);
        }
    });

    it("keep the repository's guards: CODEOWNERS on policy/ and .github/, Dependabot for npm and actions, ignored bootstrap exports", () => {
        const owners = read(".github/CODEOWNERS").split("\n").filter((l) => l.trim() && !l.startsWith("#")).map((l) => l.split(/\s+/));
        for (const dir of ["/policy/", "/.github/"]) assert.ok(owners.some(([p, ...o]) => p === dir && o.length > 0 && o.every((x) => x.startsWith("@"))), dir);
        const updates = parse(read(".github/dependabot.yml")).updates.map((u: any) => `${u["package-ecosystem"]}:${u.directory}`);
        for (const u of ["npm:/", "npm:/policy", "github-actions:/"]) assert.ok(updates.includes(u), u);
        const ignored = read(".gitignore").split("\n");
        for (const entry of ["bootstrap-*.json", "policy/package-lock.json"]) assert.ok(ignored.includes(entry), entry);
    });
});
