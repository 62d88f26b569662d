import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { serviceTrustPolicy } from "../security/service-trust";
import { Defaulted, withDefaults } from "../defaults";
import { MIN_PROD_BACKUP_RETENTION_DAYS } from "../../standards/backups";

/** AWS managed policies the backup service role carries (backup and restore, including S3). */
export const BACKUP_ROLE_POLICIES = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];

/**
 * Vault events sent to the alerts topic, from AWS's supported set. BACKUP_JOB_FAILED is deprecated and never fires:
 * backup job failures are alarmed by the observability layer (CloudWatch metric NumberOfBackupJobsFailed).
 */
export const BACKUP_VAULT_EVENTS = ["COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED", "S3_BACKUP_OBJECT_FAILED", "S3_RESTORE_OBJECT_FAILED"];

/** AWS Backup keeps continuous (point-in-time) backups for at most 35 days. */
export const MAX_CONTINUOUS_BACKUP_DAYS = 35;

/** The physical name of the backup service role, so bucket policies can admit it before it exists. */
export function backupRoleName(namePrefix: string): string {
    return `${namePrefix}-backup`;
}

/** A vault lock (compliance mode once `changeableForDays` have passed): recovery points cannot be deleted early by anyone. */
export interface VaultLock {
    minRetentionDays: number;
    maxRetentionDays: number;
    /** Grace period in days (>= 3) before the lock becomes immutable. */
    changeableForDays: number;
}

/** Where copies of every recovery point go. */
export type BackupCopyTarget =
    /** A vault in another region, created with that region's provider and encrypted with that region's backups key. */
    | { kind: "cross-region"; region: string; provider: pulumi.ProviderResource; kmsKeyArn: pulumi.Input<string> }
    /** A second, separate vault in the same region (data residency): its own key grant and its own lock. */
    | { kind: "in-region"; kmsKeyArn: pulumi.Input<string> };

/** The arguments of BackupProtection: what the caller decides about AWS Backup. */
export interface BackupProtectionArgs {
    /** Physical name prefix of vaults, plan, selection and role, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /** Backups key that encrypts the primary vault's recovery points. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Days recovery points (and their copies) are kept; at most 35 with continuous backups.
     * Default: MIN_PROD_BACKUP_RETENTION_DAYS (35).
     */
    readonly retentionDays?: number;
    /** Continuous backups (point-in-time restore) for RDS and S3, on top of the daily snapshot. Default: true. */
    readonly continuousBackup?: boolean;
    /** Daily schedule as an AWS cron expression in UTC. Default: `cron(0 5 * * ? *)` (05:00 UTC). */
    readonly schedule?: string;
    /** ARNs of the resources to protect (the RDS primary, the data buckets). */
    readonly resourceArns: pulumi.Input<string>[];
    /** Topic for the vault's events: failed copy and S3 object jobs, completed restores. */
    readonly alertsTopicArn: pulumi.Input<string>;
    /** Vault lock on every vault (prod); omit for none. */
    readonly vaultLock?: VaultLock;
    /** DR copy destination; omit for no copies (dev). */
    readonly copyTarget?: BackupCopyTarget;
    /** Protect the vaults from deletion; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
}

/** What BackupProtection applies when the caller leaves these BackupProtectionArgs out. */
export const BACKUP_PROTECTION_DEFAULTS = {
    retentionDays: MIN_PROD_BACKUP_RETENTION_DAYS,
    continuousBackup: true,
    schedule: "cron(0 5 * * ? *)",
    protect: true,
} as const;

/**
 * AWS Backup for the stack's data: a CMK-encrypted vault, a daily plan (with continuous backups for point-in-time
 * restore) over the given resources, a copy of every recovery point to the DR destination, vault locks in prod so
 * no one can delete recovery points before their retention, and the vault's failure events sent to the alerts topic. A
 * retention shorter than the lock's minimum, or longer than continuous backups allow, is refused at plan time.
 */
export class BackupProtection extends pulumi.ComponentResource {
    public readonly vaultArn: pulumi.Output<string>;
    public readonly vaultName: pulumi.Output<string>;
    public readonly copyVaultArn?: pulumi.Output<string>;
    public readonly planId: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, given: BackupProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:audit:BackupProtection", name, {}, opts);
        const args = withDefaults(given, BACKUP_PROTECTION_DEFAULTS);
        validate(name, args);
        const child = { parent: this };

        const vault = new aws.backup.Vault(name, {
            name: `${args.namePrefix}-backups`, kmsKeyArn: args.kmsKeyArn, forceDestroy: false,
        }, { ...child, protect: args.protect });
        if (args.vaultLock) new aws.backup.VaultLockConfiguration(`${name}-lock`, { backupVaultName: vault.name, ...args.vaultLock }, child);

