/**
 * The ELB accounts that deliver ALB access logs in regions available before August 2022, as AWS publishes them
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html, "Regions available
 * before August 2022"). Newer regions use the logdelivery.elasticloadbalancing.amazonaws.com service principal.
 * The program keeps the same list in components/storage/bucket-policy-statements.ts; the pack is self-contained, so
 * it holds its own copy (test/policy-pack.test.ts keeps the two equal).
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: readonly string[] = [
    "127311923021", "033677994240", "027434742980", "797873946194", "098369216593", "754344448648", "589379963580", "718504428378",
    "383597477331", "600734575887", "114774131450", "783225319266", "582318560864", "985666609251", "054676820928", "156460612806",
    "652711504416", "635631232127", "009996457667", "897822967062", "076674570225", "507241528517",
];
