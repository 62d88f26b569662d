// The state backend of one AWS account: an S3 bucket for Pulumi state (`pulumi login s3://...`) and the KMS key
// that encrypts each stack's secrets (`--secrets-provider awskms://...`). Run it once per account with local state
// (`pulumi login --local`), then move its own state into the bucket it made (README, "State backend").
// It reads only the region and the stack name, so it also runs offline: `npm run plan -- --stack <s> --program bootstrap/index.ts`.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { applyStandardTags } from "../stacks/tagging";
import { buildStateBackend } from "./state-backend";

export = async () => {
    const region = new pulumi.Config("aws").require("region");
    const stack = pulumi.getStack();
    applyStandardTags({
        environment: stack.startsWith("prod") ? "prod" : "dev", project: "platform", service: "pulumi-state", owner: "platform-engineering",
        "data-classification": "confidential", "cost-center": "cc-1000-platform-shared", "managed-by": "pulumi", stack,
    });
    const provider = new aws.Provider("bootstrap", { region: region as aws.Region });
    const account = (await aws.getCallerIdentity({}, { provider })).accountId;

    const backend = buildStateBackend({ provider, account, region });
    return { stateBucket: backend.stateBucket, loginUrl: backend.loginUrl, secretsProvider: backend.secretsProvider };
};
