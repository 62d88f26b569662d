import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { PolicyStatement, Program, STACKS, T, actionCovers, allowing, asList, program, servicesOf } from "./program";

/**
 * Invariant: the trail and AWS Config deliver into the archive bucket (purpose `backups`), the ALB into the ALB-log
 * bucket, and S3 server access logs into the access-log bucket of the same region; each destination's bucket policy
 * admits exactly that writer for that path.
 * CloudTrail: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 * AWS Config: https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 * ALB: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * S3 server access logs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 *
 * Breaks it (checked by hand, then reverted):
 *   stacks/platform.ts  `albLogsBucketName: storage.buckets.albLogs.name` -> `storage.buckets.artifacts.name`
 */

function bucketNamed(p: Program, name: string): RecordedResource {
    const found = p.ofType(T.bucket).filter((b) => p.inputs(b).bucket === name);
    assert.equal(found.length, 1, `bucket ${name} is created by this program`);
    return found[0];
}

function policyOf(p: Program, bucket: RecordedResource): PolicyStatement[] {
    const policies = p.companionsOf(bucket, T.bucketPolicy);
    assert.equal(policies.length, 1, `${bucket.name} has one bucket policy`);
    return p.statements(policies[0]);
}

/** Allow statements for `action` on `objectArn` whose principal matches. */
function writers(statements: PolicyStatement[], action: string, objectArn: string, principal: (s: PolicyStatement) => boolean): PolicyStatement[] {
    return allowing(statements, action).filter((s) => principal(s) && asList(s.Resource).some((r) => actionCovers(r, objectArn)));
}

const byService = (service: string) => (s: PolicyStatement) => servicesOf(s).includes(service);

for (const stack of STACKS) {
    describe(`invariant (${stack}): log destinations`, () => {
        let p: Program;
        let account: string;
        before(async () => { p = await program(stack); account = String(p.outputs.kmsKeyArns.data).split(":")[4]; });

        it("the trail writes into the archive bucket, which admits this trail only", () => {
            const [trail] = p.ofType(T.trail);
            const { s3BucketName, name } = p.inputs(trail);
            const bucket = bucketNamed(p, s3BucketName);
            assert.equal(p.purpose(bucket), "backups");
            const trailArn = `arn:aws:cloudtrail:${p.regionOf(trail)}:${account}:trail/${name}`;
            const statements = policyOf(p, bucket);
            const prefix = p.inputs(trail).s3KeyPrefix ? `${p.inputs(trail).s3KeyPrefix}/` : "";
            const put = writers(
                statements,
                "s3:PutObject",
                `arn:aws:s3:::${s3BucketName}/${prefix}AWSLogs/${account}/x`,
                byService("cloudtrail.amazonaws.com"),
            );
            assert.ok(put.length > 0, "cloudtrail.amazonaws.com may put the trail's objects");
            for (const s of put) assert.equal(JSON.stringify(s.Condition ?? {}).includes(trailArn), true, `${s.Sid} is scoped to ${trailArn}`);
            assert.ok(allowing(statements, "s3:GetBucketAcl").some(byService("cloudtrail.amazonaws.com")), "cloudtrail may read the bucket ACL");
        });

        it("AWS Config delivers into the archive bucket, which admits config.amazonaws.com", () => {
            const [channel] = p.ofType(T.deliveryChannel);
            const bucket = bucketNamed(p, p.inputs(channel).s3BucketName);
            assert.equal(p.purpose(bucket), "backups");
            const prefix = p.inputs(channel).s3KeyPrefix ? `${p.inputs(channel).s3KeyPrefix}/` : "";
            const object = `arn:aws:s3:::${p.inputs(bucket).bucket}/${prefix}AWSLogs/${account}/Config/x`;
            const put = writers(policyOf(p, bucket), "s3:PutObject", object, byService("config.amazonaws.com"));
            assert.ok(put.length > 0, "config.amazonaws.com may put its snapshots and history");
        });

        it("the ALB writes access and connection logs into the ALB-log bucket of its region, which admits ELB log delivery", () => {
            const [alb] = p.ofType(T.loadBalancer);
            for (const kind of ["accessLogs", "connectionLogs"]) {
                const logs = p.inputs(alb)[kind];
                assert.ok(logs?.enabled, `${kind} enabled`);
                const bucket = bucketNamed(p, logs.bucket);
                assert.equal(p.purpose(bucket), "alb-logs", `${kind} go to the ALB-log bucket`);
                assert.equal(p.regionOf(bucket), p.regionOf(alb), "ELB delivers only to a bucket in its own region");
                const object = `arn:aws:s3:::${logs.bucket}/${logs.prefix ? `${logs.prefix}/` : ""}AWSLogs/${account}/elasticloadbalancing/x`;
                // The log-delivery service principal, or the regional ELB account (another account's root).
                const elbAccount = (s: PolicyStatement) =>
                    asList(s.Principal?.AWS).some((a: string) => /^arn:aws:iam::\d{12}:root$/.test(a) && !a.includes(account));
                const elb = (s: PolicyStatement) => byService("logdelivery.elasticloadbalancing.amazonaws.com")(s) || elbAccount(s);
                assert.ok(writers(policyOf(p, bucket), "s3:PutObject", object, elb).length > 0, `ELB log delivery may put ${object}`);
            }
        });

        it("every bucket's server access logs go to the access-log bucket of its region, which admits logging.s3.amazonaws.com", () => {
            const loggings = p.ofType(T.bucketLogging);
            assert.ok(loggings.length >= 5);
            for (const logging of loggings) {
                const source = p.bucketOf(logging);
                const target = p.bucketOf(logging, "targetBucket");
                assert.equal(p.purpose(target), "access-logs", `${source.name} logs into ${target.name}`);
                assert.equal(p.regionOf(target), p.regionOf(source), `${source.name} logs into another region`);
                const object = `arn:aws:s3:::${p.inputs(target).bucket}/${p.inputs(logging).targetPrefix ?? ""}x`;
                const put = writers(policyOf(p, target), "s3:PutObject", object, byService("logging.s3.amazonaws.com"));
                assert.ok(put.length > 0, `${target.name} admits S3 log delivery`);
            }
        });
    });
}
