import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { validateFargateSize } from "./fargate-size";
import { ComponentTags, withTags } from "../tags";
import { componentAccountId, componentRegion } from "../provider-region";
import { withDefaults } from "../defaults";
import { MIN_PROD_LOG_RETENTION_DAYS } from "../../standards/logs";
import { serviceTrustPolicy } from "../security/service-trust";

/** A secret injected into the container by ECS at start, never written into the task definition. */
export interface ContainerSecret {
    /** Environment variable name inside the container. */
    name: string;
    /** Secrets Manager secret ARN (exactly one of secretArn / parameterArn). */
    secretArn?: pulumi.Input<string>;
    /** JSON key inside a Secrets Manager secret (e.g. `password`); the whole secret string when omitted. */
    jsonKey?: string;
    /** SSM parameter ARN (a SecureString encrypted with the secrets key). */
    parameterArn?: pulumi.Input<string>;
}

/** One IAM policy statement, resources named exactly. */
export interface PolicyStatement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Condition?: Record<string, Record<string, pulumi.Input<string | string[]>>>;
}

/** The arguments of FargateService: what the caller decides about one service. */
export interface FargateServiceArgs {
    /** The task family name, kebab-case (e.g. `api`, `scanner-workers`): names the service, container and log stream prefix. */
    readonly family: string;
    /** Prefix of physical names (e.g. `platform-prod-eu`): task definition family, roles, log group. */
    readonly namePrefix: string;
    /**
     * Account the service runs in (scopes the roles' trust). Default: the account of the credentials of the
     * component's AWS provider.
     */
    readonly accountId?: pulumi.Input<string>;
    /**
     * Region the service runs in (the roles' trust, `kms:ViaService`, the awslogs driver). Default: the region of the
     * component's AWS provider; when given, it must be that region.
     */
    readonly region?: string;
    /** The cluster (ARN for the service, name for the autoscaling resource id). */
    readonly clusterArn: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    /** Resources the service must wait for (the cluster's capacity providers, the ALB listener rule). */
    readonly dependsOn?: pulumi.Resource[];
    /** Task CPU units and memory (MiB); must be a valid Fargate pair. */
    readonly cpu: number;
    readonly memory: number;
    /** Full image reference (`<registry>/<repo>:<tag>`). */
    readonly image: pulumi.Input<string>;
    /** ARN of the repository the image is pulled from (the execution role may pull from it only). */
    readonly repositoryArn: pulumi.Input<string>;
    /**
     * Further repositories the execution role pulls from for sidecars ECS or GuardDuty add to the task (the
     * GuardDuty Runtime Monitoring agent of the region: `guardDutyAgentRepositoryArn`). None when omitted.
     */
    readonly sidecarRepositoryArns?: pulumi.Input<string>[];
    /** Command override; the image's default when omitted. */
    readonly command?: string[];
    /** Port the container listens on (services behind the ALB). */
    readonly containerPort?: number;
    /** Non-secret environment (hosts, bucket and queue names, region). Secrets go in `secrets`. Default: none. */
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** Secrets injected through `secrets[].valueFrom`; the execution role may read exactly these. Default: none. */
    readonly secrets?: ContainerSecret[];
    /** The key the secrets are encrypted with (the execution role may decrypt through Secrets Manager / SSM only). */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    /** Container health check command (`CMD-SHELL ...` or `CMD ...`). */
    readonly healthCheckCommand: string[];
    /** Seconds ECS waits after SIGTERM before SIGKILL (workers finish their job); Fargate allows up to 120. */
    readonly stopTimeoutSeconds?: number;
    /**
     * Paths the container may write to; the root file system is read-only. Each is a tmpfs owned by the container
     * user (uid/gid 1000), `nosuid,nodev` (exec allowed: the JVM and native modules load libraries from /tmp),
     * of `sizeMiB` (counted in the task's memory). Default: `/tmp`, 256 MiB.
     */
    readonly writablePaths?: WritablePath[];
    /** Seconds ECS ignores failing ALB health checks after a task starts (load-balanced services). Default 60. */
    readonly healthCheckGracePeriodSeconds?: number;
    /** Key of the family's log group. */
    readonly logKmsKeyArn: pulumi.Input<string>;
    /** Retention (days) of the family's log group. Default: MIN_PROD_LOG_RETENTION_DAYS (365). */
    readonly logRetentionDays?: number;
    /** Statements of the task role (what the application may do), resources named exactly. Default: none (no permissions). */
    readonly taskPolicyStatements?: PolicyStatement[];
    /** Network: VPC, its CIDR (egress to the interface endpoints), private subnets, and extra security groups (data clients). */
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Extra security groups of the tasks (data clients). Default: none. */
    readonly additionalSecurityGroupIds?: pulumi.Input<string>[];
    /**
     * Allow HTTPS (443) to the internet through the NAT gateways, for external APIs (WorkOS, Logz.io, scan targets).
     * Default: false (AWS services only, through the VPC endpoints).
     */
    readonly internetHttpsEgress?: boolean;
    /** Ports the family's tasks use to talk to each other (e.g. Keycloak's cache cluster); none when omitted. */
    readonly peerPorts?: number[];
    /** Tasks at create time (the autoscaling target owns the count afterwards). */
    readonly desiredCount: number;
    /** `on-demand`: Fargate only. `spot`: one on-demand task as a base, the rest preferably on Fargate Spot. Default: `on-demand`. */
    readonly capacity?: "on-demand" | "spot";
    /**
     * With `spot`: tasks placed on on-demand Fargate before the weighted split (default 1). 0 puts every task on
     * Fargate Spot, which AWS may reclaim with a two-minute warning: only for work that is retried (queue workers)
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html, read 2026-12-03).
     */
    readonly onDemandBase?: number;
    /** The ALB target group this service registers in, and the ALB security group allowed to reach containerPort. */
    readonly loadBalancer?: { targetGroupArn: pulumi.Input<string>; securityGroupId: pulumi.Input<string> };
    /**
     * Other tasks allowed to call this service directly on containerPort (e.g. the api tier calling an internal AI
     * service): each client's security group gets the matching egress rule, so nothing else reaches the port.
     */
    readonly clients?: ServiceClient[];
    /**
     * Cloud Map service the tasks register in (A records of their task IPs), so clients find them by a private DNS
     * name without a load balancer: `ServiceDiscovery.registryArns[family]`.
     */
    readonly serviceRegistryArn?: pulumi.Input<string>;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/** What FargateService applies when the caller leaves these FargateServiceArgs out: least privilege, prod log retention. */
export const FARGATE_SERVICE_DEFAULTS = {
    environment: {} as Record<string, pulumi.Input<string>>,
    secrets: [] as ContainerSecret[],
    logRetentionDays: MIN_PROD_LOG_RETENTION_DAYS,
    taskPolicyStatements: [] as PolicyStatement[],
    additionalSecurityGroupIds: [] as pulumi.Input<string>[],
    internetHttpsEgress: false,
    capacity: "on-demand",
} as const;

/** A caller of a service: a short name for the rules and the security group its tasks carry. */
export interface ServiceClient {
    /** Short kebab-case name of the caller (e.g. `api`); names the rules. */
    name: string;
    securityGroupId: pulumi.Input<string>;
}

/** A writable path inside a read-only container: an in-memory tmpfs. */
export interface WritablePath {
    containerPath: string;
    sizeMiB: number;
}

/** The container user; tmpfs mounts are owned by it (Fargate bind mounts are root 0755, unwritable for it). */
export const CONTAINER_USER = { uid: 1000, gid: 1000 };

/**
 * tmpfs mounts for the writable paths. Fargate supports `linuxParameters.tmpfs` since 2026-01-06
 * (https://aws.amazon.com/about-aws/whats-new/2026/01/amazon-ecs-tmpfs-mounts-aws-fargate-managed-instances/, all
 * commercial regions; `uid=`/`gid=` options as used on Fargate in https://github.com/ministryofjustice/opg-lpa/pull/3734);
 * before that ECS rejected tmpfs on Fargate. Option names: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tmpfs.html
 */
export function tmpfsMounts(family: string, paths: WritablePath[], memoryMiB: number) {
    const total = paths.reduce((sum, p) => sum + p.sizeMiB, 0);
    for (const p of paths) {
        if (!/^\/[A-Za-z0-9._/-]+$/.test(p.containerPath)) throw new Error(`task family ${family}: writable path "${p.containerPath}" must be an ` +
            `absolute path`);
        if (!(Number.isInteger(p.sizeMiB) && p.sizeMiB > 0)) {
            throw new Error(`task family ${family}: writable path ${p.containerPath} needs a positive whole sizeMiB, got ${p.sizeMiB}`);
        }
    }
    if (total > memoryMiB / 2) {
        throw new Error(`task family ${family}: tmpfs sizes add up to ${total} MiB, more than half the task's ${memoryMiB} MiB (tmpfs is memory)`);
    }
    return paths.map((p) => ({
        containerPath: p.containerPath, size: p.sizeMiB,
        mountOptions: ["rw", "nosuid", "nodev", `uid=${CONTAINER_USER.uid}`, `gid=${CONTAINER_USER.gid}`, "mode=0750"],
    }));
}

/** Physical names, validated against AWS limits. */
function checkedName(kind: string, value: string, max: number): string {
    if (value.length > max) throw new Error(`${kind} name "${value}" is ${value.length} characters; AWS allows ${max}`);
    return value;
}

/** The `valueFrom` of a container secret, and the ARN the execution role must be allowed to read. */
function secretSource(s: ContainerSecret, family: string): { valueFrom: pulumi.Output<string>; kind: "secret" | "parameter"; arn: pulumi.Input<string> } {
    if ((s.secretArn === undefined) === (s.parameterArn === undefined)) throw new Error(`task family ${family}: secret ${s.name} needs exactly one ` +
        `of secretArn / parameterArn`);
    if (s.secretArn !== undefined) {
        return { valueFrom: s.jsonKey ? pulumi.interpolate`${s.secretArn}:${s.jsonKey}::` : pulumi.output(s.secretArn), kind: "secret", arn: s.secretArn };
    }
    return { valueFrom: pulumi.output(s.parameterArn!), kind: "parameter", arn: s.parameterArn! };
}

/**
 * One task family on Fargate: an ARM64 task definition of a valid Fargate size whose container runs as a non-root
 * user on a read-only root filesystem, logs to its own KMS-encrypted log group and receives secrets only from
 * Secrets Manager / SSM; a separate execution role (pull, log, read exactly its secrets) and task role (exactly the
 * statements given); the service in private subnets without public IPs, spread by ECS across the subnets' AZs, with
 * its own security group, a rolling deployment guarded by the circuit breaker with automatic rollback.
 */
export class FargateService extends pulumi.ComponentResource {
    /** The ECS service resource itself. */
    public readonly service: aws.ecs.Service;
    /** The task definition resource itself (its revision changes with every deploy). */
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    public readonly serviceName: pulumi.Output<string>;
    public readonly taskDefinitionArn: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    /** The Application Auto Scaling resource id: `service/<cluster>/<service>`. */
    public readonly scalableResourceId: pulumi.Output<string>;

