// Rotation function of the Postgres master password (single user). The secret is the JSON RDS Proxy reads
// ({ engine, host, port, username, password, dbname }). The new password is set through the RDS API
// (ModifyDBInstance MasterUserPassword, applied immediately), so the function needs no database driver and no
// route to 5432: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html (read 2026-12-03)
// As with AWS's single-user rotation, new logins with the old password fail from the change until finishSecret
// moves AWSCURRENT (seconds); open connections stay up:
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html#rotating-secrets-one-user-one-password
import { rotate, waitFor } from "./steps.mjs";

/** RDS refuses `/`, `@`, `"` and spaces in a master password; `'` and `\` are left out for shell and SQL safety. */
export const EXCLUDED_CHARACTERS = "/@\"'\\ ";

export function postgresStrategy({ rds, secrets, instanceId, passwordLength, wait = {} }) {
    const settled = () =>
        waitFor(
            `instance ${instanceId} to apply its new master password`,
            async () => {
                const db = (await rds.describeDBInstances({ DBInstanceIdentifier: instanceId })).DBInstances?.[0];
                return db?.DBInstanceStatus === "available" && !db?.PendingModifiedValues?.MasterUserPassword;
            },
            wait,
        );
    const parse = (json, which) => {
        const v = JSON.parse(json);
        if (!v.username || !v.password) throw new Error(`postgres rotation: the ${which} value lacks username or password`);
        return v;
    };
    return {
        create: async ({ current }) => {
            const password = (await secrets.getRandomPassword({ PasswordLength: passwordLength, ExcludeCharacters: EXCLUDED_CHARACTERS })).RandomPassword;
            return JSON.stringify({ ...parse(current, "current"), password });
        },
        set: async ({ pending, current }) => {
            const next = parse(pending, "pending");
            if (next.username !== parse(current, "current").username) throw new Error("postgres rotation: the pending value names another user");
            await settled();
            await rds.modifyDBInstance({ DBInstanceIdentifier: instanceId, MasterUserPassword: next.password, ApplyImmediately: true });
        },
        test: async ({ pending, current }) => {
            if (parse(pending, "pending").password === parse(current, "current").password)
                throw new Error("postgres rotation: the pending password equals the current one");
            await settled();
        },
    };
}

export async function handler(event, _context, clients) {
    const secrets = clients?.secrets ?? new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({});
    const rds = clients?.rds ?? new (await import("@aws-sdk/client-rds")).RDS({});
    const strategy = postgresStrategy({
        rds,
        secrets,
        instanceId: process.env.DB_INSTANCE_ID,
        passwordLength: Number(process.env.PASSWORD_LENGTH ?? "40"),
        wait: clients?.wait,
    });
    await rotate(event, { secrets, strategy, log: clients?.log });
}
