import * as pulumi from "@pulumi/pulumi";
import {
    ALLOWED_ENVIRONMENTS, CLOUDFLARE_PLANS, CloudflarePlan, DATA_CLASSIFICATIONS, LOG_RETENTION_DAYS, MIN_PROD_LOG_RETENTION_DAYS, validateFargateSize,
} from "../../components";
import { ConfigError, Section, unknownKeyError } from "../../stacks/validate";

/** The task families on Fargate: the NestJS api and the Python AI service (the React SPA is served from S3 at the edge). */
export const FAMILIES = ["api", "ai"] as const;
export type Family = (typeof FAMILIES)[number];

/** Size and scaling of one task family. */
export interface ServiceConfig {
    cpu: number;
    memory: number;
    minTasks: number;
    maxTasks: number;
    /** Average CPU and memory the target-tracking policies keep the service at (scale out on either). */
    cpuTargetPercent: number;
    memoryTargetPercent: number;
    /** `spot`: one on-demand task, the rest preferably on Fargate Spot (dev). */
    capacity: "on-demand" | "spot";
}

/** The validated configuration of one stack of the example (namespace `app`). */
export interface AppConfig {
    project: string;
    /** The stack name (dev, staging, prod): names every resource. */
    stage: string;
    /** The policy class of the stack: `prod` holds it to the production bar (staging is production-like). */
    environment: "dev" | "prod";
    isProd: boolean;
    region: string;
    accountId: string;
    /** `ai-app-<stage>`: prefix of physical names. */
    namePrefix: string;
    tags: Readonly<Record<string, string>>;
    /**
     * Cloudflare in front of everything: its account and zone, the zone's plan (decides WAF and rate-limit rules),
     * the SPA host (served from the private S3 bucket by a Worker) and the api host (the ALB).
     */
    edge: {
        domain: string; zoneId: string; accountId: string; plan: CloudflarePlan; appHost: string; apiHost: string;
        blockedCountries: string[]; apiRateLimitPerIp: number;
    };
    network: { vpcCidr: string; availabilityZones: number; natGateways: "single" | "per-az" };
    /** Image tag deployed for every family (repositories are immutable: a tag always means the same image). */
    imageTag: string;
    services: Readonly<Record<Family, ServiceConfig>>;
    /** PostgreSQL (RDS) in the data subnets: size, Multi-AZ, point-in-time recovery window. */
    database: {
        instanceClass: string; allocatedStorageGb: number; maxAllocatedStorageGb: number; multiAz: boolean; backupRetentionDays: number;
        deletionProtection: boolean;
    };
    /**
     * AWS Backup of the database: daily plus continuous (PITR) recovery points, kept `retentionDays`; in production
     * a vault lock and a copy of every recovery point to a vault in `drRegion`.
     */
    backup: { retentionDays: number; drRegion?: string };
    alerts: { emails: string[]; runbookBaseUrl: string };
    logRetentionDays: number;
    tracing: { sampleRate: number; manageTransactionSearch: boolean };
    /** Keys: days before a scheduled deletion completes. */
    keyDeletionWindowDays: number;
    secretValues: { cloudflareApiToken?: pulumi.Output<string> };
}

/** Keys of the `app` namespace; anything else is rejected by name. */
export const APP_KEYS = ["environment", "accountId", "tags", "edge", "network", "imageTag", "services", "database", "alerts", "logRetentionDays",
    "tracing", "backup", "cloudflareApiToken"] as const;

