import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CLOUDFLARE_RANGES_DATE, PostgresRestoreArgs, featureReport } from "../components";
import { PlatformConfig } from "./config";
import { EdgeOutputs, edgeHosts } from "./layers/edge";

/**
 * The region-recovery stack's wiring (`platform:recovery`, e.g. prod-eu-dr): what it takes from the material the
 * source stack replicates into this region, and what it leaves to the source while the source still serves.
 */

/**
 * The backups key of the source's DR key ring in this region, read by alias: the replicated automated backups and the
 * archive replica are encrypted with it, so the restored database's storage keeps it.
 */
export function sourceBackupsKeyArn(cfg: PlatformConfig, provider: aws.Provider): pulumi.Output<string> | undefined {
    if (!cfg.recovery) return undefined;
    return aws.kms.getKeyOutput({ keyId: cfg.recovery.backupsKeyAlias }, { provider }).arn;
}

/** The database's restore source from `platform:recovery.database`, with the key its backups are encrypted with. */
export function databaseRestore(cfg: PlatformConfig, backupsKeyArn: pulumi.Input<string> | undefined): PostgresRestoreArgs | undefined {
    const db = cfg.recovery?.database;
    if (!db || !backupsKeyArn) return undefined;
    return db.restoreFrom === "snapshot"
        ? { snapshotIdentifier: db.snapshotIdentifier, kmsKeyArn: backupsKeyArn }
        : { automatedBackupsArn: db.automatedBackupsArn, restoreTime: db.restoreTime, kmsKeyArn: backupsKeyArn };
}

/**
 * True when this stack builds the Cloudflare zone (records, rules, AOP associations, SPA Worker route): every ordinary
 * stack, and a recovery stack once `platform:edge.activeOrigin` is `dr`. Before that the zone belongs to the source
 * stack: a zone has one entrypoint ruleset per phase and one record per name, so two owners would fight over them.
 */
export function ownsEdge(cfg: PlatformConfig): boolean {
    return !cfg.recovery || cfg.edge.activeOrigin === "dr";
}

/** The edge outputs of a recovery stack on standby: the hostnames it will serve, no zone objects. */
export function standbyEdgeOutputs(cfg: PlatformConfig): EdgeOutputs {
    const hosts = edgeHosts(cfg);
    const ent = cfg.edge.entitlements;
    return {
        hostnames: hosts,
        urls: { app: `https://${hosts.app}`, api: `https://${hosts.api}`, ...(hosts.auth ? { auth: `https://${hosts.auth}` } : {}) },
        recordIds: {},
        rulesetIds: {},
        omittedRateLimits: [],
        features: {
            plan: ent.plan, addons: { ...ent.addons },
            perApiKeyLimit: "standby (the source stack's zone rules apply until platform:edge.activeOrigin is dr)",
            features: featureReport(ent),
        },
        cloudflareRangesDate: CLOUDFLARE_RANGES_DATE,
    };
}
