import published from "./cloudflare-ranges.json";

/**
 * Cloudflare's published edge ranges: the allow-list of every layer that admits only Cloudflare (the ALB security
 * group, the SPA reader's `aws:SourceIp` condition) and of the pack's `alb-cloudflare-only` check.
 * Source: https://api.cloudflare.com/client/v4/ips (`ipv4_cidrs`, `ipv6_cidrs`), kept in step weekly by
 * .github/workflows/cloudflare-ranges.yml (data/README.md). The JSON is imported, not read from disk: bundlers and
 * `tsc` carry it with the module, so nothing depends on the repository layout at run time.
 */
export interface CloudflareRanges {
    /** IPv4 CIDRs. */
    readonly ipv4: readonly string[];
    /** IPv6 CIDRs. */
    readonly ipv6: readonly string[];
}

/** The checked-in Cloudflare ranges. */
export const CLOUDFLARE_RANGES: CloudflareRanges = Object.freeze({
    ipv4: Object.freeze([...published.ipv4]),
    ipv6: Object.freeze([...published.ipv6]),
});

/** The day the checked-in ranges were last compared with Cloudflare's published list. */
export const CLOUDFLARE_RANGES_DATE: string = published.retrieved;

/**
 * The widest prefix a Cloudflare range may have: Cloudflare's widest published blocks are /13 (IPv4) and /29 (IPv6)
 * (https://www.cloudflare.com/ips/, read 2026-12-04), with one bit of headroom. Anything wider is not Cloudflare's edge.
 */
const WIDEST_PREFIX = { ipv4: 12, ipv6: 28 } as const;

/** The address part of a CIDR in each family's text form (the list is data for AWS conditions, not parsed further). */
const ADDRESS = { ipv4: /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, ipv6: /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i } as const;

/**
 * Rejects an empty or malformed range list with a clear error, so a layer never opens to "no restriction" or to more
 * than Cloudflare's edge: each entry a CIDR of its own family, no wider than `WIDEST_PREFIX`.
 */
export function validateCloudflareRanges(ranges: CloudflareRanges, where: string): CloudflareRanges {
    if (ranges.ipv4.length === 0) {
        throw new Error(`${where}: the Cloudflare IPv4 range list is empty; refusing to build an origin that admits nothing or everything`);
    }
    const bad = [...ranges.ipv4, ...ranges.ipv6].find((c) => !/^[0-9a-f:.]+\/\d{1,3}$/i.test(c) || c.endsWith("/0"));
    if (bad) throw new Error(`${where}: "${bad}" is not a valid, specific Cloudflare CIDR`);
    for (const family of ["ipv4", "ipv6"] as const) {
        for (const cidr of ranges[family]) {
            const [address, prefix] = cidr.split("/");
            const octets = ADDRESS.ipv4.exec(address);
            const ofFamily = family === "ipv4" ? !!octets && octets.slice(1).every((o) => Number(o) <= 255) : ADDRESS.ipv6.test(address);
            if (!ofFamily) {
                throw new Error(`${where}: "${cidr}" is not an ${family === "ipv4" ? "IPv4" : "IPv6"} CIDR, yet it is in the ${family} list`);
            }
            if (Number(prefix) < WIDEST_PREFIX[family]) {
                const limit = `/${WIDEST_PREFIX[family]}, the widest allowed for ${family}`;
                throw new Error(`${where}: "${cidr}" is not one of Cloudflare's ranges: wider than ${limit}`);
            }
        }
    }
    return ranges;
}

/**
 * Cloudflare's shared Authenticated Origin Pulls CA (CN origin-pull.cloudflare.net, valid to 2029-11-01): the
 * trust-store CA for zone-level AOP; every Cloudflare zone presents a certificate it signed.
 * Source: https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/zone-level/
 * (`authenticated_origin_pull_ca.pem`).
 */
