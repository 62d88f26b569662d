import { strict as assert } from "assert";
import { readFromSourceIpsStatement, splitForS3NonPublic } from "./bucket-policy-statements";

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
