import { strict as assert } from "assert";
import { UNKNOWN_INPUT, atPreview, fake } from "../offline/testing";
import { toPolicyResources } from "../offline/policy-runner";
import {
    UNKNOWN,
    customerKeyProblem,
    known,
    knownItems,
    knownString,
    pointingAt,
    policyDocument,
    present,
    principalIsEveryone,
    publicAllowProblem,
    statements,
    truthy,
} from "./lib/kit";

// The kit every policy reads values through: a bug here blinds many policies at once, so each helper has its cases.
/** An object whose `prop` is unknown, through the engine's own proxy. */
const withUnknown = (prop: string, rest: object = {}) => atPreview({ ...rest, [prop]: UNKNOWN_INPUT });
/** Reads a value unknown at preview (the read throws UnknownValueError, as the engine's proxy does). */
const readUnknown = () => withUnknown("x").x;

describe("policy kit", () => {
    it("known returns UNKNOWN for an unknown value and rethrows any other error", () => {
        assert.equal(
            known(readUnknown),
            UNKNOWN,
        );
        assert.throws(
            () =>
                known(() => {
                    throw new TypeError("bug");
                }),
            TypeError,
        );
        assert.equal(
            known(() => 5),
            5,
        );
    });

    it('present: set and non-empty, unknown counts as set; missing, undefined, null and "" do not', () => {
        assert.ok(present({ a: "x" }, "a"));
        assert.ok(present({ a: 0 }, "a"));
        assert.ok(present(withUnknown("a"), "a"));
        for (const props of [{}, { a: undefined }, { a: null }, { a: "" }]) assert.ok(!present(props, "a"), JSON.stringify(props));
        assert.ok(!present(undefined, "a"));
        assert.ok(!present("a" as any, "length"));
    });

    it("knownString: strings only; unknowns and other types read as undefined", () => {
        assert.equal(
            knownString(() => "s"),
            "s",
        );
        assert.equal(
            knownString(() => 5),
            undefined,
        );
        assert.equal(
            knownString(readUnknown),
            undefined,
        );
    });

    it("knownItems: a list item by item (unknown items as UNKNOWN), a single value as one item, an unknown list as one UNKNOWN", () => {
        assert.deepEqual(
            knownItems(() => ["a", "b"]),
            ["a", "b"],
        );
        assert.deepEqual(
            knownItems(() => "a"),
            ["a"],
        );
        assert.deepEqual(
            knownItems(() => undefined),
            [],
        );
        assert.deepEqual(
            knownItems(readUnknown),
            [UNKNOWN],
        );
        const list = atPreview({ l: ["a", UNKNOWN_INPUT] }).l;
        assert.deepEqual(
            knownItems(() => list),
            ["a", UNKNOWN],
        );
    });

    it("pointingAt: by property dependency first; by known bucket/id/arn/name otherwise; never by an unknown", () => {
        const bucket = fake("aws:s3/bucket:Bucket", "b", { bucket: "acme-b", arn: "arn:aws:s3:::acme-b" });
        const other = fake("aws:s3/bucket:Bucket", "o", { bucket: "acme-o" });
        const byDep = fake("aws:s3/bucketPolicy:BucketPolicy", "by-dep", { bucket: "acme-o" }, { bucket: [bucket] });
        const byName = fake("aws:s3/bucketPolicy:BucketPolicy", "by-name", { bucket: "acme-b" });
        const byArn = fake("aws:s3/bucketPolicy:BucketPolicy", "by-arn", { bucket: "arn:aws:s3:::acme-b" });
        const wrongType = fake("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: "acme-b" });
        const elsewhere = fake("aws:s3/bucketPolicy:BucketPolicy", "elsewhere", { bucket: "acme-o" });
        const empty = fake("aws:s3/bucketPolicy:BucketPolicy", "empty", {});
        const rs = toPolicyResources([bucket, other, byDep, byName, byArn, wrongType, elsewhere, empty]);
        assert.deepEqual(
            pointingAt(rs, "aws:s3/bucketPolicy:BucketPolicy", "bucket", rs[0]).map((r) => r.name),
            ["by-dep", "by-name", "by-arn"],
        );
        assert.deepEqual(
            pointingAt(rs, "aws:s3/bucketPolicy:BucketPolicy", "bucket", rs[1]).map((r) => r.name),
            ["elsewhere"],
        );
        const unknownName = Object.assign(toPolicyResources([fake("aws:s3/bucketPolicy:BucketPolicy", "u", {})])[0], { props: withUnknown("bucket") });
        const unknownTarget = Object.assign(toPolicyResources([fake("aws:s3/bucket:Bucket", "t", {})])[0], { props: withUnknown("bucket") });
        assert.deepEqual(pointingAt([unknownName], "aws:s3/bucketPolicy:BucketPolicy", "bucket", unknownTarget), []);
    });

    it("policyDocument and statements read JSON strings and objects, a single statement as a list, and nothing from junk", () => {
        assert.deepEqual(statements(JSON.stringify({ Statement: { Effect: "Allow" } })), [{ Effect: "Allow" }]);
        assert.deepEqual(statements({ Statement: [{ Effect: "Deny" }] }), [{ Effect: "Deny" }]);
        assert.deepEqual(statements({}), []);
        for (const junk of ["{not json", 42, null, UNKNOWN, ""]) assert.equal(policyDocument(junk), undefined, String(junk));
    });

    it('truthy accepts true and "true" only', () => {
        assert.deepEqual([true, "true", false, "false", 1, "yes", undefined].map(truthy), [true, true, false, false, false, false, false]);
    });

    it('principalIsEveryone: "*", {AWS: "*"} and a list holding "*"; not a service or an account', () => {
        assert.deepEqual(
            [
                { Principal: "*" },
                { Principal: { AWS: "*" } },
                { Principal: { AWS: ["arn:aws:iam::1:root", "*"] } },
                { Principal: { Service: "*" } },
                { Principal: { AWS: "arn:aws:iam::1:root" } },
                {},
                undefined,
            ].map(principalIsEveryone),
            [true, true, true, false, false, false, false],
        );
    });

    it("customerKeyProblem: missing fails, an AWS-managed alias (bare or ARN) fails, a CMK or an unknown passes", () => {
        assert.equal(customerKeyProblem({}, "kmsKeyId", "the thing"), "the thing is not encrypted with a customer-managed key (kmsKeyId missing)");
        assert.equal(
            customerKeyProblem({ kmsKeyId: "alias/aws/sns" }, "kmsKeyId", "the topic"),
            "the topic uses the AWS-managed key alias/aws/sns, not a customer-managed key",
        );
        assert.ok(customerKeyProblem({ kmsKeyId: "arn:aws:kms:eu-central-1:1:alias/aws/s3" }, "kmsKeyId", "x"));
        assert.equal(customerKeyProblem({ kmsKeyId: "alias/platform-data" }, "kmsKeyId", "x"), undefined);
        assert.equal(customerKeyProblem({ kmsKeyId: "arn:aws:kms:eu-central-1:1:alias/awsome" }, "kmsKeyId", "x"), undefined);
        assert.equal(customerKeyProblem(withUnknown("kmsKeyId"), "kmsKeyId", "x"), undefined);
    });

    it("publicAllowProblem: only an Allow to everyone; pinned by any listed key, case-insensitively; a /0 source range is public", () => {
        const allow = (extra: object) => ({ Sid: "S", Effect: "Allow", Principal: "*", Action: "s3:GetObject", ...extra });
        assert.equal(publicAllowProblem(allow({})), 'statement S allows "*" without a condition fixing the source or principal');
        assert.equal(publicAllowProblem({ ...allow({}), Sid: undefined }), 'statement (no Sid) allows "*" without a condition fixing the source or principal');
        assert.equal(publicAllowProblem(allow({ Condition: { StringEquals: { "AWS:SourceAccount": "1" } } })), undefined);
        assert.ok(publicAllowProblem(allow({ Condition: { StringEquals: { "aws:RequestedRegion": "eu-central-1" } } })));
        assert.equal(
            publicAllowProblem(allow({ Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } } })),
            'statement S allows "*" from a /0 range (public)',
        );
        assert.equal(publicAllowProblem(allow({ Condition: { IpAddress: { "aws:SourceIp": "::/0" } } })), 'statement S allows "*" from a /0 range (public)');
        assert.equal(publicAllowProblem(allow({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), undefined);
        assert.equal(publicAllowProblem(allow({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/0x" } } })), undefined);
        assert.equal(publicAllowProblem({ ...allow({}), Effect: "Deny" }), undefined);
        assert.equal(publicAllowProblem(allow({ Principal: { AWS: "arn:aws:iam::1:root" } })), undefined);
        assert.equal(publicAllowProblem(undefined), undefined);
    });
});
