import { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import {
    PlatformPolicy,
    UNKNOWN,
    asList,
    configOf,
    isProd,
    known,
    mapped,
    pointingAt,
    statements,
    truthy,
    principalIsEveryone,
    publicAllowProblem,
} from "./lib/kit";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../standards/elb-log-delivery";
import { honourExceptions } from "./lib/exceptions";

/**
 * S3 and secrets policies. In @pulumi/aws 7 a bucket's settings are companion resources pointing at it, so the S3
 * checks are stack policies joining each bucket to its companions through property dependencies (`pointingAt`).
 * Each accepts the v7 type and its deprecated `...V2` alias.
 */

const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const POLICY = ["aws:s3/bucketPolicy:BucketPolicy"];
const PAB = ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"];
const OWNERSHIP = ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"];
const ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];
const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];
const LOCK = ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"];
const LIFECYCLE = ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"];
const LOGGING = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

/** Tags the SecureBucket component writes (components/storage/secure-bucket.ts); the pack keys bucket-specific checks on them. */
const BUCKET_PURPOSE_TAG = "bucket-purpose";
const RETENTION_CLASS_TAG = "retention-class";

/** The companions of `types` whose `prop` points at `target`. */
function joined(resources: PolicyResource[], types: string[], prop: string, target: PolicyResource): PolicyResource[] {
    return types.flatMap((t) => pointingAt(resources, t, prop, target));
}

/** A stack policy body that checks every bucket: `check` returns the problem, or undefined when the bucket complies. */
function eachBucket(check: (bucket: PolicyResource, args: StackValidationArgs) => string | undefined) {
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const bucket of args.resources.filter((r) => BUCKETS.includes(r.type))) {
            const problem = check(bucket, args);
            if (problem) reportViolation(`bucket ${bucket.name}: ${problem}`, bucket.urn);
        }
    };
}

const purposeOf = (bucket: PolicyResource): string | undefined => bucket.props.tags?.[BUCKET_PURPOSE_TAG];