const AWS_REGION = /^(us|eu|ap|ca|sa|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;

/** Reads the stack's config through pulumi.Config: the only place in the example that does. */
export function loadConfig(): AppConfig {
    const raw: Record<string, unknown> = {};
    for (const [qualified, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!qualified.startsWith("app:") || qualified === "app:cloudflareApiToken") continue;
        const key = qualified.slice("app:".length);
        // Structured values arrive as JSON; scalars stay strings (the readers accept "30" and "true").
        try { raw[key] = /^[[{]/.test(value) ? JSON.parse(value) : value; } catch { raw[key] = value; }
    }
    const token = new pulumi.Config("app").getSecret("cloudflareApiToken");
    return parseConfig(raw, {
        project: pulumi.getProject(), stage: pulumi.getStack(), region: new pulumi.Config("aws").get("region"),
        secretValues: { cloudflareApiToken: token },
    });
}

/** Validates the raw `app:*` values of a stack; throws ConfigError naming the key, the value and what is allowed. */
export function parseConfig(raw: Record<string, unknown>, ctx: ParseContext & { region?: string }): AppConfig {
    for (const [key, value] of Object.entries(raw)) {
        if (!(APP_KEYS as readonly string[]).includes(key)) throw unknownKeyError(`app:${key}`, value, key, APP_KEYS);
    }
    if (typeof ctx.region !== "string" || !AWS_REGION.test(ctx.region)) throw new ConfigError("aws:region", ctx.region, "an AWS region such as eu-central-1");
    if (!/^[a-z][a-z0-9-]{1,14}$/.test(ctx.stage)) {
        throw new ConfigError("stack name", ctx.stage, "2-15 lowercase letters, digits or hyphens (it names resources)");
    }
    const { result, sections } = Section.tracking(() => parseKnown(raw, { ...ctx, region: ctx.region! }));
    for (const section of sections) if (section.key !== "app") section.rejectUnknown();
    return result;
}

/** What the program knows besides the `app:*` values: project, stack (stage), region and the secret values. */
interface ParseContext {
    project: string;
    stage: string;
    secretValues: AppConfig["secretValues"];
}

function parseKnown(raw: Record<string, unknown>, ctx: ParseContext & { region: string }): AppConfig {
    const top = new Section("app", raw);
    const environment = top.oneOf("environment", ALLOWED_ENVIRONMENTS as ("dev" | "prod")[]);
    const isProd = environment === "prod";
    const accountId = new Section("app", { accountId: typeof raw.accountId === "number" ? String(raw.accountId) : raw.accountId })
        .string("accountId", { pattern: /^\d{12}$/, allowed: "the stack's 12-digit AWS account id, quoted" });
    const namePrefix = `ai-app-${ctx.stage}`;

    const tagsIn = Section.of("app:tags", raw.tags);
    const tags = Object.freeze({
        environment,
        project: ctx.project,
        service: "secure-ai-app",
        owner: tagsIn.string("owner"),
        "data-classification": tagsIn.oneOf("dataClassification", DATA_CLASSIFICATIONS),
        "cost-center": tagsIn.string("costCenter", { pattern: /^cc-[0-9]{4}[a-z0-9-]*$/, allowed: "a cost centre code like cc-2200-ai" }),
        "managed-by": "pulumi",
        stage: ctx.stage,
    });

    const edgeIn = Section.of("app:edge", raw.edge);
    const domain = edgeIn.string("domain", { pattern: /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/, allowed: "a lowercase DNS domain such as example.com" });
    const cloudflareId = (field: string, what: string) =>
        edgeIn.string(field, { pattern: /^[0-9a-f]{32}$/, allowed: `the Cloudflare ${what} id (32 hex characters)` });
    const edge = {
        domain, zoneId: cloudflareId("zoneId", "zone"), accountId: cloudflareId("accountId", "account"),
        plan: edgeIn.oneOf("plan", CLOUDFLARE_PLANS),
        appHost: `app.${domain}`, apiHost: `api.${domain}`,
        blockedCountries: edgeIn.stringList("blockedCountries", { pattern: /^[A-Z]{2}$/, allowed: "a list of ISO 3166 country codes (KP, IR)", default: [] }),
        apiRateLimitPerIp: edgeIn.int("apiRateLimitPerIp", { min: 10, max: 100000, default: 600 }),
    };

    const net = Section.of("app:network", raw.network);
    const network = {
        vpcCidr: net.string("vpcCidr", { pattern: /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}\/(1[6-9]|20)$/, allowed: "a private 10.x CIDR from /16 to /20" }),
        // An ALB needs subnets in at least two AZs.
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones
        availabilityZones: net.int("availabilityZones", { min: 2, max: 3 }),
        natGateways: net.oneOf("natGateways", ["single", "per-az"] as const, isProd ? "per-az" : "single"),
    };

    const imageTag = top.string("imageTag", { pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, allowed: "an image tag such as 1.4.2 or a git sha" });

    const servicesIn = Section.of("app:services", raw.services);
    const services = {} as Record<Family, ServiceConfig>;
    for (const family of FAMILIES) {
        const s = servicesIn.section(family);
        const cpu = s.int("cpu", { allowed: [256, 512, 1024, 2048, 4096, 8192, 16384] });
        const memory = s.int("memory", { min: 512, max: 122880 });
        try {
            validateFargateSize(family, cpu, memory);
        } catch (err) {
            throw new ConfigError(`app:services.${family}.memory`, memory, `a valid Fargate memory for ${cpu} CPU units (${(err as Error).message})`);
        }
        const minTasks = s.int("minTasks", { min: isProd ? 2 : 1, max: 50 });
        const maxTasks = s.int("maxTasks", { min: minTasks, max: 100 });
        services[family] = {
            cpu, memory, minTasks, maxTasks,
            cpuTargetPercent: s.int("cpuTargetPercent", { min: 20, max: 90, default: 60 }),
            memoryTargetPercent: s.int("memoryTargetPercent", { min: 20, max: 90, default: 75 }),
            capacity: s.oneOf("capacity", ["on-demand", "spot"] as const, isProd ? "on-demand" : "spot"),
        };
    }

    // Production: Multi-AZ, 35 days of point-in-time recovery, deletion protection (the pack's rds-* policies).
    const dbIn = Section.of("app:database", raw.database);
    const allocatedStorageGb = dbIn.int("allocatedStorageGb", { min: 20, max: 65536 });
    const database = {
        instanceClass: dbIn.string("instanceClass", { pattern: /^db\.(t4g|m7g|m6g|r7g|r6g)\.(micro|small|medium|large|\d*xlarge)$/,
            allowed: "a Graviton RDS class such as db.t4g.micro or db.r7g.large" }),
        allocatedStorageGb,
        maxAllocatedStorageGb: dbIn.int("maxAllocatedStorageGb", { min: allocatedStorageGb, max: 65536, default: allocatedStorageGb * 2 }),
        multiAz: isProd ? true : dbIn.bool("multiAz", false),
        backupRetentionDays: dbIn.int("backupRetentionDays", { min: isProd ? 35 : 1, max: 35, default: isProd ? 35 : 7 }),
        deletionProtection: isProd,
    };
    if (isProd) dbIn.allow("multiAz");

    const backupIn = Section.of("app:backup", raw.backup, true);
    const drRegion = backupIn.optionalString("drRegion", { pattern: AWS_REGION, allowed: "an AWS region other than the stack's, e.g. eu-west-1" });
    if (drRegion === ctx.region) throw new ConfigError("app:backup.drRegion", drRegion, "an AWS region other than the stack's own");
    if (isProd && !drRegion) throw new ConfigError("app:backup.drRegion", drRegion, "a DR region for the backup copies (required in production)");
    const backup = { retentionDays: backupIn.int("retentionDays", { min: isProd ? 35 : 1, max: 35, default: isProd ? 35 : 7 }), drRegion };

    const alertsIn = Section.of("app:alerts", raw.alerts);
    const alerts = {
        emails: alertsIn.stringList("emails", { pattern: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, allowed: "a list of e-mail addresses", minItems: 1 }),
        runbookBaseUrl: alertsIn.string("runbookBaseUrl", { pattern: /^https:\/\/\S+$/, allowed: "the https URL of the runbook document (without #anchor)" }),
    };
    if (alerts.runbookBaseUrl.includes("#")) throw new ConfigError("app:alerts.runbookBaseUrl", alerts.runbookBaseUrl, "a URL without #anchor");

    // Production log groups keep a year (the pack's log-retention-prod); dev may keep less.
    const minRetention = isProd ? MIN_PROD_LOG_RETENTION_DAYS : 1;
    const logRetentionDays = top.int("logRetentionDays", { allowed: LOG_RETENTION_DAYS.filter((d) => d >= minRetention), default: isProd ? 365 : 30 });

    const tracingIn = Section.of("app:tracing", raw.tracing, true);
    const rawRate = (raw.tracing as Record<string, unknown> | undefined)?.sampleRate;
    const sampleRate = tracingIn.has("sampleRate") ? Number(rawRate) : 0.05;
    if (!(sampleRate >= 0 && sampleRate <= 1)) throw new ConfigError("app:tracing.sampleRate", rawRate, "a number from 0 to 1");
    const tracing = { sampleRate, manageTransactionSearch: tracingIn.bool("manageTransactionSearch", true) };

    return {
        project: ctx.project, stage: ctx.stage, environment, isProd, region: ctx.region, accountId, namePrefix, tags, edge, network, imageTag,
        services, database, backup, alerts, logRetentionDays, tracing, keyDeletionWindowDays: isProd ? 30 : 7, secretValues: ctx.secretValues,
    };
}
