import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import { PlatformConfig } from "./config";

export interface Providers {
    /** AWS in the stack's region, with the standard tag set as defaultTags. */
    aws: aws.Provider;
    /** AWS in the DR region, where the stack copies backups cross-region. */
    dr?: aws.Provider;
    cloudflare: cloudflare.Provider;
}

/**
 * Explicit providers, so no resource silently lands in a default region. `allowedAccountIds` pins each AWS provider
 * to the stack's account: with another account's credentials the provider fails before it reads or changes anything
 * ("AWS account ID not allowed"). https://www.pulumi.com/registry/packages/aws/api-docs/provider/#allowedaccountids
 */
export function createProviders(cfg: PlatformConfig): Providers {
    const defaultTags = { tags: { ...cfg.tags } };
    const allowedAccountIds = [cfg.accountId];
    const primary = new aws.Provider("aws", { region: cfg.region as aws.Region, allowedAccountIds, defaultTags });
    const dr = cfg.dr.mode === "cross-region" && cfg.dr.region
        ? new aws.Provider("aws-dr", { region: cfg.dr.region as aws.Region, allowedAccountIds, defaultTags })
        : undefined;
    // Without a token in config the provider reads CLOUDFLARE_API_TOKEN (CI passes it from a GitHub environment secret).
    const cf = new cloudflare.Provider("cloudflare", cfg.secretValues.cloudflareApiToken ? { apiToken: cfg.secretValues.cloudflareApiToken } : {});
    return { aws: primary, dr, cloudflare: cf };
}

/** The account the stack deploys into, as the stack's credentials see it. */
export function accountIdOf(provider: aws.Provider): pulumi.Output<string> {
    return aws.getCallerIdentityOutput({}, { provider }).accountId;
}
