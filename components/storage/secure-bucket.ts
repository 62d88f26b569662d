import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { validateBucketName } from "./bucket-name";
import { PolicyStatement, readFromSourceIpsStatement, tlsOnlyStatements } from "./bucket-policy-statements";
import { ComponentTags, withTags } from "../tags";

/** Tag the component writes on buckets with Object Lock; `s3-object-lock` holds every bucket carrying it to a lock configuration. */
export const RETENTION_CLASS_TAG = "retention-class";
/** Tag naming what a bucket is for (evidence, backups, ...); the pack keys its bucket-specific checks on it. */
export const BUCKET_PURPOSE_TAG = "bucket-purpose";

/**
 * The two cases in which S3 cannot use SSE-KMS, each named so it can be reviewed (the pack's `s3-sse-kms` accepts
 * SSE-S3 only for these shapes): ALB access-log delivery, and an S3 website endpoint serving anonymous reads.
 */
export type SseS3Reason = "alb-log-delivery" | "s3-website";

/**
 * The pack's exceptions each SSE-S3 case needs, as `compliance-exception:<policy>` tags whose value is the reason
 * (policy/lib/exceptions.ts; tag-value charset, at most 256 characters). Sources: ALB access logs support only SSE-S3
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html); the S3 website
 * endpoint is HTTP only and serves no SSE-KMS objects to anonymous readers
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html).
 */
export const SSE_S3_EXCEPTIONS: Readonly<Record<SseS3Reason, Record<string, string>>> = {
    "alb-log-delivery": {
        "compliance-exception:s3-sse-kms": "ALB access log delivery supports only SSE-S3 on the target bucket. "
            + "See docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
    },
    "s3-website": {
        "compliance-exception:s3-sse-kms": "The S3 website endpoint cannot serve SSE-KMS objects to anonymous readers so this Cloudflare-only "
            + "site bucket uses SSE-S3. See docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html",
        "compliance-exception:s3-tls-only": "The S3 website endpoint speaks HTTP only. Plain-HTTP GetObject is allowed from the Cloudflare "
            + "ranges alone and every other request must use TLS.",
    },
};

/** A lifecycle transition: after how many days objects move to which storage class. */
export interface LifecycleTransition {
    /** Days after creation before current versions move. */
    days: number;
    /** Target storage class, e.g. DEEP_ARCHIVE, GLACIER_IR, STANDARD_IA. */
    storageClass: "STANDARD_IA" | "ONEZONE_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR" | "GLACIER" | "DEEP_ARCHIVE";
}

/** Days noncurrent object versions are kept when the caller does not say (SecureBucketArgs.noncurrentVersionExpiryDays). */
const NONCURRENT_VERSION_EXPIRY_DAYS = 90;

