/**
 * Alarm thresholds per environment, in one table (docs/runbooks.md, "Thresholds", mirrors it). Production pages
 * early; dev alarms only on sustained, clear failures so that it does not train people to ignore alerts.
 */
export interface AlarmThresholds {
    /** ALB-generated 5xx responses per 5 minutes. */
    alb5xxPer5Min: number;
    /** Target-generated 5xx responses per 5 minutes. */
    target5xxPer5Min: number;
    /** API p99 target response time, seconds, over 5 minutes. */
    apiP99Seconds: number;
    /** Consecutive 1-minute periods with an unhealthy target before alarming. */
    unhealthyMinutes: number;
    /** Consecutive 1-minute periods a service runs below its desired count before alarming. */
    belowDesiredMinutes: number;
    /** RDS CPU percent, averaged over 3 x 5 minutes. */
    rdsCpuPercent: number;
    /** RDS free storage in bytes (10% of allocated storage, at least 2 GiB). */
    rdsFreeStorageBytes: number;
    /** RDS connections: 80% of the engine's default max_connections for the instance class. */
    rdsConnections: number;
    /** Replica lag, seconds, over 3 x 5 minutes. */
    replicaLagSeconds: number;
    /** Redis DatabaseMemoryUsagePercentage. */
    redisMemoryPercent: number;
    /** Jobs waiting in one queue, sustained 15 minutes. */
    queueDepth: number;
    /** Jobs in one dead-letter queue (any is a failure in prod). */
    deadLetterDepth: number;
}

const GIB = 1024 ** 3;

/** Memory (GiB) of the Graviton RDS classes the config allows, by size; r/x families have more per size. */
export function rdsMemoryGib(instanceClass: string): number {
    const [, family, size] = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass) ?? [];
    const perVcpu = family?.startsWith("x2") ? 16 : family?.startsWith("r") ? 8 : 4;
    const burstable: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
    if (family?.startsWith("t")) return burstable[size] ?? 4;
    const vcpus = size === "large" ? 2 : size === "xlarge" ? 4 : Number(/^(\d+)xlarge$/.exec(size ?? "")?.[1] ?? 1) * 4;
    return vcpus * perVcpu;
}

/** PostgreSQL's default max_connections on RDS: LEAST(DBInstanceClassMemory / 9531392, 5000). */
export function rdsMaxConnections(instanceClass: string): number {
    return Math.min(Math.floor((rdsMemoryGib(instanceClass) * GIB) / 9531392), 5000);
}

/** The alarm thresholds for an environment, scaled to its database class and storage. */
export function alarmThresholds(env: { production: boolean; dbInstanceClass: string; dbAllocatedStorageGb: number }): AlarmThresholds {
    const prod = env.production;
    return {
        alb5xxPer5Min: prod ? 10 : 50,
        target5xxPer5Min: prod ? 25 : 100,
        apiP99Seconds: prod ? 2 : 5,
        unhealthyMinutes: prod ? 3 : 10,
        belowDesiredMinutes: prod ? 5 : 15,
        rdsCpuPercent: prod ? 80 : 90,
        rdsFreeStorageBytes: Math.max(2 * GIB, Math.round(env.dbAllocatedStorageGb * GIB * 0.1)),
        rdsConnections: Math.floor(rdsMaxConnections(env.dbInstanceClass) * 0.8),
        replicaLagSeconds: prod ? 60 : 300,
        redisMemoryPercent: prod ? 75 : 90,
        queueDepth: prod ? 1000 : 5000,
        deadLetterDepth: prod ? 0 : 25,
    };
}
