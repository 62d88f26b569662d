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
});