/** What a caller decides about one bucket; everything else is the secure baseline. */
export interface SecureBucketArgs {
    /** Physical bucket name: explicit and deterministic (validated: 3-63, lowercase, S3 naming rules). */
    readonly bucketName: string;
    /** What the bucket is for (evidence, backups, access-logs, ...); written as the `bucket-purpose` tag. */
    readonly purpose: string;
    /** Customer-managed KMS key that encrypts every object (SSE-KMS, bucket keys on). Required unless `sseS3` is set. */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /** Use SSE-S3 instead of a CMK, only for one of the cases where S3 requires it; the reason is named. */
    readonly sseS3?: SseS3Reason;
    /** Protect the bucket from deletion and replacement; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /** Object Lock default retention; the bucket is then created with Object Lock enabled (it cannot be added later). */
    readonly objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
    /** Days before noncurrent object versions expire (how long an overwritten or deleted object can be recovered). Default: 90. */
    readonly noncurrentVersionExpiryDays?: number;
    /** Days before current objects expire (log buckets); omit to keep objects. */
    readonly expirationDays?: number;
    /** Storage-class transitions for current objects. */
    readonly transitions?: LifecycleTransition[];
    /** Name of the bucket that receives this bucket's server access logs (same region). Required unless `isAccessLogTarget`. */
    readonly accessLogBucket?: pulumi.Input<string>;
    /** This bucket is the access-log target itself: it does not log to itself. */
    readonly isAccessLogTarget?: boolean;
    /** Extra bucket-policy statements (after the TLS-only deny), e.g. a log-delivery grant or a VPC-endpoint restriction. */
    readonly policyStatements?: PolicyStatement[];
    /** Serve the bucket through the S3 website endpoint to `readableFrom` CIDRs only (e.g. Cloudflare's ranges). */
    readonly website?: { indexDocument: string; errorDocument: string; readableFrom: readonly string[] };
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/**
 * An S3 bucket that cannot be created insecurely: encrypted (SSE-KMS with a CMK and bucket keys, or SSE-S3 only for a
 * named exception), all four public-access blocks, ACLs disabled, a TLS-only bucket policy (applied after the
 * public-access block, so no public window), versioning, lifecycle (abort incomplete uploads after 7 days, expire
 * noncurrent versions), server access logging, Object Lock when asked (enabled at creation, after versioning).
 * Never `forceDestroy`.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** The bucket resource itself (for `dependsOn`, or to read any other attribute). */
    public readonly bucket: aws.s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly bucketRegionalDomainName: pulumi.Output<string>;
    /** The website endpoint (host name) when `website` is set. */
    public readonly websiteEndpoint?: pulumi.Output<string>;
    /** Versioning of the bucket; replication and Object Lock must wait for it. */
    public readonly versioning: aws.s3.BucketVersioning;
    /**
     * The bucket policy. Services that check the policy when they are created (CloudTrail, AWS Config's delivery
     * channel, ALB access/connection logs) must `dependsOn` it, not only on the bucket.
     */
    public readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:storage:SecureBucket", name, {}, withTags(opts, args.tags));
        validateSecureBucketArgs(name, args);
        const child = { parent: this };

