/** Standards shared by the program and the pack: the program applies them, the pack checks them. */

/** Tag keys every taggable AWS resource carries, with a non-empty value. */
export const REQUIRED_TAG_KEYS = ["environment", "project", "service", "owner", "data-classification", "cost-center", "managed-by"];

/** Values the `environment` tag may take. */
export const ALLOWED_ENVIRONMENTS = ["dev", "prod"];

/** Values the `data-classification` tag may take. */
export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"];

/** ALB TLS policies that allow only TLS 1.2 and 1.3 with forward-secret ciphers. */
export const ALLOWED_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

/**
 * The retention values CloudWatch Logs accepts, in days (0 = never expire is separate).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** CloudWatch Logs retention (days) below which a prod log group is flagged. */
export const MIN_PROD_LOG_RETENTION_DAYS = 365;

/** RDS backup retention (days) below which a prod database is flagged. */
export const MIN_PROD_BACKUP_RETENTION_DAYS = 35;
