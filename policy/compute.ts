import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, asList, configOf, forTypes, known, knownString, mapped, pointingAt, UNKNOWN } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { fargateSizeProblem } from "../standards/fargate";
import { credentialShape } from "./lib/secret-shapes";


const REPOSITORY = "aws:ecr/repository:Repository";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";
const REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration";
const CLUSTER = "aws:ecs/cluster:Cluster";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SERVICE = "aws:ecs/service:Service";

/** The container definitions of a task definition (a JSON string as the provider takes it, or a list); undefined when unreadable. */
function containersOf(props: Record<string, any>): any[] | undefined {
    const raw = props.containerDefinitions;
    if (Array.isArray(raw)) return raw;
    if (typeof raw !== "string") return undefined;
    try {
        const parsed = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed : undefined;
    } catch {
        return undefined;
    }
}

export const ecrScanOnPush: PlatformPolicy = {
    name: "ecr-scan-on-push",
    description: "ECR repositories scan images on push, unless the registry uses enhanced scanning.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ECR.1"], nist: ["RA-5"], soc2: ["CC7.1"], iso: ["A.8.8"] }),
    remediationSteps: "Set imageScanningConfiguration: { scanOnPush: true } (the ContainerRegistry component does), or configure enhanced registry scanning.",
    validateStack: (args, reportViolation) => {
        const enhanced = args.resources.some((r) => r.type === REGISTRY_SCANNING && r.props.scanType === "ENHANCED" && asList(r.props.rules).length > 0);
        if (enhanced) return;
        for (const repo of args.resources.filter((r) => r.type === REPOSITORY)) {
            if (repo.props.imageScanningConfiguration?.scanOnPush !== true) reportViolation(`repository ${repo.name} does not scan images on push`, repo.urn);
        }
    },
};

export const ecrImmutableTags: PlatformPolicy = {
    name: "ecr-immutable-tags",
    description: "ECR repositories have immutable image tags, so a deployed tag always names the same image.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["ECR.2"], nist: ["SI-7", "CM-2"], soc2: ["CC8.1"], iso: ["A.8.32"] }),
    remediationSteps: 'Set imageTagMutability: "IMMUTABLE" and tag images uniquely (e.g. with the git SHA).',
    validateResource: forTypes([REPOSITORY], (p) => [
        p.imageTagMutability !== "IMMUTABLE" ? `image tags are ${p.imageTagMutability ?? "MUTABLE"}, not IMMUTABLE` : undefined,
    ]),
};

export const ecrLifecycle: PlatformPolicy = {
    name: "ecr-lifecycle",
    description: "Every ECR repository has a lifecycle policy, so old images expire.",
    enforcementLevel: "mandatory", severity: "low",
    ...mapped({ fsbp: ["ECR.3"] }),
    remediationSteps: "Add an aws.ecr.LifecyclePolicy whose repository is the repository's name (the ContainerRegistry component keeps the last 50 images).",
    validateStack: (args, reportViolation) => {
        for (const repo of args.resources.filter((r) => r.type === REPOSITORY)) {
            const policies = pointingAt(args.resources, LIFECYCLE, "repository", repo);
            if (policies.length === 0) reportViolation(`repository ${repo.name} has no lifecycle policy`, repo.urn);
        }
    },
};

export const ecsContainerInsights: PlatformPolicy = {
    name: "ecs-container-insights",
    description: "ECS clusters have Container Insights enabled (or enhanced).",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["ECS.12"], nist: ["SI-4"], soc2: ["CC7.2"], iso: ["A.8.16"] }),
    remediationSteps: "Set settings: [{ name: \"containerInsights\", value: \"enhanced\" }] on the cluster.",
    validateResource: forTypes([CLUSTER], (p) => {
        const value = asList(p.settings).find((s: any) => s?.name === "containerInsights")?.value;
        return [["enabled", "enhanced"].includes(value) ? undefined : `Container Insights is ${value ?? "not configured"}`];
    }),
};

/** True when an ECS `user` runs the container as root (unset means the image's user, root by default). */
function isRootUser(user: unknown): boolean {
    if (typeof user !== "string" || user.trim() === "") return true;
    const [name] = user.split(":");
    return name === "root" || name === "0";
}

