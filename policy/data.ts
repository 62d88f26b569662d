import { PolicyResource } from "@pulumi/policy";
import {
    PlatformPolicy,
    asList,
    configOf,
    customerKeyProblem,
    forType,
    isProd,
    known,
    mapped,
    pointingAt,
    present,
    truthy,
    forTypes,
    forAnyType,
} from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { DATA_PORTS } from "../standards/ports";

/** Policies of the data tier: RDS for PostgreSQL, RDS Proxy, ElastiCache (Redis), and who may reach them. */

export const RDS_INSTANCE = "aws:rds/instance:Instance";
/** Aurora: the cluster holds storage, backups, auth and logs; its instances hold network exposure, monitoring and upgrades. */
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const RDS_CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
export const RDS_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
export const RDS_PROXY = "aws:rds/proxy:Proxy";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const ELASTICACHE_PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** Ports of the data tier. */


/** True for a read replica (its backups, Multi-AZ, final snapshot and master user come from the source). */
export function isReplica(props: Record<string, any>): boolean {
    return present(props, "replicateSourceDb") || present(props, "replicationSourceIdentifier");
}

/** True when an instance runs PostgreSQL; a replica's engine comes from its source and is taken to be PostgreSQL here. */
function isPostgres(props: Record<string, any>): boolean {
    return props.engine === undefined ? isReplica(props) : /^(aurora-)?postgres/.test(String(props.engine));
}


/** The parameter groups of `type` an instance or replication group uses, joined through its `parameterGroupName`. */
function parameterGroupsOf(resources: PolicyResource[], groupType: string, user: PolicyResource): PolicyResource[] {
    return resources.filter((g) => g.type === groupType && pointingAt(resources, user.type, "parameterGroupName", g).some((u) => u.urn === user.urn));
}

/** The value of parameter `name` in a parameter group's `parameters` list (undefined when it is not set). */
function parameterValue(group: PolicyResource, name: string): string | undefined {
    const found = asList<any>(group.props.parameters).find((p) => p?.name === name);
    return found?.value === undefined ? undefined : String(found.value);
}

export const rdsForceSsl: PlatformPolicy = {
    name: "rds-force-ssl",
    description: "Every PostgreSQL instance (replicas too) and Aurora PostgreSQL cluster uses a parameter group (cluster parameter group for "
        + "Aurora) that sets rds.force_ssl=1, so the server refuses unencrypted connections.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.38"], nist: ["SC-8", "SC-8(1)"], soc2: ["CC6.7"], iso: ["A.8.24"] }),
    remediationSteps:
        'Give the instance a custom rds/parameterGroup (family postgres16) with { name: "rds.force_ssl", value: "1" }; the Postgres component does.',
    validateStack: (args, reportViolation) => {
        // Instances read rds.force_ssl from their parameter group; Aurora PostgreSQL clusters from their cluster parameter group.
        const users = [
            { type: RDS_INSTANCE, groupType: RDS_PARAMETER_GROUP, prop: "parameterGroupName", what: "parameter group" },
            { type: RDS_CLUSTER, groupType: RDS_CLUSTER_PARAMETER_GROUP, prop: "dbClusterParameterGroupName", what: "cluster parameter group" },
        ];
        for (const { type, groupType, prop, what } of users) {
            for (const db of args.resources.filter((r) => r.type === type && isPostgres(r.props))) {
                const groups = args.resources.filter((g) => g.type === groupType && pointingAt(args.resources, type, prop, g).some((u) => u.urn === db.urn));
                if (groups.length === 0) {
                    reportViolation(`${db.name}: uses no ${what} of this stack (the default group cannot be checked); set one with rds.force_ssl=1`, db.urn);
                } else if (!groups.some((g) => parameterValue(g, "rds.force_ssl") === "1")) {
                    reportViolation(
                        `${db.name}: ${what} ${groups.map((g) => g.name).join(", ")} does not set rds.force_ssl=1 (plain-text connections accepted)`,
                        db.urn,
                    );
                }
            }
        }
    },
};

export const rdsNotPublic: PlatformPolicy = {
    name: "rds-not-public",
    description: "RDS instances and Aurora cluster instances are not publicly accessible.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ fsbp: ["RDS.2"], cis: ["2.3.3"], nist: ["SC-7", "AC-3"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps: "Set publiclyAccessible: false and place the instance in the data subnets.",
    validateResource: forTypes([RDS_INSTANCE, RDS_CLUSTER_INSTANCE], (p) => [truthy(p.publiclyAccessible) ? "is publicly accessible" : undefined]),
};

