import * as pulumi from "@pulumi/pulumi";
import { listenerRegionOf } from "../components/observability/log-destinations";
import { ALLOWED_ENVIRONMENTS, DATA_CLASSIFICATIONS } from "../standards/tags";
import { LOG_RETENTION_DAYS } from "../standards/logs";
import { UsageAssumptions, parseUsage } from "./usage-defaults";
import { offeredCacheNodeTypes, offeredRdsClasses } from "./instance-classes";
import { ConfigError, Section, isPrivateIpv4Cidr, parseIpv4Cidr, unknownKeyError } from "./validate";
import { parseEdge } from "./config-edge";
import { Topology, parseTopology, sharedRegistryUrl } from "./topology";
import { IdentityConfig, parseIdentity } from "./identity-config";
import { parseRestoreTesting } from "./config-operations";
import { ActiveOrigin, RecoveryConfig, parseActiveOrigin, parseRecovery } from "./config-recovery";
import { CloudflareAddons, CloudflarePlan, EdgeEntitlements } from "../components/edge/features";
import { BotMode, WafRollout } from "../components/edge/rules";
import { CHATBOT_API_REGIONS, CHATBOT_TOPIC_REGIONS } from "../components/notifications/chat-channel";
import { ECR_SEVERITIES, EcrSeverity } from "../components/notifications/security-signals";

/**
 * The one reader of stack config. `loadConfig()` reads Pulumi.<stack>.yaml through pulumi.Config and hands the
 * raw values to `parseConfig()`, which validates everything and returns one typed, frozen object. EU vs IL is
 * data in that object (dr, residency, identity), never a branch on the stack name elsewhere.
 */

export type Environment = "dev" | "prod";

/** AWS commercial regions this program may deploy to (opt-in regions included). */
export const AWS_REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-1", "eu-south-2",
    "il-central-1", "me-central-1", "me-south-1", "af-south-1",
    "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    "ap-southeast-3", "ap-southeast-4", "ap-east-1",
] as const;

/** Interface endpoints the network layer knows how to create (the service suffix after com.amazonaws.<region>.). */
const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs", "ssm", "ssmmessages", "ec2messages", "sts", "monitoring", "sns",
    "email-smtp"] as const;

/** The floor production may not go below; dev may. */
export const PROD_MINIMUMS = { backupDays: 35, logDays: 365, flowLogDays: 365, auditLogDays: 2557, backupLockDays: 2557, evidenceLockDays: 365 } as const;


export type TaskFamily = "api" | "apiWorkers" | "scannerWorkers" | "aiWorkers" | "keycloak";
export const TASK_FAMILIES: readonly TaskFamily[] = ["api", "apiWorkers", "scannerWorkers", "aiWorkers", "keycloak"];

export interface ServiceSize {
    enabled: boolean;
    /** Fargate task CPU units (256 = 0.25 vCPU). */
    cpu: number;
    /** Fargate task memory in MiB. */
    memory: number;
    minTasks: number;
    maxTasks: number;
    /** Fargate Spot allowed for this family (never for api). */
    spot: boolean;
    /** With `spot`: tasks kept on on-demand Fargate before the rest go to Spot (at least 1 in prod; 0 lets dev run workers on Spot only). */
    onDemandBase: number;
    /** Image tag deployed (immutable in ECR); CI sets it with `pulumi config set --path platform:services.<family>.imageTag <tag>`. */
    imageTag: string;
}