interface HardeningConfig { readOnlyRootExemptContainers: string[] }
const HARDENING_DEFAULTS: HardeningConfig = { readOnlyRootExemptContainers: [] };

export const ecsTaskHardening: PlatformPolicy = {
    name: "ecs-task-hardening",
    description:
        "Task definitions use awsvpc networking, and their containers are not privileged, run as a non-root user and have a read-only root " +
        "filesystem (unless exempted by container name).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ECS.5", "ECS.4", "ECS.1"], nist: ["CM-7", "AC-6"], soc2: ["CC6.3"], iso: ["A.8.9"] }),
    remediationSteps:
        'Use networkMode awsvpc; in each container set privileged: false, user: "<uid>:<gid>" (non-zero), readonlyRootFilesystem: true, and mount ' +
        'task volumes for the paths it writes.',
    configSchema: {
        properties: {
            readOnlyRootExemptContainers: {
                type: "array",
                items: { type: "string" },
                default: HARDENING_DEFAULTS.readOnlyRootExemptContainers,
                description: "Container names allowed a writable root filesystem",
            },
        },
    },
    validateResource: forTypes([TASK_DEFINITION], (p, args) => {
        const cfg = configOf(args, HARDENING_DEFAULTS);
        const containers = known(() => containersOf(p));
        if (containers === UNKNOWN) return []; // computed from other resources: judged at update, before the task definition is registered
        if (!containers) return ["containerDefinitions cannot be read (not a JSON list)"];
        return [
            p.networkMode !== "awsvpc" ? `networkMode is ${p.networkMode ?? "bridge (default)"}, not awsvpc` : undefined,
            ...containers.flatMap((c) => [
                c.privileged === true ? `container ${c.name} is privileged` : undefined,
                isRootUser(c.user) ? `container ${c.name} runs as root (user ${c.user ?? "unset"})` : undefined,
                c.readonlyRootFilesystem !== true && !cfg.readOnlyRootExemptContainers.includes(c.name)
                    ? `container ${c.name} has a writable root filesystem`
                    : undefined,
            ]),
        ];
    }),
};

interface EnvConfig { allowedNames: string[] }
const ENV_DEFAULTS: EnvConfig = { allowedNames: [] };

export const ecsNoSecretsInEnv: PlatformPolicy = {
    name: "ecs-no-secrets-in-env",
    description:
        "Containers receive secrets only through secrets[].valueFrom (Secrets Manager / SSM): no environment value has the shape of a credential " +
        "(access key, private key, token formats, JWT, URL with a password), whatever the variable is called.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ fsbp: ["ECS.8"], nist: ["IA-5", "SC-28"], soc2: ["CC6.1"], iso: ["A.5.17"] }),
    remediationSteps:
        "Store the value in Secrets Manager (or an SSM SecureString) and reference it under the container's `secrets` with valueFrom; rotate the " +
        "exposed value.",
    configSchema: {
        properties: {
            allowedNames: { type: "array", items: { type: "string" }, default: ENV_DEFAULTS.allowedNames,
                description: "Environment variable names whose values look like a credential but are not (e.g. a published sample JWT)" },
        },
    },
    validateResource: forTypes([TASK_DEFINITION], (p, args) => {
        const cfg = configOf(args, ENV_DEFAULTS);
        const containers = known(() => containersOf(p));
        if (containers === UNKNOWN) return []; // computed from other resources: judged at update, with the values known
        return (containers ?? []).flatMap((c) =>
            asList<any>(c.environment).map((e) => {
                const kind = credentialShape(e?.value);
                return kind && !cfg.allowedNames.includes(e.name)
                    ? `container ${c.name} environment ${e.name} holds a credential (${kind}); inject it through secrets[].valueFrom`
                    : undefined;
            }),
        );
    }),
};

export const ecsLogging: PlatformPolicy = {
    name: "ecs-logging",
    description: "Every container has a log configuration.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["ECS.9"], nist: ["AU-2", "AU-12"], soc2: ["CC7.2"], iso: ["A.8.15"] }),
    remediationSteps: "Set logConfiguration (awslogs to the family's KMS-encrypted log group) on every container.",
    validateResource: forTypes([TASK_DEFINITION], (p) => {
        const containers = known(() => containersOf(p));
        return containers === UNKNOWN
            ? []
            : (containers ?? []).map((c) => (c.logConfiguration?.logDriver ? undefined : `container ${c.name} has no logConfiguration`));
    }),
};

