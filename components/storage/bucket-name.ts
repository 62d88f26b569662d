/**
 * S3 general-purpose bucket naming rules, checked where the name enters so a bad name fails the plan with a clear
 * message instead of `pulumi up`: 3-63 characters, lowercase letters, digits, dots and hyphens, starting and ending
 * with a letter or digit, no `..`, not shaped like an IP address, none of the reserved prefixes and suffixes.
 */
export function validateBucketName(name: string, where: string): string {
    const problem =
        name.length < 3 || name.length > 63 ? `is ${name.length} characters; S3 allows 3-63`
            : !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) ? "may contain only lowercase letters, digits, dots and hyphens, and must start and end " +
                "with a letter or digit"
                : name.includes("..") || name.includes(".-") || name.includes("-.") ? "may not contain two adjacent periods or a period next to a hyphen"
                    : /^\d+\.\d+\.\d+\.\d+$/.test(name) ? "may not be formatted as an IP address"
                        : /^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3|--table-s3|\.mrap)$/.test(name) ? "uses a prefix " +
                            "or suffix S3 reserves"
                            : undefined;
    if (problem) throw new Error(`${where}: bucket name "${name}" ${problem}`);
    return name;
}