    constructor(name: string, given: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:FargateService", name, {}, withTags(opts, given.tags));
        const args = withDefaults(given, FARGATE_SERVICE_DEFAULTS);
        const region = componentRegion(this, args.region, `FargateService ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        const { cpu, memory } = validateFargateSize(args.family, args.cpu, args.memory);
        if (!/^[a-z][a-z0-9-]*$/.test(args.family)) throw new Error(`FargateService ${name}: family "${args.family}" must be kebab-case`);
        if (args.stopTimeoutSeconds !== undefined && (args.stopTimeoutSeconds < 2 || args.stopTimeoutSeconds > 120)) {
            throw new Error(`task family ${args.family}: stopTimeoutSeconds must be 2-120 on Fargate, got ${args.stopTimeoutSeconds}`);
        }
        if (args.loadBalancer && args.containerPort === undefined) throw new Error(`task family ${args.family}: a load-balanced service needs containerPort`);
        if (args.clients?.length && args.containerPort === undefined) throw new Error(`task family ${args.family}: a service with clients needs containerPort`);
        const physical = `${args.namePrefix}-${args.family}`;
        const secretEnvNames = new Set(args.secrets.map((s) => s.name));
        const environment: Record<string, pulumi.Input<string>> = { ...args.environment };
        const clash = Object.keys(environment).find((k) => secretEnvNames.has(k));
        if (clash) throw new Error(`task family ${args.family}: ${clash} is both an environment variable and a secret`);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/ecs/${args.namePrefix}/${args.family}`,
            kmsKeyId: args.logKmsKeyArn,
            retentionInDays: args.logRetentionDays,
        }, { parent: this });

