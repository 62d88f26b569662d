-- 001-app-role.sql: the roles of the platform database. Run once per stack, as the master user (platform_admin),
-- connected to the `platform` database through the bastion (docs/database-roles.md). Idempotent: safe to re-run.
--
-- platform_owner  NOLOGIN  owns the application schema; schema migrations run as it (SET ROLE platform_owner).
-- platform_app    LOGIN    the services (api, workers): IAM authentication tokens only (rds_iam), data access only.
-- platform_admin           the master user: administration and break-glass only. Never GRANT rds_iam to it: on RDS
--                          a role with rds_iam can no longer log in with its password (RDS Proxy's secret, the
--                          rotation function and the bastion runbook all use that password).
-- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.DBAccounts.html

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'platform_owner') THEN
        CREATE ROLE platform_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'platform_app') THEN
        CREATE ROLE platform_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 400;
    END IF;
END
$$;

-- IAM database authentication for the services (the proxy logs in as platform_app with IAM end to end).
GRANT rds_iam TO platform_app;
-- The master user may act as the owner to run schema migrations.
GRANT platform_owner TO platform_admin;

REVOKE ALL ON DATABASE platform FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE platform TO platform_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS app AUTHORIZATION platform_owner;
GRANT USAGE ON SCHEMA app TO platform_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO platform_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA app TO platform_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO platform_app;
-- Tables the owner creates later (migrations) are usable by the services without another grant.
ALTER DEFAULT PRIVILEGES FOR ROLE platform_owner IN SCHEMA app GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO platform_app;
ALTER DEFAULT PRIVILEGES FOR ROLE platform_owner IN SCHEMA app GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO platform_app;
ALTER DEFAULT PRIVILEGES FOR ROLE platform_owner IN SCHEMA app GRANT EXECUTE ON FUNCTIONS TO platform_app;

ALTER ROLE platform_app SET search_path = app;
ALTER ROLE platform_app SET statement_timeout = '30s';