/** True when two inputs are the same role: equal known values, or computed from exactly the same resources. */
function sameInput(r: PolicyResource, a: string, b: string): boolean {
    // Dependencies decide first (known during preview); known values only for inputs computed from nothing.
    const da = (r.propertyDependencies[a] ?? []).map((d) => d.urn).sort();
    const db = (r.propertyDependencies[b] ?? []).map((d) => d.urn).sort();
    if (da.length > 0 || db.length > 0) return JSON.stringify(da) === JSON.stringify(db);
    const va = knownString(() => r.props[a]);
    return va !== undefined && va === knownString(() => r.props[b]);
}

export const ecsDeploySafety: PlatformPolicy = {
    name: "ecs-deploy-safety",
    description:
        "ECS services roll back failed deployments (circuit breaker with rollback), and task definitions use a task role separate from the execution role.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["AC-6", "CM-3"], soc2: ["CC6.3", "CC8.1"], iso: ["A.5.15", "A.8.32"] }),
    remediationSteps:
        "Set deploymentCircuitBreaker: { enable: true, rollback: true } on rolling-update services; give each family its own task role, distinct " +
        "from the execution role (which may read its secrets).",
    validateStack: (args, reportViolation) => {
        for (const s of args.resources.filter((r) => r.type === SERVICE)) {
            const controller = s.props.deploymentController?.type ?? "ECS";
            if (controller !== "ECS") continue;
            const cb = s.props.deploymentCircuitBreaker;
            if (cb?.enable !== true || cb?.rollback !== true) reportViolation(`service ${s.name} has no deployment circuit breaker with rollback`, s.urn);
        }
        for (const td of args.resources.filter((r) => r.type === TASK_DEFINITION)) {
            if (sameInput(td, "taskRoleArn", "executionRoleArn")) {
                reportViolation(
                    `task definition ${td.name} uses its execution role as task role (the application could read every injected secret and pull images)`,
                    td.urn,
                );
            }
        }
    },
};

/** Task CPU units or memory MiB from the forms ECS accepts (`1024`, `"1024"`, `"1 vCPU"`, `"2 GB"`). */
function units(value: unknown, unit: RegExp): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value !== "string") return undefined;
    if (/^\d+$/.test(value.trim())) return Number(value);
    const m = new RegExp(`^\\s*(\\d+(?:\\.\\d+)?)\\s*${unit.source}\\s*$`, "i").exec(value);
    return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

export const fargateValidSize: PlatformPolicy = {
    name: "fargate-valid-size",
    description: "Fargate task definitions use a CPU/memory combination Fargate accepts.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({}),
    remediationSteps:
        "Pick a valid pair from the ECS documentation (e.g. 1024 CPU with 2048-8192 MiB in 1024 steps); the program's validateFargateSize lists " +
        "the allowed values.",
    validateResource: forTypes([TASK_DEFINITION], (p) => {
        if (!asList(p.requiresCompatibilities).includes("FARGATE")) return [];
        const cpu = units(p.cpu, /vcpu/);
        const memory = units(p.memory, /gb/);
        if (cpu === undefined || memory === undefined) return [`Fargate task needs task-level cpu and memory (got ${p.cpu}, ${p.memory})`];
        return [fargateSizeProblem(cpu, memory)];
    }),
};

export const noPublicIpTasks: PlatformPolicy = {
    name: "no-public-ip-tasks",
    description: "ECS services do not assign public IP addresses to their tasks.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ECS.2"], nist: ["SC-7"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps: "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets with NAT and VPC endpoints.",
    validateResource: forTypes([SERVICE], (p) => [
        p.networkConfiguration?.assignPublicIp === true || p.networkConfiguration?.assignPublicIp === "true" ? "tasks get public IP addresses" : undefined,
    ]),
};

export const computePolicies: PlatformPolicy[] = honourExceptions([
    ecrScanOnPush,
    ecrImmutableTags,
    ecrLifecycle,
    ecsContainerInsights,
    ecsTaskHardening,
    ecsNoSecretsInEnv,
    ecsLogging,
    ecsDeploySafety,
    fargateValidSize,
    noPublicIpTasks,
]);