        // Both roles trust ECS tasks of this account only (confused-deputy guard).
        const assumeRolePolicy = serviceTrustPolicy("ecs-tasks.amazonaws.com", {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:ecs:${region}:${accountId}:*` },
        });

        const sources = args.secrets.map((s) => secretSource(s, args.family));
        const secretArns = [...new Set(sources.filter((s) => s.kind === "secret").map((s) => s.arn))];
        const parameterArns = [...new Set(sources.filter((s) => s.kind === "parameter").map((s) => s.arn))];
        const executionRole = new aws.iam.Role(`${name}-execution`, {
            name: checkedName("IAM role", `${physical}-exec`, 64),
            description: `ECS task execution role of ${args.family}: pull its image, write its logs, read its secrets`,
            assumeRolePolicy,
        }, { parent: this });
        const executionStatements: PolicyStatement[] = [
            // ecr:GetAuthorizationToken has no resource-level permissions: AWS requires "*". The token alone pulls nothing.
            { Sid: "EcrAuthToken", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
            {
                Sid: "PullImage", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                Resource: [args.repositoryArn, ...(args.sidecarRepositoryArns ?? [])],
            },
            {
                Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
            },
        ];
        if (secretArns.length) {
            executionStatements.push({ Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secretArns });
        }
        if (parameterArns.length) executionStatements.push({ Sid: "ReadParameters", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: parameterArns });
        if (sources.length) {
            executionStatements.push({
                Sid: "DecryptSecrets", Effect: "Allow", Action: ["kms:Decrypt"], Resource: args.secretsKmsKeyArn,
                Condition: { StringEquals: { "kms:ViaService": region.apply((r) => [`secretsmanager.${r}.amazonaws.com`, `ssm.${r}.amazonaws.com`]) } },
            });
        }
        new aws.iam.RolePolicy(`${name}-execution`, {
            role: executionRole.id,
            name: "execution",
            policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: executionStatements }),
        }, { parent: this });

        const taskRole = new aws.iam.Role(`${name}-task`, {
            name: checkedName("IAM role", `${physical}-task`, 64),
            description: `ECS task role of ${args.family}: what the application may do`,
            assumeRolePolicy,
        }, { parent: this });
        const taskStatements = [...args.taskPolicyStatements];
        if (taskStatements.length) {
            new aws.iam.RolePolicy(`${name}-task`, {
                role: taskRole.id,
                name: "task",
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: taskStatements }),
            }, { parent: this });
        }

        const logOptions = { "awslogs-group": logGroup.name, "awslogs-region": region, mode: "non-blocking", "max-buffer-size": "25m" };
        const writable = tmpfsMounts(args.family, args.writablePaths ?? [{ containerPath: "/tmp", sizeMiB: 256 }], memory);
        const containerDefinitions = pulumi.jsonStringify([{
            name: args.family,
            image: args.image,
            essential: true,
            ...(args.command ? { command: args.command } : {}),
            portMappings: args.containerPort !== undefined ? [{ containerPort: args.containerPort, protocol: "tcp", name: "http" }] : [],
            environment: Object.entries(environment).sort(([a], [b]) => a.localeCompare(b)).map(([n, value]) => ({ name: n, value })),
            secrets: args.secrets.map((s, i) => ({ name: s.name, valueFrom: sources[i].valueFrom })),
            user: "1000:1000",
            privileged: false,
            readonlyRootFilesystem: true,
            mountPoints: [],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] }, tmpfs: writable },
            healthCheck: { command: args.healthCheckCommand, interval: 15, timeout: 5, retries: 3, startPeriod: 60 },
            ...(args.stopTimeoutSeconds ? { stopTimeout: args.stopTimeoutSeconds } : {}),
            logConfiguration: { logDriver: "awslogs", options: { ...logOptions, "awslogs-stream-prefix": args.family } },
        }]);
        const taskDefinition = new aws.ecs.TaskDefinition(`${name}`, {
            family: physical,
            cpu: String(cpu),
            memory: String(memory),
            networkMode: "awsvpc",
            requiresCompatibilities: ["FARGATE"],
            runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            // No bind mounts: on Fargate they are root-owned 0755 (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html).
            containerDefinitions,
        }, { parent: this });

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: `${args.family} tasks: inbound only from the ALB on its container port (if load-balanced)`,
            revokeRulesOnDelete: true,
            tags: { Name: `${physical}-tasks` },
        }, { parent: this });
        new aws.vpc.SecurityGroupEgressRule(`${name}-egress-vpc-https`, {
            securityGroupId: securityGroup.id, description: "HTTPS to the VPC interface endpoints (ECR, Secrets Manager, KMS, Logs)",
            ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr,
        }, { parent: this });
        if (args.internetHttpsEgress) {
            new aws.vpc.SecurityGroupEgressRule(`${name}-egress-internet-https`, {
                securityGroupId: securityGroup.id, description: "HTTPS to external APIs through the NAT gateways (WorkOS, Logz.io, S3 gateway endpoint prefix)",
                ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
            }, { parent: this });
        }
        for (const port of args.peerPorts ?? []) {
            new aws.vpc.SecurityGroupIngressRule(`${name}-peer-in-${port}`, {
                securityGroupId: securityGroup.id, description: `${args.family} tasks to each other on ${port}`,
                ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: securityGroup.id,
            }, { parent: this });
            new aws.vpc.SecurityGroupEgressRule(`${name}-peer-out-${port}`, {
                securityGroupId: securityGroup.id, description: `${args.family} tasks to each other on ${port}`,
                ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: securityGroup.id,
            }, { parent: this });
        }
        const lbRules: pulumi.Resource[] = [];
        if (args.loadBalancer) {
            lbRules.push(new aws.vpc.SecurityGroupIngressRule(`${name}-from-alb`, {
                securityGroupId: securityGroup.id, description: `the ALB to ${args.family} on ${args.containerPort}`,
                ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: args.loadBalancer.securityGroupId,
            }, { parent: this }));
            lbRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-alb-to-tasks`, {
                securityGroupId: args.loadBalancer.securityGroupId, description: `the ALB to ${args.family} on ${args.containerPort}`,
                ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: securityGroup.id,
            }, { parent: this }));
        }

