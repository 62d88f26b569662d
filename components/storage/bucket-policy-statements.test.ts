import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    albLogDeliveryStatements, bucketArns, readFromSourceIpsStatement, restrictObjectAccessStatement,
    serverAccessLogDeliveryStatement, splitForS3NonPublic, tlsOnlyStatements,
} from "./bucket-policy-statements";
import { LEGACY_ELB_LOG_ACCOUNTS } from "../../standards/elb-log-delivery";

const BUCKET = "platform-test-logs";
const ACCOUNT = "111122223333";

/** A statement list with every Input resolved, as S3 receives it. */
function resolved(statements: any): Promise<any> {
    return new Promise((resolve) => pulumi.output(statements as any).apply(resolve));
}

describe("bucket policy statements", () => {
    it("name the bucket and its objects", () => {
        assert.deepEqual(bucketArns(BUCKET), { bucket: `arn:aws:s3:::${BUCKET}`, objects: `arn:aws:s3:::${BUCKET}/*` });
    });

    it("deny every non-TLS request on the bucket and its objects (FSBP S3.5)", () => {
        assert.deepEqual(tlsOnlyStatements(BUCKET), [{
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
            Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
        }]);
    });

    it("with a website endpoint, allow plain-HTTP reads from the given ranges only, and keep everything else TLS-only", () => {
        const ranges = ["173.245.48.0/20", "2400:cb00::/32"];
        const [others, reads] = tlsOnlyStatements(BUCKET, ranges);
        assert.deepEqual(others, {
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", NotAction: "s3:GetObject",
            Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
        assert.deepEqual(reads, {
            Sid: "DenyInsecureReadsOutsideAllowedRanges", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`,
            Condition: { Bool: { "aws:SecureTransport": "false" }, NotIpAddress: { "aws:SourceIp": ranges } },
        });
        assert.deepEqual(readFromSourceIpsStatement(BUCKET, ranges), {
            Sid: "AllowWebsiteReadsFromAllowedRanges", Effect: "Allow", Principal: "*", Action: "s3:GetObject",
            Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { IpAddress: { "aws:SourceIp": ranges } },
        });
    });

    it("deny object access outside the VPC endpoints and stack roles, but never the bucket's own configuration (no lock-out)", () => {
        const s = restrictObjectAccessStatement(BUCKET, ["vpce-1"], ["arn:aws:iam::*:role/platform-*"]);
        assert.deepEqual(s, {
            Sid: "DenyObjectAccessOutsideVpcEndpointsAndStackRoles", Effect: "Deny", Principal: "*",
            Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
            Resource: `arn:aws:s3:::${BUCKET}/*`,
            Condition: {
                StringNotEquals: { "aws:SourceVpce": ["vpce-1"] },
                ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/platform-*"] },
                BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
            },
        });
    });

    it("let S3 server access logging deliver for this account's buckets only", async () => {
        assert.deepEqual(await resolved(serverAccessLogDeliveryStatement(BUCKET, ACCOUNT)), {
            Sid: "S3ServerAccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        });
    });

    it("let ALB log delivery put objects under each prefix's AWSLogs/<account>/ only, plus the regional ELB account in older regions", async () => {
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
        const old = await resolved(albLogDeliveryStatements(BUCKET, ACCOUNT, "eu-central-1", ["alb/access", "//alb/connections//"]));
        const resources = [`arn:aws:s3:::${BUCKET}/alb/access/AWSLogs/${ACCOUNT}/*`, `arn:aws:s3:::${BUCKET}/alb/connections/AWSLogs/${ACCOUNT}/*`];
        assert.deepEqual(old, [
            {
                Sid: "ElbLogDeliveryService", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject",
                Resource: resources,
            },
            { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { AWS: "arn:aws:iam::054676820928:root" }, Action: "s3:PutObject", Resource: resources },
        ]);
        // il-central-1 opened after August 2022: the service principal only.
        const newer = await resolved(albLogDeliveryStatements(BUCKET, ACCOUNT, "il-central-1"));
        assert.deepEqual(newer, [
            { Sid: "ElbLogDeliveryService", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject",
              Resource: [`arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`] },
        ]);
    });

    it("know the ELB log-delivery accounts of the project's regions and of no region opened after August 2022", () => {
        assert.equal(LEGACY_ELB_LOG_ACCOUNTS["eu-central-1"], "054676820928");
        assert.equal(LEGACY_ELB_LOG_ACCOUNTS["eu-west-1"], "156460612806");
        for (const region of ["il-central-1", "eu-central-2", "eu-south-2", "ap-south-2", "me-central-1"]) {
            assert.equal(LEGACY_ELB_LOG_ACCOUNTS[region], undefined, region);
        }
        assert.ok(Object.isFrozen(LEGACY_ELB_LOG_ACCOUNTS));
        for (const [region, account] of Object.entries(LEGACY_ELB_LOG_ACCOUNTS)) {
            assert.match(region, /^[a-z]{2}-[a-z]+-\d$/);
            assert.match(account, /^\d{12}$/, region);
        }
    });
});

describe("bucket policy source ranges (S3 Block Public Access)", () => {
    it("splits ranges S3 counts as public (wider than /8 IPv4 or /32 IPv6) and keeps the rest as they are", () => {
        assert.deepEqual(splitForS3NonPublic(["2a06:98c0::/29"]), [
            "2a06:98c0::/32", "2a06:98c1::/32", "2a06:98c2::/32", "2a06:98c3::/32",
            "2a06:98c4::/32", "2a06:98c5::/32", "2a06:98c6::/32", "2a06:98c7::/32",
        ]);
        assert.deepEqual(splitForS3NonPublic(["10.0.0.0/7", "173.245.48.0/20", "2400:cb00::/32"]),
            ["10.0.0.0/8", "11.0.0.0/8", "173.245.48.0/20", "2400:cb00::/32"]);
    });
    it("never leaves a public-sized range in the Allow to * of a source-IP read grant", () => {
        const s = readFromSourceIpsStatement("b", ["2a06:98c0::/29", "104.16.0.0/13"]);
        const ranges: string[] = s.Condition.IpAddress["aws:SourceIp"];
        assert.equal(ranges.length, 9);
        for (const c of ranges) assert.ok(Number(c.split("/")[1]) >= (c.includes(":") ? 32 : 8), c);
    });
});
