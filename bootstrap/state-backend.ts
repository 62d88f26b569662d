// The Pulumi state backend of one account: the state bucket (with its access-log bucket) and the KMS key that encrypts
// the bucket and stack secrets (alias/pulumi-secrets). bootstrap/ (one account, its own stacks) and shared/ (the
// shared-services account, every workload's state) build it with the same logical and physical names.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { BucketPolicyStatement, SecureBucket, keyPolicy, serviceGrants } from "../components";
import { stateBucketName } from "../stacks/topology";

export interface StateBackendArgs {
    provider: aws.Provider;
    account: string;
    region: string;
    /** Extra key policy statements (shared/: workload roles may use the key through S3 for their state objects). */
    keyStatements?: Record<string, unknown>[];
    /** Extra bucket policy statements (shared/: each workload's roles, under their own stack's prefixes). */
    bucketStatements?: BucketPolicyStatement[];
}

export interface StateBackend {
    stateBucket: pulumi.Output<string>;
    keyArn: pulumi.Output<string>;
    loginUrl: pulumi.Output<string>;
    secretsProvider: pulumi.Output<string>;
}

export function buildStateBackend(args: StateBackendArgs): StateBackend {
    const { provider, account, region } = args;
    const policy = keyPolicy(account, serviceGrants("data", region, account));
    // The "data" grants let S3 server access logging write into the KMS-encrypted log bucket.
    const key = new aws.kms.Key("pulumi-secrets", {
        description: "Encrypts the platform's Pulumi state bucket and the secrets in its stack configs (awskms:// secrets provider)",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: args.keyStatements?.length
            ? pulumi.all([policy, pulumi.output(args.keyStatements)]).apply(([p, extra]) => {
                const doc = JSON.parse(p);
                return JSON.stringify({ ...doc, Statement: [...doc.Statement, ...extra] });
            })
            : policy,
    }, { provider, protect: true });
    const alias = new aws.kms.Alias("pulumi-secrets", { name: "alias/pulumi-secrets", targetKeyId: key.keyId }, { provider });

    const common = { kmsKeyArn: key.arn, protect: true };
    const bucketName = stateBucketName(account, region);
    const accessLogs = new SecureBucket("state-access-logs", {
        ...common, bucketName: `platform-pulumi-state-logs-${account}-${region}`, purpose: "access-logs", isAccessLogTarget: true,
        noncurrentVersionExpiryDays: 30, expirationDays: 365,
    }, { provider });
    // Object Lock stays off: Pulumi rewrites the state objects; versioning keeps every earlier state for a year.
    const state = new SecureBucket("state", {
        ...common, bucketName, purpose: "pulumi-state",
        noncurrentVersionExpiryDays: 365, accessLogBucket: accessLogs.bucketName,
        ...(args.bucketStatements?.length ? { policyStatements: args.bucketStatements } : {}),
    }, { provider });
    return {
        stateBucket: state.bucketName,
        keyArn: key.arn,
        loginUrl: pulumi.interpolate`s3://${state.bucketName}?region=${region}&awssdk=v2`,
        secretsProvider: pulumi.interpolate`awskms://${alias.name}?region=${region}`,
    };
}
