import * as pulumi from "@pulumi/pulumi";
import {
    ContainerRegistry, EcsCluster, FargateService, ManagedSecret, OriginLoadBalancer, ServiceAutoscaling, ServiceDiscovery, Tracing,
    guardDutyAgentRepositoryArn,
} from "../../components";
import { AppConfig, Family } from "./config";

/** Ports the images listen on (the images' contract). */
export const PORTS = { api: 3000, ai: 8000 } as const;

/** What the services take from the layers built before them. */
export interface ServiceInputs {
    vpcId: pulumi.Input<string>;
    computeSubnetIds: pulumi.Input<string>[];
    cluster: EcsCluster;
    registry: ContainerRegistry;
    alb: OriginLoadBalancer;
    discovery: ServiceDiscovery;
    tracing: Tracing;
    keys: { logs: pulumi.Input<string>; secrets: pulumi.Input<string> };
    /** The database the api uses, with IAM auth tokens as `user`; its clients' security group admits it. */
    database: {
        address: pulumi.Input<string>; port: number; name: string; user: string; iamResourceId: pulumi.Input<string>;
        clientSecurityGroupId: pulumi.Input<string>;
    };
}

export interface Services {
    serviceNames: Record<Family, pulumi.Output<string>>;
    securityGroupIds: Record<Family, pulumi.Output<string>>;
    /** How the api calls the AI service: its private name, inside the VPC only. */
    aiServiceUrl: string;
}

/** Container health checks: the images ship curl-less, so each uses its own runtime. */
const HEALTH_CHECKS: Record<Family, string[]> = {
    api: ["CMD-SHELL", `node -e "fetch('http://127.0.0.1:${PORTS.api}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"`],
    ai: ["CMD-SHELL", `python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:${PORTS.ai}/health', timeout=3)" || exit 1`],
};

/**
 * The two task families. The api sits behind the ALB; the AI service has no load balancer and no internet
 * egress: it is registered in Cloud Map and admits only the api tier's security group on its port (and the api's
 * security group gets the one matching egress rule). All three export traces to X-Ray and log to KMS-encrypted groups.
 */
export function buildServices(cfg: AppConfig, inputs: ServiceInputs, opts: pulumi.ComponentResourceOptions): Services {
    const vpcCidr = cfg.network.vpcCidr;
    // The api's session signing key: generated, encrypted with the secrets key, injected by ECS at start.
    const sessionKey = new ManagedSecret("session-signing-key", {
        secretName: `${cfg.namePrefix}/session-signing-key`, description: `Session signing key of the ${cfg.namePrefix} api`,
        kmsKeyId: inputs.keys.secrets, recoveryWindowInDays: cfg.isProd ? 30 : 7, protect: cfg.isProd, value: { generate: 64 }, rotation: "manual",
    }, opts);

    const aiServiceUrl = `http://${inputs.discovery.hostnames.ai}:${PORTS.ai}`;
    const common = (family: Family) => ({
        family,
        namePrefix: cfg.namePrefix,
        accountId: cfg.accountId,
        region: cfg.region,
        clusterArn: inputs.cluster.clusterArn,
        clusterName: inputs.cluster.clusterName,
        cpu: cfg.services[family].cpu,
        memory: cfg.services[family].memory,
        image: pulumi.interpolate`${inputs.registry.repositories[family].url}:${cfg.imageTag}`,
        repositoryArn: inputs.registry.repositories[family].arn,
        // The GuardDuty Runtime Monitoring agent ECS adds to each task, when the account has it on.
        sidecarRepositoryArns: [guardDutyAgentRepositoryArn(cfg.region)],
        containerPort: PORTS[family],
        secretsKmsKeyArn: inputs.keys.secrets,
        healthCheckCommand: HEALTH_CHECKS[family],
        logKmsKeyArn: inputs.keys.logs,
        logRetentionDays: cfg.logRetentionDays,
        vpcId: inputs.vpcId,
        vpcCidr,
        subnetIds: inputs.computeSubnetIds,
        additionalSecurityGroupIds: [],
        desiredCount: cfg.services[family].minTasks,
        capacity: cfg.services[family].capacity,
        taskPolicyStatements: [...inputs.tracing.taskStatements],
    });
    // The api logs in to Postgres with IAM auth tokens: exactly this database user on this instance.
    const db = inputs.database;
    const databaseLogin = {
        Sid: "DatabaseIamAuth", Effect: "Allow" as const, Action: ["rds-db:connect"],
        Resource: pulumi.interpolate`arn:aws:rds-db:${cfg.region}:${cfg.accountId}:dbuser:${db.iamResourceId}/${db.user}`,
    };
    // The api calls external APIs over HTTPS (through NAT) and the AI service on its private name.
    const api = new FargateService("api", {
        ...common("api"),
        additionalSecurityGroupIds: [db.clientSecurityGroupId],
        taskPolicyStatements: [...inputs.tracing.taskStatements, databaseLogin],
        loadBalancer: { targetGroupArn: inputs.alb.targets.api.arn, securityGroupId: inputs.alb.securityGroupId },
        dependsOn: [inputs.cluster.capacityProviders, inputs.alb.targets.api.rule],
        environment: {
            ...inputs.tracing.environment("api"), AI_SERVICE_URL: aiServiceUrl, APP_ORIGIN: `https://${cfg.edge.appHost}`,
            DATABASE_HOST: db.address, DATABASE_PORT: String(db.port), DATABASE_NAME: db.name, DATABASE_USER: db.user, DATABASE_SSLMODE: "verify-full",
        },
        secrets: [{ name: "SESSION_SIGNING_KEY", secretArn: sessionKey.arn }], internetHttpsEgress: true,
    }, opts);
    const ai = new FargateService("ai", {
        ...common("ai"),
        environment: { ...inputs.tracing.environment("ai") },
        secrets: [], internetHttpsEgress: false,
        clients: [{ name: "api", securityGroupId: api.securityGroupId }],
        serviceRegistryArn: inputs.discovery.registryArns.ai,
        dependsOn: [inputs.cluster.capacityProviders],
    }, opts);

    const services = { api, ai };
    for (const [family, service] of Object.entries(services) as [Family, FargateService][]) {
        const s = cfg.services[family];
        new ServiceAutoscaling(`${family}-scaling`, {
            resourceId: service.scalableResourceId, minTasks: s.minTasks, maxTasks: s.maxTasks,
            scaling: { kind: "cpu", targetPercent: s.cpuTargetPercent, memoryTargetPercent: s.memoryTargetPercent },
            alarmNamePrefix: `${cfg.namePrefix}-${family}`,
        }, { ...opts, dependsOn: [service] });
    }
    return {
        serviceNames: { api: api.serviceName, ai: ai.serviceName },
        securityGroupIds: { api: api.securityGroupId, ai: ai.securityGroupId },
        aiServiceUrl,
    };
}
