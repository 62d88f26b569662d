import * as pulumi from "@pulumi/pulumi";
import { TenantKey } from "../../components";
import { PlatformConfig } from "../config";

export interface TenantKeysInputs {
    accountId: pulumi.Input<string>;
    /** Task roles of the families that write or read tenant objects (api, workers); Keycloak never does. */
    writerRoleArns: pulumi.Input<string>[];
    /** The evidence and documents buckets. */
    bucketArns: pulumi.Input<string>[];
}

/** One TenantKey per `platform:tenantKeys` entry (the BYOK tier), after the compute layer (the key policy names its roles). */
export function buildTenantKeys(cfg: PlatformConfig, inputs: TenantKeysInputs, opts: pulumi.ComponentResourceOptions): Record<string, TenantKey> {
    return Object.fromEntries(cfg.tenantKeys.map((tenant) => [tenant.tenantId, new TenantKey(`tenant-key-${tenant.tenantId}`, {
        tenantId: tenant.tenantId,
        aliasPrefix: cfg.namePrefix,
        origin: tenant.origin,
        accountId: inputs.accountId,
        region: cfg.region,
        writerRoleArns: inputs.writerRoleArns,
        bucketArns: inputs.bucketArns,
        deletionWindowDays: cfg.keys.deletionWindowDays,
        protect: cfg.keys.protect,
    }, opts)]));
}