export const rdsMultiAz: PlatformPolicy = {
    name: "rds-multi-az",
    description: "Production primaries run Multi-AZ (a synchronous standby with automatic failover); read replicas are exempt.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.5"], nist: ["CP-10"], soc2: ["A1.2"], iso: ["A.8.14"] }),
    remediationSteps: "Set platform:database.multiAz: true in the prod stack file (the Postgres component passes it as multiAz).",
    validateResource: forType(RDS_INSTANCE, (p) => (isProd(p) && !isReplica(p) && !truthy(p.multiAz) ? "a production primary is not Multi-AZ" : undefined)),
};

export const rdsClusterMultiAz: PlatformPolicy = {
    name: "rds-cluster-multi-az",
    description: "Production Aurora clusters run instances in at least two Availability Zones, so a reader can take over when the writer's AZ fails.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.15"], nist: ["CP-10"], soc2: ["A1.2"], iso: ["A.8.14"] }),
    remediationSteps: "Add a second aws.rds.ClusterInstance to the cluster in another Availability Zone (availabilityZone).",
    validateStack: (args, reportViolation) => {
        for (const cluster of args.resources.filter((r) => r.type === RDS_CLUSTER && isProd(r.props))) {
            const members = pointingAt(args.resources, RDS_CLUSTER_INSTANCE, "clusterIdentifier", cluster);
            const zones = new Set(members.map((m) => known(() => m.props.availabilityZone)).filter((z) => typeof z === "string"));
            // An instance without an explicit (or with a not yet known) zone is placed by RDS: count it as a zone of its own.
            const placed = members.filter((m) => typeof known(() => m.props.availabilityZone) !== "string").length;
            if (members.length < 2)
                reportViolation(`${cluster.name}: a production cluster has ${members.length} instance(s); Multi-AZ needs at least 2`, cluster.urn);
            else if (zones.size + placed < 2)
                reportViolation(`${cluster.name}: its ${members.length} instances are all in ${[...zones].join(", ")}`, cluster.urn);
        }
    },
};

export const rdsBackups: PlatformPolicy = {
    name: "rds-backups",
    description:
        "Primaries and Aurora clusters keep automated backups (PITR) at least the configured number of days (35 in prod) and copy tags to " +
        "snapshots; read replicas are exempt.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.11", "RDS.17", "RDS.16"], nist: ["CP-9"], soc2: ["A1.2"], iso: ["A.8.13"] }),
    remediationSteps: "Set backupRetentionPeriod from platform:retention.backupDays (35 in prod) and copyTagsToSnapshot: true.",
    configSchema: {
        properties: {
            minRetentionDaysProd: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: 35,
                description: "Fewest days of automated backups (PITR) a production primary keeps.",
            },
            minRetentionDays: {
                type: "integer",
                minimum: 1,
                maximum: 35,
                default: 1,
                description: "Fewest days of automated backups any other primary keeps.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (![RDS_INSTANCE, RDS_CLUSTER].includes(args.type) || isReplica(args.props)) return;
        const c = configOf(args, { minRetentionDaysProd: 35, minRetentionDays: 1 });
        const min = isProd(args.props) ? c.minRetentionDaysProd : c.minRetentionDays;
        const days = Number(args.props.backupRetentionPeriod ?? 0);
        if (!(days >= min)) reportViolation(`${args.name}: keeps automated backups ${days} days; at least ${min} required`);
        if (!truthy(args.props.copyTagsToSnapshot)) reportViolation(`${args.name}: does not copy tags to snapshots`);
    },
};

export const rdsDeletionProtection: PlatformPolicy = {
    name: "rds-deletion-protection",
    description: "Production instances and Aurora clusters have deletion protection; production primaries and clusters take a final snapshot when deleted.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.8", "RDS.7"], nist: ["CM-3", "CP-9"], soc2: ["A1.2"], iso: ["A.8.13"] }),
    remediationSteps:
        "In prod set deletionProtection: true, skipFinalSnapshot: false and a finalSnapshotIdentifier (the Postgres component does when finalSnapshot is on).",
    validateResource: forAnyType([RDS_INSTANCE, RDS_CLUSTER], (p) => {
        if (!isProd(p)) return undefined;
        if (!truthy(p.deletionProtection)) return "a production instance has no deletion protection";
        if (!isReplica(p) && (p.skipFinalSnapshot !== false || !p.finalSnapshotIdentifier))
            return "a production primary would be deleted without a final snapshot";
        return undefined;
    }),
};

