import { strict as assert } from "assert";
import { record } from "../../offline/testing";
import { CLOUDFLARE_RANGES, CloudflareRanges, validateCloudflareRanges } from "../../standards/cloudflare";
import { SpaOrigin } from "./spa-origin";

// Origin access is limited to Cloudflare's published ranges, IPv4 and IPv6, and nothing wider: the gate every layer
// passes its range list through, and the SPA reader's key condition built from it.
const ranges = (ipv4: string[], ipv6: string[] = []): CloudflareRanges => ({ ipv4, ipv6 });
const prefix = (cidr: string) => Number(cidr.split("/")[1]);

describe("Cloudflare ranges", () => {
    it("the checked-in list is Cloudflare's edge only: IPv4 no wider than /13, IPv6 no wider than /29, both families present", () => {
        assert.equal(validateCloudflareRanges(CLOUDFLARE_RANGES, "test"), CLOUDFLARE_RANGES);
        assert.ok(CLOUDFLARE_RANGES.ipv4.length > 0 && CLOUDFLARE_RANGES.ipv6.length > 0);
        for (const c of CLOUDFLARE_RANGES.ipv4) assert.ok(/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c) && prefix(c) >= 13, c);
        for (const c of CLOUDFLARE_RANGES.ipv6) assert.ok(c.includes(":") && prefix(c) >= 29, c);
        assert.ok(Object.isFrozen(CLOUDFLARE_RANGES) && Object.isFrozen(CLOUDFLARE_RANGES.ipv4), "no layer can widen the shared list");
    });
    it("refuses an empty IPv4 list, naming where, so no origin opens to no restriction", () => {
        assert.throws(() => validateCloudflareRanges(ranges([], ["2400:cb00::/32"]), "OriginLoadBalancer origin"),
            /^Error: OriginLoadBalancer origin: the Cloudflare IPv4 range list is empty; refusing/);
    });
    it("refuses a range open to everyone (/0) and anything that is not a CIDR, in either family", () => {
        for (const bad of ["0.0.0.0/0", "::/0", "173.245.48.0", "173.245.48.0/20 ", " 173.245.48.0/20", "any", "10.0.0.0/1234", "example.com/20", "/20"]) {
            const list = bad.includes(":") ? ranges(["173.245.48.0/20"], [bad]) : ranges(["173.245.48.0/20", bad]);
            assert.throws(() => validateCloudflareRanges(list, "SpaOrigin spa"),
                (e: Error) => e.message === `SpaOrigin spa: "${bad}" is not a valid, specific Cloudflare CIDR`, bad);
        }
        const ok = ranges(["173.245.48.0/20", "1.2.3.4/32"], ["2400:CB00::/32", "2a06:98c0::/29"]);
        assert.equal(validateCloudflareRanges(ok, "x"), ok, "upper-case IPv6 and host routes are valid");
    });
    it("refuses a range wider than any Cloudflare publishes, or one in the other family's list, naming it and the limit", () => {
        // Cloudflare's widest blocks are /13 (IPv4) and /29 (IPv6) (https://www.cloudflare.com/ips/); a /1 would admit half
        // the internet while looking like a CIDR.
        for (const [v4, v6, bad] of [
            [["0.0.0.0/1"], [], "0.0.0.0/1"], [["104.16.0.0/11"], [], "104.16.0.0/11"], [["173.245.48.0/20"], ["2400::/16"], "2400::/16"],
            [["2400:cb00::/32"], [], "2400:cb00::/32"], [["173.245.48.0/20"], ["173.245.48.0/20"], "173.245.48.0/20"],
        ] as [string[], string[], string][]) {
            assert.throws(() => validateCloudflareRanges(ranges(v4, v6), "OriginLoadBalancer origin"),
                (e: Error) => e.message.startsWith(`OriginLoadBalancer origin: "${bad}" is not`) && /\/12|\/28|IPv4|IPv6/.test(e.message), bad);
        }
        assert.equal(validateCloudflareRanges(ranges(["104.16.0.0/12"], ["2a06:98c0::/28"]), "x").ipv4[0], "104.16.0.0/12", "/12 and /28 still pass");
    });
    it("names the family a misplaced or impossible address is not, and accepts every octet up to 255", () => {
        const family = (v4: string[], v6: string[]) => {
            try {
                validateCloudflareRanges(ranges(v4, v6), "x");
                return "accepted";
            } catch (e) {
                return (e as Error).message;
            }
        };
        assert.equal(family(["2400:cb00::/32"], []), `x: "2400:cb00::/32" is not an IPv4 CIDR, yet it is in the ipv4 list`);
        assert.equal(family(["173.245.48.0/20"], ["173.245.48.0/20"]), `x: "173.245.48.0/20" is not an IPv6 CIDR, yet it is in the ipv6 list`);
        assert.equal(family(["256.245.48.0/20"], []), `x: "256.245.48.0/20" is not an IPv4 CIDR, yet it is in the ipv4 list`);
        assert.equal(family(["173.245.48.256/20"], []), `x: "173.245.48.256/20" is not an IPv4 CIDR, yet it is in the ipv4 list`);
        assert.equal(family(["255.255.255.0/24"], ["2400:cb00::/32"]), "accepted");
    });
    it("the SPA reader's key works only from exactly those ranges, and decrypts only through S3", async () => {
        const rec = await record(() => new SpaOrigin("spa", {
            accountId: "acc", zoneId: "zone", hostname: "app.example.com", bucketName: "spa-bucket", bucketArn: "arn:aws:s3:::spa-bucket",
            region: "eu-central-1", kmsKeyArn: "arn:aws:kms:eu-central-1:111111111111:key/k", cloudflareRanges: CLOUDFLARE_RANGES, namePrefix: "platform-test",
            securityHeaders: {},
        }));
        const [read, decrypt] = JSON.parse(rec.one("aws:iam/userPolicy:UserPolicy", "spa-reader").inputs.policy).Statement;
        assert.deepEqual(read.Condition, { IpAddress: { "aws:SourceIp": [...CLOUDFLARE_RANGES.ipv4, ...CLOUDFLARE_RANGES.ipv6] } });
        assert.deepEqual([read.Effect, read.Action, read.Resource], ["Allow", "s3:GetObject", "arn:aws:s3:::spa-bucket/*"]);
        assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } });
        await assert.rejects(record(() => new SpaOrigin("spa", {
            accountId: "acc", zoneId: "zone", hostname: "app.example.com", bucketName: "b", bucketArn: "arn:aws:s3:::b", region: "eu-central-1",
            kmsKeyArn: "k", cloudflareRanges: ranges(["0.0.0.0/0"]), namePrefix: "p", securityHeaders: {},
        })), /SpaOrigin spa: "0\.0\.0\.0\/0" is not a valid, specific Cloudflare CIDR/);
    });
});