export interface PlatformConfig {
    project: string;
    stack: string;
    environment: Environment;
    isProd: boolean;
    /** Human name of the AWS account (e.g. set-prod-eu), used in names and docs. */
    accountAlias: string;
    /** The 12-digit id of the stack's AWS account; every AWS provider refuses credentials of any other account. */
    accountId: string;
    region: string;
    /** Short prefix for physical names: `<project>-<stack>` (e.g. platform-prod-eu). */
    namePrefix: string;
    /** The full required tag set, applied to every taggable resource. */
    tags: Readonly<Record<string, string>>;
    network: {
        vpcCidr: string;
        availabilityZones: number;
        natGateways: "single" | "per-az";
        interfaceEndpoints: string[];
        /** Availability zones whose compute subnets hold an interface endpoint ENI (all in prod; fewer is a dev cost lever). */
        endpointAzs: number;
    };
    /** Where disaster-recovery copies go: another region, a separate vault in this region, or nowhere. */
    dr: { mode: "cross-region" | "in-region" | "off"; region?: string };
    /** Data residency: when set, nothing stateful may leave this region. */
    residency?: { region: string };
    /**
     * Identity providers. `provider` is the default one (tenants without a residency requirement); `providers` every
     * provider the api routes to per tenant; `residencyProvider` serves tenants whose identity data must stay in the
     * residency region (Nimbus tenants in prod-il: the in-region Keycloak). stacks/identity-config.ts.
     */
    identity: IdentityConfig;
    /** Set only in a region-recovery stack (prod-eu-dr): what it recovers from (stacks/config-recovery.ts). */
    recovery?: RecoveryConfig;
    retention: { logDays: number; auditLogDays: number; flowLogDays: number; backupDays: number };
    keys: { deletionWindowDays: number; protect: boolean };
    storage: {
        evidenceLock: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
        backupLock: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
        evidenceDeepArchiveAfterDays: number;
        noncurrentVersionExpiryDays: number;
    };
    /**
     * rotationDays: days between automatic rotations of every secret a function rotates (Postgres master password,
     * Redis AUTH token, JWT signing key, Keycloak's database login and bootstrap admin password);
     * externalTokenMaxAgeDays: age limit of operator-managed tokens (WorkOS, Logz.io, Slack webhook) before their alarm fires.
     */
    secrets: { rotationDays: number; externalTokenMaxAgeDays: number };
    database: {
        instanceClass: string;
        replicaInstanceClass: string;
        multiAz: boolean;
        readReplica: boolean;
        proxy: boolean;
        allocatedStorageGb: number;
        maxAllocatedStorageGb: number;
        backupWindow: string;
        maintenanceWindow: string;
        proxyIdleTimeoutSeconds: number;
        proxyBorrowTimeoutSeconds: number;
        monitoringIntervalSeconds: number;
        deletionProtection: boolean;
    };
    redis: { nodeType: string; replicasPerShard: number; snapshotRetentionDays: number };
    services: Readonly<Record<TaskFamily, ServiceSize>>;
    /**
     * Where images come from: `create` builds the stack's own repositories, `shared` pulls from the shared-services
     * registry (platform:topology), `external` from another registry URL.
     */
    registry: { mode: "create" | "shared" | "external"; externalRegistryUrl?: string; pullAccountIds: string[] };
    /** Single-account install, or workload account of the shared-services topology (stacks/topology.ts). */
    topology: Topology;
    bastion: { enabled: boolean; instanceType: string };
    /**
     * AWS Backup restore tests (components/backup/restore-testing.ts): on in prod. schedule: AWS cron in UTC;
     * startWindowHours / validationWindowHours: 1-168; maxDaysWithoutTest: the overdue alarm's limit. Off in prod
     * only with manualReason (the hand-run weekly restore of docs/runbooks.md replaces it).
     */
    restoreTesting: { enabled: false; manualReason?: string }
        | { enabled: true; schedule: string; startWindowHours: number; validationWindowHours: number; maxDaysWithoutTest: number };
    edge: {
        domain: string;
        zoneId: string;
        /** Cloudflare account of the zone: Workers and notification policies are account resources. */
        accountId: string;
        plan: CloudflarePlan;
        /** Contract add-ons (Enterprise): the zone API cannot show them, so config states them. */
        addons: CloudflareAddons;
        /** What the stated plan and add-ons grant, feature by feature (components/edge/features.ts). */
        entitlements: EdgeEntitlements;
        botManagement: BotMode;
        blockedCountries: string[];
        /** Rate limits in requests per minute; the edge scales them to the plan's counting period (Free counts over 10 s). */
        apiRateLimitPerIp: number;
        /** Per API key (x-api-key): an ARL rule on Enterprise + ARL, the ApiKeyLimiter Worker elsewhere. */
        apiRateLimitPerKey: number;
        /** Credential attempts per visitor per minute (failed attempts where the plan counts by response code). */
        authRateLimitPerIp: number;
        /** Authenticated Origin Pulls: per-hostname uploads the project's own client certificate for the ALB hosts. */
        aop: "per-hostname" | "zone";
        /** Days before the AOP client certificate's expiry when a `pulumi up` renews it (and alarms start). */
        aopRenewalDays: number;
        /** Managed WAF rollout: log first (Enterprise), OWASP threshold and paranoia level. */
        waf: WafRollout;
        /** Logpush destination (destination_conf) for firewall events; Enterprise only. */
        logpushDestination?: string;
        /** Whose load balancer the zone serves: this stack's own (`primary`, every ordinary stack) or, in a recovery stack, `dr` after the switch. */
        activeOrigin: ActiveOrigin;
    };
    /**
     * emails: who receives alerts; runbookBaseUrl: the runbook document alarm descriptions link to (an anchor per
     * alarm is appended as `#<alarm-id>`); defaults to docs/runbooks.md of the configured GitHub repository.
     */
    alerts: {
        emails: string[];
        runbookBaseUrl: string;
        /** E.164 numbers that get critical alerts by SMS (optional). */
        smsNumbers: string[];
        /** Slack channel through AWS Chatbot (optional; the workspace is authorised once in the Chatbot console). */
        chat?: { slackTeamId: string; slackChannelId: string; apiRegion: string };
        /** On-call tool that critical alerts page (optional); its integration key is the secret `platform:onCallIntegrationKey`. */
        onCall?: { provider: "pagerduty" };
        /** Event-based security signals: lowest ECR scan severity and GuardDuty severity (1-8) that alert. */
        securitySignals: { ecrMinimumSeverity: EcrSeverity; guardDutyMinimumSeverity: number };
    };
    /**
     * Log shipping to Logz.io. `destinationRegion` is where the listener keeps data (known Logz.io hosts are checked);
     * with data residency it must be the residency region, or shipping must be off (`enabled: false`).
     */
    logShipping: { enabled: true; listenerUrl: string; destinationRegion?: string; s3Fetcher: { accountId: string; externalId: string } }
        | { enabled: false; listenerUrl?: undefined; destinationRegion?: undefined; s3Fetcher?: undefined };
    email: { mailFromSubdomain: string; sesRegion: string };
    cicd: { githubRepository: string; deployEnvironment: string };
    /**
     * Tracing of the api and worker families (`platform:tracing`, optional; on by default): each service's OpenTelemetry
     * SDK exports spans over OTLP to X-Ray (components/observability/tracing.ts). `transactionSearch`: `owner` when this
     * stack turns CloudWatch Transaction Search on for its account and region (one stack per account and region),
     * `external` when another stack or the account's owner does.
     */
    tracing: { enabled: boolean; sampleRatePercent: number; transactionSearch: TransactionSearchOwnership };
    /** BYOK tier: one customer-managed key per premium tenant (`platform:tenantKeys`, optional). */
    tenantKeys: { tenantId: string; origin: "AWS_KMS" | "EXTERNAL" }[];
    /** Usage assumptions of the offline cost estimate (`platform:usage`, optional; defaults in stacks/usage-defaults.ts). Creates nothing. */
    usage: UsageAssumptions;
    /**
     * Cost guardrails (components/cost/budget.ts): a monthly budget for the account, sized from the plan's estimate
     * plus `budgetHeadroomPercent` (test/cost-guardrails.test.ts keeps the two in step), alerts at the ACTUAL and
     * FORECASTED percentages, and where cost allocation tags are activated: `activate` in this account (it is the
     * management account or outside any organization), `management-account` (a member account: the management
     * account activates the keys listed in the `costAllocationTagKeys` output).
     */
    cost: {
        monthlyBudgetUsd: number;
        budgetHeadroomPercent: number;
        actualAlertPercents: number[];
        forecastedAlertPercent: number;
        costAllocationTags: "activate" | "management-account";
    };
    /** Operator-supplied secrets, always Pulumi secrets; never in the stack files in plain text. */
    secretValues: {
        /** Optional: without it the Cloudflare provider reads CLOUDFLARE_API_TOKEN from the environment (CI). */
        cloudflareApiToken?: pulumi.Output<string>;
        logzioShippingToken: pulumi.Output<string>;
        workosApiKey?: pulumi.Output<string>;
        slackWebhookUrl?: pulumi.Output<string>;
        /** The on-call tool's integration key (only with `platform:alerts.onCall`). */
        onCallIntegrationKey?: pulumi.Output<string>;
    };
}