        for (const client of args.clients ?? []) {
            if (!/^[a-z][a-z0-9-]*$/.test(client.name)) throw new Error(`task family ${args.family}: client name "${client.name}" must be kebab-case`);
            lbRules.push(new aws.vpc.SecurityGroupIngressRule(`${name}-from-${client.name}`, {
                securityGroupId: securityGroup.id, description: `${client.name} to ${args.family} on ${args.containerPort}`,
                ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: client.securityGroupId,
            }, { parent: this }));
            lbRules.push(new aws.vpc.SecurityGroupEgressRule(`${name}-${client.name}-to-tasks`, {
                securityGroupId: client.securityGroupId, description: `${client.name} to ${args.family} on ${args.containerPort}`,
                ipProtocol: "tcp", fromPort: args.containerPort, toPort: args.containerPort, referencedSecurityGroupId: securityGroup.id,
            }, { parent: this }));
        }

        const service = new aws.ecs.Service(`${name}`, {
            name: args.family,
            cluster: args.clusterArn,
            taskDefinition: taskDefinition.arn,
            desiredCount: args.desiredCount,
            capacityProviderStrategies: args.capacity === "spot"
                ? spotStrategy(args.onDemandBase ?? 1)
                : [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
            platformVersion: "LATEST",
            // ECS spreads tasks across the availability zones of the subnets given (one private subnet per AZ).
            networkConfiguration: { subnets: args.subnetIds, assignPublicIp: false, securityGroups: [securityGroup.id, ...args.additionalSecurityGroupIds] },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            // No ECS Exec: its SSM agent writes under /var/lib/amazon/ssm and /var/log/amazon/ssm, which the read-only
            // root file system refuses (https://github.com/aws/containers-roadmap/issues/1359); use the bastion instead.
            enableExecuteCommand: false,
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            // awsvpc tasks register A records; ECS adds and removes them with the tasks.
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html
            ...(args.serviceRegistryArn ? { serviceRegistries: { registryArn: args.serviceRegistryArn } } : {}),
            ...(args.loadBalancer ? {
                loadBalancers: [{ targetGroupArn: args.loadBalancer.targetGroupArn, containerName: args.family, containerPort: args.containerPort! }],
                healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? 60,
            } : {}),
        }, {
            parent: this,
            dependsOn: [...(args.dependsOn ?? []), ...lbRules],
            // Autoscaling owns the running count after creation.
            ignoreChanges: ["desiredCount"],
        });

        this.serviceName = service.name;
        this.taskDefinitionArn = taskDefinition.arn;
        this.taskRoleArn = taskRole.arn;
        this.executionRoleArn = executionRole.arn;
        this.logGroupName = logGroup.name;
        this.securityGroupId = securityGroup.id;
        this.scalableResourceId = pulumi.interpolate`service/${args.clusterName}/${service.name}`;
        this.taskDefinition = taskDefinition;
        this.service = service;
        this.registerOutputs({
            serviceName: this.serviceName, taskDefinitionArn: this.taskDefinitionArn, taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn, logGroupName: this.logGroupName, securityGroupId: this.securityGroupId,
        });
    }
}

/** `base` tasks on on-demand Fargate, the rest 3:1 on Spot; with no base, Spot only (weight 0 leaves FARGATE unused). */
function spotStrategy(onDemandBase: number): { capacityProvider: string; base?: number; weight: number }[] {
    return onDemandBase > 0
        ? [{ capacityProvider: "FARGATE", base: onDemandBase, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }]
        : [{ capacityProvider: "FARGATE", base: 0, weight: 0 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }];
}
