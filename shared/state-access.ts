import { BucketPolicyStatement } from "../components";

/** A workload stack and the ARNs of its deploy and preview roles (in the workload account). */
export interface StateTarget {
    workload: { stack: string; accountId: string };
    deploy: string;
    preview: string;
}

/**
 * The objects of one stack in Pulumi's DIY (S3) backend with project-scoped stacks: its checkpoint, history,
 * backups and locks, each under `<project>/<stack>`. https://www.pulumi.com/docs/iac/concepts/state-and-backends/
 */
export function stackObjectArns(bucket: string, project: string, stack: string): { all: string[]; locks: string } {
    const base = `arn:aws:s3:::${bucket}/.pulumi`;
    return {
        all: [`${base}/stacks/${project}/${stack}.json*`, ...["history", "backups", "locks"].map((d) => `${base}/${d}/${project}/${stack}/*`)],
        locks: `${base}/locks/${project}/${stack}/*`,
    };
}

/**
 * Role principals go into an `aws:PrincipalArn` condition under the account root: S3 and KMS refuse a policy naming a
 * role that does not exist yet, and this account is created before the workload accounts' roles.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
function principal(accountId: string, roleArn: string) {
    return { Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Condition: { ArnEquals: { "aws:PrincipalArn": roleArn } } };
}

/**
 * Bucket policy statements: each workload's deploy role reads and writes only its own stack's objects, its preview
 * role reads them and writes only its lock; both read the backend's meta.yaml and list the bucket.
 */
export function stateAccessStatements(bucket: string, project: string, targets: StateTarget[]): BucketPolicyStatement[] {
    return targets.flatMap((t, i) => {
        const objects = stackObjectArns(bucket, project, t.workload.stack);
        const meta = `arn:aws:s3:::${bucket}/.pulumi/meta.yaml`;
        const sid = (what: string) => `${what}${i}${t.workload.stack.replace(/[^A-Za-z0-9]/g, "")}`;
        return [
            {
                Sid: sid("DeployState"),
                Effect: "Allow",
                ...principal(t.workload.accountId, t.deploy),
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                Resource: objects.all,
            },
            { Sid: sid("PreviewState"), Effect: "Allow", ...principal(t.workload.accountId, t.preview), Action: ["s3:GetObject"], Resource: objects.all },
            {
                Sid: sid("PreviewLock"),
                Effect: "Allow",
                ...principal(t.workload.accountId, t.preview),
                Action: ["s3:PutObject", "s3:DeleteObject"],
                Resource: objects.locks,
            },
            ...[t.deploy, t.preview].map((role, k) => ({
                Sid: sid(`ListAndMeta${k ? "Preview" : "Deploy"}`),
                Effect: "Allow",
                ...principal(t.workload.accountId, role),
                Action: ["s3:ListBucket", "s3:GetObject"],
                Resource: [`arn:aws:s3:::${bucket}`, meta],
            })),
        ];
    });
}

/** Key policy statements: the workload roles may use the state key only through S3 in this region (their state objects). */
export function stateKeyStatements(region: string, targets: StateTarget[]): Record<string, unknown>[] {
    return targets.flatMap((t, i) =>
        [t.deploy, t.preview].map((role, k) => ({
            Sid: `StateThroughS3${i}${k ? "Preview" : "Deploy"}`,
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${t.workload.accountId}:root` },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { ArnEquals: { "aws:PrincipalArn": role }, StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
        })),
    );
}