/** Secret config keys (namespace `platform`), each set with `pulumi config set --secret`. */
export const SECRET_KEYS = {
    cloudflareApiToken:
        "Cloudflare API token (the permissions in the README section Cloudflare API token); optional where CLOUDFLARE_API_TOKEN is set in the " +
        "environment, as in CI",
    logzioShippingToken: "Logz.io log shipping token for the Firehose HTTP endpoint",
    workosApiKey: "WorkOS API key (stacks whose identity provider is workos)",
    slackWebhookUrl: "Slack incoming-webhook URL for Cloudflare's notification policies (optional; AWS alerts reach Slack through AWS Chatbot)",
    onCallIntegrationKey: "Integration key of the on-call tool's Amazon CloudWatch integration (PagerDuty); required with platform:alerts.onCall",
} as const;

/** Raw values as they come from the stack file: structured keys are objects, the rest strings. */
export type RawConfig = Record<string, unknown>;

/** Plain-string keys of the `platform` namespace. */
const SCALAR_KEYS = ["environment", "accountAlias", "accountId"] as const;

/** Structured (YAML mapping) keys of the `platform` namespace. */
const OBJECT_KEYS = ["tags", "network", "dr", "residency", "identity", "retention", "storage", "secrets", "database", "redis",
    "services", "registry", "bastion", "edge", "alerts", "logShipping", "email", "cicd", "usage", "tenantKeys", "tracing", "cost", "topology",
    "restoreTesting", "recovery"] as const;

/** Every key the program reads from the `platform` namespace; any other `platform:*` key is rejected as unknown. */
export const KNOWN_KEYS: readonly string[] = [...SCALAR_KEYS, ...OBJECT_KEYS, ...Object.keys(SECRET_KEYS)];

/** Sections that reject their own unknown fields (with the list of known ones) instead of the generic check. */
const SELF_CHECKED = ["platform:usage"];

/** Reads the stack's config through pulumi.Config. The only place in the program that does. */
export function loadConfig(): PlatformConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const platform = new pulumi.Config("platform");
    const raw: RawConfig = { "aws:region": new pulumi.Config("aws").get("region") };
    for (const key of SCALAR_KEYS) raw[key] = platform.get(key);
    for (const key of OBJECT_KEYS) raw[key] = readObject(platform, key);
    // Keys the program does not know are passed on too, so parseConfig can reject them ("did you mean ...?").
    for (const [qualified, value] of Object.entries(pulumi.runtime.allConfig())) {
        const key = qualified.slice("platform:".length);
        if (!qualified.startsWith("platform:") || KNOWN_KEYS.includes(key)) continue;
        raw[key] = isConfigSecret(qualified) ? "[secret]" : value;
    }
    const identity = raw.identity as { provider?: string; providers?: unknown } | undefined;
    const usesWorkos = identity?.provider === "workos" || (Array.isArray(identity?.providers) && identity.providers.includes("workos"));
    const onCall = (raw.alerts as { onCall?: unknown } | undefined)?.onCall;
    const secretValues = {
        cloudflareApiToken: platform.getSecret("cloudflareApiToken"),
        logzioShippingToken: platform.requireSecret("logzioShippingToken"),
        workosApiKey: usesWorkos ? platform.requireSecret("workosApiKey") : undefined,
        slackWebhookUrl: platform.getSecret("slackWebhookUrl"),
        onCallIntegrationKey: onCall ? platform.requireSecret("onCallIntegrationKey") : undefined,
    };
    return parseConfig(raw, { project, stack, secretValues });
}

