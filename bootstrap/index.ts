// The state backend of one AWS account: an S3 bucket for Pulumi state (`pulumi login s3://...`) and the KMS key
// that encrypts each stack's secrets (`--secrets-provider awskms://...`). Run it once per account with local state
// (`pulumi login --local`), then move its own state into the bucket it made (README, "State backend").
// It reads only the region and the stack name, so it also runs offline: `npm run plan -- --stack <s> --program bootstrap/index.ts`.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { SecureBucket, keyPolicy, serviceGrants } from "../components";
import { applyStandardTags } from "../stacks/tagging";

export = async () => {
    const region = new pulumi.Config("aws").require("region");
    const stack = pulumi.getStack();
    applyStandardTags({
        environment: stack.startsWith("prod") ? "prod" : "dev", project: "platform", service: "pulumi-state", owner: "platform-engineering",
        "data-classification": "confidential", "cost-center": "cc-1000-platform-shared", "managed-by": "pulumi", stack,
    });
    const provider = new aws.Provider("bootstrap", { region: region as aws.Region });
    const account = (await aws.getCallerIdentity({}, { provider })).accountId;

    // The "data" grants let S3 server access logging write into the KMS-encrypted log bucket.
    const key = new aws.kms.Key("pulumi-secrets", {
        description: "Encrypts the platform's Pulumi state bucket and the secrets in its stack configs (awskms:// secrets provider)",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: keyPolicy(account, serviceGrants("data", region, account)),
    }, { provider, protect: true });
    const alias = new aws.kms.Alias("pulumi-secrets", { name: "alias/pulumi-secrets", targetKeyId: key.keyId }, { provider });

    const common = { kmsKeyArn: key.arn, protect: true };
    const accessLogs = new SecureBucket("state-access-logs", {
        ...common, bucketName: `platform-pulumi-state-logs-${account}-${region}`, purpose: "access-logs", isAccessLogTarget: true,
        noncurrentVersionExpiryDays: 30, expirationDays: 365,
    }, { provider });
    // Object Lock stays off: Pulumi rewrites the state objects; versioning keeps every earlier state for a year.
    const state = new SecureBucket("state", {
        ...common, bucketName: `platform-pulumi-state-${account}-${region}`, purpose: "pulumi-state",
        noncurrentVersionExpiryDays: 365, accessLogBucket: accessLogs.bucketName,
    }, { provider });

    return {
        stateBucket: state.bucketName,
        loginUrl: pulumi.interpolate`s3://${state.bucketName}?region=${region}&awssdk=v2`,
        secretsProvider: pulumi.interpolate`awskms://${alias.name}?region=${region}`,
    };
};
