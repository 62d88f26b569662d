import * as fs from "fs";
import * as path from "path";

/**
 * Cloudflare's published edge ranges, from the checked-in lists in data/ (see data/README.md for source and refresh).
 * The one source for every layer that admits only Cloudflare: the ALB security group and the SPA bucket policy.
 */
export interface CloudflareRanges {
    ipv4: string[];
    ipv6: string[];
}

function readList(file: string): string[] {
    return fs.readFileSync(path.resolve(__dirname, "..", "..", "data", file), "utf8")
        .split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith("#"));
}

/** The default Cloudflare ranges (checked in). */
export const CLOUDFLARE_RANGES: Readonly<CloudflareRanges> = Object.freeze({
    ipv4: readList("cloudflare-ips-v4.txt"),
    ipv6: readList("cloudflare-ips-v6.txt"),
});

/** The day the checked-in lists were last compared with Cloudflare's published list (data/cloudflare-ranges.json). */
export const CLOUDFLARE_RANGES_DATE: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "data", "cloudflare-ranges.json"), "utf8")).retrieved;

/** Rejects an empty or malformed range list with a clear error, so a layer never opens to "no restriction". */
export function validateCloudflareRanges(ranges: CloudflareRanges, where: string): CloudflareRanges {
    if (ranges.ipv4.length === 0) throw new Error(`${where}: the Cloudflare IPv4 range list is empty; refusing to build an origin that admits nothing or everything`);
    const bad = [...ranges.ipv4, ...ranges.ipv6].find((c) => !/^[0-9a-f:.]+\/\d{1,3}$/i.test(c) || c.endsWith("/0"));
    if (bad) throw new Error(`${where}: "${bad}" is not a valid, specific Cloudflare CIDR`);
    return ranges;
}
