/** PostgreSQL's port: the data tier's network ACLs and security groups admit it from compute only. */
export const POSTGRES_PORT = 5432;

/** Redis's port: the data tier's network ACLs and security groups admit it from compute only. */
export const REDIS_PORT = 6379;

/** The data-tier ports (Postgres, Redis), which no rule may open to the world. */
export const DATA_PORTS = [POSTGRES_PORT, REDIS_PORT] as const;

/** Remote administration ports (SSH, RDP) that no network ACL or security group opens to the world (FSBP EC2.21). */
export const ADMIN_PORTS = [22, 3389] as const;
