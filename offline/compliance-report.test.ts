import { strict as assert } from "assert";
import { ReportDocument, complianceReport, verdicts } from "./compliance-report";

const urn = (name: string) => `urn:pulumi:dev::platform::aws:s3/bucket:Bucket::${name}`;
const doc: ReportDocument = {
    stack: "dev",
    project: "platform",
    generatedAt: "2026-12-03",
    resources: ["data", "logs", "open"].map((n) => ({ urn: urn(n), type: "aws:s3/bucket:Bucket", name: n })),
    pack: [
        {
            name: "s3-sse-kms",
            description: "Buckets use a CMK.",
            severity: "high",
            enforcementLevel: "mandatory",
            mappings: { fsbp: ["S3.17"], nist: ["SC-28"], iso: ["A.8.24"] },
            examined: [urn("data"), urn("logs"), urn("open")],
        },
        {
            name: "s3-tls-only",
            description: "TLS only.",
            severity: "high",
            enforcementLevel: "mandatory",
            mappings: { fsbp: ["S3.5"], nist: ["SC-8"] },
            examined: [urn("data")],
        },
    ],
    violations: [
        { policy: "s3-sse-kms", urn: urn("open"), message: "bucket open is not encrypted with a customer-managed KMS key", enforcementLevel: "mandatory" },
    ],
    suppressions: [{ policy: "s3-sse-kms", urn: urn("logs"), reason: "ALB access log delivery supports only SSE-S3.", owner: "platform-engineering" }],
};

describe("compliance report", () => {
    it("gives each examined resource one verdict per policy: pass, fail or excepted with the reason and owner", () => {
        const rows = verdicts(doc, doc.pack[0]);
        assert.deepEqual(rows.map((r) => [r.urn.split("::").pop(), r.verdict]), [["data", "pass"], ["logs", "excepted"], ["open", "fail"]]);
        assert.match(rows[1].detail, /SSE-S3\. \(owner: platform-engineering\)/);
    });

    it("renders each framework's controls with the policies that check them and their verdicts", () => {
        const md = complianceReport(doc);
        assert.match(md, /^# Compliance report: platform\/dev/);
        assert.match(md, /1 mandatory and 0 advisory violations; 1 exceptions/);
        assert.match(md, /## AWS Foundational Security Best Practices[\s\S]*### S3\.5 [\s\S]*### S3\.17 /, "controls in numeric order");
        assert.match(
            md,
            /### SC-28 Protection of Information at Rest\n\n- \*\*s3-sse-kms\*\* \(mandatory, high\): Buckets use a CMK\.\n  1 pass, 1 fail, 1 excepted\./,
        );
        assert.match(md, /  - FAIL `open` \(Bucket\): bucket open is not encrypted/);
        assert.match(md, /  - EXCEPTED `logs` \(Bucket\): ALB access log delivery supports only SSE-S3\. \(owner: platform-engineering\)/);
        assert.match(md, /## Resources per policy[\s\S]*- \*\*s3-sse-kms\*\*: `data` \(Bucket\)\n- \*\*s3-tls-only\*\*: `data` \(Bucket\)/);
        assert.match(md, /\| s3-sse-kms \| `logs` \(Bucket\) \| platform-engineering \| ALB access log delivery/);
        assert.doesNotMatch(md, /### 2\.1\.1/, "no control without a mapping");
    });

    it("attributes a violation without a resource to the stack", () => {
        const md = complianceReport({ ...doc, violations: [{ policy: "s3-tls-only", urn: null, message: "no trail", enforcementLevel: "mandatory" }] });
        assert.match(md, /FAIL `stack:dev`: no trail/);
    });
});
