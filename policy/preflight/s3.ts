import { PolicyResource } from "@pulumi/policy";
import { asList, statements, truthy } from "../lib/kit";
import { PreflightPolicy, eachOf, ofTypes, referenced } from "./kit";
import { conditionKeys } from "./statements";

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const LOCK = ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"];
const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const PAB = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const SSE = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

/** The companions of `types` that point at `bucket` (property dependency or known bucket name). */
function companions(resources: PolicyResource[], types: string[], bucket: PolicyResource): PolicyResource[] {
    return ofTypes(resources, types).filter((c) => referenced(c, "bucket", resources, BUCKETS, ["bucket"]).some((b) => b.urn === bucket.urn));
}

export const preflightObjectLockPrerequisites: PreflightPolicy = {
    name: "preflight-object-lock-prerequisites",
    description: "An Object Lock configuration is only applied to a bucket created with objectLockEnabled and with versioning Enabled (S3 refuses " +
        "it otherwise).",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html",
    remediationSteps: "Create the bucket with objectLockEnabled: true (it cannot be added to an existing bucket through this resource) and add a " +
        "BucketVersioning with status Enabled.",
    validateStack: eachOf(LOCK, (lock, args) => referenced(lock, "bucket", args.resources, BUCKETS, ["bucket"]).flatMap((bucket) => [
        truthy(bucket.props.objectLockEnabled) ? undefined : `bucket ${bucket.name} was not created with objectLockEnabled`,
        companions(args.resources, VERSIONING, bucket).some((v) => asList<any>(v.props.versioningConfiguration).some((c) => c?.status === "Enabled"))
            ? undefined : `bucket ${bucket.name} has no versioning Enabled`,
    ])),
};

/** Parses an IPv4 or IPv6 CIDR's prefix length and family; undefined when it is not a CIDR. */
function cidr(value: string): { v6: boolean; prefix: number } | undefined {
    const m = /^([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?$/.exec(value.trim());
    if (!m) return undefined;
    const v6 = m[1].includes(":");
    return { v6, prefix: m[2] === undefined ? (v6 ? 128 : 32) : Number(m[2]) };
}

/** Condition keys that make an Allow to "*" non-public when fixed (S3 "The meaning of public"). */
const PINNING_KEYS = [
    "aws:sourcearn", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceowner", "aws:sourceaccount", "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principalorgid",
];

/** Why S3 counts a statement as public, or undefined. */
export function publicReason(s: any): string | undefined {
    const everyone = s.Principal === "*" || asList(s.Principal?.AWS).includes("*");
    if (s.Effect !== "Allow" || !everyone) return undefined;
    const keys = conditionKeys(s);
    if (keys.some((k) => PINNING_KEYS.includes(k))) return undefined;
    const ranges = Object.values<any>(s.Condition ?? {}).flatMap((block) => Object.entries(block ?? {}))
        .filter(([k]) => k.toLowerCase() === "aws:sourceip").flatMap(([, v]) => asList<any>(v).map(String));
    if (!ranges.length) return `statement ${s.Sid ?? "(no Sid)"} allows "*" without a condition that fixes the source or principal`;
    const broad = ranges.filter((r) => {
        const c = cidr(r);
        return !c || (c.v6 ? c.prefix < 32 : c.prefix < 8);
    });
    return broad.length ? `statement ${s.Sid ?? "(no Sid)"} allows "*" from ${broad.join(", ")}, broader than /8 (IPv4) or /32 (IPv6), which S3 ` +
        `evaluates as public` : undefined;
}

export const preflightBlockPublicAccess: PreflightPolicy = {
    name: "preflight-block-public-access",
    description: "A bucket policy that S3 counts as public (\"*\" without a pinning condition, or aws:SourceIp broader than /8 IPv4 or /32 IPv6) " +
        "is not put on a bucket whose own Block Public Access has blockPublicPolicy: PutBucketPolicy would be refused.",
    enforcementLevel: "mandatory", severity: "critical",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status",
    remediationSteps: "Split broad aws:SourceIp ranges into /8 (IPv4) or /32 (IPv6) pieces in the bucket policy, or pin the statement with " +
        "aws:SourceVpce/aws:PrincipalArn/...; keep BlockPublicPolicy on.",
    validateStack: eachOf(["aws:s3/bucketPolicy:BucketPolicy"], (bp, args) => {
        const blocked = referenced(bp, "bucket", args.resources, BUCKETS, ["bucket"]).filter((b) =>
            companions(args.resources, PAB, b).some((p) => truthy(p.props.blockPublicPolicy)));
        if (!blocked.length) return [];
        return statements(bp.props.policy).map(publicReason).map((reason) => reason && `${reason}; bucket ${blocked[0].name} blocks public ` +
            `policies, so PutBucketPolicy fails`);
    }),
};

export const preflightAlbLogBucketEncryption: PreflightPolicy = {
    name: "preflight-alb-log-bucket-encryption",
    description: "A load balancer's access/connection log bucket uses SSE-S3 (AES256): ELB log delivery does not support SSE-KMS, so enabling logs " +
        "fails or nothing is delivered.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#access-log-create-bucket",
    remediationSteps: "Give the ALB log bucket default encryption AES256 (SSE-S3); keep the bucket private with its own bucket policy.",
    validateStack: eachOf(["aws:lb/loadBalancer:LoadBalancer"], (lb, args) => ["accessLogs", "connectionLogs"].flatMap((field) => {
        if (!truthy(lb.props[field]?.enabled)) return [];
        return referenced(lb, field, args.resources, BUCKETS, ["bucket"]).map((bucket) => {
            const kms = companions(args.resources, SSE, bucket).flatMap((c) => asList<any>(c.props.rules))
                .some((r) => String(r?.applyServerSideEncryptionByDefault?.sseAlgorithm ?? "").startsWith("aws:kms"));
            return kms ? `${field} bucket ${bucket.name} is encrypted with SSE-KMS; ELB writes logs only to SSE-S3 buckets` : undefined;
        });
    })),
};