/** True when the key was set with --secret; its value never appears in an error. Unsure (older SDK) counts as secret. */
function isConfigSecret(key: string): boolean {
    const check = (pulumi.runtime as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return check ? check(key) : true;
}

function readObject(config: pulumi.Config, key: string): unknown {
    try {
        return config.getObject<unknown>(key);
    } catch {
        throw new ConfigError(`platform:${key}`, config.get(key), "a YAML mapping (structured config)");
    }
}

type ParseContext = { project: string; stack: string; secretValues: PlatformConfig["secretValues"] };

/**
 * Validates raw stack config and returns the frozen, typed configuration. Throws ConfigError on the first bad value,
 * and on any key the program does not read (a misspelling would otherwise silently leave a default in place).
 */
export function parseConfig(raw: RawConfig, ctx: ParseContext): PlatformConfig {
    for (const [key, value] of Object.entries(raw)) {
        if (key !== "aws:region" && !KNOWN_KEYS.includes(key)) throw unknownKeyError(`platform:${key}`, value, key, KNOWN_KEYS);
    }
    const { result, sections } = Section.tracking(() => parseKnownKeys(raw, ctx));
    for (const section of sections) {
        if (section.key !== "platform" && !SELF_CHECKED.some((k) => section.key.startsWith(k))) section.rejectUnknown();
    }
    return result;
}

function parseKnownKeys(raw: RawConfig, ctx: ParseContext): PlatformConfig {
    const top = new Section("platform", raw);
    const region = raw["aws:region"];
    if (typeof region !== "string" || !(AWS_REGIONS as readonly string[]).includes(region)) {
        throw new ConfigError("aws:region", region, `an AWS region: ${AWS_REGIONS.join(", ")}`);
    }
    const environment = top.oneOf("environment", ALLOWED_ENVIRONMENTS as Environment[]);
    const isProd = environment === "prod";
    const accountAlias = top.string("accountAlias", { pattern: /^[a-z][a-z0-9-]{2,30}$/, allowed: "a lowercase account alias such as set-prod-eu" });
    // Quote it in YAML: an unquoted id is read as a number, and one with leading zeros loses them (then fails here).
    const accountIdGiven = typeof raw.accountId === "number" ? String(raw.accountId) : raw.accountId;
    const accountId = new Section("platform", { accountId: accountIdGiven }).string("accountId", {
        pattern: /^\d{12}$/,
        allowed: "the stack's 12-digit AWS account id, quoted (aws sts get-caller-identity --query Account)",
    });

    const tagsIn = Section.of("platform:tags", raw.tags);
    const residencyTag = residencyRegionOf(raw);
    const tags = Object.freeze({
        environment,
        project: ctx.project,
        service: "compliance-platform",
        owner: tagsIn.string("owner"),
        "data-classification": tagsIn.oneOf("dataClassification", DATA_CLASSIFICATIONS),
        "cost-center": tagsIn.string("costCenter", { pattern: /^cc-[0-9]{4}[a-z0-9-]*$/, allowed: "a cost centre code like cc-1100-platform" }),
        "managed-by": "pulumi",
        stack: ctx.stack,
        // Residency stacks mark every resource, so the pack's data-residency policy applies without extra config.
        ...(residencyTag ? { "data-residency": residencyTag } : {}),
    });

    const net = Section.of("platform:network", raw.network);
    const vpcCidr = net.string("vpcCidr", { allowed: "a private IPv4 CIDR from /16 to /20, e.g. 10.20.0.0/16" });
    const parsedCidr = parseIpv4Cidr(vpcCidr);
    if (!parsedCidr || parsedCidr.prefix < 16 || parsedCidr.prefix > 20 || !isPrivateIpv4Cidr(vpcCidr)) {
        throw new ConfigError("platform:network.vpcCidr", vpcCidr, "a private IPv4 CIDR from /16 to /20, e.g. 10.20.0.0/16");
    }
    const availabilityZones = net.int("availabilityZones", { min: isProd ? 3 : 2, max: 3 });
    const network = {
        vpcCidr,
        availabilityZones,
        natGateways: net.oneOf("natGateways", ["single", "per-az"] as const),
        interfaceEndpoints: net.stringList("interfaceEndpoints", { values: INTERFACE_ENDPOINTS }),
        // Cost lever: interface endpoints bill per AZ-hour; in dev one AZ's endpoint ENIs serve the other AZ across zones.
        endpointAzs: net.int("endpointAzs", { min: isProd ? availabilityZones : 1, max: availabilityZones, default: availabilityZones }),
    };
    if (isProd && network.natGateways !== "per-az")
        throw new ConfigError("platform:network.natGateways", network.natGateways, "per-az in prod (one NAT gateway per AZ)");

    const drIn = Section.of("platform:dr", raw.dr);
    const drMode = drIn.oneOf("mode", ["cross-region", "in-region", "off"] as const);
    const dr: PlatformConfig["dr"] = { mode: drMode };
    if (drMode === "cross-region") {
        dr.region = drIn.oneOf("region", AWS_REGIONS);
        if (dr.region === region) throw new ConfigError("platform:dr.region", dr.region, `a region other than the stack's own (${region})`);
    } else {
        drIn.allow("region");
    }
    if (isProd && drMode === "off") throw new ConfigError("platform:dr.mode", drMode, "cross-region or in-region in prod");

    const residencyIn = Section.of("platform:residency", raw.residency, true);
    const residency = residencyIn.has("region") ? { region: residencyIn.oneOf("region", AWS_REGIONS) } : undefined;
    if (residency && residency.region !== region) throw new ConfigError("platform:residency.region", residency.region, `the stack's own region (${region})`);
    if (residency && drMode === "cross-region")
        throw new ConfigError("platform:dr.mode", drMode, "in-region or off when platform:residency is set (data may not leave the region)");

    const identity = parseIdentity(Section.of("platform:identity", raw.identity), region, residency);

    const ret = Section.of("platform:retention", raw.retention);
    const retentionDays = (field: keyof typeof PROD_MINIMUMS & keyof PlatformConfig["retention"], logValues: boolean) => {
        const min = isProd ? PROD_MINIMUMS[field] : 1;
        const value = ret.int(field, { min, max: logValues ? 3653 : 35, allowed: logValues ? LOG_RETENTION_DAYS.filter((d) => d >= min) : undefined });
        return value;
    };
    const retention = {
        logDays: retentionDays("logDays", true),
        auditLogDays: retentionDays("auditLogDays", true),
        flowLogDays: retentionDays("flowLogDays", true),
        backupDays: retentionDays("backupDays", false),
    };

    const st = Section.of("platform:storage", raw.storage);
    const lockModes = ["GOVERNANCE", "COMPLIANCE"] as const;
    const storage = {
        evidenceLock: {
            mode: st.oneOf("evidenceLockMode", lockModes),
            days: st.int("evidenceLockDays", { min: isProd ? PROD_MINIMUMS.evidenceLockDays : 1, max: 36500 }),
        },
        backupLock: {
            mode: st.oneOf("backupLockMode", lockModes),
            days: st.int("backupLockDays", { min: isProd ? PROD_MINIMUMS.backupLockDays : 1, max: 36500 }),
        },
        evidenceDeepArchiveAfterDays: st.int("evidenceDeepArchiveAfterDays", { min: 30, max: 36500 }),
        noncurrentVersionExpiryDays: st.int("noncurrentVersionExpiryDays", { min: 1, max: 3650 }),
    };
    if (isProd && storage.evidenceLock.mode !== "COMPLIANCE")
        throw new ConfigError("platform:storage.evidenceLockMode", storage.evidenceLock.mode, "COMPLIANCE in prod");
    if (isProd && storage.backupLock.mode !== "COMPLIANCE")
        throw new ConfigError("platform:storage.backupLockMode", storage.backupLock.mode, "COMPLIANCE in prod");

    const secIn = Section.of("platform:secrets", raw.secrets);
    const secrets = {
        rotationDays: secIn.int("rotationDays", { min: 1, max: 365 }),
        externalTokenMaxAgeDays: secIn.int("externalTokenMaxAgeDays", { min: 1, max: 730, default: 180 }),
    };

    const db = Section.of("platform:database", raw.database);
    const instanceClassPattern = {
        pattern: /^db\.(t4g|m6g|m7g|m8g|r6g|r7g|r8g|x2g)\.[a-z0-9]+$/,
        allowed: "a Graviton RDS instance class such as db.r7g.large or db.t4g.medium",
    };
    const database = {
        instanceClass: db.string("instanceClass", instanceClassPattern),
        replicaInstanceClass: db.has("replicaInstanceClass")
            ? db.string("replicaInstanceClass", instanceClassPattern)
            : db.string("instanceClass", instanceClassPattern),
        multiAz: db.bool("multiAz"),
        readReplica: db.bool("readReplica"),
        proxy: db.bool("proxy"),
        allocatedStorageGb: db.int("allocatedStorageGb", { min: 20, max: 65536 }),
        maxAllocatedStorageGb: db.int("maxAllocatedStorageGb", { min: 20, max: 65536 }),
        backupWindow: db.string("backupWindow", {
            pattern: /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/,
            allowed: "hh24:mi-hh24:mi in UTC, e.g. 01:00-02:00",
        }),
        maintenanceWindow: db.string("maintenanceWindow", {
            pattern: /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/,
            allowed: "ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:03:00-sun:04:00",
        }),
        proxyIdleTimeoutSeconds: db.int("proxyIdleTimeoutSeconds", { min: 60, max: 28800 }),
        proxyBorrowTimeoutSeconds: db.int("proxyBorrowTimeoutSeconds", { min: 1, max: 3600 }),
        monitoringIntervalSeconds: db.int("monitoringIntervalSeconds", { allowed: [1, 5, 10, 15, 30, 60] }),
        deletionProtection: isProd,
    };
    // Classes the region offers for postgres (standards/aws/rds-instance-classes.json, generated from cfn-lint; see README "Preflight rules").
    for (const key of ["instanceClass", "replicaInstanceClass"] as const) {
        const offered = offeredRdsClasses(region, "postgres", instanceClassPattern.pattern);
        if (offered && !offered.includes(database[key])) {
            throw new ConfigError(`platform:database.${key}`, database[key], `an instance class offered for postgres in ${region}: ${offered.join(", ")}`);
        }
    }
    if (database.maxAllocatedStorageGb < database.allocatedStorageGb)
        throw new ConfigError(
            "platform:database.maxAllocatedStorageGb",
            database.maxAllocatedStorageGb,
            `>= allocatedStorageGb (${database.allocatedStorageGb})`,
        );
    if (isProd && !database.multiAz) throw new ConfigError("platform:database.multiAz", false, "true in prod");

    const rd = Section.of("platform:redis", raw.redis);
    const redis = {
        nodeType: rd.string("nodeType", {
            pattern: /^cache\.(t4g|m6g|m7g|r6g|r7g)\.[a-z0-9]+$/,
            allowed: "a Graviton ElastiCache node type such as cache.r7g.large",
        }),
        replicasPerShard: rd.int("replicasPerShard", { min: isProd ? 1 : 0, max: 5 }),
        snapshotRetentionDays: rd.int("snapshotRetentionDays", { min: 1, max: 35 }),
    };

    const offeredNodeTypes = offeredCacheNodeTypes(region, /^cache\.(t4g|m6g|m7g|r6g|r7g)\./);
    if (offeredNodeTypes && !offeredNodeTypes.includes(redis.nodeType)) {
        throw new ConfigError("platform:redis.nodeType", redis.nodeType, `a node type offered in ${region}: ${offeredNodeTypes.join(", ")}`);
    }

    const svc = Section.of("platform:services", raw.services);
    const services = Object.fromEntries(TASK_FAMILIES.map((family) => {
        const s = svc.section(family, family === "aiWorkers" || family === "keycloak");
        const enabled = s.bool("enabled", family !== "aiWorkers" && family !== "keycloak");
        const imageTag = s.string("imageTag", {
            pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, allowed: "a Docker image tag such as a git SHA or 1.4.2", default: "bootstrap",
        });
        s.allow("cpu", "memory", "minTasks", "maxTasks", "spot", "onDemandBase");
        if (!enabled) return [family, { enabled, cpu: 256, memory: 512, minTasks: 0, maxTasks: 0, spot: false, onDemandBase: 0, imageTag }];
        const minTasks = s.int("minTasks", { min: family === "api" && isProd ? 2 : 0, max: 100 });
        const size: ServiceSize = {
            enabled,
            cpu: s.int("cpu", { allowed: [256, 512, 1024, 2048, 4096, 8192, 16384] }),
            memory: s.int("memory", { min: 512, max: 122880 }),
            minTasks,
            maxTasks: s.int("maxTasks", { min: Math.max(1, minTasks), max: 200 }),
            spot: s.bool("spot", false),
            // Cost lever: 0 runs every worker task on Spot (dev); prod keeps one on-demand task so a Spot reclaim never stops a queue.
            onDemandBase: s.int("onDemandBase", { min: isProd ? 1 : 0, max: 100, default: 1 }),
            imageTag,
        };
        if (family === "api" && size.spot) throw new ConfigError("platform:services.api.spot", true, "false (the api family never runs on Fargate Spot)");
        return [family, Object.freeze(size)];
    })) as Record<TaskFamily, ServiceSize>;
    const keycloakListed = identity.providers.includes("keycloak");
    if (services.keycloak.enabled !== keycloakListed) {
        throw new ConfigError("platform:services.keycloak.enabled", services.keycloak.enabled,
            `${keycloakListed} (must match platform:identity: keycloak ${keycloakListed ? "is" : "is not"} one of its providers)`);
    }

    const topology = parseTopology(Section.of("platform:topology", raw.topology, true), ctx.stack);
    const reg = Section.of("platform:registry", raw.registry, true);
    // The shared topology pulls from the shared registry unless the stack says otherwise; single-account builds its own.
    const registryModes = topology.mode === "shared-services" ? ["shared", "create", "external"] as const : ["create", "external"] as const;
    const registryMode = reg.oneOf("mode", registryModes, topology.mode === "shared-services" ? "shared" : "create");
    reg.allow("externalRegistryUrl", "pullAccountIds");
    const registry = {
        mode: registryMode,
        externalRegistryUrl:
            registryMode === "external"
                ? reg.string("externalRegistryUrl", {
                      pattern: /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/,
                      allowed: "<account>.dkr.ecr.<region>.amazonaws.com",
                  })
                : registryMode === "shared" && topology.mode === "shared-services"
                  ? sharedRegistryUrl(topology)
                  : undefined,
        pullAccountIds:
            registryMode === "create"
                ? reg.stringList("pullAccountIds", { pattern: /^\d{12}$/, allowed: "a list of 12-digit AWS account ids", default: [] })
                : [],
    };

    const bas = Section.of("platform:bastion", raw.bastion);
    const bastion = {
        enabled: bas.bool("enabled"),
        instanceType: bas.string("instanceType", { pattern: /^(t4g|m7g|c7g|m6g|c6g)\.[a-z0-9]+$/, allowed: "a Graviton instance type such as t4g.nano" }),
    };

    const recovery = parseRecovery(raw.recovery, { project: ctx.project, stack: ctx.stack, region, accountId, drMode });
    const edgeIn = Section.of("platform:edge", raw.edge);
    const edge = { ...parseEdge(edgeIn, isProd), activeOrigin: parseActiveOrigin(edgeIn, recovery) };

    const al = Section.of("platform:alerts", raw.alerts);
    const alertEmails = al.stringList("emails", { pattern: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, allowed: "a list of e-mail addresses", minItems: 1 });

    const logShipping = parseLogShipping(Section.of("platform:logShipping", raw.logShipping), residency);

    const em = Section.of("platform:email", raw.email);
    const email = {
        mailFromSubdomain: em.string("mailFromSubdomain", { pattern: /^[a-z][a-z0-9-]{0,30}$/, allowed: "a host label such as mail" }),
        sesRegion: em.has("sesRegion") ? em.oneOf("sesRegion", AWS_REGIONS) : region,
    };
    if (residency && email.sesRegion !== residency.region)
        throw new ConfigError("platform:email.sesRegion", email.sesRegion, `${residency.region} (data residency)`);

    const ci = Section.of("platform:cicd", raw.cicd);
    const cicd = {
        githubRepository: ci.string("githubRepository", { pattern: /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, allowed: "owner/repository" }),
        deployEnvironment: ci.string("deployEnvironment", { pattern: /^[a-z0-9-]+$/, allowed: "a GitHub environment name" }),
    };

    const alerts = {
        emails: alertEmails,
        ...parseAlertChannels(al, region),
        runbookBaseUrl: al.has("runbookBaseUrl")
            ? al.string("runbookBaseUrl", {
                  pattern: /^https:\/\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._~/-]*)?$/,
                  allowed: "an https:// URL of the runbook document, without #anchor or query",
              })
            : `https://github.com/${cicd.githubRepository}/blob/main/docs/runbooks.md`,
    };

    return deepFreeze({
        project: ctx.project,
        stack: ctx.stack,
        environment,
        isProd,
        accountAlias,
        accountId,
        region,
        namePrefix: `${ctx.project}-${ctx.stack}`,
        tags,
        network,
        dr,
        residency,
        ...(recovery ? { recovery } : {}),
        identity,
        retention,
        keys: { deletionWindowDays: isProd ? 30 : 7, protect: isProd },
        storage,
        secrets,
        database,
        redis,
        services,
        registry,
        topology,
        bastion,
        edge,
        alerts,
        logShipping,
        email,
        cicd,
        usage: parseUsage(raw.usage),
        tenantKeys: parseTenantKeys(raw.tenantKeys),
        tracing: parseTracing(Section.of("platform:tracing", raw.tracing, true)),
        cost: parseCost(raw.cost),
        restoreTesting: parseRestoreTesting(Section.of("platform:restoreTesting", raw.restoreTesting, true), isProd),
        secretValues: ctx.secretValues,
    });
}

