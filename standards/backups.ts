/**
 * Automated-backup (point-in-time recovery) retention, in days, below which a prod database is flagged: 35 is the
 * longest RDS keeps automated backups (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html).
 */
export const MIN_PROD_BACKUP_RETENTION_DAYS = 35;
