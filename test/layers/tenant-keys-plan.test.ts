import { strict as assert } from "assert";
import { Recorded, stackRecord } from "../../offline/testing";

const T = {
    externalKey: "aws:kms/externalKey:ExternalKey", key: "aws:kms/key:Key", alias: "aws:kms/alias:Alias",
    role: "aws:iam/role:Role", bucket: "aws:s3/bucket:Bucket",
};

describe("BYOK tenant keys in the prod-eu plan", () => {
    let rec: Recorded;
    before(async () => { rec = await stackRecord("prod-eu"); });
    const tenantKey = () => rec.one(T.externalKey, "tenant-key-acme-health");
    const statement = (sid: string) => JSON.parse(rec.inputsOf(tenantKey()).policy).Statement.find((s: any) => s.Sid === sid);

    it("creates the example tenant's key with EXTERNAL origin, pending import (no material in the program or state)", () => {
        const inputs = rec.inputsOf(tenantKey());
        assert.equal(inputs.keyMaterialBase64, undefined);
        assert.equal(inputs.keySpec, "SYMMETRIC_DEFAULT");
        assert.deepEqual([inputs.tags.tenant, inputs.tags["key-class"], inputs.tags["key-origin"]], ["acme-health", "tenant", "EXTERNAL"]);
        assert.ok(tenantKey().ignoreChanges?.includes("keyMaterialBase64"), "material imported out of band is not reverted");
    });

    it("protects the key in prod and keeps the maximum deletion window", () => {
        assert.equal(tenantKey().protect, true);
        assert.equal(rec.inputsOf(tenantKey()).deletionWindowInDays, 30);
    });

    it("names it alias/<prefix>/tenant/<tenant>", () => {
        const alias = rec.inputsOf(rec.one(T.alias, "tenant-key-acme-health"));
        assert.equal(alias.name, "alias/platform-prod-eu/tenant/acme-health");
    });

    it("admits the roles that write evidence and documents, for GenerateDataKey and Decrypt, only through S3 on those buckets", () => {
        const grant = statement("TenantObjectsThroughS3");
        const roles = ["api", "api-workers", "scanner-workers"].map((f) => `platform-prod-eu-${f}-task`);
        const principals: string[] = [].concat(grant.Principal.AWS);
        for (const role of roles) assert.ok(principals.some((p) => p.endsWith(`:role/${role}`)), `${role} is admitted`);
        assert.ok(!principals.some((p) => /keycloak/.test(p)), "Keycloak never touches tenant objects");
        assert.deepEqual([...grant.Action].sort(), ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert.equal(grant.Condition.StringEquals["kms:ViaService"], "s3.eu-central-1.amazonaws.com");
        const buckets = ["evidence", "documents"].map((b) => rec.inputsOf(rec.one(T.bucket, b)).bucket as string);
        const contexts: string[] = grant.Condition.StringLike["kms:EncryptionContext:aws:s3:arn"];
        for (const bucket of buckets) {
            assert.ok(contexts.includes(`arn:aws:s3:::${bucket}`), `${bucket}: the bucket ARN (S3 Bucket Keys' context)`);
            assert.ok(contexts.includes(`arn:aws:s3:::${bucket}/*`), `${bucket}: object ARNs (without Bucket Keys)`);
        }
        assert.equal(contexts.length, 4, "no other bucket");
    });

    it("keeps the account's IAM administration statement, so the key never becomes unmanageable", () => {
        assert.deepEqual(statement("AccountAdministersThroughIam").Action, "kms:*");
        assert.match(statement("AccountAdministersThroughIam").Principal.AWS, /^arn:aws:iam::\d{12}:root$/);
    });

    it("has no tenant keys in stacks without tenants", async () => {
        for (const stack of ["dev", "prod-il"]) {
            const other = await stackRecord(stack);
            assert.equal(other.ofType(T.externalKey).length, 0);
            assert.equal(other.ofType(T.key).filter((k) => other.inputsOf(k).tags?.["key-class"] === "tenant").length, 0);
        }
    });
});