export const rdsLogs: PlatformPolicy = {
    name: "rds-logs",
    description: "PostgreSQL instances export the postgresql and upgrade logs to CloudWatch Logs; Aurora PostgreSQL clusters export the postgresql log.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["RDS.9", "RDS.37"], nist: ["AU-2", "AU-12"], soc2: ["CC7.2"], iso: ["A.8.15"] }),
    remediationSteps: 'Set enabledCloudwatchLogsExports: ["postgresql", "upgrade"] and create the /aws/rds/instance/<id>/<log> groups with the logs key first.',
    validateResource: forAnyType([RDS_INSTANCE, RDS_CLUSTER], (p) => {
        if (!isPostgres(p)) return undefined;
        const missing = (present(p, "clusterIdentifier") || String(p.engine ?? "").startsWith("aurora") ? ["postgresql"] : ["postgresql", "upgrade"]).filter(
            (l) => !asList<string>(p.enabledCloudwatchLogsExports).includes(l),
        );
        return missing.length ? `does not export ${missing.join(" and ")} logs` : undefined;
    }),
};

export const rdsIamAuth: PlatformPolicy = {
    name: "rds-iam-auth",
    description: "RDS instances and Aurora clusters accept IAM database authentication.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["RDS.10", "RDS.12"], nist: ["IA-2", "AC-2"], soc2: ["CC6.1"], iso: ["A.8.5", "A.5.16"] }),
    remediationSteps: "Set iamDatabaseAuthenticationEnabled: true.",
    validateResource: forTypes([RDS_INSTANCE, RDS_CLUSTER], (p) => [
        !truthy(p.iamDatabaseAuthenticationEnabled) ? "IAM database authentication is off" : undefined,
    ]),
};

export const rdsMonitoring: PlatformPolicy = {
    name: "rds-monitoring",
    description: "RDS instances and Aurora cluster instances have enhanced monitoring (with a monitoring role) and Performance Insights.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["RDS.6"], nist: ["SI-4"], soc2: ["CC7.2"], iso: ["A.8.16"] }),
    remediationSteps: "Set monitoringInterval (1-60) with monitoringRoleArn (AmazonRDSEnhancedMonitoringRole) and performanceInsightsEnabled: true.",
    validateResource: forAnyType([RDS_INSTANCE, RDS_CLUSTER_INSTANCE], (p) => {
        if (!(Number(p.monitoringInterval ?? 0) > 0)) return "enhanced monitoring is off (monitoringInterval 0)";
        if (!present(p, "monitoringRoleArn")) return "enhanced monitoring has no monitoringRoleArn";
        return truthy(p.performanceInsightsEnabled) ? undefined : "Performance Insights is off";
    }),
};

export const rdsMinorUpgrades: PlatformPolicy = {
    name: "rds-minor-upgrades",
    description: "RDS instances and Aurora cluster instances take minor engine upgrades automatically in their maintenance window.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["RDS.13"], cis: ["2.3.2"], nist: ["SI-2"], soc2: ["CC7.1"], iso: ["A.8.8"] }),
    remediationSteps: 'Leave autoMinorVersionUpgrade unset or true, and pin only the major version (engineVersion "16").',
    validateResource: forTypes([RDS_INSTANCE, RDS_CLUSTER_INSTANCE], (p) => [
        p.autoMinorVersionUpgrade === false || p.autoMinorVersionUpgrade === "false" ? "automatic minor version upgrades are off" : undefined,
    ]),
};

const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

/**
 * What is wrong with a primary's write-only master password: it must come from a value that a Secrets Manager secret
 * under a customer-managed key also holds (a version computed from the same source), and that secret must rotate.
 */
function writeOnlyPasswordProblem(resources: PolicyResource[], db: PolicyResource): string | undefined {
    const sources = new Set((db.propertyDependencies.passwordWo ?? []).map((d) => d.urn));
    const versions = resources.filter((r) => r.type === SECRET_VERSION && (r.propertyDependencies.secretString ?? []).some((d) => sources.has(d.urn)));
    const secrets = versions.flatMap((v) => (v.propertyDependencies.secretId ?? []).filter((d) => d.type === SECRET));
    if (secrets.length === 0)
        return "the write-only master password is not kept in a Secrets Manager secret (a version computed from the same generated value)";
    const problems = secrets.map((secret) => {
        // A key created in the same update has no ARN yet at preview: its dependency still shows the key is set.
        const keyed = present(secret.props, "kmsKeyId") || (secret.propertyDependencies.kmsKeyId ?? []).length > 0;
        if (!keyed) return `the master secret ${secret.name} is not encrypted with a customer-managed key (kmsKeyId)`;
        const awsManaged = customerKeyProblem(secret.props, "kmsKeyId", `the master secret ${secret.name}`);
        if (present(secret.props, "kmsKeyId") && awsManaged) return awsManaged;
        const rotated = resources.some((r) => r.type === SECRET_ROTATION && (r.propertyDependencies.secretId ?? []).some((d) => d.urn === secret.urn));
        return rotated ? undefined : `the master secret ${secret.name} has no rotation (aws.secretsmanager.SecretRotation)`;
    });
    return problems.includes(undefined) ? undefined : problems.join("; ");
}

