import { KeyRing } from "../components";
import { PlatformConfig } from "./config";
import { AuditOutputs } from "./layers/audit";
import { CostOutputs } from "./layers/cost";
import { CUSTOMER_SCAN_ROLE_NAME, ComputeOutputs } from "./layers/compute";
import { DataOutputs } from "./layers/data";
import { EdgeOutputs } from "./layers/edge";
import { IdentityOutputs } from "./layers/identity";
import { IngressOutputs } from "./layers/ingress";
import { NetworkOutputs } from "./layers/network";
import { NotificationsOutputs } from "./layers/notifications";
import { ObservabilityOutputs } from "./layers/observability";
import { StorageOutputs } from "./layers/storage";

export interface Layers {
    cfg: PlatformConfig;
    keys: KeyRing;
    drKeys?: KeyRing;
    /** The in-region copy vault's own key ring (in-region DR). */
    copyKeys?: KeyRing;
    notifications: NotificationsOutputs;
    identity: IdentityOutputs;
    network: NetworkOutputs;
    storage: StorageOutputs;
    data: DataOutputs;
    ingress: IngressOutputs;
    compute: ComputeOutputs;
    edge: EdgeOutputs;
    observability: ObservabilityOutputs;
    audit: AuditOutputs;
    cost?: CostOutputs;
}

/**
 * The stack outputs deployment scripts and operators use (README, "Stack outputs"). ARNs and names only: secret
 * values (the origin private key, tokens) are never outputs. Optional parts are left out rather than exported as
 * undefined, so `pulumi stack output` lists exactly what the stack has.
 */
export function stackOutputs(l: Layers): Record<string, unknown> {
    const optional = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
    return {
        region: l.cfg.region,
        environment: l.cfg.environment,
        appUrl: l.edge.urls.app,
        apiUrl: l.edge.urls.api,
        ...optional({ authUrl: l.edge.urls.auth }),
        edgeFeatures: l.edge.features,
        cloudflareRangesDate: l.edge.cloudflareRangesDate,
        albDnsName: l.ingress.albDnsName,
        vpcId: l.network.vpcId,
        natEgressIps: l.network.natPublicIps,
        ...optional({ scannerRoleArn: l.compute.taskRoleArns.scannerWorkers }),
        customerScanRoleName: CUSTOMER_SCAN_ROLE_NAME,
        clusterName: l.compute.clusterName,
        serviceNames: l.compute.serviceNames,
        ecrRepositoryUrls: l.compute.ecrRepositoryUrls,
        bucketNames: {
            evidence: l.storage.buckets.evidence.name,
            documents: l.storage.buckets.documents.name,
            backups: l.storage.buckets.backups.name,
            frontend: l.storage.buckets.frontend.name,
            accessLogs: l.storage.buckets.accessLogs.name,
            albLogs: l.storage.buckets.albLogs.name,
        },
        ...optional({ rdsProxyEndpoint: l.data.postgres.proxyEndpoint, rdsReplicaEndpoint: l.data.postgres.replicaAddress }),
        rdsPrimaryEndpoint: l.data.postgres.primaryAddress,
        redisEndpoint: l.data.redis.primaryEndpoint,
        secretArns: optional({
            databaseMaster: l.data.postgres.masterSecretArn,
            redisAuth: l.data.redis.authSecretArn,
            jwtSigningKey: l.storage.secrets.jwtSigningKeyArn,
            workosApiKey: l.storage.secrets.workosApiKeyArn,
            logzioShippingToken: l.storage.secrets.logzioShippingTokenArn,
            keycloakDatabase: l.compute.keycloakDatabaseSecretArn,
            keycloakAdmin: l.compute.keycloakAdminSecretArn,
        }),
        parameterPath: l.storage.parameterPath,
        alertTopicArn: l.notifications.alertsTopicArn,
        kmsKeyArns: Object.fromEntries(Object.entries(l.keys.keys).map(([k, v]) => [k, v!.arn])),
        deployRoleArn: l.identity.deployRoleArn,
        previewRoleArn: l.identity.previewRoleArn,
        breakGlassRoleArn: l.identity.breakGlassRoleArn,
        backupVaultArn: l.audit.backupVaultArn,
        ...optional({
            costGuardrails: l.cost && {
                budgetName: l.cost.budgetName, monthlyBudgetUsd: l.cost.monthlyBudgetUsd,
                costAllocationTagKeys: l.cost.costAllocationTagKeys, costAllocationTagsActivatedHere: l.cost.costAllocationTagsActivatedHere,
            },
        }),
        // Plan-visible: managed Config rules the region does not offer (empty when none are skipped).
        configRulesSkipped: l.audit.configRulesSkipped,
        dashboardName: l.observability.dashboardName,
        ...optional({ bastionInstanceId: l.compute.bastionInstanceId, drBackupsKeyArn: l.drKeys?.key("backups").arn,
            copyVaultKeyArn: l.copyKeys?.key("backups").arn }),
    };
}
