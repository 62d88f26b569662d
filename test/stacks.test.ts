import { strict as assert } from "assert";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM } from "../standards/cloudflare";
import { fake, stackPlan, stackRecord, violationsOf } from "../offline/testing";
import { dataResidency } from "../policy/audit";
import { REQUIRED_TAG_KEYS } from "../standards/tags";
import { TAGGABLE_TYPES } from "../policy/tagging";

const STACKS = ["dev", "prod-eu", "prod-il"] as const;

for (const stack of STACKS) {
    describe(`stack ${stack}`, () => {
        it("plans with no mandatory policy violation", async () => {
            const { violations } = await stackPlan(stack);
            assert.deepEqual(violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`), []);
        });

        it("tags every taggable resource with the full required set", async () => {
            const rec = await stackRecord(stack);
            const taggable = rec.resources.filter((r) => TAGGABLE_TYPES.has(r.type));
            assert.ok(taggable.length > 0);
            for (const r of taggable) {
                const tags = rec.inputsOf(r).tags ?? {};
                const missing = REQUIRED_TAG_KEYS.filter((k) => !tags[k]);
                assert.deepEqual(missing, [], `${r.urn} misses ${missing.join(", ")}`);
                assert.equal(tags.environment, stack === "dev" ? "dev" : "prod");
            }
        });

        it("rotates every KMS key, protects prod keys and keeps a 30-day deletion window in prod", async () => {
            const rec = await stackRecord(stack);
            const keys = rec.ofType("aws:kms/key:Key");
            assert.ok(keys.length >= 5);
            for (const key of keys) {
                const inputs = rec.inputsOf(key);
                assert.equal(inputs.enableKeyRotation, true, key.name);
                assert.equal(inputs.deletionWindowInDays, stack === "dev" ? 7 : 30, key.name);
                assert.equal(key.protect, stack !== "dev", key.name);
                const statements = JSON.parse(inputs.policy).Statement;
                assert.ok(statements.every((s: any) => s.Principal !== "*" && s.Principal?.AWS !== "*"), `${key.name} grants to "*"`);
                assert.ok(statements.filter((s: any) => s.Principal?.Service).every((s: any) => s.Condition), `${key.name} has an unconditional service grant`);
            }
        });

        it("creates a key per data class with an alias", async () => {
            const rec = await stackRecord(stack);
            const aliases = rec.ofType("aws:kms/alias:Alias").map((a) => rec.inputsOf(a).name);
            for (const keyClass of ["data", "logs", "secrets", "backups", "alerts"])
                assert.ok(aliases.includes(`alias/platform-${stack}/${keyClass}`), keyClass);
        });
    });
}

describe("stack regions", () => {
    it("gives prod-eu a backups key in its DR region and no other stack a second region", async () => {
        const regionsOf = async (stack: string) => (await stackRecord(stack)).ofType("pulumi:providers:aws").map((p) => p.inputs.region).sort();
        assert.deepEqual(await regionsOf("prod-eu"), ["eu-central-1", "eu-west-1"]);
        assert.deepEqual(await regionsOf("prod-il"), ["il-central-1"]);
        assert.deepEqual(await regionsOf("dev"), ["eu-central-1"]);
        const drKey = (await stackRecord("prod-eu")).one("aws:kms/key:Key", "dr-keys-backups");
        assert.match(drKey.provider ?? "", /::aws-dr::/);
    });
});

describe("data residency (prod-il)", () => {
    it("marks every taggable resource with the residency region, so the pack applies it without extra config", async () => {
        const rec = await stackRecord("prod-il");
        const taggable = rec.resources.filter((r) => TAGGABLE_TYPES.has(r.type));
        assert.deepEqual(taggable.filter((r) => rec.inputsOf(r).tags?.["data-residency"] !== "il-central-1").map((r) => r.urn), []);
        assert.ok((await stackRecord("prod-eu")).resources.every((r) => r.inputs.tags?.["data-residency"] === undefined));
    });

    it("would flag a bucket created in another region", async () => {
        const rec = await stackRecord("prod-il");
        const euProvider = fake("pulumi:providers:aws", "eu", { region: "eu-central-1" }, {}, { custom: true });
        const bucket = fake("aws:s3/bucket:Bucket", "stray", { tags: { "data-residency": "il-central-1" } }, {}, { provider: `${euProvider.urn}::id` });
        assert.deepEqual(await violationsOf(dataResidency, rec.resources), []);
        const found = await violationsOf(dataResidency, [...rec.resources, euProvider, bucket]);
        assert.ok(found.some((m) => /stray is in eu-central-1, not il-central-1/.test(m)), found.join("\n"));
    });
});

describe("cross-layer wiring", () => {
    for (const stack of STACKS) {
        it(`${stack}: the archive bucket admits exactly this stack's trail, and the trail writes there`, async () => {
            const rec = await stackRecord(stack);
            const trail = rec.ofType("aws:cloudtrail/trail:Trail")[0];
            const trailInputs = rec.inputsOf(trail);
            const policy = JSON.parse(rec.inputsOf(rec.one("aws:s3/bucketPolicy:BucketPolicy", "backups-policy")).policy);
            const write = policy.Statement.find((s: any) => s.Sid === "CloudTrailWrite");
            assert.match(write.Condition.StringEquals["aws:SourceArn"], new RegExp(`:trail/${trailInputs.name}$`));
            assert.equal(trailInputs.s3BucketName, `platform-${stack}-backups`);
        });
        it(`${stack}: the ALB's origin certificate and trust store come from the edge layer's origin trust`, async () => {
            const rec = await stackRecord(stack);
            const cert = rec.ofType("aws:acm/certificate:Certificate")[0];
            assert.ok(
                cert.propertyDependencies.certificateBody.some((u) => u.includes("OriginCaCertificate")),
                "certificate body from the Origin CA certificate",
            );
            const api = rec.ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => r.inputs.name?.startsWith("api."))!;
            assert.ok(api.propertyDependencies.content.some((u) => u.includes("aws:lb/loadBalancer:LoadBalancer")), "api record points at the ALB");
            // The trust store's bundle is the origin trust's CA: the project AOP CA (per hostname) or Cloudflare's (zone);
            // test/invariants/trust-store.test.ts checks it is the CA that signs the client certificate.
            const store = rec.ofType("aws:lb/trustStore:TrustStore")[0];
            const bundle = rec.resources.find((r) => (store.propertyDependencies.caCertificatesBundleS3Key ?? []).includes(r.urn))!;
            const trustChildren = rec.childrenOf(rec.ofType("platform:edge:OriginTrust")[0]).map((r) => r.urn);
            if (rec.ofType("cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate").length > 0) {
                assert.ok(bundle.propertyDependencies.content.some((u) => trustChildren.includes(u)), "trust store bundle from the origin trust's CA");
            } else {
                assert.equal(bundle.inputs.content, CLOUDFLARE_ORIGIN_PULL_CA_PEM, "zone-level AOP trusts Cloudflare's origin-pull CA");
            }
        });
    }
});
