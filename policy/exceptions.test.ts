import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import { toPolicyResources } from "../offline/policy-runner";
import { complianceExceptions } from "./exceptions";
import { listSuppressions } from "./lib/exceptions";
import { SSE_S3_EXCEPTIONS } from "../components/storage/secure-bucket";
import { stackPlan } from "../offline/testing";

const BUCKET = "aws:s3/bucket:Bucket";

describe("compliance exceptions (suppressions with reasons)", () => {
    it("passes an exception that names a pack policy and gives a sentence of reason in prod", async () => {
        const b = fake(BUCKET, "logs", { tags: { ...PROD_TAGS, "compliance-exception:s3-sse-kms": "ALB access log delivery supports only SSE-S3 on the target bucket." } });
        assert.deepEqual(await violationsOf(complianceExceptions, [b]), []);
    });
    it("flags an exception for a policy the pack does not have", async () => {
        const b = fake(BUCKET, "logs", { tags: { ...PROD_TAGS, "compliance-exception:s3-sse": "Some reason that is long enough here." } });
        assert.match((await violationsOf(complianceExceptions, [b])).join(), /names no policy of the pack: s3-sse/);
    });
    it("flags an empty reason anywhere, and a prod reason shorter than a sentence for a mandatory policy", async () => {
        const dev = fake(BUCKET, "a", { tags: { ...PROD_TAGS, environment: "dev", "compliance-exception:s3-versioning": "" } });
        assert.match((await violationsOf(complianceExceptions, [dev])).join(), /has no reason/);
        const prod = fake(BUCKET, "b", { tags: { ...PROD_TAGS, "compliance-exception:s3-versioning": "legacy" } });
        assert.match((await violationsOf(complianceExceptions, [prod])).join(), /at least one sentence/);
        const devShort = fake(BUCKET, "c", { tags: { ...PROD_TAGS, environment: "dev", "compliance-exception:s3-versioning": "scratch bucket" } });
        assert.deepEqual(await violationsOf(complianceExceptions, [devShort]), []);
    });
    it("flags a reason outside the tag-value charset or longer than 256 characters", async () => {
        const comma = fake(BUCKET, "a", { tags: { ...PROD_TAGS, "compliance-exception:s3-versioning": "Because S3 says so, really and truly." } });
        assert.match((await violationsOf(complianceExceptions, [comma])).join(), /characters a tag value cannot hold: ","/);
        const long = fake(BUCKET, "b", { tags: { ...PROD_TAGS, "compliance-exception:s3-versioning": `${"word ".repeat(60)}end.` } });
        assert.match((await violationsOf(complianceExceptions, [long])).join(), /longer than 256/);
    });
    it("the SecureBucket SSE-S3 reasons are valid exceptions", async () => {
        for (const tags of Object.values(SSE_S3_EXCEPTIONS)) {
            assert.deepEqual(await violationsOf(complianceExceptions, [fake(BUCKET, "b", { tags: { ...PROD_TAGS, ...tags } })]), []);
        }
    });
    it("lists every suppression with its policy, resource, reason and owner", () => {
        const b = fake(BUCKET, "logs", { tags: { ...PROD_TAGS, "compliance-exception:s3-sse-kms": "Reason one is here.", "compliance-exception:s3-tls-only": "Reason two is here." } });
        const list = listSuppressions(toPolicyResources([b, fake(BUCKET, "plain", { tags: PROD_TAGS })]));
        assert.deepEqual(list, [
            { policy: "s3-sse-kms", urn: b.urn, reason: "Reason one is here.", owner: PROD_TAGS.owner },
            { policy: "s3-tls-only", urn: b.urn, reason: "Reason two is here.", owner: PROD_TAGS.owner },
        ]);
    });

    it("the real program excepts exactly the ALB log bucket (SSE-S3) and the permissions boundary, each with its reason and owner", async function () {
        this.timeout(120000);
        const plan = await stackPlan("prod-eu");
        const list = listSuppressions(toPolicyResources(plan.run.resources)).map((s) => `${s.policy} ${s.urn.split("::").pop()} ${s.owner}`);
        // The SPA bucket is private and SSE-KMS (served through the Worker), so it needs no exception any more.
        assert.deepEqual(list.sort(), ["iam-least-privilege role-boundary platform-engineering", "s3-sse-kms alb-logs platform-engineering"]);
        assert.equal(plan.violations.filter((v) => v.policy === "s3-sse-kms" || v.policy === "compliance-exceptions").length, 0);
    });
});
