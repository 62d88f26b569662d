import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const SCRIPT = path.join(ROOT, "scripts", "first-deploy.sh");

/** A folder of stand-in `aws` and `pulumi` commands that log their arguments; `aws sts` answers `account`. */
function fakeClis(account: string): { bin: string; log: string } {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "first-deploy-"));
    const log = path.join(bin, "calls.log");
    const write = (name: string, body: string) =>
        fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> ${log}\n${body}\n`, { mode: 0o755 });
    write("aws", `case "$*" in *"--query Account"*) echo ${account} ;; *"--query Arn"*) echo arn:aws:iam::${account}:user/admin ;; esac`);
    write("pulumi", `[ "$1" = version ] && echo v$(cat ${path.join(ROOT, ".pulumi-version")}); exit 0`);
    return { bin, log };
}

function run(args: string[], bin?: string) {
    const PATH = [bin, path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter);
    return spawnSync("bash", [SCRIPT, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, PATH } });
}

describe("scripts/first-deploy.sh", () => {
    it("explains itself with --help and rejects an unknown stack", () => {
        const help = run(["--help"]);
        assert.equal(help.status, 0);
        assert.match(help.stdout, /^Usage: scripts\/first-deploy\.sh --stack <dev\|prod-eu\|prod-il>/);
        const bad = run(["--stack", "staging"]);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--stack must name a stack with a Pulumi\.<stack>\.yaml: dev nonprod prod-eu-dr prod-eu prod-il/);
    });

    it("stops on credentials of another account before Pulumi logs in or deploys anything", function () {
        if (Number(process.versions.node.split(".")[0]) < 22) this.skip(); // the script requires the .nvmrc Node (CI runs 22)
        const { bin, log } = fakeClis("999999999999");
        const res = run(["--stack", "prod-eu", "--yes"], bin);
        assert.equal(res.status, 1, res.stderr);
        assert.match(res.stderr, /wrong account: the credentials are for 999999999999, Pulumi\.prod-eu\.yaml says platform:accountId \d{12}/);
        const pulumiCalls = fs.readFileSync(log, "utf8").split("\n").filter((l) => l.startsWith("pulumi "));
        assert.deepEqual(pulumiCalls, ["pulumi version"]);
    });

    it("holds no secret value: every secret is set by the operator with `pulumi config set --secret` (prompting)", () => {
        const text = fs.readFileSync(SCRIPT, "utf8");
        const sets = [...text.matchAll(/config set --secret(?: --stack \S+)? (\S+)([^\n]*)/g)];
        assert.ok(sets.length > 0);
        for (const [line, , rest] of sets) assert.match(rest, /^\s*(#|$)/, `passes a value: ${line}`);
        assert.doesNotMatch(text, /--show-secrets/);
    });
});
