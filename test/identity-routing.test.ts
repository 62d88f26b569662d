import { strict as assert } from "assert";
import { stackRecord } from "../offline/testing";
import { parseConfig } from "../stacks/config";
import { rawConfigOf } from "./fixtures/raw-config";

/** prod-il: WorkOS for ordinary tenants, the in-region Keycloak for Nimbus (residency) tenants; the api routes per tenant. */
describe("identity providers side by side (prod-il)", () => {
    const env = (rec: Awaited<ReturnType<typeof stackRecord>>, family: string) => {
        const def = rec.ofType("aws:ecs/taskDefinition:TaskDefinition").find((d) => rec.inputsOf(d).family.endsWith(`-${family}`))!;
        const [container] = JSON.parse(rec.inputsOf(def).containerDefinitions);
        return {
            vars: Object.fromEntries(container.environment.map((e: any) => [e.name, e.value])) as Record<string, string>,
            secrets: container.secrets.map((s: any) => s.name) as string[],
        };
    };

    it("gives the api both providers: the WorkOS key, the Keycloak URL and realm, and which provider serves which tenants", async () => {
        const rec = await stackRecord("prod-il");
        const api = env(rec, "api");
        assert.ok(api.secrets.includes("WORKOS_API_KEY"));
        assert.equal(api.vars.IDENTITY_PROVIDERS, "keycloak,workos");
        assert.equal(api.vars.IDENTITY_DEFAULT_PROVIDER, "workos");
        assert.equal(api.vars.IDENTITY_RESIDENCY_PROVIDER, "keycloak");
        assert.equal(api.vars.KEYCLOAK_URL, "https://auth.complyhub.co.il");
        assert.equal(api.vars.KEYCLOAK_REALM, "nimbus");
        assert.equal(rec.ofType("aws:secretsmanager/secret:Secret").filter((s) => rec.inputsOf(s).name === "platform-prod-il/workos-api-key").length, 1);
    });

    it("publishes the routing data as SSM parameters under the stack's path", async () => {
        const rec = await stackRecord("prod-il");
        const params = Object.fromEntries(rec.ofType("aws:ssm/parameter:Parameter").map((p) => [rec.inputsOf(p).name, rec.inputsOf(p).value]));
        assert.equal(params["/platform-prod-il/identity/providers"], "keycloak,workos");
        assert.equal(params["/platform-prod-il/identity/default-provider"], "workos");
        assert.equal(params["/platform-prod-il/identity/residency-provider"], "keycloak");
        assert.equal(params["/platform-prod-il/identity/keycloak-url"], "https://auth.complyhub.co.il");
        assert.equal(params["/platform-prod-il/identity/keycloak-realm"], "nimbus");
    });

    it("keeps the Nimbus identity data in il-central-1: Keycloak's database is the in-region primary, its secrets in-region", async () => {
        const rec = await stackRecord("prod-il");
        const keycloak = env(rec, "keycloak");
        assert.match(keycloak.vars.KC_DB_URL, /^jdbc:postgresql:\/\/[^/]+:5432\/keycloak\?sslmode=require$/);
        assert.ok(rec.ofType("aws:rds/instance:Instance").length > 0);
        const providerRegions = new Set(rec.ofType("pulumi:providers:aws").map((p) => rec.inputsOf(p).region));
        assert.deepEqual([...providerRegions], ["il-central-1"], "prod-il has no AWS provider outside il-central-1");
        for (const name of ["keycloak/database-password", "keycloak/bootstrap-admin-password"]) {
            assert.equal(rec.ofType("aws:secretsmanager/secret:Secret").filter((s) => rec.inputsOf(s).name === `platform-prod-il/${name}`).length, 1);
        }
    });

    it("dev and prod-eu keep WorkOS only", async () => {
        for (const stack of ["dev", "prod-eu"]) {
            const api = env(await stackRecord(stack), "api");
            assert.equal(api.vars.IDENTITY_PROVIDERS, "workos", stack);
            assert.equal(api.vars.IDENTITY_RESIDENCY_PROVIDER, undefined, stack);
        }
    });

    it("rejects identity configs that break residency or routing, naming the key", () => {
        const il = rawConfigOf("prod-il");
        const ctx = { project: "platform", stack: "prod-il", secretValues: {} as any };
        const withIdentity = (identity: unknown) => parseConfig({ ...il, identity }, ctx);
        assert.throws(() => withIdentity({ providers: ["workos"], defaultProvider: "workos" }), /platform:identity\.providers.*keycloak/);
        assert.throws(
            () => withIdentity({ providers: ["keycloak", "workos"], defaultProvider: "workos", residencyProvider: "workos", keycloakHostname: "auth" }),
            /platform:identity\.residencyProvider.*keycloak/,
        );
        assert.throws(
            () => withIdentity({ providers: ["keycloak", "workos"], defaultProvider: "okta", keycloakHostname: "auth" }),
            /platform:identity\.defaultProvider.*one of keycloak, workos/,
        );
        assert.throws(() => withIdentity({ providers: ["keycloak", "keycloak"], keycloakHostname: "auth" }), /platform:identity\.providers/);
    });
});
