/**
 * The retention values CloudWatch Logs accepts, in days (0 = never expire is separate).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS: readonly number[] = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** CloudWatch Logs retention (days) below which a prod log group is flagged (the pack's log-retention-prod default). */
export const MIN_PROD_LOG_RETENTION_DAYS = 365;
