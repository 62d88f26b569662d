import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../offline/engine";
import { readStackFiles } from "../offline/stack-files";
import { stackRecord } from "../offline/testing";
import { parseConfig } from "./config";
import { ConfigError, closestKey } from "./validate";
import { rawConfigOf } from "../test/fixtures/raw-config";

const SECRETS = { logzioShippingToken: pulumi.secret("t") };

function rejects(stack: string, edit: (raw: any) => void, message: RegExp) {
    const raw = structuredClone(rawConfigOf(stack));
    edit(raw);
    assert.throws(() => parseConfig(raw, { project: "platform", stack, secretValues: SECRETS }), (err: Error) => {
        assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
        assert.match(err.message, message);
        return true;
    });
}

describe("stack config: unknown keys and the account guard", () => {
    it("suggests the closest known key", () => {
        assert.equal(closestKey("mulitAz", ["multiAz", "proxy", "readReplica"]), "multiAz");
        assert.equal(closestKey("bastionn", ["bastion", "database"]), "bastion");
        assert.equal(closestKey("zzzzzzzz", ["bastion", "database"]), undefined);
    });

    it("rejects a misspelled nested key with 'did you mean'", () => {
        rejects("prod-eu", (raw) => { raw.database.mulitAz = true; }, /^config platform:database\.mulitAz: got true; allowed: .*did you mean multiAz\?/);
        rejects("dev", (raw) => { raw.services.api.cpus = 512; }, /^config platform:services\.api\.cpus: .*did you mean cpu\?/);
        rejects("prod-il", (raw) => { raw.edge.blockedCountry = ["KP"]; }, /^config platform:edge\.blockedCountry: .*did you mean blockedCountries\?/);
    });

    it("points a missing key at its near-miss spelling (multiAz renamed mulitAz)", () => {
        rejects("prod-eu", (raw) => { raw.database.mulitAz = raw.database.multiAz; delete raw.database.multiAz; },
            /^config platform:database\.multiAz: missing; allowed: true or false \(found mulitAz: did you mean multiAz\?\)/);
        rejects("dev", (raw) => { raw.bastoin = raw.bastion; delete raw.bastion; }, /^config platform:bastoin: .*did you mean bastion\?/);
    });

    it("rejects an unknown top-level platform key, naming the known keys", () => {
        rejects("dev", (raw) => { raw.bastionn = {}; }, /^config platform:bastionn: got \{\}; allowed: .*did you mean bastion\?/);
        rejects("dev", (raw) => { raw.somethingElse = "x"; }, /^config platform:somethingElse: .*known keys: .*accountId/);
    });

    it("accepts every key the three stacks set, secrets included", () => {
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const raw = rawConfigOf(stack);
            assert.ok("logzioShippingToken" in raw, "the offline reader supplies the secret placeholders");
            parseConfig(raw, { project: "platform", stack, secretValues: SECRETS });
        }
    });

    it("requires platform:accountId, 12 digits", () => {
        rejects("dev", (raw) => { delete raw.accountId; }, /^config platform:accountId: missing; allowed: the stack's 12-digit AWS account id/);
        rejects("dev", (raw) => { raw.accountId = "12345"; }, /^config platform:accountId: got "12345"/);
        rejects("dev", (raw) => { raw.accountId = "1234567890123"; }, /^config platform:accountId: got "1234567890123"; allowed: .*quoted/);
        rejects("dev", (raw) => { raw.accountId = 12345678901; }, /^config platform:accountId: got "12345678901"; allowed: /);
    });

    it("fails the real program on an unknown key before any resource is registered", async function () {
        this.timeout(60_000);
        const files = readStackFiles("dev");
        const mod: any = await import("./index");
        const program: () => Promise<Record<string, unknown>> = mod.default ?? mod;
        const registered: string[] = [];
        await assert.rejects(async () => {
            const run = await runProgram(program, { ...files, config: { ...files.config, "platform:bastionn": "{}" } });
            registered.push(...run.resources.map((r) => r.type));
        }, /config platform:bastionn: .*did you mean bastion\?/);
        assert.deepEqual(registered, []);
        // A misspelled secret (set with --secret) is named, never printed.
        const secret = {
            ...files,
            config: { ...files.config, "platform:logzioShipingToken": "hunter2" },
            secretKeys: [...files.secretKeys, "platform:logzioShipingToken"],
        };
        await assert.rejects(runProgram(program, secret), (err: Error) => {
            assert.match(err.message, /^config platform:logzioShipingToken: got "\[secret\]"; allowed: no such key \(did you mean logzioShippingToken\?\)/);
            assert.doesNotMatch(err.message, /hunter2/);
            return true;
        });
    });

    it("pins every AWS provider of every stack to the stack's account (allowedAccountIds)", async function () {
        this.timeout(120_000); // three full stack plans (cached for the other tests) on a shared 2-core machine
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const accountId = readStackFiles(stack).config["platform:accountId"];
            assert.match(accountId, /^\d{12}$/, stack);
            const providers = (await stackRecord(stack)).ofType("pulumi:providers:aws");
            assert.ok(providers.length >= 1, stack);
            for (const p of providers) {
                const ids = p.inputs.allowedAccountIds;
                assert.deepEqual(typeof ids === "string" ? JSON.parse(ids) : ids, [accountId], `${stack} ${p.name}`);
            }
        }
    });
});
