// Generated tables (scripts/generate-aws-data.ts from cfn-lint; header fields name the source commit and date).
import rdsTable from "./data/rds-instance-classes.json";
import cacheTable from "./data/elasticache-node-types.json";

/** RDS DB instance classes offered per region and engine (postgres, mysql, mariadb). */
export const RDS_INSTANCE_CLASSES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = rdsTable.classes;
/** ElastiCache node types offered per region. */
export const CACHE_NODE_TYPES: Readonly<Record<string, readonly string[]>> = cacheTable.nodeTypes;
/** Where the tables come from, for messages and docs. */
export const TABLE_SOURCES = { rds: { source: rdsTable.source, date: rdsTable.sourceDate }, cache: { source: cacheTable.source, date: cacheTable.sourceDate } };

/** Why `instanceClass` is not offered for `engine` in `region`, or undefined when it is (or the table does not know the region). */
export function rdsClassProblem(region: string, engine: string, instanceClass: string): string | undefined {
    const allowed = RDS_INSTANCE_CLASSES[region]?.[engine];
    if (!allowed) return undefined;
    return allowed.includes(instanceClass) ? undefined : `${instanceClass} is not offered for ${engine} in ${region}`;
}

/** Why `nodeType` is not offered in `region`, or undefined when it is (or the table does not know the region). */
export function cacheNodeProblem(region: string, nodeType: string): string | undefined {
    const allowed = CACHE_NODE_TYPES[region];
    if (!allowed) return undefined;
    return allowed.includes(nodeType) ? undefined : `${nodeType} is not offered in ${region}`;
}
