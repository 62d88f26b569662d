import { strict as assert } from "assert";
import { PROD_TAGS, UNKNOWN_INPUT, atPreview, fake, violationsOf } from "../offline/testing";
import { toPolicyResources } from "../offline/policy-runner";
import { complianceExceptions } from "./exceptions";
import { exceptionFor, exceptionsOf, honourExceptions, listSuppressions } from "./lib/exceptions";
import type { PlatformPolicy } from "./lib/kit";
import type { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { SSE_S3_EXCEPTIONS } from "../components/storage/secure-bucket";

const BUCKET = "aws:s3/bucket:Bucket";

describe("compliance exceptions (suppressions with reasons)", () => {
    it("passes an exception that names a pack policy and gives a sentence of reason in prod", async () => {
        const b = fake(BUCKET, "logs", {
            tags: { ...PROD_TAGS, "compliance-exception:s3-sse-kms": "ALB access log delivery supports only SSE-S3 on the target bucket." },
        });
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
        const b = fake(BUCKET, "logs", {
            tags: { ...PROD_TAGS, "compliance-exception:s3-sse-kms": "Reason one is here.", "compliance-exception:s3-tls-only": "Reason two is here." },
        });
        const list = listSuppressions(toPolicyResources([b, fake(BUCKET, "plain", { tags: PROD_TAGS })]));
        assert.deepEqual(list, [
            { policy: "s3-sse-kms", urn: b.urn, reason: "Reason one is here.", owner: PROD_TAGS.owner },
            { policy: "s3-tls-only", urn: b.urn, reason: "Reason two is here.", owner: PROD_TAGS.owner },
        ]);
    });

    describe("exception tags (policy/lib/exceptions)", () => {
        const R = (props: Record<string, any>, deps: Record<string, unknown[]> = {}) =>
            Object.assign(toPolicyResources([fake(BUCKET, "b", props)])[0], { propertyDependencies: deps }) as any;
        it("reads only compliance-exception:* tags, and none from missing or non-object tags", () => {
            assert.deepEqual(exceptionsOf({ tags: { owner: "x", "compliance-exception:s3-versioning": "Scratch." } }), { "s3-versioning": "Scratch." });
            assert.deepEqual(exceptionsOf(undefined), {});
            assert.deepEqual(exceptionsOf({}), {});
            assert.deepEqual(exceptionsOf({ tags: "compliance-exception:s3-versioning" }), {});
        });
        it("reads a reason that is unknown at preview as an empty reason, not as no exception", () => {
            const tags = atPreview({ "compliance-exception:s3-versioning": UNKNOWN_INPUT });
            assert.deepEqual(exceptionsOf({ tags }), { "s3-versioning": "" });
        });
        it("an untaggable companion takes the exception of the bucket it belongs to; a taggable one speaks for itself", () => {
            const bucket = R({ tags: { "compliance-exception:s3-tls-only": "Reason." } });
            assert.equal(exceptionFor(R({ policy: "{}" }, { bucket: [bucket] }), "s3-tls-only"), "Reason.");
            assert.equal(exceptionFor(R({ policy: "{}", tags: {} }, { bucket: [bucket] }), "s3-tls-only"), undefined);
            assert.equal(exceptionFor(R({ policy: "{}" }), "s3-tls-only"), undefined);
        });
        it("a resource policy skips an excepted resource; a stack policy drops only the excepted resource's violations", async () => {
            const flagAll: PlatformPolicy = {
                name: "flag-all",
                description: "test",
                enforcementLevel: "mandatory",
                validateResource: (args: ResourceValidationArgs, report: ReportViolation) => report(`${args.name} flagged`),
                validateStack: (args: StackValidationArgs, report: ReportViolation) => {
                    for (const r of args.resources) report(`${r.name} stack-flagged`, r.urn);
                    report("stack-wide");
                },
            } as any;
            const [policy] = honourExceptions([flagAll]);
            const excepted = fake(BUCKET, "excepted", { tags: { "compliance-exception:flag-all": "Reason." } });
            const other = fake(BUCKET, "other", { tags: { "compliance-exception:another-policy": "Reason." } });
            assert.deepEqual((await violationsOf(policy, [excepted, other])).sort(), ["other flagged", "other stack-flagged", "stack-wide"]);
        });
        it("lists a suppression without an owner tag as such", () => {
            const list = listSuppressions(toPolicyResources([fake(BUCKET, "b", { tags: { "compliance-exception:s3-versioning": "Reason." } })]));
            assert.deepEqual(
                list.map((s) => s.owner),
                ["(no owner tag)"],
            );
        });
    });
});
