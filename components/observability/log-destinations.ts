/**
 * Where Logz.io's Firehose listeners keep the data they receive: the listener host names the Logz.io region
 * (`aws-firehose-logs-listener-<suffix>.logz.io`, no suffix for US East), and each Logz.io region runs in one cloud
 * region. Logz.io has no region in Israel, so no listener is in-region for il-central-1.
 * https://github.com/logzio/logz-docs/blob/master/_source/_data/logzio-regions.yml (read 2026-12-03)
 */
export const LOGZIO_LISTENER_REGIONS: Readonly<Record<string, string>> = {
    "aws-firehose-logs-listener.logz.io": "us-east-1",
    "aws-firehose-logs-listener-au.logz.io": "ap-southeast-2",
    "aws-firehose-logs-listener-ca.logz.io": "ca-central-1",
    "aws-firehose-logs-listener-eu.logz.io": "eu-central-1",
};

/** The tag a log-shipping stream carries with the region its HTTP endpoint keeps data in (read by `data-residency`). */
export const DESTINATION_REGION_TAG = "destination-region";

/** The region a known Logz.io listener URL keeps data in; undefined for any other host. */
export function listenerRegionOf(url: string): string | undefined {
    const host = /^https:\/\/([^/:]+)/.exec(url)?.[1];
    return host ? LOGZIO_LISTENER_REGIONS[host] : undefined;
}