        let copyVault: aws.backup.Vault | undefined;
        if (args.copyTarget) {
            const target = args.copyTarget;
            const targetOpts = { ...child, ...(target.kind === "cross-region" ? { provider: target.provider } : {}) };
            copyVault = new aws.backup.Vault(`${name}-copy`, {
                name: target.kind === "cross-region" ? `${args.namePrefix}-dr` : `${args.namePrefix}-isolated`,
                kmsKeyArn: target.kmsKeyArn, forceDestroy: false,
                tags: { "backup-role": target.kind === "cross-region" ? `dr-copy-${target.region}` : "in-region-copy" },
            }, { ...targetOpts, protect: args.protect });
            if (args.vaultLock) new aws.backup.VaultLockConfiguration(`${name}-copy-lock`, { backupVaultName: copyVault.name, ...args.vaultLock }, targetOpts);
        }

        const role = new aws.iam.Role(`${name}-role`, {
            name: backupRoleName(args.namePrefix),
            description: "AWS Backup creates and restores recovery points of the stack's data",
            // No source condition: AWS Backup's documented service role trust has none
            // (https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html), and a condition Backup does not
            // satisfy would fail every backup job; only this account's plans can pass the role (iam:PassRole).
            assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com"),
            maxSessionDuration: 3600,
        }, child);
        const attachments = BACKUP_ROLE_POLICIES.map((policyArn) => new aws.iam.RolePolicyAttachment(
            `${name}-role-${policyArn.split("/").pop()!.replace("AWSBackupServiceRolePolicyFor", "").toLowerCase()}`,
            { role: role.name, policyArn }, child));

        const lifecycle = { deleteAfter: args.retentionDays };
        const plan = new aws.backup.Plan(`${name}-plan`, {
            name: `${args.namePrefix}-daily`,
            rules: [{
                ruleName: "daily",
                targetVaultName: vault.name,
                schedule: args.schedule,
                scheduleExpressionTimezone: "Etc/UTC",
                startWindow: 60,
                completionWindow: 480,
                enableContinuousBackup: args.continuousBackup,
                lifecycle,
                copyActions: copyVault ? [{ destinationVaultArn: copyVault.arn, lifecycle }] : undefined,
                recoveryPointTags: { "backup-plan": `${args.namePrefix}-daily` },
            }],
        }, child);
        new aws.backup.Selection(`${name}-selection`, {
            name: `${args.namePrefix}-data`.slice(0, 50),
            planId: plan.id,
            iamRoleArn: role.arn,
            resources: args.resourceArns,
        }, { ...child, dependsOn: attachments });

        new aws.backup.VaultNotifications(`${name}-notifications`, {
            backupVaultName: vault.name, snsTopicArn: args.alertsTopicArn, backupVaultEvents: BACKUP_VAULT_EVENTS,
        }, child);
        this.vaultArn = vault.arn;
        this.vaultName = vault.name;
        this.copyVaultArn = copyVault?.arn;
        this.planId = plan.id;
        this.roleArn = role.arn;
        this.registerOutputs({
            vaultArn: this.vaultArn, vaultName: this.vaultName, copyVaultArn: this.copyVaultArn, planId: this.planId, roleArn: this.roleArn,
        });
    }
}

function validate(name: string, args: Defaulted<BackupProtectionArgs, keyof typeof BACKUP_PROTECTION_DEFAULTS>): void {
    const fail = (problem: string) => { throw new Error(`BackupProtection ${name}: ${problem}`); };
    if (args.retentionDays < 1) fail(`retentionDays must be at least 1, got ${args.retentionDays}`);
    if (args.continuousBackup && args.retentionDays > MAX_CONTINUOUS_BACKUP_DAYS) {
        fail(`retentionDays ${args.retentionDays} exceeds the ${MAX_CONTINUOUS_BACKUP_DAYS} days continuous backups allow`);
    }
    const lock = args.vaultLock;
    if (lock) {
        if (lock.minRetentionDays > args.retentionDays) fail(`vault lock minRetentionDays ${lock.minRetentionDays} is above retentionDays ` +
            `${args.retentionDays}: every recovery point would break the lock`);
        if (lock.maxRetentionDays < args.retentionDays) fail(`vault lock maxRetentionDays ${lock.maxRetentionDays} is below retentionDays ` +
            `${args.retentionDays}`);
        if (lock.changeableForDays < 3) fail(`vault lock changeableForDays must be at least 3 (AWS's minimum), got ${lock.changeableForDays}`);
    }
    if (`${args.namePrefix}-isolated`.length > 50) fail(`namePrefix ${args.namePrefix} makes vault names longer than AWS Backup's 50 characters`);
}
