import { ConfigError, Section } from "./validate";

/**
 * `platform:recovery`: this stack is the region-recovery copy of another stack (prod-eu-dr of prod-eu). It deploys the
 * same program in the source's DR region from the material the source replicates there: the database from the
 * replicated automated backups (or a copied snapshot), the backups key of the source's DR key ring, the archive replica.
 * Absent in every ordinary stack.
 */
export interface RecoveryConfig {
    /** The stack this one recovers (its Pulumi stack name, e.g. prod-eu) and that stack's region. */
    sourceStack: string;
    sourceRegion: string;
    /**
     * Alias of the source's DR key ring backups key in this region (`alias/<project>-<sourceStack>/backups`, KeyRing's
     * alias scheme): it encrypts the replicated automated backups and the archive replica, so the restored database keeps it.
     */
    backupsKeyAlias: string;
    /** The source's archive replica in this region (read-only history; this stack writes a new archive). */
    archiveReplicaBucket: string;
    database: RecoveryDatabase;
    /**
     * The source stack's account-wide objects this stack shares instead of creating (same account as the source, the
     * real recovery): the GitHub OIDC provider and the password policy (IAM, one per account), and the source's GuardDuty
     * detector in this region (one per account and region), adopted by id. Undefined in a separate account (the drill's
     * sandbox), where the stack creates its own like any stack.
     */
    sharedAccount?: {
        guardDutyDetectorId: string;
        /**
         * The source account's GitHub OIDC provider serves this stack too (`githubOidcProvider: source`, the default) or
         * this stack creates it (`own`): a source in the shared-services topology has none, its CI enters through hub roles.
         */
        githubOidcProvider: "source" | "own";
    };
}

/**
 * Where the database comes from. `automated-backups`: RestoreDBInstanceToPointInTime from the replicated automated
 * backups (ARN `arn:aws:rds:<region>:<account>:auto-backup:ab-...`), at `restoreTime` (ISO-8601 UTC) or the latest
 * restorable time. `snapshot`: a snapshot in this region (an AWS Backup copy in the DR vault is an RDS snapshot ARN).
 */
export type RecoveryDatabase =
    | { restoreFrom: "automated-backups"; automatedBackupsArn: string; restoreTime: "latest" | string }
    | { restoreFrom: "snapshot"; snapshotIdentifier: string };

/** Which stack's load balancer the Cloudflare records point at: the source's (`primary`) or this recovery stack's (`dr`). */
export type ActiveOrigin = "primary" | "dr";

const AUTOMATED_BACKUPS_ARN = /^arn:aws:rds:([a-z0-9-]+):(\d{12}):auto-backup:ab-[a-z0-9]{26}$/;
const SNAPSHOT_ID = /^(arn:aws:rds:([a-z0-9-]+):(\d{12}):snapshot:[A-Za-z0-9:-]{1,255}|[a-z][a-z0-9-]{0,254}|awsbackup:[a-z0-9-]+)$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Reads `platform:recovery` (undefined when absent). `ctx` is what the rest of the config already fixed: the stack's own
 * region and account (the backups must be in them), its project, and its DR mode (a recovery stack keeps its copies
 * in-region: the source region is the one that failed).
 */