/**
 * `platform:logShipping`: on by default; the destination region is declared or, for a known Logz.io listener, known
 * (and a declaration that contradicts it is refused). Under data residency the destination must be in the residency
 * region, or shipping off: logs then stay in CloudWatch Logs in the region.
 */
function parseLogShipping(ls: Section, residency: { region: string } | undefined): PlatformConfig["logShipping"] {
    if (!ls.bool("enabled", true)) {
        ls.allow("s3Fetcher");
        return { enabled: false };
    }
    const listenerUrl = ls.string("listenerUrl", { pattern: /^https:\/\/[a-z0-9.-]+(:\d+)?(\/\S*)?$/, allowed: "an https:// Logz.io listener URL" });
    const known = listenerRegionOf(listenerUrl);
    const declared = ls.has("destinationRegion") ? ls.oneOf("destinationRegion", AWS_REGIONS) : undefined;
    if (known && declared && known !== declared) {
        throw new ConfigError("platform:logShipping.destinationRegion", declared, `${known}, where ${listenerUrl} keeps data (or leave it out)`);
    }
    const destinationRegion = declared ?? known;
    if (residency && destinationRegion !== residency.region) {
        throw new ConfigError("platform:logShipping.destinationRegion", destinationRegion ?? "(unknown for this listener)",
            `${residency.region} (data residency: an in-region listener), or set platform:logShipping.enabled: false`);
    }
    // Log files AWS writes only to S3 (ALB, S3 access logs) reach the SIEM through its S3 fetcher, which assumes a role.
    const fetch = ls.section("s3Fetcher");
    const s3Fetcher = {
        accountId: fetch.string("accountId", { pattern: /^\d{12}$/, allowed: "the SIEM's AWS account id shown in the Logz.io S3 connector form (12 digits)" }),
        externalId: fetch.string("externalId", {
            pattern: /^[A-Za-z0-9+=,.@:/-]{2,1224}$/,
            allowed: "the external id shown in the same form, e.g. Logzio:aws:extid:<hex>",
        }),
    };
    return { enabled: true, listenerUrl, destinationRegion, s3Fetcher };
}

