import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { KEY_CLASSES, KeyRing } from "./key-ring";

// The KeyRing component on its own (the layer and whole-program tests check the keys' use across the program).
const ACCOUNT = "111111111111";
const build = (args: Partial<ConstructorParameters<typeof KeyRing>[1]> = {}) =>
    record(
        () =>
            new KeyRing("keys", {
                accountId: ACCOUNT,
                region: "eu-central-1",
                aliasPrefix: "platform-prod-eu",
                deletionWindowDays: 30,
                protect: true,
                ...args,
            }),
    );
const policyOf = (inputs: Record<string, any>) => JSON.parse(inputs.policy);

describe("KeyRing", () => {
    it("makes one rotating symmetric key per class, aliased alias/<prefix>/<class>, protected as asked", async () => {
        const rec = await build();
        const keys = rec.ofType("aws:kms/key:Key");
        assert.deepEqual(keys.map((k) => k.inputs.tags["key-class"]).sort(), [...KEY_CLASSES].sort());
        for (const key of keys) {
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.rotationPeriodInDays, 365);
            assert.equal(key.inputs.deletionWindowInDays, 30);
            assert.equal(key.inputs.keyUsage, "ENCRYPT_DECRYPT");
            assert.equal(key.inputs.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
            assert.equal(key.protect, true);
            assert.match(key.inputs.description, new RegExp(`^platform-prod-eu ${key.inputs.tags["key-class"]} key: .+`));
        }
        const aliases = rec.ofType("aws:kms/alias:Alias");
        assert.deepEqual(aliases.map((a) => a.inputs.name).sort(), KEY_CLASSES.map((c) => `alias/platform-prod-eu/${c}`).sort());
        for (const alias of aliases) {
            const key = keys.find((k) => alias.inputs.name.endsWith(`/${k.inputs.tags["key-class"]}`))!;
            assert.deepEqual(alias.propertyDependencies.targetKeyId, [key.urn], alias.name);
        }
    });

    it("administers each key through the account's IAM, and admits each class's services", async () => {
        const rec = await build();
        const byClass = (c: string) => policyOf(rec.ofType("aws:kms/key:Key").find((k) => k.inputs.tags["key-class"] === c)!.inputs);
        for (const c of KEY_CLASSES) {
            assert.ok(
                byClass(c).Statement.some((s: any) => s.Principal?.AWS === `arn:aws:iam::${ACCOUNT}:root`),
                c,
            );
        }
        const services = (c: string) => byClass(c).Statement.flatMap((s: any) => [].concat(s.Principal?.Service ?? []));
        assert.ok(
            services("logs").some((s: string) => s.startsWith("logs.")),
            "logs key admits CloudWatch Logs",
        );
        assert.ok(services("alerts").length > 0, "alerts key admits the publishers");
    });

    it("builds only the classes asked for, unprotected with a short window when asked", async () => {
        const rec = await build({ classes: ["backups"], protect: false, deletionWindowDays: 7 });
        const keys = rec.ofType("aws:kms/key:Key");
        assert.deepEqual(
            keys.map((k) => [k.inputs.tags["key-class"], k.protect, k.inputs.deletionWindowInDays]),
            [["backups", false, 7]],
        );
    });

    it("refuses deletion windows AWS refuses (7 to 30 days), naming the value", async () => {
        for (const days of [6, 31]) await assert.rejects(build({ deletionWindowDays: days }), new RegExp(`deletionWindowDays must be 7-30, got ${days}`));
        await build({ deletionWindowDays: 7 });
    });

    it("key(class) returns the key, or says which class to add", async () => {
        let ring: KeyRing | undefined;
        await record(() => {
            ring = new KeyRing("k", {
                accountId: ACCOUNT,
                region: "eu-central-1",
                aliasPrefix: "p",
                deletionWindowDays: 30,
                protect: false,
                classes: ["data"],
            });
        });
        assert.equal(ring!.key("data").alias, "alias/p/data");
        assert.throws(() => ring!.key("logs"), /KeyRing has no logs key; add "logs" to its classes/);
    });
});
