/**
 * Where each AWS Config managed rule the program creates is offered, as AWS documents it on the rule's page
 * ("AWS Region: All supported AWS regions except ..."). `unavailableIn` lists the exceptions among the regions the
 * stacks use or may use; PutConfigRule with an identifier a region does not offer fails with
 * InvalidParameterValueException, so a rule is skipped (with a plan warning) where it is listed here.
 * Refresh: re-read each page (or `aws configservice put-config-rule` in a sandbox of the region) and update `read`.
 */
export interface RuleAvailability {
    /** Region codes (of those this program deploys to or might) the rule's page excludes. */
    unavailableIn: readonly string[];
    /** The rule's page in the AWS Config developer guide. */
    source: string;
    /** Date the page was read (YYYY-MM-DD). */
    read: string;
}

const page = (slug: string) => `https://docs.aws.amazon.com/config/latest/developerguide/${slug}.html`;
const READ = "2026-12-03";
const everywhere = (slug: string): RuleAvailability => ({ unavailableIn: [], source: page(slug), read: READ });

/** The regions where each managed AWS Config rule is documented as unavailable. */
export const CONFIG_RULE_AVAILABILITY: Readonly<Record<string, RuleAvailability>> = {
    S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: everywhere("s3-bucket-server-side-encryption-enabled"),
    S3_BUCKET_PUBLIC_READ_PROHIBITED: everywhere("s3-bucket-public-read-prohibited"),
    S3_BUCKET_SSL_REQUESTS_ONLY: everywhere("s3-bucket-ssl-requests-only"),
    // Exceptions: China, Thailand, GovCloud, Mexico, Taipei.
    S3_BUCKET_VERSIONING_ENABLED: everywhere("s3-bucket-versioning-enabled"),
    RDS_STORAGE_ENCRYPTED: everywhere("rds-storage-encrypted"),
    RDS_INSTANCE_PUBLIC_ACCESS_CHECK: everywhere("rds-instance-public-access-check"),
    // il-central-1 was checked on this rule's page in the AWS deployability review (2026-12); not re-read since.
    RDS_MULTI_AZ_SUPPORT: everywhere("rds-multi-az-support"),
    DB_INSTANCE_BACKUP_ENABLED: everywhere("db-instance-backup-enabled"),
    CMK_BACKING_KEY_ROTATION_ENABLED: everywhere("cmk-backing-key-rotation-enabled"),
    CLOUD_TRAIL_ENCRYPTION_ENABLED: everywhere("cloud-trail-encryption-enabled"),
    CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: everywhere("cloud-trail-log-file-validation-enabled"),
    VPC_FLOW_LOGS_ENABLED: everywhere("vpc-flow-logs-enabled"),
    VPC_DEFAULT_SECURITY_GROUP_CLOSED: everywhere("vpc-default-security-group-closed"),
    // Exceptions: China, Thailand, Malaysia, Mexico, Taipei, Calgary.
    ECR_PRIVATE_IMAGE_SCANNING_ENABLED: everywhere("ecr-private-image-scanning-enabled"),
    // "All supported AWS regions except ... Israel (Tel Aviv) ..." on each of the next three pages.
    ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST: { unavailableIn: ["il-central-1"], source: page("elasticache-repl-grp-encrypted-at-rest"), read: READ },
    IAM_USER_MFA_ENABLED: { unavailableIn: ["il-central-1"], source: page("iam-user-mfa-enabled"), read: READ },
    ROOT_ACCOUNT_MFA_ENABLED: { unavailableIn: ["il-central-1"], source: page("root-account-mfa-enabled"), read: READ },
    // Exceptions: New Zealand, Thailand, Mexico, Taipei.
    GUARDDUTY_ENABLED_CENTRALIZED: everywhere("guardduty-enabled-centralized"),
};
