/**
 * ALB access-log delivery as AWS documents it
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html): regions available
 * before August 2022 deliver from a regional ELB account, newer ones through the log-delivery service principal.
 * The program writes these grants; the pack recognises them (the bucket policy's Sids), so both read this one table.
 */

/** ELB accounts that deliver ALB access logs in regions launched before August 2022, by region. */
export const LEGACY_ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = Object.freeze({
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
    "af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580", "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864", "ca-central-1": "985666609251", "eu-central-1": "054676820928", "eu-west-1": "156460612806",
    "eu-west-2": "652711504416", "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
    "me-south-1": "076674570225", "sa-east-1": "507241528517",
});

/** The legacy ELB log-delivery accounts (any region). */
export const ELB_LOG_DELIVERY_ACCOUNTS: readonly string[] = Object.freeze(Object.values(LEGACY_ELB_LOG_ACCOUNTS));

/** Sid of the bucket-policy statement that admits the regional ELB account. */
export const ELB_LOG_DELIVERY_SID = "ElbLogDelivery";

/** Sid of the bucket-policy statement that admits the log-delivery service principal. */
export const ELB_LOG_DELIVERY_SERVICE_SID = "ElbLogDeliveryService";

/** The log-delivery service principal of regions launched from August 2022 on. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";
