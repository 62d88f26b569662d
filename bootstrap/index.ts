// The state backend of one AWS account: an S3 bucket for Pulumi state (`pulumi login s3://...`) and the KMS key
// that encrypts each stack's secrets (`--secrets-provider awskms://...`). Run it once per account with local state
// (`pulumi login --local`), then move its own state into the bucket it made (README, "State backend").
// It reads only the region and the stack name, so it also runs offline: `npm run plan -- --stack <s> --program bootstrap/index.ts`.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export = async () => {
    const region = new pulumi.Config("aws").require("region");
    const stack = pulumi.getStack();
    const provider = new aws.Provider("bootstrap", { region: region as aws.Region });
    const opts = { provider, protect: true };
    const account = (await aws.getCallerIdentity({}, { provider })).accountId;
    const tags = {
        environment: stack.startsWith("prod") ? "prod" : "dev", project: "platform", service: "pulumi-state", owner: "platform-engineering",
        "data-classification": "confidential", "cost-center": "cc-1000-platform-shared", "managed-by": "pulumi",
    };

    const key = new aws.kms.Key("pulumi-secrets", {
        description: "Encrypts the secrets in the platform's Pulumi stack configs and state (awskms:// secrets provider)",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
        }),
        tags,
    }, opts);
    const alias = new aws.kms.Alias("pulumi-secrets", { name: "alias/pulumi-secrets", targetKeyId: key.keyId }, { provider });

    const bucketName = `platform-pulumi-state-${account}-${region}`;
    const bucket = new aws.s3.Bucket("state", { bucket: bucketName, objectLockEnabled: false, tags }, opts);
    const child = { provider, dependsOn: [bucket] };
    new aws.s3.BucketServerSideEncryptionConfiguration("state-sse", {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
    }, child);
    new aws.s3.BucketVersioning("state-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
    new aws.s3.BucketPublicAccessBlock("state-pab", {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, child);
    new aws.s3.BucketOwnershipControls("state-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketLifecycleConfiguration("state-lifecycle", {
        bucket: bucket.id,
        rules: [{
            id: "expire-old-state-versions", status: "Enabled", filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 365 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }],
    }, child);
    new aws.s3.BucketPolicy("state-tls-only", {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
                Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }],
        }),
    }, child);

    return {
        stateBucket: bucket.bucket,
        loginUrl: pulumi.interpolate`s3://${bucket.bucket}?region=${region}&awssdk=v2`,
        secretsProvider: pulumi.interpolate`awskms://${alias.name}?region=${region}`,
    };
};
