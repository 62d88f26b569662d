// Generated tables (scripts/generate-aws-data.ts from cfn-lint; header fields name the source commit and date).
import rdsTable from "./aws/rds-instance-classes.json";
import cacheTable from "./aws/elasticache-node-types.json";

/** RDS DB instance classes offered per region and engine (postgres, mysql, mariadb). */
export const RDS_INSTANCE_CLASSES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = rdsTable.classes;
/** ElastiCache node types offered per region. */
export const CACHE_NODE_TYPES: Readonly<Record<string, readonly string[]>> = cacheTable.nodeTypes;
/** Where the tables come from, for messages and docs. */
export const TABLE_SOURCES = { rds: { source: rdsTable.source, date: rdsTable.sourceDate }, cache: { source: cacheTable.source, date: cacheTable.sourceDate } };
