import { PolicyResource } from "@pulumi/policy";
import { truthy } from "../lib/kit";
import { PreflightPolicy, eachOf, num, ofTypes, referenced } from "./kit";

const RDS = "aws:rds/instance:Instance";

/** The primary a replica names in replicateSourceDb (property dependency, or identifier/ARN match). */
function sourceOf(replica: PolicyResource, resources: PolicyResource[]): PolicyResource | undefined {
    const byDep = (replica.propertyDependencies.replicateSourceDb ?? []).find((d) => d.type === RDS);
    if (byDep) return byDep;
    const src = String(replica.props.replicateSourceDb);
    return ofTypes(resources, [RDS]).find((r) => r !== replica && typeof r.props.identifier === "string"
        && (src === r.props.identifier || src.endsWith(`:db:${r.props.identifier}`)));
}

export const preflightReplicaPrerequisites: PreflightPolicy = {
    name: "preflight-replica-prerequisites",
    description: "A read replica's source has automated backups on (backupRetentionPeriod > 0) and does not manage its master password in Secrets " +
        "Manager (RDS refuses to create replicas of such a source, all engines but SQL Server).",
    enforcementLevel: "mandatory", severity: "critical",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations",
    remediationSteps: "Keep the master password in your own Secrets Manager secret (generated password, rotated by runbook or Lambda) when the " +
        "stack has a replica, or drop the replica; turn on backups on the source.",
    validateStack: eachOf([RDS], (replica, args) => {
        if (replica.props.replicateSourceDb === undefined) return [];
        const source = sourceOf(replica, args.resources);
        if (!source) return [];
        const problems: string[] = [];
        if (truthy(source.props.manageMasterUserPassword)) {
            problems.push(`source ${source.name} has manageMasterUserPassword; RDS does not create read replicas of a source whose master password ` +
                `Secrets Manager manages`);
        }
        const backups = num(source.props.backupRetentionPeriod);
        if (backups === undefined || backups < 1) problems.push(`source ${source.name} has no automated backups (backupRetentionPeriod ` +
            `${backups ?? "unset"}); replicas need them`);
        return problems;
    }),
};

/** The parameter group family an engine version belongs to, e.g. postgres 16.4 -> postgres16, mysql 8.0.35 -> mysql8.0, redis 7.1 -> redis7. */
export function expectedFamily(engine: string, version: string): string | undefined {
    const [major, minor] = version.split(".");
    if (!major) return undefined;
    if (engine === "postgres") return `postgres${major}`;
    if (engine === "mysql" || engine === "mariadb") return minor !== undefined ? `${engine}${major}.${minor}` : undefined;
    if (engine !== "redis" && engine !== "valkey") return undefined;
    return Number(major) >= 7 ? `${engine}${major}` : minor !== undefined ? `${engine}${major}.${minor}` : undefined;
}

const GROUPS = ["aws:rds/parameterGroup:ParameterGroup", "aws:elasticache/parameterGroup:ParameterGroup"];

export const preflightParameterGroupFamily: PreflightPolicy = {
    name: "preflight-parameter-group-family",
    description: "The parameter group a database or cache uses has the family of its engine version (postgres16 for PostgreSQL 16, redis7 for " +
        "Redis 7.x); RDS and ElastiCache refuse a mismatch.",
    enforcementLevel: "mandatory", severity: "high",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.html",
    remediationSteps: "Derive the group's family from the engine version in one place, and create a new group (new name) when the major version changes.",
    validateStack: eachOf([RDS, "aws:elasticache/replicationGroup:ReplicationGroup"], (db, args) => {
        const version = db.props.engineVersion;
        const engine = String(db.props.engine ?? (db.type === RDS ? "" : "redis"));
        if (typeof version !== "string") return [];
        const family = expectedFamily(engine, version);
        return referenced(db, "parameterGroupName", args.resources, GROUPS, ["name"]).map((group) =>
            family && typeof group.props.family === "string" && group.props.family !== family
                ? `parameter group ${group.name} has family ${group.props.family}, but ${engine} ${version} needs ${family}` : undefined);
    }),
};
