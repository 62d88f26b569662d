import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_DELIVERY_SERVICE, ELB_LOG_DELIVERY_SERVICE_SID, ELB_LOG_DELIVERY_SID, LEGACY_ELB_LOG_ACCOUNTS } from "../../standards/elb-log-delivery";

/**
 * Bucket-policy statements as plain functions (testable without the runtime). ARNs are built from the bucket's
 * explicit name, not from `bucket.arn`, so the policy document is known in a real preview and the pack can read it.
 */

/** One IAM policy statement; values may be Inputs (the document is built with `pulumi.jsonStringify`). */
export type PolicyStatement = Record<string, pulumi.Input<any>>;

/** The ARN of a bucket and of every object in it. */
export function bucketArns(bucketName: string): { bucket: string; objects: string } {
    return { bucket: `arn:aws:s3:::${bucketName}`, objects: `arn:aws:s3:::${bucketName}/*` };
}

/**
 * Denies every request that does not use TLS (FSBP S3.5). With `httpReadFrom` (the S3 website endpoint, which is
 * HTTP only), plain-HTTP `s3:GetObject` stays possible from those CIDRs and nowhere else; every other action is TLS-only.
 */
export function tlsOnlyStatements(bucketName: string, httpReadFrom?: readonly string[]): PolicyStatement[] {
    const arns = bucketArns(bucketName);
    const insecure = { Bool: { "aws:SecureTransport": "false" } };
    if (!httpReadFrom) {
        return [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arns.bucket, arns.objects], Condition: insecure }];
    }
    return [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", NotAction: "s3:GetObject", Resource: [arns.bucket, arns.objects], Condition: insecure },
        {
            Sid: "DenyInsecureReadsOutsideAllowedRanges", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: arns.objects,
            Condition: { ...insecure, NotIpAddress: { "aws:SourceIp": [...httpReadFrom] } },
        },
    ];
}

/** The widest source range S3 still counts as non-public in a policy: /8 for IPv4, /32 for IPv6. */
const S3_NON_PUBLIC_MIN_PREFIX = { ipv4: 8, ipv6: 32 } as const;

function formatIpv6(value: bigint): string {
    const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    const full = groups.join(":");
    // Compress the longest run of zero groups (RFC 5952 style) for readable policies.
    const runs = [...full.matchAll(/(?:^|:)(0(?::0)+)(?=:|$)/g)].sort((a, b) => b[1].length - a[1].length);
    if (!runs.length) return full;
    const [match] = runs;
    const start = match.index! + (match[0].startsWith(":") ? 1 : 0);
    return `${full.slice(0, start)}:${full.slice(start + match[1].length)}`.replace(/^:(?!:)/, "::").replace(/:{3,}/, "::");
}

function parseIpv6(address: string): bigint {
    const [head, tail = ""] = address.split("::");
    const h = head ? head.split(":") : [];
    const t = address.includes("::") ? (tail ? tail.split(":") : []) : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g || "0", 16)), 0n);
}

/**
 * Splits source ranges S3 would count as public (wider than /8 IPv4 or /32 IPv6: "Blocking public access", "The
 * meaning of public", https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html)
 * into non-public-sized pieces covering the same addresses, so PutBucketPolicy succeeds under BlockPublicPolicy.
 */
export function splitForS3NonPublic(cidrs: readonly string[]): string[] {
    return cidrs.flatMap((cidr) => {
        const [address, bitsText] = cidr.split("/");
        const bits = Number(bitsText);
        if (address.includes(":")) {
            if (bits >= S3_NON_PUBLIC_MIN_PREFIX.ipv6) return [cidr];
            const base = parseIpv6(address);
            const count = 1 << (S3_NON_PUBLIC_MIN_PREFIX.ipv6 - bits);
            return Array.from({ length: count }, (_, i) => `${formatIpv6(base + (BigInt(i) << 96n))}/${S3_NON_PUBLIC_MIN_PREFIX.ipv6}`);
        }
        if (bits >= S3_NON_PUBLIC_MIN_PREFIX.ipv4) return [cidr];
        const first = Number(address.split(".")[0]);
        return Array.from({ length: 1 << (S3_NON_PUBLIC_MIN_PREFIX.ipv4 - bits) }, (_, i) => `${first + i}.0.0.0/8`);
    });
}

/** Anonymous `s3:GetObject` only from fixed source CIDRs: S3 classifies this as non-public (ranges split to /8 and /32). */
export function readFromSourceIpsStatement(bucketName: string, cidrs: readonly string[]): PolicyStatement {
    return {
        Sid: "AllowWebsiteReadsFromAllowedRanges", Effect: "Allow", Principal: "*", Action: "s3:GetObject",
        Resource: bucketArns(bucketName).objects, Condition: { IpAddress: { "aws:SourceIp": splitForS3NonPublic(cidrs) } },
    };
}

/**
 * Denies object reads, writes and deletes unless the request comes through one of `vpcEndpointIds` or from a
 * principal matching `principalArnPatterns`, or is made by an AWS service principal. The deny covers object
 * actions only: bucket-policy and configuration actions stay with IAM, so an administrator can always change the
 * policy (no lock-out).
 */
export function restrictObjectAccessStatement(
    bucketName: string, vpcEndpointIds: pulumi.Input<string>[], principalArnPatterns: pulumi.Input<string>[],
): PolicyStatement {
    return {
        Sid: "DenyObjectAccessOutsideVpcEndpointsAndStackRoles", Effect: "Deny", Principal: "*",
        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        Resource: bucketArns(bucketName).objects,
        Condition: {
            StringNotEquals: { "aws:SourceVpce": vpcEndpointIds },
            ArnNotLike: { "aws:PrincipalArn": principalArnPatterns },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
    };
}

/** Lets S3 server access logging deliver into the log bucket for source buckets of `accountId` only. */
export function serverAccessLogDeliveryStatement(bucketName: string, accountId: pulumi.Input<string>): PolicyStatement {
    return {
        Sid: "S3ServerAccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject",
        Resource: bucketArns(bucketName).objects, Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    };
}

/**
 * ALB access- and connection-log delivery into `<prefix>/AWSLogs/<account>/` for each prefix the load balancer
 * writes under (`""` for none): the log-delivery service principal (all regions from August 2022 on), plus the
 * regional ELB account in regions older than that, as AWS documents. PutObject only, on those prefixes only.
 */
export function albLogDeliveryStatements(
    bucketName: string, accountId: pulumi.Input<string>, region: string, prefixes: readonly string[] = [""],
): PolicyStatement[] {
    const resources = prefixes.map((p) =>
        pulumi.interpolate`${bucketArns(bucketName).bucket}/${p ? `${p.replace(/^\/+|\/+$/g, "")}/` : ""}AWSLogs/${accountId}/*`);
    const statements: PolicyStatement[] = [
        { Sid: ELB_LOG_DELIVERY_SERVICE_SID, Effect: "Allow", Principal: { Service: ELB_LOG_DELIVERY_SERVICE }, Action: "s3:PutObject", Resource: resources },
    ];
    const legacy = LEGACY_ELB_LOG_ACCOUNTS[region];
    if (legacy) {
        statements.push({
            Sid: ELB_LOG_DELIVERY_SID, Effect: "Allow", Principal: { AWS: `arn:aws:iam::${legacy}:root` }, Action: "s3:PutObject", Resource: resources,
        });
    }
    return statements;
}
