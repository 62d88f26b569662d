// Rotation function of the BFF's JWT signing key (HS256). The secret string is the key itself.
// Nothing outside the secret holds the key, so setSecret has nothing to change: the BFF verifies tokens with the
// AWSCURRENT key and, until they expire, with the AWSPREVIOUS key (README "Secret rotation" states this contract),
// and signs with AWSCURRENT. Runtime: Lambda nodejs22.x, whose AWS SDK for JavaScript v3 is built in
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included, read 2026-12-03).
import { randomAlphanumeric, rotate } from "./steps.mjs";

/** Keys shorter than this are refused (RFC 7518 section 3.2: an HS256 key has at least 256 bits). */
export const MIN_KEY_LENGTH = 32;

/** The strategy for a signing key of `length` characters; `label` starts its error messages. */
export function jwtStrategy(secrets, length, label = "jwt rotation") {
    if (!Number.isInteger(length) || length < MIN_KEY_LENGTH)
        throw new Error(`${label}: the length must be an integer >= ${MIN_KEY_LENGTH}, got ${length}`);
    return {
        create: () => randomAlphanumeric(secrets, length),
        set: async () => {
            /* only the secret holds the key */
        },
        test: async ({ pending, current }) => {
            if (!/^[A-Za-z0-9]+$/.test(pending) || pending.length < length)
                throw new Error(`${label}: the pending value is not ${length} letters and digits`);
            if (pending === current) throw new Error(`${label}: the pending value equals the current one`);
        },
    };
}

export async function handler(event, _context, clients) {
    const secrets = clients?.secrets ?? new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({});
    await rotate(event, { secrets, strategy: jwtStrategy(secrets, Number(process.env.KEY_LENGTH ?? "64")), log: clients?.log });
}