export const rdsManagedPassword: PlatformPolicy = {
    name: "rds-managed-password",
    description: "No RDS instance or Aurora cluster keeps a master password in state. Primaries either let RDS manage it in Secrets Manager "
        + "under a customer-managed key, or set a generated password write-only (passwordWo) that a customer-managed-key Secrets Manager secret "
        + "with rotation also holds (RDS refuses a read replica of an instance with an RDS-managed password).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["IA-5"], soc2: ["CC6.1"], iso: ["A.5.17"] }),
    remediationSteps:
        "Remove password. Either set manageMasterUserPassword: true with masterUserSecretKmsKeyId (no replica), or set passwordWo from a " +
        "generated value stored in an aws.secretsmanager.Secret with kmsKeyId and an aws.secretsmanager.SecretRotation " +
        "(components/data/master-credentials.ts).",
    validateStack: (args, reportViolation) => {
        for (const db of args.resources.filter((r) => r.type === RDS_INSTANCE || r.type === RDS_CLUSTER)) {
            const p = db.props;
            const writeOnly = present(p, "passwordWo") || present(p, "masterPasswordWo") || (db.propertyDependencies.passwordWo ?? []).length > 0;
            const problem = present(p, "password") || present(p, "masterPassword") ? "sets a master password in the program (it ends up in state and history)"
                : isReplica(p) ? undefined
                    : truthy(p.manageMasterUserPassword) ? customerKeyProblem(p, "masterUserSecretKmsKeyId", "the RDS-managed master secret")
                        : writeOnly ? writeOnlyPasswordProblem(args.resources, db)
                            : "the master password is not managed by RDS (manageMasterUserPassword), nor is it a write-only password held in a rotated secret";
            if (problem) reportViolation(`${db.name}: ${problem}`, db.urn);
        }
    },
};

export const rdsProxyTls: PlatformPolicy = {
    name: "rds-proxy-tls",
    description: "RDS proxies require TLS from clients and IAM authentication for every credential.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-8", "IA-2"], soc2: ["CC6.7", "CC6.1"], iso: ["A.8.24", "A.8.5"] }),
    remediationSteps: "Set requireTls: true and iamAuth: \"REQUIRED\" on every auths entry (or defaultAuthScheme \"IAM_AUTH\").",
    validateResource: forType(RDS_PROXY, (p) => {
        if (!truthy(p.requireTls)) return "does not require TLS";
        if (p.defaultAuthScheme === "IAM_AUTH") return undefined;
        const auths = asList<any>(p.auths);
        if (auths.length === 0) return "has no auth configuration";
        return auths.every((a) => a?.iamAuth === "REQUIRED") ? undefined : "does not require IAM authentication for every credential";
    }),
};

export const redisInTransit: PlatformPolicy = {
    name: "redis-in-transit",
    description:
        "ElastiCache replication groups require TLS (transit encryption mode not preferred) and authenticate clients with an AUTH token or an RBAC user group.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ElastiCache.5", "ElastiCache.6"], nist: ["SC-8", "IA-2"], soc2: ["CC6.7", "CC6.1"], iso: ["A.8.24", "A.8.5"] }),
    remediationSteps: 'Set transitEncryptionEnabled: true, transitEncryptionMode: "required", and authToken from a Secrets Manager-held value or userGroupIds.',
    validateResource: forType(REPLICATION_GROUP, (p) => {
        if (!truthy(p.transitEncryptionEnabled)) return "transit encryption is off";
        if (p.transitEncryptionMode === "preferred") return "transit encryption mode is preferred (plain-text connections still accepted)";
        const auth = present(p, "authToken") || present(p, "authTokenWo") || present(p, "userGroupIds");
        return auth ? undefined : "clients are not authenticated (no AUTH token or user group)";
    }),
};

