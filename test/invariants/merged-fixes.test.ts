// Whole-program invariants that failed on the code before the review fixes merged (measured 2026-12-03): paging alarms
// carry runbook links under unique names, the trail key admits CloudTrail for DescribeKey, create-time consumers wait for
// their bucket policy, and the bastion reaches S3 through the gateway prefix list.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Program, STACKS, T, allowing, program, servicesOf } from "./program";

const RUNBOOK_FILE = path.resolve(__dirname, "..", "..", "docs", "runbooks.md");
/** Anchors docs/runbooks.md defines (explicit `<a id>` anchors). */
const ANCHORS = new Set([...fs.readFileSync(RUNBOOK_FILE, "utf8").matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]));

for (const stack of STACKS) {
    describe(`invariant (${stack}): review fixes`, () => {
        let p: Program;
        before(async () => { p = await program(stack); });

        // alarms.test.ts. Fails today: the API autoscaling alarm `api-scaling-latency` pages the alerts topic without a
        // runbook link and has the same name as the `api-p99-latency` alarm (the alarm-name-collision defect).
        // Breaks it: components/observability/runbooks.ts  change any `runbook:` id to one docs/runbooks.md lacks.
        it("every alarm that pages (an action on the alerts topic) links a runbook anchor that exists, under a unique name", () => {
            const alerts = p.outputs.alertTopicArn;
            const paging = p.ofType(T.alarm).filter((a) => [...(p.inputs(a).alarmActions ?? [])].includes(alerts));
            assert.ok(paging.length >= 10);
            const problems: string[] = [];
            for (const a of paging) {
                const link = /Runbook: \S+\/docs\/runbooks\.md#([a-z0-9-]+)/.exec(p.inputs(a).alarmDescription ?? "");
                if (!link) problems.push(`${a.name} pages without a runbook link`);
                else if (!ANCHORS.has(link[1])) problems.push(`${a.name} links #${link[1]}, which docs/runbooks.md lacks`);
            }
            const names = p.ofType(T.alarm).map((a) => p.inputs(a).name);
            problems.push(...names.filter((n, i) => names.indexOf(n) !== i).map((n) => `two alarms are named ${n}`));
            assert.deepEqual(problems, []);
        });

        // keys.test.ts. Fails today: the logs key grants cloudtrail.amazonaws.com kms:DescribeKey only under a
        // kms:EncryptionContext condition; DescribeKey carries no encryption context, so CreateTrail fails.
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        it("the trail's key admits cloudtrail.amazonaws.com for kms:DescribeKey without an encryption-context condition", () => {
            const [trail] = p.ofType(T.trail);
            const key = p.dep(trail, "kmsKeyId", T.key);
            const describe = allowing(p.statements(key), "kms:DescribeKey").filter((s) => servicesOf(s).includes("cloudtrail.amazonaws.com"));
            assert.ok(describe.some((s) => !JSON.stringify(s.Condition ?? {}).includes("kms:EncryptionContext")), `${key.name}: ${JSON.stringify(describe)}`);
        });

        // log-destinations.test.ts. Fails today: the trail, the Config delivery channel and the ALB do not depend on
        // their destination bucket's policy, so a first `pulumi up` can create them before the policy exists and AWS
        // rejects them (InsufficientS3BucketPolicyException, InsufficientDeliveryPolicyException, ALB "Access Denied").
        it("the trail, Config and the ALB are created after the bucket policy that admits them", () => {
            const late: string[] = [];
            const check = (writer: any, bucketName: string) => {
                const bucket = p.ofType(T.bucket).find((b) => p.inputs(b).bucket === bucketName)!;
                const policy = p.companionsOf(bucket, T.bucketPolicy)[0];
                if (!writer.dependencies.includes(policy.urn)) late.push(`${writer.name} does not wait for ${policy.name}`);
            };
            const [trail] = p.ofType(T.trail);
            check(trail, p.inputs(trail).s3BucketName);
            const [channel] = p.ofType(T.deliveryChannel);
            check(channel, p.inputs(channel).s3BucketName);
            const [alb] = p.ofType(T.loadBalancer);
            check(alb, p.inputs(alb).accessLogs.bucket);
            assert.deepEqual(late, []);
        });

        // security-groups.test.ts. Fails today: stacks/platform.ts never passes `s3PrefixListId` to the compute layer, so
        // the bastion's only egress is HTTPS to the VPC and AL2023's package repositories (S3) are unreachable
        // (code-review.md §3.4 #3). S3 gateway endpoints are reached through their prefix list:
        // https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html
        it("the bastion may reach S3 over HTTPS through the gateway endpoint's prefix list", () => {
            const bastionSg = p.ofType(T.securityGroup).find((g) => g.name === "bastion-sg");
            if (!bastionSg) return; // no bastion in this stack
            const egress = p.ofType(T.egress).filter((e) => p.deps(e, "securityGroupId").includes(bastionSg)).map((e) => p.inputs(e));
            assert.ok(egress.some((e) => e.prefixListId && e.fromPort === 443), JSON.stringify(egress));
        });
    });
}
