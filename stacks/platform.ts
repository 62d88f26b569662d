import { KeyRing } from "../components";
import { PlatformConfig } from "./config";
import { accountIdOf, createProviders } from "./providers";
import { applyStandardTags } from "./tagging";

/**
 * The architecture, layer by layer, in the order data flows through it. Each layer is a component of the library;
 * this file only wires their outputs into each other's Args. No resource details here.
 */
export function buildPlatform(cfg: PlatformConfig): Record<string, unknown> {
    applyStandardTags(cfg.tags);
    const providers = createProviders(cfg);
    const inRegion = { providers: [providers.aws, providers.cloudflare] };
    const accountId = accountIdOf(providers.aws);

    // Security baseline: one customer-managed key per data class; a backups key in the DR region for copies.
    const keys = new KeyRing("keys", {
        accountId, region: cfg.region, aliasPrefix: cfg.namePrefix, deletionWindowDays: cfg.keys.deletionWindowDays, protect: cfg.keys.protect,
    }, inRegion);
    const drKeys = cfg.dr.mode === "cross-region" && providers.dr
        ? new KeyRing("dr-keys", {
            accountId, region: cfg.dr.region!, classes: ["backups"], aliasPrefix: cfg.namePrefix,
            deletionWindowDays: cfg.keys.deletionWindowDays, protect: cfg.keys.protect,
        }, { providers: [providers.dr] })
        : undefined;

    return {
        region: cfg.region,
        environment: cfg.environment,
        kmsKeyArns: keys.keys,
        ...(drKeys ? { drBackupsKeyArn: drKeys.key("backups").arn } : {}),
    };
}