/**
 * `platform:alerts` channels beyond e-mail: SMS numbers for critical alerts, the Slack channel through AWS Chatbot
 * (only where Chatbot takes SNS topics of the stack's region), and the on-call tool.
 */
function parseAlertChannels(al: Section, region: string): Pick<PlatformConfig["alerts"], "smsNumbers" | "chat" | "onCall" | "securitySignals"> {
    const smsNumbers = al.stringList("smsNumbers", {
        pattern: /^\+[1-9]\d{6,14}$/,
        allowed: "a list of E.164 phone numbers such as +491701234567",
        default: [],
    });
    let chat: PlatformConfig["alerts"]["chat"];
    if (al.has("chat")) {
        if (!(CHATBOT_TOPIC_REGIONS as readonly string[]).includes(region)) {
            throw new ConfigError(
                "platform:alerts.chat",
                `(a chat channel in ${region})`,
                `no chat channel: AWS Chatbot is not confirmed for SNS topics in ${region} (supported: ${CHATBOT_TOPIC_REGIONS.join(", ")}); ` +
                `alerts go by e-mail, SMS and on-call`,
            );
        }
        const c = al.section("chat");
        chat = {
            slackTeamId: c.string("slackTeamId", { pattern: /^T[A-Z0-9]{6,}$/, allowed: "the Slack workspace id shown in the Chatbot console (T...)" }),
            slackChannelId: c.string("slackChannelId", {
                pattern: /^[CG][A-Z0-9]{6,}$/,
                allowed: "a Slack channel id (C... or G...), from the channel's About tab",
            }),
            apiRegion: c.oneOf("apiRegion", CHATBOT_API_REGIONS, "us-east-2"),
        };
    }
    const onCall = al.has("onCall") ? { provider: al.section("onCall").oneOf("provider", ["pagerduty"] as const) } : undefined;
    const sig = al.section("securitySignals", true);
    const securitySignals = {
        ecrMinimumSeverity: sig.oneOf("ecrMinimumSeverity", ECR_SEVERITIES, "HIGH"),
        // GuardDuty severities: 1-3.9 low, 4-6.9 medium, 7-8.9 high (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html).
        guardDutyMinimumSeverity: sig.int("guardDutyMinimumSeverity", { min: 1, max: 8, default: 4 }),
    };
    return { smsNumbers, chat, onCall, securitySignals };
}

