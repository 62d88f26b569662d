import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { record } from "../offline/testing";
import { TAGGABLE_TYPES } from "../standards/tags";
import { SecureBucket } from "./storage/secure-bucket";
import { KeyRing } from "./security/key-ring";

const KEY = "arn:aws:kms:eu-central-1:111111111111:key/k";

describe("a component's tags argument", () => {
    it("reaches every taggable AWS resource inside the component; a resource's own tags win", async () => {
        const rec = await record(() => {
            new SecureBucket("docs", {
                bucketName: "platform-test-docs", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
                accessLogBucket: "platform-test-logs", tags: { team: "records", "bucket-purpose": "overridden by the bucket's own" },
            });
            new KeyRing("keys", {
                accountId: "111111111111", region: "eu-central-1", aliasPrefix: "alias/platform-test", deletionWindowDays: 7, protect: false,
                tags: { team: "security" },
            });
        });
        const bucket = rec.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const taggable = rec.resources.filter((r) => r.custom && TAGGABLE_TYPES.has(r.type));
        assert.ok(taggable.length >= 2, "the bucket and the keys are taggable");
        for (const r of taggable) {
            const team = r.urn.includes("KeyRing") ? "security" : "records";
            assert.equal(rec.inputsOf(r).tags?.team, team, `${r.type} ${r.name}`);
        }
        assert.equal(rec.inputsOf(bucket).tags["bucket-purpose"], "documents", "the component's own tag wins over the caller's");
    });

    it("changes nothing when not given (no transform, same inputs)", async () => {
        const rec = await record(() => {
            new SecureBucket("docs", {
                bucketName: "platform-test-docs", purpose: "documents", kmsKeyArn: KEY, protect: false, noncurrentVersionExpiryDays: 30,
                accessLogBucket: "platform-test-logs",
            });
        });
        assert.equal(rec.inputsOf(rec.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!).tags.team, undefined);
    });
});

describe("a component's region argument", () => {
    const ring = (region: string, provider?: aws.Provider) => new KeyRing("keys", {
        accountId: "111111111111", region, aliasPrefix: "alias/platform-test", deletionWindowDays: 7, protect: false,
    }, provider ? { provider } : undefined);

    it("must be the region of the component's AWS provider (ARNs and kms:ViaService are built from it)", async () => {
        await assert.rejects(record(() => { ring("eu-central-1", new aws.Provider("west", { region: "eu-west-1" })); }),
            /KeyRing keys: region "eu-central-1" is not the region of its AWS provider \("eu-west-1"\)/);
    });

    it("passes when they agree", async () => {
        const rec = await record(() => { ring("eu-west-1", new aws.Provider("west", { region: "eu-west-1" })); });
        assert.ok(rec.resources.some((r) => r.type === "aws:kms/key:Key"));
    });
});