        const bucket = new aws.s3.Bucket(name, {
            bucket: args.bucketName,
            objectLockEnabled: args.objectLock ? true : undefined,
            forceDestroy: false,
            tags: {
                Name: args.bucketName,
                [BUCKET_PURPOSE_TAG]: args.purpose,
                ...(args.objectLock ? { [RETENTION_CLASS_TAG]: "object-lock" } : {}),
                ...(args.sseS3 ? SSE_S3_EXCEPTIONS[args.sseS3] : {}),
            },
        }, { parent: this, protect: args.protect ?? true });

        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket: bucket.id,
            rules: [args.sseS3
                ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
                : { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn! }, bucketKeyEnabled: true }],
        }, child);

        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-pab`, {
            bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }, child);

        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, {
            bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);

        const statements: PolicyStatement[] = [
            ...tlsOnlyStatements(args.bucketName, args.website?.readableFrom),
            ...(args.website ? [readFromSourceIpsStatement(args.bucketName, args.website.readableFrom)] : []),
            ...(args.policyStatements ?? []),
        ];
        // After the public-access block: a policy never exists on the bucket before the block does.
        const policy = new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
        }, { ...child, dependsOn: [publicAccessBlock, ownership] });

        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, {
            bucket: bucket.id, versioningConfiguration: { status: "Enabled" },
        }, child);

        // Object Lock needs versioning; S3 refuses a lock configuration on a bucket without it.
        if (args.objectLock) {
            new aws.s3.BucketObjectLockConfiguration(`${name}-object-lock`, {
                bucket: bucket.id,
                objectLockEnabled: "Enabled",
                rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
            }, { ...child, dependsOn: [versioning] });
        }

        const everything = { prefix: "" };
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket: bucket.id,
            rules: [
                { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: everything, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                {
                    id: "expire-noncurrent-versions", status: "Enabled", filter: everything,
                    noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionExpiryDays ?? NONCURRENT_VERSION_EXPIRY_DAYS },
                },
                ...(args.transitions?.length ? [{
                    id: "transition-current-versions", status: "Enabled", filter: everything,
                    transitions: args.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
                }] : []),
                ...(args.expirationDays
                    ? [{ id: "expire-current-versions", status: "Enabled", filter: everything, expiration: { days: args.expirationDays } }]
                    : []),
            ],
        }, { ...child, dependsOn: [versioning] });

        if (!args.isAccessLogTarget) {
            new aws.s3.BucketLogging(`${name}-access-logging`, {
                bucket: bucket.id,
                targetBucket: args.accessLogBucket!,
                targetPrefix: `${args.bucketName}/`,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            }, child);
        }

        if (args.website) {
            const website = new aws.s3.BucketWebsiteConfiguration(`${name}-website`, {
                bucket: bucket.id,
                indexDocument: { suffix: args.website.indexDocument },
                errorDocument: { key: args.website.errorDocument },
            }, child);
            this.websiteEndpoint = website.websiteEndpoint;
        }

        this.bucketName = bucket.bucket;
        this.arn = bucket.arn;
        this.bucketRegionalDomainName = bucket.bucketRegionalDomainName;
        this.versioning = versioning;
        this.policy = policy;
        this.bucket = bucket;
        // Stryker disable next-line ObjectLiteral: the component's registered outputs only show in state and the CLI; callers read the fields above.
        this.registerOutputs({
            bucketName: this.bucketName, arn: this.arn, bucketRegionalDomainName: this.bucketRegionalDomainName, websiteEndpoint: this.websiteEndpoint,
        });
    }
}

/** Rejects argument combinations that would build an insecure or undeployable bucket, naming the component. */
export function validateSecureBucketArgs(name: string, args: SecureBucketArgs): void {
    const where = `SecureBucket ${name}`;
    validateBucketName(args.bucketName, where);
    if (!args.kmsKeyArn === !args.sseS3) throw new Error(`${where}: set exactly one of kmsKeyArn (SSE-KMS) or sseS3 (a named SSE-S3 exception)`);
    if (args.sseS3 === "s3-website" && !args.website) throw new Error(`${where}: sseS3 "s3-website" is only for a bucket served through the S3 ` +
        `website endpoint (website is not set)`);
    if (args.website && args.sseS3 !== "s3-website") throw new Error(`${where}: the S3 website endpoint cannot serve SSE-KMS objects to anonymous ` +
        `requests; set sseS3: "s3-website"`);
    if (args.website && args.website.readableFrom.length === 0) throw new Error(`${where}: website.readableFrom is empty; refusing a website ` +
        `bucket readable from nowhere or everywhere`);
    // Stryker disable next-line Regex: equivalent for CIDRs: a prefix length never has a leading zero, so "/0" can only end the string.
    if (args.website?.readableFrom.some((c) => /\/0$/.test(c))) throw new Error(`${where}: website.readableFrom contains a /0 range (that is public)`);
    if (!!args.accessLogBucket === !!args.isAccessLogTarget) throw new Error(`${where}: set exactly one of accessLogBucket (where this bucket ` +
        `logs) or isAccessLogTarget`);
    if (args.objectLock && !(Number.isInteger(args.objectLock.days) && args.objectLock.days >= 1)) throw new Error(`${where}: objectLock.days must ` +
        `be a whole number >= 1, got ${args.objectLock.days}`);
    const noncurrentDays = args.noncurrentVersionExpiryDays ?? NONCURRENT_VERSION_EXPIRY_DAYS;
    if (!(Number.isInteger(noncurrentDays) && noncurrentDays >= 1)) {
        throw new Error(`${where}: noncurrentVersionExpiryDays must be a whole number >= 1, got ${noncurrentDays}`);
    }
    if (args.expirationDays !== undefined && !(Number.isInteger(args.expirationDays) && args.expirationDays >= 1)) throw new Error(`${where}: ` +
        `expirationDays must be a whole number >= 1, got ${args.expirationDays}`);
}