export const redisFailover: PlatformPolicy = {
    name: "redis-failover",
    description: "Production replication groups fail over automatically across AZs; every replication group keeps daily snapshots.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ElastiCache.3", "ElastiCache.1"], nist: ["CP-9", "CP-10"], soc2: ["A1.2"], iso: ["A.8.13", "A.8.14"] }),
    remediationSteps:
        "In prod set platform:redis.replicasPerShard >= 1 (the Redis component then sets automaticFailoverEnabled and multiAzEnabled); set " +
        "snapshotRetentionLimit >= 1.",
    validateResource: forType(REPLICATION_GROUP, (p) => {
        if (isProd(p) && !truthy(p.automaticFailoverEnabled)) return "a production replication group has no automatic failover";
        if (isProd(p) && !truthy(p.multiAzEnabled)) return "a production replication group is not Multi-AZ";
        return Number(p.snapshotRetentionLimit ?? 0) >= 1 ? undefined : "keeps no snapshots (snapshotRetentionLimit 0)";
    }),
};

export const redisNoeviction: PlatformPolicy = {
    name: "redis-noeviction",
    description: "Replication groups (they hold BullMQ queues) use a parameter group with maxmemory-policy noeviction: an evicting Redis silently loses jobs.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ soc2: ["PI1.3"], iso: ["A.8.6"] }),
    remediationSteps:
        'Give the replication group a custom elasticache/parameterGroup with { name: "maxmemory-policy", value: "noeviction" }; cache keys must carry TTLs.',
    validateStack: (args, reportViolation) => {
        for (const rg of args.resources.filter((r) => r.type === REPLICATION_GROUP)) {
            const groups = parameterGroupsOf(args.resources, ELASTICACHE_PARAMETER_GROUP, rg);
            if (groups.length === 0) {
                reportViolation(
                    `${rg.name}: uses the default parameter group (maxmemory-policy volatile-lru evicts queued jobs); use one with noeviction`,
                    rg.urn,
                );
            } else if (!groups.some((g) => parameterValue(g, "maxmemory-policy") === "noeviction")) {
                reportViolation(`${rg.name}: parameter group ${groups.map((g) => g.name).join(", ")} does not set maxmemory-policy noeviction`, rg.urn);
            }
        }
    },
};

/** True when a TCP rule over `from`-`to` with protocol `protocol` covers one of the data ports. */
function coversDataPort(protocol: unknown, from: unknown, to: unknown): number | undefined {
    const proto = String(protocol ?? "").toLowerCase();
    if (proto === "-1" || proto === "all") return DATA_PORTS[0];
    if (proto !== "tcp" && proto !== "6") return undefined;
    const lo = Number(from ?? 0);
    const hi = to === undefined || to === null ? lo : Number(to);
    return DATA_PORTS.find((port) => port >= lo && port <= hi);
}

/** The non-security-group sources of one ingress rule, in any of the three forms AWS rules take. */
function addressSources(rule: Record<string, any>): string[] {
    return [
        ...asList<string>(rule.cidrBlocks), ...asList<string>(rule.ipv6CidrBlocks), ...asList<string>(rule.prefixListIds),
        ...asList<string>(rule.cidrIpv4), ...asList<string>(rule.cidrIpv6), ...asList<string>(rule.prefixListId),
    ];
}

export const dataTierSgOnly: PlatformPolicy = {
    name: "data-tier-sg-only",
    description:
        "Ingress to 5432 (Postgres) and 6379 (Redis) comes only from security groups, never from CIDR blocks or prefix lists, in every rule form " +
        "(inline, securityGroupRule, vpc ingress rule).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["SC-7", "AC-4"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps:
        "Admit the data ports with referencedSecurityGroupId (or securityGroups / sourceSecurityGroupId) naming the client security groups the " +
        "data layer exports.",
    validateResource: (args, reportViolation) => {
        const p = args.props;
        const check = (rule: Record<string, any>, where: string) => {
            const port = coversDataPort(rule.protocol ?? rule.ipProtocol, rule.fromPort, rule.toPort);
            const sources = addressSources(rule);
            if (port !== undefined && sources.length > 0)
                reportViolation(`${args.name}: ${where} admits port ${port} from ${sources.join(", ")}; only security groups may reach the data tier`);
        };
        if (args.type === SG) asList<any>(p.ingress).forEach((rule, i) => { check(rule, `inline ingress rule ${i + 1}`); });
        if (args.type === SG_RULE && p.type === "ingress") check(p, "the rule");
        if (args.type === SG_INGRESS_RULE) check(p, "the rule");
    },
};

export const dataPolicies: PlatformPolicy[] = honourExceptions([
    rdsForceSsl, rdsNotPublic, rdsMultiAz, rdsClusterMultiAz, rdsBackups, rdsDeletionProtection, rdsLogs, rdsIamAuth, rdsMonitoring, rdsMinorUpgrades,
    rdsManagedPassword, rdsProxyTls, redisInTransit, redisFailover, redisNoeviction, dataTierSgOnly,
]);