/** Who turns CloudWatch Transaction Search on for the stack's account and region: this stack, or someone else. */
export const TRANSACTION_SEARCH_OWNERSHIP = ["owner", "external"] as const;
export type TransactionSearchOwnership = (typeof TRANSACTION_SEARCH_OWNERSHIP)[number];

/**
 * `platform:tracing`: `enabled` (default true), `sampleRatePercent` of requests traced beyond 1/s (default 5),
 * `transactionSearch` (default `owner`). The X-Ray daemon sidecar is gone (X-Ray daemon support ends 2027-02-25), so
 * its `daemonImage` key is refused with what replaced it.
 */
function parseTracing(tr: Section): PlatformConfig["tracing"] {
    if (tr.has("daemonImage")) {
        throw new ConfigError("platform:tracing.daemonImage", tr.string("daemonImage"),
            "nothing: the X-Ray daemon sidecar was removed; services export spans over OTLP to X-Ray themselves (README \"Tracing\"). Delete the key");
    }
    return {
        enabled: tr.bool("enabled", true),
        sampleRatePercent: tr.int("sampleRatePercent", { min: 0, max: 100, default: 5 }),
        transactionSearch: tr.oneOf("transactionSearch", TRANSACTION_SEARCH_OWNERSHIP, "owner"),
    };
}

