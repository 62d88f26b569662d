import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CONFIG_PREFIX } from "./bucket-statements";
import { CONFIG_RULE_AVAILABILITY } from "./config-rule-availability";
import { serviceTrustPolicy } from "../security/service-trust";
import { componentAccountId } from "../provider-region";

/** A managed AWS Config rule and the policy-pack check it mirrors after deploy (drift the pack cannot see). */
export interface ManagedConfigRule {
    /** The AWS managed rule identifier. */
    identifier: string;
    /** What the rule proves, in the pack's words. */
    mirrors: string;
    /** Only in production stacks (e.g. Multi-AZ, which dev does not run). */
    prodOnly?: boolean;
    /** Only in the home region (rules on global resources: IAM users, the root account). */
    global?: boolean;
}

/** The managed rules every stack runs; ids follow AWS's managed rule list. */
export const MANAGED_CONFIG_RULES: readonly ManagedConfigRule[] = [
    { identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", mirrors: "s3-sse-kms" },
    { identifier: "S3_BUCKET_PUBLIC_READ_PROHIBITED", mirrors: "s3-public-access-block" },
    { identifier: "S3_BUCKET_SSL_REQUESTS_ONLY", mirrors: "s3-tls-only" },
    { identifier: "S3_BUCKET_VERSIONING_ENABLED", mirrors: "s3-versioning" },
    { identifier: "RDS_STORAGE_ENCRYPTED", mirrors: "rds-encrypted-cmk" },
    { identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK", mirrors: "rds-not-public" },
    { identifier: "RDS_MULTI_AZ_SUPPORT", mirrors: "rds-multi-az", prodOnly: true },
    { identifier: "DB_INSTANCE_BACKUP_ENABLED", mirrors: "rds-backups" },
    { identifier: "CMK_BACKING_KEY_ROTATION_ENABLED", mirrors: "kms-rotation" },
    { identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED", mirrors: "cloudtrail-cmk" },
    { identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", mirrors: "cloudtrail-baseline" },
    { identifier: "VPC_FLOW_LOGS_ENABLED", mirrors: "vpc-flow-logs" },
    { identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED", mirrors: "default-sg-closed" },
    { identifier: "ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST", mirrors: "redis-at-rest" },
    { identifier: "ECR_PRIVATE_IMAGE_SCANNING_ENABLED", mirrors: "ecr-scan-on-push" },
    { identifier: "IAM_USER_MFA_ENABLED", mirrors: "iam-mfa", global: true },
    { identifier: "ROOT_ACCOUNT_MFA_ENABLED", mirrors: "iam-mfa (root)", global: true },
    // Without its optional CentralMonitoringAccount parameter the rule checks that this account runs a detector.
    { identifier: "GUARDDUTY_ENABLED_CENTRALIZED", mirrors: "guardduty-enabled" },
];

/** A managed rule left out in a region, and why (for the plan warning and the stack output). */
export interface SkippedConfigRule {
    identifier: string;
    reason: string;
}

/**
 * The managed rules a stack runs in `region`: prod-only rules only in prod, global rules only in the home region,
 * and never a rule AWS documents as unavailable in the region (CONFIG_RULE_AVAILABILITY); those are returned as
 * `skipped`. A rule without an availability entry is an error: every rule must have its region table.
 */
export function configRulesFor(region: string, opts: { isProd: boolean; homeRegion: boolean }): { rules: ManagedConfigRule[]; skipped: SkippedConfigRule[] } {
    const rules: ManagedConfigRule[] = [];
    const skipped: SkippedConfigRule[] = [];
    for (const rule of MANAGED_CONFIG_RULES.filter((r) => (!r.prodOnly || opts.isProd) && (!r.global || opts.homeRegion))) {
        const availability = CONFIG_RULE_AVAILABILITY[rule.identifier];
        if (!availability) throw new Error(`Config rule ${rule.identifier} has no entry in CONFIG_RULE_AVAILABILITY (config-rule-availability.ts)`);
        if (availability.unavailableIn.includes(region)) {
            skipped.push({ identifier: rule.identifier, reason: `not offered in ${region} per ${availability.source} (read ${availability.read})` });
        } else {
            rules.push(rule);
        }
    }
    return { rules, skipped };
}

/** A Config rule name from its identifier: `<prefix>-s3-bucket-versioning-enabled` (Config allows 128 characters). */
export function configRuleName(namePrefix: string, identifier: string): string {
    return `${namePrefix}-${identifier.toLowerCase().replace(/_/g, "-")}`;
}

/** The arguments of ConfigRecorder: what the caller decides about AWS Config. */
export interface ConfigRecorderArgs {
    /** Physical name prefix of the recorder, channel, role and rules, e.g. `platform-prod-eu`. */
    readonly namePrefix: string;
    /** This stack's region is the account's home region: record global resource types (IAM) here and only here. */
    readonly homeRegion: boolean;
    /** Production: adds the prod-only rules (Multi-AZ). */
    readonly isProd: boolean;
    /** The account whose recorder assumes the role (its trust's `aws:SourceAccount`). Default: the provider's. */
    readonly accountId?: pulumi.Input<string>;
    /** The recorder's region: managed rules AWS does not offer there are skipped with a warning. */
    readonly region: string;
    /** Archive bucket that receives snapshots and history; its policy must carry `configBucketStatements`. */
    readonly archiveBucketName: pulumi.Input<string>;
    /**
     * The archive bucket's policy resource: Config checks delivery to the bucket when the channel is created
     * (InsufficientDeliveryPolicyException), so the channel is created after it.
     * https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html (Errors; read 2026-12-03)
     */
    readonly archiveBucketPolicy?: pulumi.Resource;
    /** ARN of the archive bucket (scopes the role's write grant). */
    readonly archiveBucketArn: pulumi.Input<string>;
    /** Key that encrypts delivered objects (the backups key, the archive bucket's default; it grants config.amazonaws.com). */
    readonly deliveryKmsKeyArn: pulumi.Input<string>;
}

/**
 * AWS Config for the account: a recorder of every supported resource type (global types only in the home region, so
 * IAM is not recorded twice), a delivery channel to the archive bucket, the recorder switched on after the channel
 * exists (Config refuses to start without one), and managed rules mirroring the pack's key checks so drift after
 * deploy is caught. Every rule waits for the recorder.
 */
export class ConfigRecorder extends pulumi.ComponentResource {
    public readonly recorderName: pulumi.Output<string>;
    public readonly ruleNames: pulumi.Output<string>[];
    /** Managed rules left out because the region lacks them, as `IDENTIFIER: reason`. */
    public readonly skippedRules: string[];

    constructor(name: string, args: ConfigRecorderArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:audit:ConfigRecorder", name, {}, opts);
        const child = { parent: this };
        const role = new aws.iam.Role(`${name}-role`, {
            name: `${args.namePrefix}-config`,
            description: "AWS Config records resource configuration and delivers it to the archive bucket",
            // Config assumes the role only for this account's recorder (confused deputy):
            // https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html#iam-trust-policy
            assumeRolePolicy: serviceTrustPolicy("config.amazonaws.com", { StringEquals: { "aws:SourceAccount": componentAccountId(this, args.accountId) } }),
            maxSessionDuration: 3600,
        }, child);
        const managed = new aws.iam.RolePolicyAttachment(`${name}-role-managed`, {
            role: role.name,
            policyArn: "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole",
        }, child);
        // With a customer role (not the service-linked one) Config delivers as the role: it needs the bucket and key too.
        const delivery = new aws.iam.RolePolicy(`${name}-role-delivery`, {
            role: role.name,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: args.archiveBucketArn },
                    { Effect: "Allow", Action: "s3:PutObject", Resource: pulumi.interpolate`${args.archiveBucketArn}/${CONFIG_PREFIX}/*`,
                      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } },
                    { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: args.deliveryKmsKeyArn },
                ],
            }),
        }, child);

        const recorder = new aws.cfg.Recorder(name, {
            name: `${args.namePrefix}-recorder`,
            roleArn: role.arn,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: args.homeRegion },
        }, { ...child, dependsOn: [managed] });
        const channel = new aws.cfg.DeliveryChannel(`${name}-channel`, {
            name: `${args.namePrefix}-channel`,
            s3BucketName: args.archiveBucketName,
            s3KeyPrefix: CONFIG_PREFIX,
            s3KmsKeyArn: args.deliveryKmsKeyArn,
            snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
        }, { ...child, dependsOn: [recorder, delivery, ...(args.archiveBucketPolicy ? [args.archiveBucketPolicy] : [])] });
        const status = new aws.cfg.RecorderStatus(`${name}-status`, {
            name: recorder.name,
            isEnabled: true,
        }, { ...child, dependsOn: [channel] });

        const { rules: offered, skipped } = configRulesFor(args.region, { isProd: args.isProd, homeRegion: args.homeRegion });
        for (const s of skipped) pulumi.log.warn(`AWS Config rule ${s.identifier} skipped: ${s.reason}`, this);
        const rules = offered.map((r) => new aws.cfg.Rule(`${name}-${r.identifier.toLowerCase().replace(/_/g, "-")}`, {
                name: configRuleName(args.namePrefix, r.identifier),
                description: `Managed rule ${r.identifier}; mirrors the policy pack's ${r.mirrors} check after deploy`,
                source: { owner: "AWS", sourceIdentifier: r.identifier },
            }, { ...child, dependsOn: [recorder, status] }));

        this.recorderName = recorder.name;
        this.ruleNames = rules.map((r) => r.name);
        this.skippedRules = skipped.map((s) => `${s.identifier}: ${s.reason}`);
        this.registerOutputs({ recorderName: this.recorderName, ruleNames: this.ruleNames, skippedRules: this.skippedRules });
    }
}