export const CLOUDFLARE_ORIGIN_PULL_CA_PEM: string =
    "-----BEGIN CERTIFICATE-----\n" +
    "MIIGCjCCA/KgAwIBAgIIV5G6lVbCLmEwDQYJKoZIhvcNAQENBQAwgZAxCzAJBgNV\n" +
    "BAYTAlVTMRkwFwYDVQQKExBDbG91ZEZsYXJlLCBJbmMuMRQwEgYDVQQLEwtPcmln\n" +
    "aW4gUHVsbDEWMBQGA1UEBxMNU2FuIEZyYW5jaXNjbzETMBEGA1UECBMKQ2FsaWZv\n" +
    "cm5pYTEjMCEGA1UEAxMab3JpZ2luLXB1bGwuY2xvdWRmbGFyZS5uZXQwHhcNMTkx\n" +
    "MDEwMTg0NTAwWhcNMjkxMTAxMTcwMDAwWjCBkDELMAkGA1UEBhMCVVMxGTAXBgNV\n" +
    "BAoTEENsb3VkRmxhcmUsIEluYy4xFDASBgNVBAsTC09yaWdpbiBQdWxsMRYwFAYD\n" +
    "VQQHEw1TYW4gRnJhbmNpc2NvMRMwEQYDVQQIEwpDYWxpZm9ybmlhMSMwIQYDVQQD\n" +
    "ExpvcmlnaW4tcHVsbC5jbG91ZGZsYXJlLm5ldDCCAiIwDQYJKoZIhvcNAQEBBQAD\n" +
    "ggIPADCCAgoCggIBAN2y2zojYfl0bKfhp0AJBFeV+jQqbCw3sHmvEPwLmqDLqynI\n" +
    "42tZXR5y914ZB9ZrwbL/K5O46exd/LujJnV2b3dzcx5rtiQzso0xzljqbnbQT20e\n" +
    "ihx/WrF4OkZKydZzsdaJsWAPuplDH5P7J82q3re88jQdgE5hqjqFZ3clCG7lxoBw\n" +
    "hLaazm3NJJlUfzdk97ouRvnFGAuXd5cQVx8jYOOeU60sWqmMe4QHdOvpqB91bJoY\n" +
    "QSKVFjUgHeTpN8tNpKJfb9LIn3pun3bC9NKNHtRKMNX3Kl/sAPq7q/AlndvA2Kw3\n" +
    "Dkum2mHQUGdzVHqcOgea9BGjLK2h7SuX93zTWL02u799dr6Xkrad/WShHchfjjRn\n" +
    "aL35niJUDr02YJtPgxWObsrfOU63B8juLUphW/4BOjjJyAG5l9j1//aUGEi/sEe5\n" +
    "lqVv0P78QrxoxR+MMXiJwQab5FB8TG/ac6mRHgF9CmkX90uaRh+OC07XjTdfSKGR\n" +
    "PpM9hB2ZhLol/nf8qmoLdoD5HvODZuKu2+muKeVHXgw2/A6wM7OwrinxZiyBk5Hh\n" +
    "CvaADH7PZpU6z/zv5NU5HSvXiKtCzFuDu4/Zfi34RfHXeCUfHAb4KfNRXJwMsxUa\n" +
    "+4ZpSAX2G6RnGU5meuXpU5/V+DQJp/e69XyyY6RXDoMywaEFlIlXBqjRRA2pAgMB\n" +
    "AAGjZjBkMA4GA1UdDwEB/wQEAwIBBjASBgNVHRMBAf8ECDAGAQH/AgECMB0GA1Ud\n" +
    "DgQWBBRDWUsraYuA4REzalfNVzjann3F6zAfBgNVHSMEGDAWgBRDWUsraYuA4REz\n" +
    "alfNVzjann3F6zANBgkqhkiG9w0BAQ0FAAOCAgEAkQ+T9nqcSlAuW/90DeYmQOW1\n" +
    "QhqOor5psBEGvxbNGV2hdLJY8h6QUq48BCevcMChg/L1CkznBNI40i3/6heDn3IS\n" +
    "zVEwXKf34pPFCACWVMZxbQjkNRTiH8iRur9EsaNQ5oXCPJkhwg2+IFyoPAAYURoX\n" +
    "VcI9SCDUa45clmYHJ/XYwV1icGVI8/9b2JUqklnOTa5tugwIUi5sTfipNcJXHhgz\n" +
    "6BKYDl0/UP0lLKbsUETXeTGDiDpxZYIgbcFrRDDkHC6BSvdWVEiH5b9mH2BON60z\n" +
    "0O0j8EEKTwi9jnafVtZQXP/D8yoVowdFDjXcKkOPF/1gIh9qrFR6GdoPVgB3SkLc\n" +
    "5ulBqZaCHm563jsvWb/kXJnlFxW+1bsO9BDD6DweBcGdNurgmH625wBXksSdD7y/\n" +
    "fakk8DagjbjKShYlPEFOAqEcliwjF45eabL0t27MJV61O/jHzHL3dknXeE4BDa2j\n" +
    "bA+JbyJeUMtU7KMsxvx82RmhqBEJJDBCJ3scVptvhDMRrtqDBW5JShxoAOcpFQGm\n" +
    "iYWicn46nPDjgTU0bX1ZPpTpryXbvciVL5RkVBuyX2ntcOLDPlZWgxZCBp96x07F\n" +
    "AnOzKgZk4RzZPNAxCXERVxajn/FLcOhglVAKo5H0ac+AitlQ0ip55D2/mf8o72tM\n" +
    "fVQ6VpyjEXdiIXWUq/o=\n" +
    "-----END CERTIFICATE-----\n";