/** `platform:tenantKeys`: `<tenant-id>: { origin: AWS_KMS | EXTERNAL }` per premium (BYOK) tenant; none by default. */
function parseTenantKeys(raw: unknown): PlatformConfig["tenantKeys"] {
    if (raw === undefined) return [];
    const all = Section.of("platform:tenantKeys", raw);
    return Object.keys(raw as Record<string, unknown>).sort().map((tenantId) => {
        if (!/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/.test(tenantId)) {
            throw new ConfigError(`platform:tenantKeys.${tenantId}`, tenantId, "a tenant id of 3-40 lowercase letters, digits or dashes");
        }
        const t = all.section(tenantId);
        return { tenantId, origin: t.oneOf("origin", ["AWS_KMS", "EXTERNAL"] as const) };
    });
}

/** The raw residency region, read before the residency section is validated (tags are built first). */
function residencyRegionOf(raw: RawConfig): string | undefined {
    const residency = raw.residency as { region?: unknown } | undefined;
    return typeof residency?.region === "string" ? residency.region : undefined;
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !pulumi.Output.isInstance(value) && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value as object)) deepFreeze(v);
    }
    return value;
}

/** `platform:cost`: the budget limit and alerts (checked against what AWS Budgets accepts) and the tag activation mode. */
function parseCost(raw: unknown): PlatformConfig["cost"] {
    const c = Section.of("platform:cost", raw);
    const percents = (field: string, value: unknown): number[] => {
        const list = Array.isArray(value) ? value : [value];
        for (const p of list) {
            const n = typeof p === "string" ? Number(p) : p;
            if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 1000) {
                throw new ConfigError(`platform:cost.${field}`, p, "a whole percentage of the budget from 1 to 1000");
            }
        }
        return list.map(Number);
    };
    c.allow("actualAlertPercents", "forecastedAlertPercent");
    const actual = percents("actualAlertPercents", (raw as Record<string, unknown>).actualAlertPercents ?? [80, 100]);
    if (actual.length < 1 || actual.length > 9 || new Set(actual).size !== actual.length) {
        // A budget holds at most 10 notifications; one is the forecast alert.
        throw new ConfigError("platform:cost.actualAlertPercents", actual, "1 to 9 distinct percentages (a budget holds at most 10 notifications)");
    }
    const cost = {
        monthlyBudgetUsd: c.int("monthlyBudgetUsd", { min: 1, max: 10_000_000 }),
        budgetHeadroomPercent: c.int("budgetHeadroomPercent", { min: 0, max: 500 }),
        actualAlertPercents: actual,
        forecastedAlertPercent: percents("forecastedAlertPercent", (raw as Record<string, unknown>).forecastedAlertPercent ?? 100)[0],
        costAllocationTags: c.oneOf("costAllocationTags", ["activate", "management-account"] as const),
    };
    return cost;
}