export function parseRecovery(
    raw: unknown,
    ctx: { project: string; stack: string; region: string; accountId: string; drMode: string },
): RecoveryConfig | undefined {
    if (raw === undefined) return undefined;
    const rec = Section.of("platform:recovery", raw);
    const sourceStack = rec.string("sourceStack", {
        pattern: /^[a-z][a-z0-9-]{1,30}$/,
        allowed: "the Pulumi stack name of the stack this one recovers, e.g. prod-eu",
    });
    if (sourceStack === ctx.stack) throw new ConfigError("platform:recovery.sourceStack", sourceStack, `another stack than this one (${ctx.stack})`);
    const sourceRegion = rec.string("sourceRegion", { pattern: /^[a-z]{2}-[a-z]+-\d$/, allowed: "the source stack's AWS region, e.g. eu-central-1" });
    if (sourceRegion === ctx.region) {
        throw new ConfigError(
            "platform:recovery.sourceRegion",
            sourceRegion,
            `the source stack's region, which is not this stack's (${ctx.region}): a recovery stack runs in the DR region`,
        );
    }
    if (ctx.drMode === "cross-region") {
        throw new ConfigError("platform:dr.mode", ctx.drMode, "in-region in a recovery stack (its copies may not depend on the failed source region)");
    }
    const sourcePrefix = `${ctx.project}-${sourceStack}`;
    const backupsKeyAlias = rec.string("backupsKeyAlias", {
        default: `alias/${sourcePrefix}/backups`,
        pattern: /^alias\/[A-Za-z0-9/_-]{1,250}$/,
        allowed: "a KMS alias such as alias/platform-prod-eu/backups",
    });
    const archiveReplicaBucket = rec.string("archiveReplicaBucket", {
        default: `${sourcePrefix}-backups-${ctx.region}`,
        pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        allowed: "an S3 bucket name",
    });

    const sameAccount = rec.bool("sameAccount", true);
    rec.allow("guardDutyDetectorId", "githubOidcProvider");
    const sharedAccount = sameAccount
        ? {
              guardDutyDetectorId: rec.string("guardDutyDetectorId", {
                  pattern: /^[a-f0-9]{32}$/,
                  allowed: `the source's GuardDuty detector id in ${ctx.region} (aws guardduty list-detectors --region ${ctx.region}), 32 hex characters`,
              }),
              githubOidcProvider: rec.oneOf("githubOidcProvider", ["source", "own"] as const, "source"),
          }
        : undefined;

    const db = rec.section("database");
    const restoreFrom = db.oneOf("restoreFrom", ["automated-backups", "snapshot"] as const);
    db.allow("automatedBackupsArn", "restoreTime", "snapshotIdentifier");
    let database: RecoveryDatabase;
    if (restoreFrom === "automated-backups") {
        const arn = db.string("automatedBackupsArn", {
            pattern: AUTOMATED_BACKUPS_ARN,
            allowed: "the replicated automated backups' ARN, arn:aws:rds:<region>:<account>:auto-backup:ab-<26 characters>",
        });
        const [, arnRegion, arnAccount] = AUTOMATED_BACKUPS_ARN.exec(arn)!;
        if (arnRegion !== ctx.region || arnAccount !== ctx.accountId) {
            throw new ConfigError(
                "platform:recovery.database.automatedBackupsArn",
                arn,
                `replicated backups in this stack's region and account (${ctx.region}, ${ctx.accountId})`,
            );
        }
        const restoreTime = db.string("restoreTime", { default: "latest", allowed: "latest, or an ISO-8601 UTC time such as 2026-12-03T21:55:00Z" });
        if (restoreTime !== "latest" && (!ISO_UTC.test(restoreTime) || Number.isNaN(Date.parse(restoreTime)))) {
            throw new ConfigError("platform:recovery.database.restoreTime", restoreTime, "latest, or an ISO-8601 UTC time such as 2026-12-03T21:55:00Z");
        }
        database = { restoreFrom, automatedBackupsArn: arn, restoreTime };
    } else {
        const snapshotIdentifier = db.string("snapshotIdentifier", {
            pattern: SNAPSHOT_ID,
            allowed: "an RDS snapshot identifier or ARN in this region (an AWS Backup recovery point of the DR vault is one)",
        });
        const m = /^arn:aws:rds:([a-z0-9-]+):(\d{12}):/.exec(snapshotIdentifier);
        if (m && (m[1] !== ctx.region || m[2] !== ctx.accountId)) {
            throw new ConfigError(
                "platform:recovery.database.snapshotIdentifier",
                snapshotIdentifier,
                `a snapshot in this stack's region and account (${ctx.region}, ${ctx.accountId})`,
            );
        }
        database = { restoreFrom, snapshotIdentifier };
    }
    return { sourceStack, sourceRegion, backupsKeyAlias, archiveReplicaBucket, database, ...(sharedAccount ? { sharedAccount } : {}) };
}

/** `platform:edge.activeOrigin` (default primary); only a recovery stack may say `dr`. */
export function parseActiveOrigin(edge: Section, recovery: RecoveryConfig | undefined): ActiveOrigin {
    const active = edge.oneOf("activeOrigin", ["primary", "dr"] as const, "primary");
    if (active === "dr" && !recovery) {
        throw new ConfigError("platform:edge.activeOrigin", active, "primary in a stack without platform:recovery (dr is the recovery stack's switch)");
    }
    return active;
}
