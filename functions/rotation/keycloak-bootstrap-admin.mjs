// Rotation function of Keycloak's bootstrap administrator password (KC_BOOTSTRAP_ADMIN_PASSWORD). Keycloak reads it
// only when it creates the master realm (the first start) or when an operator runs `kc.sh bootstrap-admin user
// --password:env KC_BOOTSTRAP_ADMIN_PASSWORD` to recover access; either way the account it makes is a temporary
// admin, to be replaced by a permanent one and deleted (docs/runbooks.md "Keycloak administrator"):
// https://www.keycloak.org/server/bootstrap-admin-recovery (read 2026-12-04). Nothing else holds the value, so setSecret
// has nothing to change: the rotation keeps the value waiting for the next bootstrap fresh. Keycloak's admin API is not
// used: the ALB and the WAF keep /admin/ and the master realm private, so an in-VPC function has no sound route to it.
import { jwtStrategy } from "./jwt.mjs";
import { rotate } from "./steps.mjs";

/** A letters-and-digits password of at least 32 characters, like the JWT key: the same strategy, another secret. */
export function bootstrapAdminStrategy(secrets, length) {
    return jwtStrategy(secrets, length, "keycloak bootstrap admin rotation");
}

export async function handler(event, _context, clients) {
    const secrets = clients?.secrets ?? new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({});
    const strategy = bootstrapAdminStrategy(secrets, Number(process.env.PASSWORD_LENGTH ?? "40"));
    await rotate(event, { secrets, strategy, log: clients?.log });
}
