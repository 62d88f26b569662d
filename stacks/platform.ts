import * as pulumi from "@pulumi/pulumi";
import { CLOUDFLARE_RANGES, KeyRing, cloudTrailBucketStatements, configBucketStatements, trailArnOf } from "../components";
import { PlatformConfig } from "./config";
import { buildAudit, trailNameOf } from "./layers/audit";
import { buildCost } from "./layers/cost";
import { buildCompute } from "./layers/compute";
import { APP_DB_USER, DATABASE_NAME, buildData } from "./layers/data";
import { buildEdge, buildOriginTrust } from "./layers/edge";
import { buildIdentity, buildRoleBoundary, identityRoleNames } from "./layers/identity";
import { buildIngress } from "./layers/ingress";
import { buildNetwork } from "./layers/network";
import { buildNotifications } from "./layers/notifications";
import { buildObservability, logShippingStreamName } from "./layers/observability";
import { buildRestoreTesting } from "./layers/restore-testing";
import { buildSecretAgeCheck } from "./layers/secret-age";
import { ALB_LOG_PREFIXES, bucketNames, buildStorage } from "./layers/storage";
import { buildTenantKeys } from "./layers/tenant-keys";
import { stackOutputs } from "./outputs";
import { databaseRestore, ownsEdge, sourceBackupsKeyArn, standbyEdgeOutputs } from "./recovery";
import { accountIdOf, createProviders } from "./providers";
import { applyRoleBoundary } from "./role-boundary";
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
    // Every role below carries the stack's permissions boundary (the deploy role may create roles only with it).
    const roleBoundary = buildRoleBoundary(cfg, accountId, inRegion);
    applyRoleBoundary(roleBoundary, identityRoleNames(cfg));

    // The trail's ARN, from its name: the logs key and the archive bucket policy admit CloudTrail for this trail only.
    const trailArn = trailArnOf(cfg.region, accountId, trailNameOf(cfg));
    // Security baseline: one customer-managed key per data class; a backups key in the DR region for copies.
    const keys = new KeyRing("keys", {
        accountId, region: cfg.region, aliasPrefix: cfg.namePrefix, deletionWindowDays: cfg.keys.deletionWindowDays, protect: cfg.keys.protect,
        cloudTrailArn: trailArn,
    }, inRegion);
    const drKeys = cfg.dr.mode === "cross-region" && providers.dr
        ? new KeyRing("dr-keys", {
            accountId, region: cfg.dr.region!, classes: ["backups"], aliasPrefix: cfg.namePrefix,
            deletionWindowDays: cfg.keys.deletionWindowDays, protect: cfg.keys.protect,
        }, { providers: [providers.dr] })
        : undefined;
    // In-region DR (residency): the copy vault gets its own backups key, so one key's loss does not take both copies.
    const copyKeys = cfg.dr.mode === "in-region"
        ? new KeyRing("copy-keys", {
            accountId, region: cfg.region, classes: ["backups"], aliasPrefix: `${cfg.namePrefix}-copy`,
            deletionWindowDays: cfg.keys.deletionWindowDays, protect: cfg.keys.protect,
        }, inRegion)
        : undefined;
    const key = (keyClass: Parameters<KeyRing["key"]>[0]) => keys.key(keyClass).arn;
    const dr = { drProvider: providers.dr, drBackupsKeyArn: drKeys?.key("backups").arn };

    // Alerts first: every layer below reports to the alerts topic.
    const notifications = buildNotifications(cfg, { accountId, alertsKeyArn: key("alerts") }, inRegion);
    const identity = buildIdentity(cfg, { accountId, alertsTopicArn: notifications.alertsTopicArn, roleBoundary }, inRegion);
    // Cost guardrails: the monthly budget alerts to the same topic.
    const cost = buildCost(cfg, { alertsTopicArn: notifications.alertsTopicArn }, inRegion);

    const network = buildNetwork(cfg, { logsKeyArn: key("logs"), accountId }, inRegion);

    // The archive bucket admits CloudTrail (this trail only) and AWS Config, which the audit layer sets up below.
    const archiveArn = `arn:aws:s3:::${bucketNames(cfg).backups}`;
    const storage = buildStorage(cfg, {
        accountId, dataKeyArn: key("data"), secretsKeyArn: key("secrets"), backupsKeyArn: key("backups"), ...dr,
        s3GatewayEndpointId: network.s3GatewayEndpointId, cloudflareRanges: CLOUDFLARE_RANGES,
        // CloudTrail files in the archive are encrypted with the logs key: the DR replication must decrypt them too.
        alertsTopicArn: notifications.alertsTopicArn, archiveWriterKeyArns: [key("logs")],
        secretFunctions: { vpcId: network.vpcId, subnetIds: network.computeSubnetIds, logsKeyArn: key("logs") },
        extraPolicyStatements: { backups: [...cloudTrailBucketStatements(archiveArn, trailArn, accountId), ...configBucketStatements(archiveArn, accountId)] },
    }, inRegion);

    // A recovery stack restores the database from the source's replicated backups, under the source's DR backups key.
    const data = buildData(cfg, {
        vpcId: network.vpcId, dataSubnetIds: network.dataSubnetIds, computeSubnetIds: network.computeSubnetIds, accountId,
        dataKeyArn: key("data"), secretsKeyArn: key("secrets"), logsKeyArn: key("logs"), ...dr,
        alertsTopicArn: notifications.alertsTopicArn,
        restore: databaseRestore(cfg, sourceBackupsKeyArn(cfg, providers.aws)),
    }, inRegion);

    // Cloudflare origin trust exists before the ALB that presents and verifies it; the edge records after it.
    const originTrust = buildOriginTrust(cfg, { alertsTopicArn: notifications.alertsTopicArn }, inRegion);
    const ingress = buildIngress(cfg, {
        vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds,
        albLogsBucketName: storage.buckets.albLogs.name, albLogsBucketPolicy: storage.buckets.albLogs.policy,
        trustStoreBucketName: storage.buckets.artifacts.name,
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
            // The IAM-auth application role (sql/001-app-role.sql), never the master user.
            iamAuth: { resourceId: data.postgres.iamResourceId, dbUser: APP_DB_USER },
            redisEndpoint: data.redis.primaryEndpoint, redisAuthSecretArn: data.redis.authSecretArn,
            postgresClientsSecurityGroupId: data.clientSecurityGroups.postgresClients,
            redisClientsSecurityGroupId: data.clientSecurityGroups.redisClients,
            postgresAdminsSecurityGroupId: data.clientSecurityGroups.postgresAdmins,
            postgresDirectClientsSecurityGroupId: data.clientSecurityGroups.postgresDirectClients,
            postgresSecurityGroupId: data.postgres.securityGroupId, postgresMasterSecretArn: data.postgres.masterSecretArn,
        },
        // SES authorizes SendEmail on the configuration set too when the identity has a default one.
        email: {
            identityArn: notifications.identityArn,
            configurationSetArn:
                pulumi.interpolate`arn:aws:ses:${notifications.sesRegion}:${accountId}:configuration-set/${notifications.configurationSetName}`,
        },
        runtimeParametersPath: storage.parameterPath,
        // The S3 gateway endpoint's prefix list (read back from the endpoint the network layer created): bastion patching.
        // The gateway endpoint's own output: no read of the endpoint (its id is unknown in a first preview).
        s3PrefixListId: network.s3PrefixListId,
        ingress,
        alertsTopicArn: notifications.alertsTopicArn,
    }, inRegion);

    // BYOK tier: per-tenant keys whose policy names the task roles above (they must exist first).
    buildTenantKeys(cfg, {
        accountId,
        writerRoleArns: [compute.taskRoleArns.api, compute.taskRoleArns.apiWorkers, compute.taskRoleArns.scannerWorkers, compute.taskRoleArns.aiWorkers]
            .filter((arn): arn is pulumi.Output<string> => arn !== undefined),
        bucketArns: [storage.buckets.evidence.arn, storage.buckets.documents.arn],
    }, inRegion);

    // A recovery stack on standby leaves the zone to the source stack (docs/operations.md, the switch step).
    const edge = !ownsEdge(cfg) ? standbyEdgeOutputs(cfg) : buildEdge(cfg, {
        albDnsName: ingress.albDnsName, trust: originTrust,
        frontendBucket: storage.buckets.frontend, frontendKmsKeyArn: key("data"), cloudflareRanges: CLOUDFLARE_RANGES,
        emailDns: { dkimTokens: notifications.dkimTokens, mailFromDomain: notifications.mailFromDomain, mailFromMxHost: notifications.mailFromMxHost },
    }, inRegion);

    const audit = buildAudit(cfg, {
        accountId, logsKeyArn: key("logs"), backupsKeyArn: key("backups"), ...dr, copyVaultKeyArn: copyKeys?.key("backups").arn,
        archiveBucketName: storage.buckets.backups.name, archiveBucketArn: storage.buckets.backups.arn, archiveBucketPolicy: storage.buckets.backups.policy,
        alertsTopicArn: notifications.alertsTopicArn,
        backupSelectionArns: [data.postgres.instanceArn, storage.buckets.evidence.arn, storage.buckets.documents.arn, storage.buckets.backups.arn],
        dataEventBucketArns: [storage.buckets.evidence.arn, storage.buckets.documents.arn],
        // GuardDuty findings also go to the log-shipping stream (when shipping is on), whose name is fixed.
        findingsFirehoseArn: cfg.logShipping.enabled
            ? pulumi.interpolate`arn:aws:firehose:${cfg.region}:${accountId}:deliverystream/${logShippingStreamName(cfg)}`
            : undefined,
    }, inRegion);

    // Secrets no function rotates (every one but the JWT key in storage; Keycloak's rotate too): alarms past their age limit.
    const { jwtSigningKeyArn: _rotatedByFunction, ...manualStorageSecrets } = storage.secrets;
    const secretAge = buildSecretAgeCheck(cfg, {
        accountId,
        manualSecrets: Object.fromEntries(
            Object.entries(manualStorageSecrets).map(([k, arn]) => [k.replace(/Arn$/, "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), arn]),
        ),
        vpcId: network.vpcId, computeSubnetIds: network.computeSubnetIds, logsKeyArn: key("logs"), alertsTopicArn: notifications.alertsTopicArn,
    }, inRegion);

    // Weekly restore tests of the database and the data buckets from the vaults above (prod).
    const restoreTests = buildRestoreTesting(cfg, {
        accountId,
        // A cross-region copy vault cannot be tested from this region; an in-region copy vault (residency) is tested too.
        vaultArns: [audit.backupVaultArn, ...(cfg.dr.mode === "in-region" && audit.drVaultArn ? [audit.drVaultArn] : [])],
        database: { instanceArn: data.postgres.instanceArn, subnetGroupName: data.postgres.subnetGroupName, vpcId: network.vpcId },
        bucketArns: [storage.buckets.evidence.arn, storage.buckets.documents.arn],
        kmsKeyArns: [key("backups"), key("data"), ...(copyKeys ? [copyKeys.key("backups").arn] : [])],
        computeSubnetIds: network.computeSubnetIds, logsKeyArn: key("logs"), alertsTopicArn: notifications.alertsTopicArn,
    }, inRegion);

    // Observability last: it watches every layer above.
    const observability = buildObservability(cfg, {
        accountId, logsKeyArn: key("logs"), secretsKeyArn: key("secrets"), alertsTopicArn: notifications.alertsTopicArn,
        topicsBySeverity: notifications.topicsBySeverity,
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
        // Every log group with events goes to the SIEM: services, the data tier's exports, Session Manager sessions
        // (issue 24 item 4; test/log-shipping-coverage.test.ts walks them). ECS Exec is off (compute layer), so it has none.
        logGroupNames: {
            ...definedValues(compute.logGroupNames), ...data.logGroupNames, ...storage.logGroupNames, ...compute.keycloakRotationLogGroupNames,
            ...(secretAge.logGroupName ? { "token-age": secretAge.logGroupName } : {}),
            ...(restoreTests.logGroupName ? { "restore-validation": restoreTests.logGroupName } : {}),
            ...(compute.bastionSessionLogGroupName ? { "ssm-sessions": compute.bastionSessionLogGroupName } : {}),
        },
        flowLogGroupName: network.flowLogGroupName,
        trailLogGroupName: audit.trailLogGroupName,
        breakGlassRoleArn: identity.breakGlassRoleArn,
        logBuckets: [
            { name: storage.buckets.albLogs.name, prefixes: [...ALB_LOG_PREFIXES], region: cfg.region },
            { name: storage.buckets.accessLogs.name, kmsKeyArn: key("data"), region: cfg.region },
            ...(storage.buckets.drAccessLogs && cfg.dr.region
                ? [{ name: storage.buckets.drAccessLogs.name, kmsKeyArn: dr.drBackupsKeyArn, region: cfg.dr.region }]
                : []),
        ],
        queues: Object.values(compute.queueNames).filter((q): q is string => !!q),
    }, inRegion);

    return stackOutputs({ cfg, keys, drKeys, copyKeys, notifications, identity, network, storage, data, ingress, compute, edge, observability, audit, cost });
}

/** The entries of a per-family map that exist in this stack. */
function definedValues<T>(map: Partial<Record<string, T>>): Record<string, T> {
    return Object.fromEntries(Object.entries(map).filter((entry): entry is [string, T] => entry[1] !== undefined));
}
