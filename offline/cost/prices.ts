/**
 * The price table of the cost estimate: on-demand list prices in USD, per region the stacks use (eu-central-1,
 * its DR region eu-west-1, il-central-1), as read on the date in each entry. A region missing from an entry has
 * no price: the estimate reports the resource as unpriced instead of guessing.
 *
 * Refresh rule (docs/cost.md): for each entry, compare `usd[region]` with the offer file
 * https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json (or the `source`
 * page), update the figure and set `read` to the day you read it.
 */

export interface PriceEntry {
    /** What one unit is (the figure is USD per unit). */
    unit: string;
    /** The AWS price list offer code (the `<offer>` of the refresh URL). */
    offer: string;
    /** The pricing page the figure was read from. */
    source: string;
    /** The day the figures were read (ISO date). */
    read: string;
    usd: Partial<Record<string, number>>;
}

const READ = "2026-11-25";
/** Hours in the estimate's month (AWS bills 730 h as its average month). */
export const HOURS_PER_MONTH = 730;

const entry = (unit: string, offer: string, source: string, fra: number, dub: number, tlv: number): PriceEntry => ({
    unit, offer, source, read: READ, usd: { "eu-central-1": fra, "eu-west-1": dub, "il-central-1": tlv },
});

const VPC = "https://aws.amazon.com/vpc/pricing/";
const RDS = "https://aws.amazon.com/rds/postgresql/pricing/";
const CACHE = "https://aws.amazon.com/elasticache/pricing/";
const EC2 = "https://aws.amazon.com/ec2/pricing/on-demand/";
const CW = "https://aws.amazon.com/cloudwatch/pricing/";
const S3 = "https://aws.amazon.com/s3/pricing/";

/** RDS for PostgreSQL, Single-AZ, per instance-hour (Multi-AZ with one standby is twice this). */
const RDS_CLASSES: Record<string, [number, number, number]> = {
    "db.t4g.micro": [0.018, 0.017, 0.019],
    "db.t4g.small": [0.036, 0.034, 0.038],
    "db.t4g.medium": [0.072, 0.068, 0.076],
    "db.t4g.large": [0.144, 0.136, 0.152],
    "db.m6g.large": [0.178, 0.166, 0.187],
    "db.m7g.large": [0.190, 0.176, 0.200],
    "db.m7g.xlarge": [0.38, 0.352, 0.4],
    "db.r6g.large": [0.263, 0.245, 0.276],
    "db.r6g.xlarge": [0.526, 0.490, 0.552],
    "db.r7g.large": [0.280, 0.261, 0.294],
    "db.r7g.xlarge": [0.560, 0.522, 0.588],
    "db.r7g.2xlarge": [1.120, 1.044, 1.176],
};

/** vCPUs per RDS instance class (RDS Proxy and Performance Insights bill per vCPU of the target instance). */
export const RDS_VCPUS: Record<string, number> = {
    micro: 2, small: 2, medium: 2, large: 2, xlarge: 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64,
};

/** ElastiCache for Redis OSS, per node-hour. */
const CACHE_NODES: Record<string, [number, number, number]> = {
    "cache.t4g.micro": [0.018, 0.017, 0.019],
    "cache.t4g.small": [0.036, 0.034, 0.038],
    "cache.t4g.medium": [0.073, 0.068, 0.077],
    "cache.m7g.large": [0.191, 0.178, 0.200],
    "cache.r6g.large": [0.247, 0.228, 0.259],
    "cache.r7g.large": [0.262, 0.242, 0.275],
    "cache.r7g.xlarge": [0.524, 0.484, 0.550],
};

/** EC2 Linux on-demand, per instance-hour (Graviton sizes the bastion may use). */
const EC2_TYPES: Record<string, [number, number, number]> = {
    "t4g.nano": [0.0048, 0.0046, 0.0051],
    "t4g.micro": [0.0096, 0.0092, 0.0101],
    "t4g.small": [0.0192, 0.0184, 0.0202],
    "t4g.medium": [0.0384, 0.0368, 0.0403],
};

