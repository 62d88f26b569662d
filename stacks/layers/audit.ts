import * as pulumi from "@pulumi/pulumi";
import { AuditTrail, BackupCopyTarget, BackupProtection, ConfigRecorder, ThreatDetection, guardDutyFindingMessage } from "../../components";
import { PlatformConfig } from "../config";

/** What the audit layer needs from other layers. */
export interface AuditInputs {
    /** The account the stack deploys into. */
    accountId: pulumi.Input<string>;
    /** Logs key: encrypts CloudTrail log files and the trail's log group (its policy grants CloudTrail and CloudWatch Logs). */
    logsKeyArn: pulumi.Input<string>;
    /** Backups key: encrypts the backup vaults and AWS Config deliveries (the archive bucket's default key). */
    backupsKeyArn: pulumi.Input<string>;
    /**
     * The Object-Locked archive (backups) bucket. Its policy must carry `cloudTrailBucketStatements` and
     * `configBucketStatements` (components/audit/bucket-statements.ts), passed by stacks/platform.ts into the storage layer.
     */
    archiveBucketName: pulumi.Input<string>;
    archiveBucketArn: pulumi.Input<string>;
    /** The archive bucket's policy: the trail and the Config delivery channel are created after it. */
    archiveBucketPolicy?: pulumi.Resource;
    /** The alerts topic (notifications layer): GuardDuty findings, backup failures. */
    alertsTopicArn: pulumi.Input<string>;
    /** AWS provider of `cfg.dr.region` (cross-region DR only): creates the DR vault. */
    drProvider?: pulumi.ProviderResource;
    /** Backups key in `cfg.dr.region` (cross-region DR only): encrypts the DR vault. */
    drBackupsKeyArn?: pulumi.Input<string>;
    /**
     * A separate key for the in-region copy vault (in-region DR only): a copy under the primary vault's key would not
     * survive the loss or compromise of that one key.
     */
    copyVaultKeyArn?: pulumi.Input<string>;
    /** Buckets whose S3 object-level events the trail records (CIS 3.8/3.9): the evidence and documents buckets. */
    dataEventBucketArns?: pulumi.Input<string>[];
    /** ARNs AWS Backup protects: the RDS primary and the evidence, documents and backups buckets. */
    backupSelectionArns: pulumi.Input<string>[];
    /** Optional log-shipping Firehose stream that also receives GuardDuty findings (the SIEM). */
    findingsFirehoseArn?: pulumi.Input<string>;
}

/** What other layers take from the audit layer. */
export interface AuditOutputs {
    trailArn: pulumi.Output<string>;
    trailName: pulumi.Output<string>;
    /** CloudTrail's log group: the observability layer's metric filters (root use, IAM changes, no-MFA sign-in, break-glass). */
    trailLogGroupName: pulumi.Output<string>;
    configRecorderName: pulumi.Output<string>;
    /** Managed Config rules the region does not offer, skipped (`IDENTIFIER: reason`); empty where all are offered. */
    configRulesSkipped: string[];
    detectorId: pulumi.Output<string>;
    backupVaultArn: pulumi.Output<string>;
    /** The vault copies go to (DR region in prod-eu, a second in-region vault in prod-il); undefined in dev. */
    drVaultArn?: pulumi.Output<string>;
    backupPlanId: pulumi.Output<string>;
}

/** The trail name; the archive bucket policy names the trail's ARN built from it (`trailArnOf`). */
export function trailNameOf(cfg: PlatformConfig): string {
    return `${cfg.namePrefix}-trail`;
}

/** Days a prod vault lock accepts at most (7 years, the audit retention). */
const VAULT_LOCK_MAX_DAYS = 2557;

/**
 * CloudTrail, AWS Config, GuardDuty and AWS Backup for the stack's account. Each stack is its own account, so its
 * region is the account's home region (global resource types are recorded here). Backup retention is
 * `platform:retention.backupDays` (at most 35: continuous backups), the same value RDS keeps automated backups for.
 */
