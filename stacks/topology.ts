import { AWS_REGIONS } from "./config";
import { ConfigError, Section } from "./validate";

/**
 * The account map (README "From zero to first deploy"). `single-account`: the stack's account holds its own registry
 * and trusts GitHub's OIDC provider directly (small installs, dev). `shared-services`: a shared-services account (the
 * shared/ program) holds the Pulumi state, the one container registry and the GitHub OIDC provider with one hub role
 * per environment and kind; the workload stack pulls its images from that registry and its deploy and preview roles
 * trust only their hub role. The names below are the contract between the two programs (shared/ reads them too).
 */
export type Topology =
    | { mode: "single-account" }
    | {
          mode: "shared-services";
          /** The shared-services account (12 digits). */
          accountId: string;
          /** Its home region: the registry, the state bucket. */
          region: string;
          /** The hub roles (in the shared account) the deploy and preview roles trust, by name. */
          hubRoleNames: { deploy: string; preview: string };
          /** The Pulumi state bucket in the shared account. */
          stateBucket: string;
      };

/** Kinds of GitHub Actions roles: `deploy` (pulumi up, deploy environment) and `preview` (read-only). */
const ROLE_KINDS = ["deploy", "preview"] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

/** The hub role of one environment and kind in the shared-services account, e.g. `platform-hub-prod-eu-deploy`. */
export function hubRoleName(stack: string, kind: RoleKind): string {
    return `platform-hub-${stack}-${kind}`;
}

/** The GitHub Actions role of a workload stack (components/identity/github-deploy-roles.ts names it so). */
export function workloadRoleName(project: string, stack: string, kind: RoleKind): string {
    return `${project}-${stack}-github-${kind}`;
}

/** The ECS task execution role of one task family (components/compute/fargate-service.ts names it so). */
export function executionRoleName(project: string, stack: string, family: string): string {
    return `${project}-${stack}-${family}-exec`;
}

/** The Pulumi state bucket of an account and region (bootstrap/ and shared/ create it under this name). */
export function stateBucketName(accountId: string, region: string): string {
    return `platform-pulumi-state-${accountId}-${region}`;
}

/** The shared registry's host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
export function sharedRegistryUrl(t: Extract<Topology, { mode: "shared-services" }>): string {
    return `${t.accountId}.dkr.ecr.${t.region}.amazonaws.com`;
}

/**
 * `platform:topology` (optional; single-account when absent):
 *   mode: single-account | shared-services
 *   sharedServicesAccountId: "123456789012"   (shared-services only)
 *   sharedServicesRegion: eu-central-1         (shared-services only: the registry's and the state bucket's region)
 *   hubRoleNames: { deploy, preview }          (optional; default platform-hub-<stack>-deploy / -preview)
 */
export function parseTopology(t: Section, stack: string): Topology {
    const mode = t.oneOf("mode", ["single-account", "shared-services"] as const, "single-account");
    if (mode === "single-account") {
        t.allow("sharedServicesAccountId", "sharedServicesRegion", "hubRoleNames");
        return { mode };
    }
    const accountId = quotedAccountId(t);
    const region = t.oneOf("sharedServicesRegion", AWS_REGIONS);
    const names = t.section("hubRoleNames", true);
    const roleName = { pattern: /^[\w+=,.@-]{1,64}$/, allowed: "an IAM role name (1-64 of A-Z a-z 0-9 _+=,.@-)" };
    const hubRoleNames = {
        deploy: names.string("deploy", { ...roleName, default: hubRoleName(stack, "deploy") }),
        preview: names.string("preview", { ...roleName, default: hubRoleName(stack, "preview") }),
    };
    if (hubRoleNames.deploy === hubRoleNames.preview) {
        throw new ConfigError(
            "platform:topology.hubRoleNames.preview",
            hubRoleNames.preview,
            "a role other than the deploy hub role (previews must never reach the deploy role)",
        );
    }
    return { mode, accountId, region, hubRoleNames, stateBucket: stateBucketName(accountId, region) };
}

/** The account id, quoted in YAML (an unquoted one is read as a number and may lose leading zeros). */
function quotedAccountId(t: Section): string {
    return t.string("sharedServicesAccountId", { pattern: /^\d{12}$/, allowed: "the shared-services account's 12-digit id, quoted" });
}
