import { PolicyResource } from "@pulumi/policy";
import { PreflightPolicy, eachOf, ofTypes, referenced } from "./kit";

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** True when `r` depends on `target` directly or through a chain of dependencies. */
function dependsTransitively(r: PolicyResource, target: PolicyResource): boolean {
    const seen = new Set<string>();
    const stack = [r];
    while (stack.length) {
        const cur = stack.pop()!;
        for (const d of [...cur.dependencies, ...Object.values(cur.propertyDependencies).flat()]) {
            if (d.urn === target.urn) return true;
            if (!seen.has(d.urn)) { seen.add(d.urn); stack.push(d); }
        }
    }
    return false;
}

/** Services that check the bucket policy when they are created or configured, and the inputs naming the bucket. */
const CONSUMERS: Record<string, { props: string[]; why: string }> = {
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html; the race seen in
    // practice: https://github.com/cloudposse/terraform-aws-cloudtrail-s3-bucket/issues/90
    "aws:cloudtrail/trail:Trail": { props: ["s3BucketName"], why: "CreateTrail fails with InsufficientS3BucketPolicyException" },
    // https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
    "aws:cfg/deliveryChannel:DeliveryChannel": { props: ["s3BucketName"], why: "PutDeliveryChannel fails with InsufficientDeliveryPolicyException" },
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    "aws:lb/loadBalancer:LoadBalancer": { props: ["accessLogs", "connectionLogs"], why: "enabling logs fails with Access Denied for bucket" },
};

export const preflightPolicyBeforeConsumer: PreflightPolicy = {
    name: "preflight-policy-before-consumer",
    description: "Services that validate a bucket's policy when they are created (CloudTrail trail, Config delivery channel, ALB access/connection logs) "
        + "depend on that BucketPolicy, not only on the bucket; otherwise `up` fails whenever the consumer wins the race.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
    remediationSteps: "Pass the bucket name from the BucketPolicy's output (policy.bucket) or add dependsOn: [bucketPolicy] to the consumer.",
    validateStack: eachOf(Object.keys(CONSUMERS), (consumer, args) => {
        const { props, why } = CONSUMERS[consumer.type];
        const buckets = [...new Set(props.flatMap((prop) => referenced(consumer, prop, args.resources, BUCKETS, ["bucket"])))];
        return buckets.flatMap((bucket) =>
            ofTypes(args.resources, [POLICY]).filter((p) => referenced(p, "bucket", args.resources, BUCKETS, ["bucket"]).some((b) => b.urn === bucket.urn))
                .filter((policy) => !dependsTransitively(consumer, policy))
                .map((policy) => `depends on bucket ${bucket.name} but not on its policy ${policy.name}; ${why}`));
    }),
};
