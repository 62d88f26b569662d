import { strict as assert } from "assert";
import { fake, violationsOf } from "../../offline/testing";
import { preflightPolicyBeforeConsumer } from "./ordering";

describe("preflight-policy-before-consumer", () => {
    const bucket = fake("aws:s3/bucket:Bucket", "backups", { bucket: "platform-backups" });
    const policy = fake("aws:s3/bucketPolicy:BucketPolicy", "backups-policy", { policy: "{}" }, { bucket: [bucket] });
    it("flags a trail that depends on the bucket but not on its policy (today's audit-trail)", async () => {
        const trail = fake("aws:cloudtrail/trail:Trail", "audit-trail", {}, { s3BucketName: [bucket] });
        assert.deepEqual(await violationsOf(preflightPolicyBeforeConsumer, [bucket, policy, trail]),
            ["audit-trail: depends on bucket backups but not on its policy backups-policy; CreateTrail fails with InsufficientS3BucketPolicyException"]);
    });
    it("passes a trail and an ALB that take the bucket name from the policy, directly or through another resource", async () => {
        const trail = fake("aws:cloudtrail/trail:Trail", "audit-trail", {}, { s3BucketName: [bucket, policy] });
        const gate = fake("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "gate", {}, { bucket: [policy] });
        const lb = fake("aws:lb/loadBalancer:LoadBalancer", "origin", { accessLogs: { enabled: true } }, { accessLogs: [bucket], subnets: [gate] });
        assert.deepEqual(await violationsOf(preflightPolicyBeforeConsumer, [bucket, policy, gate, trail, lb]), []);
    });
});