export const s3TlsOnly: PlatformPolicy = {
    name: "s3-tls-only",
    description:
        "Every bucket's policy denies every request that does not use TLS (aws:SecureTransport false); a bucket served through the HTTP-only S3 " +
        "website endpoint says so with an exception tag and its reason.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["S3.5"], cis: ["2.1.1"], nist: ["SC-8", "SC-8(1)"], soc2: ["CC6.7"], iso: ["A.8.24"] }),
    remediationSteps:
        'Create the bucket through SecureBucket, or add a bucket policy statement: Deny, Principal "*", Action s3:*, Resource the bucket and its ' +
        'objects, Condition Bool aws:SecureTransport false.',
    validateStack: eachBucket((bucket, args) => {
        const policies = joined(args.resources, POLICY, "bucket", bucket);
        const docs = policies.map((p) => known(() => p.props.policy));
        const all = docs.flatMap((d) => statements(d));
        const insecureDeny = all.filter((s) => s.Effect === "Deny" && principalIsEveryone(s) && String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false");
        if (insecureDeny.some((s) => asList(s.Action).some((a) => a === "s3:*" || a === "*"))) return undefined;
        if (docs.includes(UNKNOWN)) return undefined; // the document embeds values of new resources: judged when they exist
        return policies.length === 0
            ? "has no bucket policy, so plain-HTTP requests are allowed"
            : "its bucket policy does not deny requests without TLS (aws:SecureTransport false)";
    }),
};

export const s3PublicAccessBlock: PlatformPolicy = {
    name: "s3-public-access-block",
    description: "Every bucket has a public access block with all four settings on.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ fsbp: ["S3.8"], cis: ["2.1.4"], nist: ["AC-3", "SC-7"], soc2: ["CC6.1"], iso: ["A.8.3", "A.8.12"] }),
    remediationSteps:
        "Create the bucket through SecureBucket, or add a BucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and " +
        "restrictPublicBuckets all true.",
    validateStack: eachBucket((bucket, args) => {
        const blocks = joined(args.resources, PAB, "bucket", bucket);
        if (blocks.length === 0) return "has no public access block";
        const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
        const off = flags.filter((f) => !blocks.some((b) => truthy(b.props[f])));
        return off.length ? `public access block leaves ${off.join(", ")} off` : undefined;
    }),
};

export const s3OwnershipEnforced: PlatformPolicy = {
    name: "s3-ownership-enforced",
    description: "Every bucket disables ACLs (object ownership BucketOwnerEnforced); no ACL resources or inline ACLs exist.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["S3.12"], nist: ["AC-3", "AC-6"], soc2: ["CC6.3"], iso: ["A.5.15", "A.8.3"] }),
    remediationSteps:
        "Create the bucket through SecureBucket, or add BucketOwnershipControls with objectOwnership BucketOwnerEnforced; grant access with bucket " +
        "policies, not ACLs.",
    validateStack: (args, reportViolation) => {
        eachBucket((bucket) => {
            if (bucket.props.acl !== undefined || bucket.props.grants !== undefined) return "sets an ACL inline (acl/grants)";
            const controls = joined(args.resources, OWNERSHIP, "bucket", bucket);
            return controls.some((c) => asList(c.props.rule).some((r: any) => r?.objectOwnership === "BucketOwnerEnforced"))
                ? undefined : "object ownership is not BucketOwnerEnforced (ACLs stay enabled)";
        })(args, reportViolation);
        for (const acl of args.resources.filter((r) => ACL.includes(r.type))) {
            reportViolation(`${acl.name}: bucket ACL resources are not allowed (ACLs are disabled; use a bucket policy)`, acl.urn);
        }
    },
};


/** Accounts the stack itself is: those administering its KMS keys through IAM (`arn:aws:iam::<account>:root`). */
export function ownAccounts(resources: PolicyResource[]): Set<string> {
    const accounts = new Set<string>();
    for (const key of resources.filter((r) => r.type === "aws:kms/key:Key")) {
        for (const s of statements(known(() => key.props.policy))) {
            for (const p of asList(s.Principal?.AWS)) {
                const m = /^arn:aws[a-z-]*:iam::(\d{12}):root$/.exec(String(p));
                if (m && s.Effect === "Allow") accounts.add(m[1]);
            }
        }
    }
    return accounts;
}

/** The account of a principal given as an ARN or a bare account id. */
export function accountOf(principal: string): string | undefined {
    return /^(\d{12})$/.exec(principal)?.[1] ?? /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/**
 * ALB log delivery by a regional ELB account in AWS's published list, PutObject only, under AWSLogs/ only: the grant
 * AWS documents for regions older than August 2022. Recognised by principal and scope, not by statement id.
 */
function isElbLogDeliveryGrant(s: any): boolean {
    const accounts = asList<string>(s.Principal?.AWS).map(String).map(accountOf);
    return accounts.length > 0 && accounts.every((a) => !!a && ELB_LOG_DELIVERY_ACCOUNTS.includes(a))
        && asList(s.Action).every((a) => a === "s3:PutObject") && asList(s.Resource).every((r) => /\/AWSLogs\/\d{12}\/\*$/.test(String(r)));
}

export const bucketPolicyNotPublic: PlatformPolicy = {
    name: "bucket-policy-not-public",
    description: "No bucket policy allows \"*\" without a condition that fixes the source or principal, or allows a foreign account without a condition.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ fsbp: ["S3.2", "S3.3"], nist: ["AC-3", "AC-21"], soc2: ["CC6.1"], iso: ["A.8.3", "A.8.12"] }),
    remediationSteps:
        'Name principals explicitly; an Allow to "*" needs a fixing condition (aws:SourceIp to specific CIDRs, aws:SourceVpce, aws:PrincipalArn, ' +
        '...); list cross-account principals in trustedAccountIds or condition them.',
    configSchema: {
        properties: {
            trustedAccountIds: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Other accounts bucket policies may grant to without a condition.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, { trustedAccountIds: [] as string[] });
        const own = ownAccounts(args.resources);
        for (const bp of args.resources.filter((r) => POLICY.includes(r.type))) {
            for (const s of statements(known(() => bp.props.policy)).filter((x) => x.Effect === "Allow")) {
                if (principalIsEveryone(s)) {
                    const problem = publicAllowProblem(s);
                    if (problem) reportViolation(`${bp.name}: ${problem}`, bp.urn);
                    continue;
                }
                if (s.Condition || isElbLogDeliveryGrant(s)) continue;
                const foreign = asList<string>(s.Principal?.AWS).map(String).map(accountOf)
                    .filter((a): a is string => !!a && !own.has(a) && !cfg.trustedAccountIds.includes(a));
                if (foreign.length)
                    reportViolation(`${bp.name}: statement ${s.Sid ?? "(no Sid)"} allows account ${foreign.join(", ")} without a condition`, bp.urn);
            }
        }
    },
};

export const s3Versioning: PlatformPolicy = {
    name: "s3-versioning",
    description: "Every bucket has versioning enabled.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["S3.14"], nist: ["CP-9"], soc2: ["A1.2"], iso: ["A.8.13"] }),
    remediationSteps: "Create the bucket through SecureBucket, or add a BucketVersioning with status Enabled.",
    validateStack: eachBucket((bucket, args) =>
        joined(args.resources, VERSIONING, "bucket", bucket).some((v) => asList(v.props.versioningConfiguration).some((c: any) => c?.status === "Enabled"))
            ? undefined : "versioning is not enabled"),
};

const LOCK_DEFAULTS = { lockedPurposes: ["evidence", "backups"], lockedNamePattern: "(^|[-.])(evidence|backups?)([-.]|$)" };

export const s3ObjectLock: PlatformPolicy = {
    name: "s3-object-lock",
    description:
        "Evidence and backup buckets (by bucket-purpose tag, retention-class tag or name) are created with Object Lock and have a default " +
        "retention; COMPLIANCE mode in prod.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["S3.15"], nist: ["AU-9", "CP-9"], soc2: ["A1.2", "PI1.5"], iso: ["A.5.33", "A.8.13"] }),
    remediationSteps:
        "Create the bucket through SecureBucket with objectLock (mode and days from platform:storage); Object Lock can only be enabled when the " +
        "bucket is created.",
    configSchema: {
        properties: {
            lockedPurposes: {
                type: "array",
                items: { type: "string" },
                default: LOCK_DEFAULTS.lockedPurposes,
                description: "bucket-purpose tag values that require Object Lock.",
            },
            lockedNamePattern: {
                type: "string",
                default: LOCK_DEFAULTS.lockedNamePattern,
                description: "Bucket names (regular expression) that require Object Lock, whatever their tags.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, LOCK_DEFAULTS);
        const namePattern = new RegExp(cfg.lockedNamePattern);
        eachBucket((bucket) => {
            const name = String(bucket.props.bucket ?? bucket.name);
            const required =
                cfg.lockedPurposes.includes(purposeOf(bucket) ?? "") || bucket.props.tags?.[RETENTION_CLASS_TAG] === "object-lock" || namePattern.test(name);
            if (!required) return undefined;
            if (!truthy(bucket.props.objectLockEnabled)) return "must be created with objectLockEnabled (evidence/backups; it cannot be added later)";
            const retention = joined(args.resources, LOCK, "bucket", bucket)
                .flatMap((l) => asList(l.props.rule))
                .map((r: any) => r?.defaultRetention)
                .find((d) => d);
            if (!retention || !["GOVERNANCE", "COMPLIANCE"].includes(retention.mode) || !(Number(retention.days) > 0 || Number(retention.years) > 0)) {
                return "has no Object Lock configuration with a default retention (mode and days)";
            }
            return isProd(bucket.props) && retention.mode !== "COMPLIANCE" ? `uses ${retention.mode} retention; prod requires COMPLIANCE` : undefined;
        })(args, reportViolation);
    },
};

export const s3Lifecycle: PlatformPolicy = {
    name: "s3-lifecycle",
    description:
        "Every bucket has a lifecycle configuration that aborts incomplete multipart uploads and expires noncurrent versions; evidence moves to " +
        "Glacier Deep Archive.",
    enforcementLevel: "mandatory", severity: "low",
    ...mapped({ fsbp: ["S3.13"], nist: ["SI-12"], soc2: ["C1.2"], iso: ["A.8.10", "A.5.33"] }),
    remediationSteps:
        "Create the bucket through SecureBucket (noncurrentVersionExpiryDays, transitions), or add a BucketLifecycleConfiguration with those rules.",
    validateStack: eachBucket((bucket, args) => {
        const rules = joined(args.resources, LIFECYCLE, "bucket", bucket).flatMap((l) => asList<any>(l.props.rules)).filter((r) => r?.status === "Enabled");
        if (rules.length === 0) return "has no enabled lifecycle rules";
        const missing = [
            rules.some((r) => Number(asList<any>(r.abortIncompleteMultipartUpload)[0]?.daysAfterInitiation) > 0)
                ? undefined
                : "abort incomplete multipart uploads",
            rules.some((r) => Number(asList<any>(r.noncurrentVersionExpiration)[0]?.noncurrentDays) > 0) ? undefined : "expire noncurrent versions",
            purposeOf(bucket) !== "evidence" || rules.some((r) => asList<any>(r.transitions).some((t) => t?.storageClass === "DEEP_ARCHIVE"))
                ? undefined
                : "move evidence to DEEP_ARCHIVE",
        ].filter((m) => m);
        return missing.length ? `lifecycle rules do not ${missing.join(", ")}` : undefined;
    }),
};

export const s3AccessLogging: PlatformPolicy = {
    name: "s3-access-logging",
    description:
        "Every bucket writes server access logs to a log bucket; a bucket that is itself a log target (or tagged bucket-purpose access-logs) is exempt.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["S3.9"], cis: ["3.4"], nist: ["AU-2", "AU-12"], soc2: ["CC7.2"], iso: ["A.8.15"] }),
    remediationSteps:
        "Create the bucket through SecureBucket with accessLogBucket, or add a BucketLogging with targetBucket the stack's access-log bucket (same region).",
    validateStack: eachBucket((bucket, args) => {
        const isTarget = joined(args.resources, LOGGING, "targetBucket", bucket).length > 0 || purposeOf(bucket) === "access-logs";
        if (isTarget) return undefined;
        const logging = joined(args.resources, LOGGING, "bucket", bucket);
        return logging.some((l) => l.props.targetBucket !== undefined || (l.propertyDependencies.targetBucket ?? []).length > 0)
            ? undefined
            : "has no server access logging";
    }),
};

export const secretsRotation: PlatformPolicy = {
    name: "secrets-rotation",
    description: "A secret whose type has a rotation Lambda (tagged rotation: lambda) has a SecretRotation with a schedule no longer than maxRotationDays.",
    enforcementLevel: "advisory", severity: "medium",
    ...mapped({ fsbp: ["SecretsManager.1", "SecretsManager.4"], nist: ["IA-5"], soc2: ["CC6.1"], iso: ["A.5.17"] }),
    remediationSteps:
        "Create the secret through ManagedSecret with rotation { lambdaArn, days: platform:secrets.rotationDays }; secrets without a rotation " +
        "Lambda are tagged rotation: manual and rotated by runbook.",
    configSchema: { properties: { maxRotationDays: { type: "number", default: 90, description: "Longest automatic rotation interval accepted." } } },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, { maxRotationDays: 90 });
        for (const secret of args.resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret")) {
            if (secret.props.tags?.rotation !== "lambda") continue;
            const rotations = pointingAt(args.resources, "aws:secretsmanager/secretRotation:SecretRotation", "secretId", secret);
            const rules = rotations.flatMap((r) => asList<any>(r.props.rotationRules));
            if (rules.length === 0) reportViolation(`secret ${secret.name} has a rotation Lambda but no SecretRotation`, secret.urn);
            else if (
                !rules.some((r) => r?.scheduleExpression || (Number(r?.automaticallyAfterDays) > 0 && Number(r?.automaticallyAfterDays) <= cfg.maxRotationDays))
            ) {
                reportViolation(`secret ${secret.name} rotates less often than every ${cfg.maxRotationDays} days`, secret.urn);
            }
        }
    },
};

/** Stateful types whose loss is data loss: protected in prod. */
const PROTECTED_TYPES: readonly string[] = [
    ...BUCKETS, "aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey",
    "aws:backup/vault:Vault", "aws:secretsmanager/secret:Secret", "aws:dynamodb/table:Table",
];

export const protectStateful: PlatformPolicy = {
    name: "protect-stateful",
    description:
        "In prod, buckets, database instances and clusters, KMS keys, backup vaults and secrets are protected and no bucket sets forceDestroy " +
        "(retainOnDelete alone does not count: the engine does not pass it to policies).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["CM-3", "CP-9"], soc2: ["A1.2", "CC8.1"], iso: ["A.8.13", "A.8.32"] }),
    remediationSteps:
        "Pass protect: true (the components' `protect` Arg, true in prod); never set forceDestroy. retainOnDelete may be added, but the analyzer's " +
        "resource options (protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts, parent) do not carry it.",
    validateResource: (args, reportViolation) => {
        if (!PROTECTED_TYPES.includes(args.type) || !isProd(args.props)) return;
        if (truthy(args.props.forceDestroy)) reportViolation(`${args.name}: forceDestroy is set on a prod ${args.type.split(":").pop()}`);
        if (!args.opts?.protect) reportViolation(`${args.name}: prod ${args.type.split(":").pop()} is not protected`);
    },
};

export const storagePolicies: PlatformPolicy[] = honourExceptions([
    s3TlsOnly, s3PublicAccessBlock, s3OwnershipEnforced, bucketPolicyNotPublic, s3Versioning, s3ObjectLock, s3Lifecycle, s3AccessLogging,
    secretsRotation, protectStateful,
]);
