import * as pulumi from "@pulumi/pulumi";
import { CLOUDFLARE_RANGES, KeyRing, cloudTrailBucketStatements, configBucketStatements, trailArnOf } from "../components";
import { PlatformConfig } from "./config";
import { buildAudit, trailNameOf } from "./layers/audit";
import { buildCompute } from "./layers/compute";
import { DATABASE_NAME, MASTER_USERNAME, buildData } from "./layers/data";
import { buildEdge, buildOriginTrust } from "./layers/edge";
import { buildIdentity } from "./layers/identity";
import { buildIngress } from "./layers/ingress";
import { buildNetwork } from "./layers/network";
import { buildNotifications } from "./layers/notifications";
import { buildObservability, logShippingStreamName } from "./layers/observability";
import { bucketNames, buildStorage } from "./layers/storage";
import { stackOutputs } from "./outputs";
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
    const key = (keyClass: Parameters<KeyRing["key"]>[0]) => keys.key(keyClass).arn;
    const dr = { drProvider: providers.dr, drBackupsKeyArn: drKeys?.key("backups").arn };

    // Alerts first: every layer below reports to the alerts topic.
    const notifications = buildNotifications(cfg, { accountId, alertsKeyArn: key("alerts") }, inRegion);
    const identity = buildIdentity(cfg, { accountId, alertsTopicArn: notifications.alertsTopicArn }, inRegion);

    const network = buildNetwork(cfg, { logsKeyArn: key("logs"), accountId }, inRegion);

    // The archive bucket admits CloudTrail (this trail only) and AWS Config, which the audit layer sets up below.
    const trailArn = trailArnOf(cfg.region, accountId, trailNameOf(cfg));
    const archiveArn = `arn:aws:s3:::${bucketNames(cfg).backups}`;
    const storage = buildStorage(cfg, {
        accountId, dataKeyArn: key("data"), secretsKeyArn: key("secrets"), backupsKeyArn: key("backups"), ...dr,
        s3GatewayEndpointId: network.s3GatewayEndpointId, cloudflareRanges: CLOUDFLARE_RANGES,
        extraPolicyStatements: { backups: [...cloudTrailBucketStatements(archiveArn, trailArn, accountId), ...configBucketStatements(archiveArn, accountId)] },
    }, inRegion);

    const data = buildData(cfg, {
        vpcId: network.vpcId, dataSubnetIds: network.dataSubnetIds, accountId,
        dataKeyArn: key("data"), secretsKeyArn: key("secrets"), logsKeyArn: key("logs"), ...dr,
    }, inRegion);

    // Cloudflare origin trust exists before the ALB that presents and verifies it; the edge records after it.
    const originTrust = buildOriginTrust(cfg, { alertsTopicArn: notifications.alertsTopicArn }, inRegion);
    const ingress = buildIngress(cfg, {
        vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds,
        albLogsBucketName: storage.buckets.albLogs.name, trustStoreBucketName: storage.buckets.artifacts.name,
        originCertificatePem: originTrust.originCertificatePem, originPrivateKeyPem: originTrust.originPrivateKeyPem,
        originPullCaPem: originTrust.originPullCaPem, cloudflareRanges: CLOUDFLARE_RANGES,
    }, inRegion);

    const compute = buildCompute(cfg, {
        accountId, vpcId: network.vpcId, computeSubnetIds: network.computeSubnetIds,
        keys: { dataKeyArn: key("data"), logsKeyArn: key("logs"), secretsKeyArn: key("secrets") },
        buckets: {
            evidenceBucketArn: storage.buckets.evidence.arn, evidenceBucketName: storage.buckets.evidence.name,
            documentsBucketArn: storage.buckets.documents.arn, documentsBucketName: storage.buckets.documents.name,
        },
        secrets: { jwtSigningKeyArn: storage.secrets.jwtSigningKeyArn, workosApiKeyArn: storage.secrets.workosApiKeyArn },
        data: {
            postgresEndpoint: data.postgres.proxyEndpoint ?? data.postgres.primaryAddress,
            postgresInstanceAddress: data.postgres.primaryAddress,
            databaseName: DATABASE_NAME,
            iamAuth: { resourceId: data.postgres.iamResourceId, dbUser: MASTER_USERNAME },
            redisEndpoint: data.redis.primaryEndpoint, redisAuthSecretArn: data.redis.authSecretArn,
            postgresClientsSecurityGroupId: data.clientSecurityGroups.postgresClients,
            redisClientsSecurityGroupId: data.clientSecurityGroups.redisClients,
            postgresAdminsSecurityGroupId: data.clientSecurityGroups.postgresAdmins,
            postgresDirectClientsSecurityGroupId: data.clientSecurityGroups.postgresDirectClients,
        },
        email: { identityArn: notifications.identityArn },
        ingress,
        alertsTopicArn: notifications.alertsTopicArn,
    }, inRegion);

    const edge = buildEdge(cfg, {
        albDnsName: ingress.albDnsName, trust: originTrust,
        frontendBucket: storage.buckets.frontend, frontendKmsKeyArn: key("data"), cloudflareRanges: CLOUDFLARE_RANGES,
        emailDns: { dkimTokens: notifications.dkimTokens, mailFromDomain: notifications.mailFromDomain, mailFromMxHost: notifications.mailFromMxHost },
    }, inRegion);

    const audit = buildAudit(cfg, {
        accountId, logsKeyArn: key("logs"), backupsKeyArn: key("backups"), ...dr,
        archiveBucketName: storage.buckets.backups.name, archiveBucketArn: storage.buckets.backups.arn,
        alertsTopicArn: notifications.alertsTopicArn,
        backupSelectionArns: [data.postgres.instanceArn, storage.buckets.evidence.arn, storage.buckets.documents.arn, storage.buckets.backups.arn],
        // GuardDuty findings also go to the log-shipping stream, whose name is fixed (EventBridge does not need it to exist yet).
        findingsFirehoseArn: pulumi.interpolate`arn:aws:firehose:${cfg.region}:${accountId}:deliverystream/${logShippingStreamName(cfg)}`,
    }, inRegion);

    // Observability last: it watches every layer above.
    const observability = buildObservability(cfg, {
        accountId, logsKeyArn: key("logs"), secretsKeyArn: key("secrets"), alertsTopicArn: notifications.alertsTopicArn,
        logzioTokenSecretArn: storage.secrets.logzioShippingTokenArn,
        failedDeliveryBucketArn: storage.buckets.artifacts.arn, failedDeliveryKeyArn: key("data"),
        albArnSuffix: ingress.albArnSuffix,
        targetGroupArnSuffixes: {
            api: ingress.api.targetGroupArnSuffix,
            ...(ingress.keycloak ? { keycloak: ingress.keycloak.targetGroupArnSuffix } : {}),
        },
        clusterName: compute.clusterName,
        serviceNames: definedValues(compute.serviceNames),
        dbInstanceIdentifier: data.postgres.instanceIdentifier,
        replicaIdentifier: data.postgres.replicaIdentifier,
        redisReplicationGroupId: data.redis.replicationGroupId,
        logGroupNames: definedValues(compute.logGroupNames),
        flowLogGroupName: network.flowLogGroupName,
        trailLogGroupName: audit.trailLogGroupName,
        breakGlassRoleArn: identity.breakGlassRoleArn,
        queues: Object.values(compute.queueNames).filter((q): q is string => !!q),
    }, inRegion);

    return stackOutputs({ cfg, keys, drKeys, notifications, identity, network, storage, data, ingress, compute, edge, observability, audit });
}

/** The entries of a per-family map that exist in this stack. */
function definedValues<T>(map: Partial<Record<string, T>>): Record<string, T> {
    return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, T] => entry[1] !== undefined));
}
