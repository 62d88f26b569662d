// What each region offers, from the generated tables in standards/aws/ (scripts/generate-aws-data.ts reads cfn-lint's
// per-region data; each file's header names the source commit and date).
import { CACHE_NODE_TYPES as cache, RDS_INSTANCE_CLASSES as rds } from "../standards/instance-classes";

/** The RDS classes offered for `engine` in `region` that match `family` (the config's own class pattern); undefined when the table lacks the region. */
export function offeredRdsClasses(region: string, engine: string, family: RegExp): string[] | undefined {
    return rds[region]?.[engine]?.filter((c) => family.test(c));
}

/** The ElastiCache node types offered in `region` that match `family`; undefined when the table lacks the region. */
export function offeredCacheNodeTypes(region: string, family: RegExp): string[] | undefined {
    return cache[region]?.filter((c) => family.test(c));
}
