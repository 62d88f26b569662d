import { strict as assert } from "assert";
import { credentialShape } from "./lib/secret-shapes";

describe("credential detection by value shape", () => {
    const secrets: Array<[string, RegExp]> = [
        ["AKIAABCDEFGHIJKLMNOP", /AWS access key id/],
        ["ASIAABCDEFGHIJKLMNOP", /AWS access key id/],
        ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...", /private key/],
        ["-----BEGIN OPENSSH PRIVATE KEY-----", /private key/],
        ["xoxb-123456789012-abcdefABCDEF", /Slack token/],
        ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", /GitHub token/],
        ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", /GitHub token/],
        ["sk_live_51Habcdefghijklmnopqrstuv", /Stripe live key/],
        ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", /JWT/],
        ["postgres://app:s3cr3t@db.internal:5432/app", /URL with a password/],
        ["https://user:pa55@example.com/x", /URL with a password/],
    ];
    for (const [value, kind] of secrets) it(`recognises ${kind.source}`, () => assert.match(credentialShape(value) ?? "", kind));

    const plain = ["https://api.example.com/token", "redis", "900", "PASSWORD_MIN_LENGTH", "arn:aws:kms:eu-central-1:111111111111:key/k",
        "postgres://db.internal:5432/app", "https://user@example.com/", "eyJ-not-a-jwt", "sk_test_51Habcdefghijklmnopqrstuv", "true"];
    for (const value of plain) it(`does not flag ${JSON.stringify(value)}`, () => assert.equal(credentialShape(value), undefined));
});