export function buildAudit(cfg: PlatformConfig, inputs: AuditInputs, opts: pulumi.ComponentResourceOptions): AuditOutputs {
    const trail = new AuditTrail("audit-trail", {
        trailName: trailNameOf(cfg),
        region: cfg.region,
        accountId: inputs.accountId,
        namePrefix: cfg.namePrefix,
        archiveBucketName: inputs.archiveBucketName,
        archiveBucketPolicy: inputs.archiveBucketPolicy,
        kmsKeyArn: inputs.logsKeyArn,
        logRetentionDays: cfg.retention.auditLogDays,
        protect: cfg.isProd,
        dataEventBucketArns: inputs.dataEventBucketArns,
    }, opts);

    const config = new ConfigRecorder("config", {
        namePrefix: cfg.namePrefix,
        homeRegion: true,
        isProd: cfg.isProd,
        region: cfg.region,
        accountId: inputs.accountId,
        archiveBucketName: inputs.archiveBucketName,
        archiveBucketArn: inputs.archiveBucketArn,
        archiveBucketPolicy: inputs.archiveBucketPolicy,
        deliveryKmsKeyArn: inputs.backupsKeyArn,
    }, opts);

    const threats = new ThreatDetection("guardduty", {
        namePrefix: cfg.namePrefix,
        alertsTopicArn: inputs.alertsTopicArn,
        minimumSeverity: cfg.alerts.securitySignals.guardDutyMinimumSeverity,
        alertsMessage: guardDutyFindingMessage(`${cfg.alerts.runbookBaseUrl}#guardduty-findings`),
        findingsFirehoseArn: inputs.findingsFirehoseArn,
        // The recovery stack's region already has the source stack's detector (its `guardduty-dr`): adopted, never deleted.
        adoptDetectorId: cfg.recovery?.sharedAccount?.guardDutyDetectorId,
    }, opts);

    // prod-eu's DR region holds the replica bucket, the DR vault and key: GuardDuty watches it too, and forwards its
    // findings to this region's default bus, where the rule above routes them to alerts (and the SIEM).
    if (cfg.dr.mode === "cross-region" && inputs.drProvider) {
        const { provider: _provider, providers: _providers, ...rest } = opts;
        new ThreatDetection("guardduty-dr", {
            namePrefix: cfg.namePrefix,
            regionLabel: cfg.dr.region,
            minimumSeverity: cfg.alerts.securitySignals.guardDutyMinimumSeverity,
            forwardToEventBusArn: pulumi.interpolate`arn:aws:events:${cfg.region}:${inputs.accountId}:event-bus/default`,
        }, { ...rest, providers: [inputs.drProvider] });
    }

    const backup = new BackupProtection("backup", {
        namePrefix: cfg.namePrefix,
        kmsKeyArn: inputs.backupsKeyArn,
        retentionDays: cfg.retention.backupDays,
        continuousBackup: true,
        schedule: "cron(0 5 * * ? *)",
        resourceArns: inputs.backupSelectionArns,
        alertsTopicArn: inputs.alertsTopicArn,
        vaultLock: cfg.isProd ? { minRetentionDays: cfg.retention.backupDays, maxRetentionDays: VAULT_LOCK_MAX_DAYS, changeableForDays: 3 } : undefined,
        copyTarget: copyTargetOf(cfg, inputs),
        protect: cfg.isProd,
    }, opts);

    return {
        trailArn: trail.trailArn,
        trailName: trail.trailName,
        trailLogGroupName: trail.logGroupName,
        configRecorderName: config.recorderName,
        configRulesSkipped: config.skippedRules,
        detectorId: threats.detectorId,
        backupVaultArn: backup.vaultArn,
        drVaultArn: backup.copyVaultArn,
        backupPlanId: backup.planId,
    };
}

/** The DR destination of backup copies from `platform:dr`: another region, a second vault here (residency), or none. */
function copyTargetOf(cfg: PlatformConfig, inputs: AuditInputs): BackupCopyTarget | undefined {
    switch (cfg.dr.mode) {
        case "cross-region":
            if (!inputs.drProvider || !inputs.drBackupsKeyArn) {
                throw new Error(`audit layer: platform:dr.mode is cross-region (${cfg.dr.region}) but drProvider or drBackupsKeyArn was not passed`);
            }
            return { kind: "cross-region", region: cfg.dr.region!, provider: inputs.drProvider, kmsKeyArn: inputs.drBackupsKeyArn };
        case "in-region":
            if (!inputs.copyVaultKeyArn)
                throw new Error("audit layer: platform:dr.mode is in-region but copyVaultKeyArn (the copy vault's own key) was not passed");
            return { kind: "in-region", kmsKeyArn: inputs.copyVaultKeyArn };
        default:
            return undefined;
    }
}
