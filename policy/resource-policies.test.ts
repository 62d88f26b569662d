import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import { resourcePolicyNotPublic } from "./resource-policies";
import { kmsRotation } from "./encryption";

const doc = (...statements: any[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const everyone = (condition?: any) => ({
    Sid: "S",
    Effect: "Allow",
    Principal: { AWS: "*" },
    Action: "*",
    Resource: "*",
    ...(condition ? { Condition: condition } : {}),
});
const TYPES = ["aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:secretsmanager/secretPolicy:SecretPolicy"];

describe("\"*\" is public unless a condition pins it (ECR repository and Secrets Manager policies; KMS keys)", () => {
    for (const type of TYPES) {
        it(`${type.split(":").pop()}: flags "*" without a pinning condition and passes it pinned to the organisation`, async () => {
            assert.deepEqual(
                await violationsOf(resourcePolicyNotPublic, [fake(type, "p", { policy: doc(everyone({ Bool: { "aws:SecureTransport": "true" } })) })]),
                ['p: statement S allows "*" without a condition fixing the source or principal'],
            );
            assert.deepEqual(
                await violationsOf(resourcePolicyNotPublic, [
                    fake(type, "p", { policy: doc(everyone({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } })) }),
                ]),
                [],
            );
            assert.deepEqual(
                await violationsOf(resourcePolicyNotPublic, [
                    fake(type, "p", { policy: doc({ ...everyone(), Principal: { AWS: "arn:aws:iam::111111111111:role/ci" } }) }),
                ]),
                [],
            );
        });
    }
    it("a source-IP condition open to /0 is still public", async () => {
        const p = fake(TYPES[0], "p", { policy: doc(everyone({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } })) });
        assert.deepEqual(await violationsOf(resourcePolicyNotPublic, [p]), ["p: statement S allows \"*\" from a /0 range (public)"]);
    });
    it("kms-rotation: a key policy statement to \"*\" needs a pinning condition such as kms:CallerAccount", async () => {
        const key = (condition: any) => fake("aws:kms/key:Key", "k", { enableKeyRotation: true, policy: doc(everyone(condition)) });
        assert.match(
            (await violationsOf(kmsRotation, [key({ StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } })])).join(),
            /without a condition fixing/,
        );
        assert.deepEqual(
            await violationsOf(kmsRotation, [
                key({ StringEquals: { "kms:CallerAccount": "111111111111", "kms:ViaService": "s3.eu-central-1.amazonaws.com" } }),
            ]),
            [],
        );
    });
});