export const PRICES: Record<string, PriceEntry> = {
    "kms.key": entry("key-month", "awskms", "https://aws.amazon.com/kms/pricing/", 1, 1, 1),
    "nat.hour": entry("NAT gateway-hour", "AmazonVPC", VPC, 0.052, 0.048, 0.0504),
    "nat.gb": entry("GB processed", "AmazonVPC", VPC, 0.052, 0.048, 0.0504),
    "ipv4.hour": entry("public IPv4 address-hour", "AmazonVPC", VPC, 0.005, 0.005, 0.005),
    "vpce.azHour": entry("interface endpoint AZ-hour", "AmazonVPC", "https://aws.amazon.com/privatelink/pricing/", 0.012, 0.011, 0.0121),
    "vpce.gb": entry("GB processed (first PB)", "AmazonVPC", "https://aws.amazon.com/privatelink/pricing/", 0.01, 0.01, 0.01),
    "alb.hour": entry("ALB-hour", "AWSELB", "https://aws.amazon.com/elasticloadbalancing/pricing/", 0.027, 0.0252, 0.0284),
    "alb.lcuHour": entry("LCU-hour", "AWSELB", "https://aws.amazon.com/elasticloadbalancing/pricing/", 0.008, 0.008, 0.0084),
    ...Object.fromEntries(Object.entries(RDS_CLASSES)
        .map(([cls, [a, b, c]]) => [`rds.${cls}`, entry("Single-AZ instance-hour (PostgreSQL)", "AmazonRDS", RDS, a, b, c)])),
    "rds.gp3": entry("gp3 GB-month (Single-AZ)", "AmazonRDS", RDS, 0.137, 0.127, 0.144),
    "rds.backup": entry("backup storage GB-month beyond the free 100% of provisioned storage", "AmazonRDS", RDS, 0.095, 0.095, 0.1),
    "rds.piFirstMonth": entry("Performance Insights retention, first paid month, vCPU-month", "AmazonRDS",
        "https://aws.amazon.com/rds/performance-insights/pricing/", 1.68, 1.60, 1.76),
    "rds.piExtraMonth": entry("Performance Insights retention, each further month, vCPU-month", "AmazonRDS",
        "https://aws.amazon.com/rds/performance-insights/pricing/", 0.0707, 0.0672, 0.0739),
    "rds.proxyVcpuHour": entry("RDS Proxy vCPU-hour of the target instance (minimum 2)", "AmazonRDS",
        "https://aws.amazon.com/rds/proxy/pricing/", 0.018, 0.0165, 0.0189),
    // Within a region, across AZs: $0.01/GB in each direction (https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer within the same AWS Region").
    "transfer.interAzGb": entry("GB transferred between AZs, each direction", "AWSDataTransfer",
        "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region", 0.01, 0.01, 0.01),
    "transfer.interRegionGb": entry("GB transferred out to another AWS region", "AWSDataTransfer",
        "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer", 0.02, 0.02, 0.02),
    ...Object.fromEntries(Object.entries(CACHE_NODES)
        .map(([node, [a, b, c]]) => [`cache.${node}`, entry("node-hour (Redis OSS)", "AmazonElastiCache", CACHE, a, b, c)])),
    "fargate.armVcpuHour": entry("Fargate Linux/ARM vCPU-hour", "AmazonECS", "https://aws.amazon.com/fargate/pricing/", 0.03725, 0.03238, 0.03912),
    "fargate.armGbHour": entry("Fargate Linux/ARM GB-hour", "AmazonECS", "https://aws.amazon.com/fargate/pricing/", 0.00409, 0.00356, 0.0043),
    ...Object.fromEntries(Object.entries(EC2_TYPES).map(([type, [a, b, c]]) => [`ec2.${type}`, entry("Linux instance-hour", "AmazonEC2", EC2, a, b, c)])),
    "ebs.gp3": entry("gp3 GB-month", "AmazonEC2", "https://aws.amazon.com/ebs/pricing/", 0.0952, 0.088, 0.1),
    "logs.ingestGb": entry("GB ingested (standard log class)", "AmazonCloudWatch", CW, 0.63, 0.57, 0.66),
    "logs.storageGb": entry("GB-month archived", "AmazonCloudWatch", CW, 0.0324, 0.03, 0.033),
    "logs.vendedGb": entry("vended logs GB delivered to CloudWatch Logs (first 10 TB)", "AmazonCloudWatch", CW, 0.63, 0.57, 0.66),
    "cw.alarmStandard": entry("standard-resolution alarm metric-month", "AmazonCloudWatch", CW, 0.10, 0.10, 0.10),
    "cw.alarmHighRes": entry("high-resolution alarm metric-month", "AmazonCloudWatch", CW, 0.30, 0.30, 0.30),
    "cw.dashboard": entry("dashboard-month", "AmazonCloudWatch", CW, 3, 3, 3),
    "cw.customMetric": entry("custom metric-month (first 10k)", "AmazonCloudWatch", CW, 0.30, 0.30, 0.30),
    "secrets.secret": entry("secret-month", "AWSSecretsManager", "https://aws.amazon.com/secrets-manager/pricing/", 0.40, 0.40, 0.40),
    "s3.standard": entry("S3 Standard GB-month (first 50 TB)", "AmazonS3", S3, 0.0245, 0.023, 0.025),
    "s3.standardIa": entry("S3 Standard-IA GB-month", "AmazonS3", S3, 0.0135, 0.0125, 0.0138),
    "s3.glacierIr": entry("S3 Glacier Instant Retrieval GB-month", "AmazonS3", S3, 0.005, 0.004, 0.005),
    "s3.deepArchive": entry("S3 Glacier Deep Archive GB-month", "AmazonS3", S3, 0.0018, 0.00099, 0.0018),
    "s3.putThousand": entry("1,000 PUT/COPY/POST/LIST requests (Standard)", "AmazonS3", S3, 0.0054, 0.005, 0.0055),
    "s3.getThousand": entry("1,000 GET requests (Standard)", "AmazonS3", S3, 0.00043, 0.0004, 0.00044),
    "ecr.gb": entry("GB-month stored", "AmazonECR", "https://aws.amazon.com/ecr/pricing/", 0.10, 0.10, 0.10),
    "firehose.gb": entry("GB ingested (Direct PUT, first 500 TB)", "AmazonKinesisFirehose", "https://aws.amazon.com/firehose/pricing/", 0.034, 0.031, 0.036),
    "cloudtrail.managementMillion": entry("million management events, additional trail copies", "AWSCloudTrail",
        "https://aws.amazon.com/cloudtrail/pricing/", 2.0, 2.0, 2.0),
    // Data events: $0.10 per 100,000 events = $1.00 per million, every delivery billed (https://aws.amazon.com/cloudtrail/pricing/).
    "cloudtrail.dataMillion": entry("million data events", "AWSCloudTrail", "https://aws.amazon.com/cloudtrail/pricing/", 1.0, 1.0, 1.0),
    "config.item": entry("configuration item recorded (continuous)", "AWSConfig", "https://aws.amazon.com/config/pricing/", 0.003, 0.003, 0.0036),
    "config.evaluation": entry("rule evaluation (first 100k)", "AWSConfig", "https://aws.amazon.com/config/pricing/", 0.001, 0.001, 0.0012),
    "guardduty.cloudtrailMillion": entry("million CloudTrail management events analysed", "AmazonGuardDuty",
        "https://aws.amazon.com/guardduty/pricing/", 4.72, 4.40, 4.80),
    "guardduty.flowDnsGb": entry("GB of VPC flow + DNS logs analysed (first 500 GB)", "AmazonGuardDuty",
        "https://aws.amazon.com/guardduty/pricing/", 1.18, 1.10, 1.20),
    "guardduty.s3Million": entry("million S3 data events analysed", "AmazonGuardDuty", "https://aws.amazon.com/guardduty/pricing/", 0.94, 0.88, 0.96),
    "backup.warmGb": entry("warm backup storage GB-month (RDS snapshots)", "AWSBackup", "https://aws.amazon.com/backup/pricing/", 0.095, 0.095, 0.1),
    "backup.coldGb": entry("cold backup storage GB-month", "AWSBackup", "https://aws.amazon.com/backup/pricing/", 0.01, 0.01, 0.011),
    "sns.publishMillion": entry("million publishes (beyond the first)", "AmazonSNS", "https://aws.amazon.com/sns/pricing/", 0.50, 0.50, 0.50),
    "sns.emailThousand": entry("1,000 e-mail notifications", "AmazonSNS", "https://aws.amazon.com/sns/pricing/", 0.02, 0.02, 0.02),
    "ses.thousand": entry("1,000 outbound e-mails", "AmazonSES", "https://aws.amazon.com/ses/pricing/", 0.10, 0.10, 0.12),
    "ssm.advancedParameter": entry("advanced parameter-month", "AWSSystemsManager", "https://aws.amazon.com/systems-manager/pricing/", 0.05, 0.05, 0.05),
};

/** The figure of `key` in `region`, or undefined when the table has none (never a neighbour region's figure). */
export function priceOf(key: string, region: string): number | undefined {
    return PRICES[key]?.usd[region];
}
