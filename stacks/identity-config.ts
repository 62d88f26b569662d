import { ConfigError, Section } from "./validate";

const IDENTITY_PROVIDERS = ["keycloak", "workos"] as const;
export type IdentityProvider = (typeof IDENTITY_PROVIDERS)[number];

export interface IdentityConfig {
    /** The default provider: tenants without a residency requirement (IDENTITY_DEFAULT_PROVIDER; also IDENTITY_PROVIDER). */
    provider: IdentityProvider;
    /** Every provider the api routes to per tenant, sorted. */
    providers: IdentityProvider[];
    /** The provider of tenants whose identity data must stay in the residency region (Nimbus tenants in prod-il). */
    residencyProvider?: IdentityProvider;
    /** Host label of the self-hosted Keycloak (`auth` -> auth.<domain>). */
    keycloakHostname?: string;
    /** The Keycloak realm of the residency tenants (the api's per-tenant routing data). */
    keycloakRealm?: string;
}

/**
 * `platform:identity`. Either one provider (`provider: workos`) or several side by side:
 *   providers: [keycloak, workos]; defaultProvider: workos; residencyProvider: keycloak; keycloakHostname: auth;
 *   keycloakRealm: nimbus (default `platform`).
 * Residency rules: with `platform:residency` (prod-il) Keycloak must be a provider and the residency provider, because
 * it is the only one whose data (its realm database on the stack's Postgres) stays in the region; WorkOS (hosted in the
 * EU) may serve the other tenants beside it. A stack in il-central-1 always needs Keycloak.
 */
export function parseIdentity(id: Section, region: string, residency: { region: string } | undefined): IdentityConfig {
    const single = id.has("provider");
    const providers = single
        ? [id.oneOf("provider", IDENTITY_PROVIDERS)]
        : (id.stringList("providers", { values: IDENTITY_PROVIDERS, minItems: 1 }) as IdentityProvider[]);
    if (new Set(providers).size !== providers.length) {
        throw new ConfigError("platform:identity.providers", providers, `each of ${IDENTITY_PROVIDERS.join(", ")} at most once`);
    }
    const inRegionRequired = region === "il-central-1" || residency !== undefined;
    if (inRegionRequired && !providers.includes("keycloak")) {
        throw new ConfigError(
            single ? "platform:identity.provider" : "platform:identity.providers",
            single ? providers[0] : providers,
            `a list with keycloak for a stack in ${region} (data residency: residency tenants' identity data stays in the region in Keycloak)`,
        );
    }
    const provider = single ? providers[0] : id.oneOf("defaultProvider", providers.slice().sort(), providers.length === 1 ? providers[0] : undefined);
    let residencyProvider: IdentityProvider | undefined;
    if (!single && id.has("residencyProvider")) residencyProvider = id.oneOf("residencyProvider", providers.slice().sort());
    if (inRegionRequired && residencyProvider !== undefined && residencyProvider !== "keycloak") {
        throw new ConfigError("platform:identity.residencyProvider", residencyProvider, "keycloak (the only provider whose identity data stays in the region)");
    }
    if (inRegionRequired && provider !== "keycloak" && residencyProvider === undefined) {
        throw new ConfigError("platform:identity.residencyProvider", undefined, `keycloak (required when the default provider ${provider} is not in-region)`);
    }
    const keycloak = providers.includes("keycloak");
    const hostLabel = { pattern: /^[a-z][a-z0-9-]{0,30}$/, allowed: "a host label such as auth" };
    const keycloakHostname = keycloak ? id.string("keycloakHostname", hostLabel) : undefined;
    const keycloakRealm = keycloak
        ? id.string("keycloakRealm", { pattern: /^[a-z][a-z0-9-]{0,35}$/, allowed: "a realm name such as nimbus", default: "platform" })
        : undefined;
    id.allow("keycloakHostname", "keycloakRealm", "provider", "providers", "defaultProvider", "residencyProvider");
    return { provider, providers: providers.slice().sort(), residencyProvider, keycloakHostname, keycloakRealm };
}

/** The in-region Keycloak's public URL (`https://<keycloakHostname>.<domain>`; the ingress routes that host to it). */
export function keycloakUrlOf(identity: IdentityConfig, domain: string): string | undefined {
    return identity.keycloakHostname ? `https://${identity.keycloakHostname}.${domain}` : undefined;
}
