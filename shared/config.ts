import { AWS_REGIONS } from "../stacks/config";
import { ConfigError, Section } from "../stacks/validate";

/** The task families (kebab-case, as stacks/layers/compute.ts names repositories and roles). */
export const FAMILY_NAMES = ["api", "api-workers", "scanner-workers", "ai-workers", "keycloak"] as const;

export interface SharedWorkload {
    stack: string;
    accountId: string;
    region: string;
    deployEnvironment: string;
    families: string[];
}

export interface SharedConfig {
    /** The shared-services account itself; the provider refuses any other account's credentials. */
    accountId: string;
    region: string;
    githubRepository: string;
    workloads: SharedWorkload[];
}

/** Validates the shared program's config (namespace `platform-shared`), naming the key, the value and what is allowed. */
export function parseSharedConfig(raw: Record<string, unknown>): SharedConfig {
    const region = raw["aws:region"];
    if (typeof region !== "string" || !(AWS_REGIONS as readonly string[]).includes(region)) {
        throw new ConfigError("aws:region", region, `an AWS region: ${AWS_REGIONS.join(", ")}`);
    }
    const top = new Section("platform-shared", raw);
    const accountId = top.string("accountId", { pattern: /^\d{12}$/, allowed: "the shared-services account's 12-digit id, quoted" });
    const githubRepository = top.string("githubRepository", { pattern: /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, allowed: "owner/repository" });
    const all = Section.of("platform-shared:workloads", raw.workloads);
    const stacks = Object.keys((raw.workloads ?? {}) as object);
    if (stacks.length === 0)
        throw new ConfigError(
            "platform-shared:workloads",
            raw.workloads,
            "at least one workload stack (a mapping stack -> accountId, region, deployEnvironment, families)",
        );
    const workloads = stacks.map((stack) => {
        if (!/^[a-z][a-z0-9-]{1,30}$/.test(stack)) throw new ConfigError(`platform-shared:workloads.${stack}`, stack, "a stack name such as prod-eu");
        const w = all.section(stack);
        const workload: SharedWorkload = {
            stack,
            accountId: w.string("accountId", { pattern: /^\d{12}$/, allowed: "the workload account's 12-digit id, quoted" }),
            region: w.oneOf("region", AWS_REGIONS),
            deployEnvironment: w.string("deployEnvironment", { pattern: /^[a-z0-9-]+$/, allowed: "a GitHub environment name" }),
            families: w.stringList("families", { values: FAMILY_NAMES, minItems: 1 }),
        };
        w.rejectUnknown();
        if (workload.accountId === accountId) {
            throw new ConfigError(
                `platform-shared:workloads.${stack}.accountId`,
                workload.accountId,
                "a workload account, not the shared-services account itself",
            );
        }
        return workload;
    });
    for (const key of Object.keys(raw)) {
        if (!["aws:region", "accountId", "githubRepository", "workloads"].includes(key)) {
            throw new ConfigError(`platform-shared:${key}`, raw[key], "one of accountId, githubRepository, workloads");
        }
    }
    return { accountId, region, githubRepository, workloads };
}
