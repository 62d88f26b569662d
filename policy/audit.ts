import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { PlatformPolicy, asList, configOf, isProd, known, mapped, pointingAt, present, truthy, knownString, knownItems, UNKNOWN } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { isReplica } from "./data";

const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET = "aws:s3/bucket:Bucket";
const RECORDER = "aws:cfg/recorder:Recorder";
const CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel";
const RECORDER_STATUS = "aws:cfg/recorderStatus:RecorderStatus";
const DETECTOR = "aws:guardduty/detector:Detector";
const DETECTOR_FEATURE = "aws:guardduty/detectorFeature:DetectorFeature";
const RDS = "aws:rds/instance:Instance";
const RDS_CLUSTER = "aws:rds/cluster:Cluster";
const BACKUP_PLAN = "aws:backup/plan:Plan";
const BACKUP_SELECTION = "aws:backup/selection:Selection";
const VAULT = "aws:backup/vault:Vault";
const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
/** Tag a log-shipping stream carries with the region its HTTP endpoint keeps data in (components/observability). */
const DESTINATION_REGION_TAG = "destination-region";

const ofType = (args: StackValidationArgs, type: string) => args.resources.filter((r) => r.type === type);

/** A stack that carries the account's audit baseline: it has a CloudTrail trail (the bootstrap program, for one, does not). */
function carriesBaseline(args: StackValidationArgs): boolean {
    return ofType(args, TRAIL).length > 0;
}

/** True when a trail's selectors keep management events, read and write (no selectors: CloudTrail's default, which does). */
function recordsManagementReadWrite(p: Record<string, any>): boolean {
    const basic = asList<any>(known(() => p.eventSelectors));
    const advanced = asList<any>(known(() => p.advancedEventSelectors));
    if (basic.length === 0 && advanced.length === 0) return true;
    if (basic.some((e) => e?.includeManagementEvents !== false && ["All", undefined].includes(e?.readWriteType))) return true;
    return advanced.some((a) => {
        const fields = asList<any>(a?.fieldSelectors);
        return fields.some((f) => f?.field === "eventCategory" && asList(f.equals).includes("Management")) && !fields.some((f) => f?.field === "readOnly");
    });
}

/** Bucket purposes whose objects a trail must record by default: the storage layer's `evidence` and `documents` buckets. */
const DATA_EVENT_BUCKET_PURPOSES = ["evidence", "documents"];

/** A list's items at preview: each known value, or UNKNOWN (an unknown list reads as one UNKNOWN item). */
const items = (read: () => unknown) => knownItems(read).filter((v) => v !== undefined);

/**
 * True when a trail records S3 object-level events for `bucket` (basic data resources or advanced selectors). At
 * preview the bucket's ARN is unknown: an unknown ARN value counts when the selectors were computed from this bucket
 * (a property dependency), so the policy decides before the bucket exists.
 */
function recordsObjectEvents(trail: PolicyResource, bucket: PolicyResource, bucketName: string): boolean {
    const p = trail.props;
    const dependsOn = (prop: string) => (trail.propertyDependencies[prop] ?? []).some((d) => d.urn === bucket.urn);
    const covers = (prop: string) => (v: unknown) => (v === UNKNOWN && dependsOn(prop))
        || (typeof v === "string" && (v === "arn:aws:s3" || v === "arn:aws:s3:::" || v.startsWith(`arn:aws:s3:::${bucketName}/`)));
    const basic = items(() => p.eventSelectors).flatMap((e: any) => (e === UNKNOWN ? [] : items(() => e.dataResources)))
        .some((d: any) => d !== UNKNOWN && known(() => d.type) === "AWS::S3::Object" && items(() => d.values).some(covers("eventSelectors")));
    const advanced = items(() => p.advancedEventSelectors).some((a: any) => {
        const fields = a === UNKNOWN ? [] : items(() => a.fieldSelectors).filter((f) => f !== UNKNOWN) as any[];
        const s3 = fields.some((f) => known(() => f.field) === "resources.type" && items(() => f.equals).includes("AWS::S3::Object"));
        const arns = fields.filter((f) => known(() => f.field) === "resources.ARN");
        // Pulumi names the operator `startsWiths`; `startsWith` is the CloudTrail API's spelling, read too.
        const values = (f: any) => [...items(() => f.startsWiths), ...items(() => f.startsWith), ...items(() => f.equals)];
        return s3 && (arns.length === 0 || arns.some((f) => values(f).some(covers("advancedEventSelectors"))));
    });
    return basic || advanced;
}

export const cloudtrailBaseline: PlatformPolicy = {
    name: "cloudtrail-baseline",
    description:
        "CloudTrail trails record: logging on, management events read and write, multi-region, log file validation, delivery to CloudWatch Logs, " +
        "an Object-Locked bucket when it is in the stack, and S3 object-level events for the buckets whose purpose is listed in " +
        "dataEventBucketPurposes.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({
        fsbp: ["CloudTrail.1", "CloudTrail.4", "CloudTrail.5"],
        cis: ["3.1", "3.2", "3.8", "3.9"],
        nist: ["AU-2", "AU-9", "AU-12"],
        soc2: ["CC7.2"],
        iso: ["A.8.15"],
    }),
    remediationSteps:
        "Use the AuditTrail component: enableLogging, isMultiRegionTrail, includeGlobalServiceEvents, enableLogFileValidation, " +
        "cloudWatchLogsGroupArn + role, the Object-Locked archive bucket, and event selectors that keep all management events and add " +
        "AWS::S3::Object data events for evidence buckets.",
    configSchema: {
        properties: {
            dataEventBucketPurposes: {
                type: "array",
                items: { type: "string" },
                default: DATA_EVENT_BUCKET_PURPOSES,
                description: "bucket-purpose tag values whose buckets need S3 object-level (data) events in a trail (CIS 3.8/3.9); [] turns the check off",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { dataEventBucketPurposes } = configOf(args, { dataEventBucketPurposes: DATA_EVENT_BUCKET_PURPOSES });
        const trails = ofType(args, TRAIL);
        for (const trail of trails) {
            const p = trail.props;
            // Each problem is judged on its own, so one unknown value (e.g. a new log group's ARN) hides no other problem.
            const problems = [
                known(() => p.enableLogging) === false || known(() => p.enableLogging) === "false"
                    ? "has logging switched off (enableLogging false)"
                    : undefined,
                !recordsManagementReadWrite(p) ? "does not record management events, read and write" : undefined,
                !truthy(known(() => p.isMultiRegionTrail)) ? "is not multi-region (CloudTrail.1)" : undefined,
                !truthy(known(() => p.enableLogFileValidation)) ? "does not validate log files (CloudTrail.4)" : undefined,
                !present(p, "cloudWatchLogsGroupArn") ? "does not deliver to CloudWatch Logs (CloudTrail.5)" : undefined,
                ...(trail.propertyDependencies.s3BucketName ?? []).filter((b) => b.type === BUCKET && !truthy(known(() => b.props.objectLockEnabled)))
                    .map((b) => `writes to bucket ${b.name}, which has no Object Lock`),
            ].filter(Boolean);
            for (const problem of problems) reportViolation(`trail ${trail.name} ${problem}`, trail.urn);
        }
        if (trails.length === 0) return;
        for (const bucket of ofType(args, BUCKET).filter((b) => dataEventBucketPurposes.includes(knownString(() => b.props.tags?.["bucket-purpose"]) ?? ""))) {
            const name = knownString(() => bucket.props.bucket) ?? bucket.name;
            if (!trails.some((t) => recordsObjectEvents(t, bucket, name)))
                reportViolation(
                    `no trail records S3 object-level data events for ${knownString(() => bucket.props.tags?.["bucket-purpose"])} bucket ${name}`,
                    bucket.urn,
                );
        }
    },
};

export const configRecorder: PlatformPolicy = {
    name: "config-recorder",
    description:
        "AWS Config records every supported resource type, with a delivery channel and the recorder switched on; a stack with a CloudTrail trail " +
        "(the account baseline) must have one.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ cis: ["3.3"], nist: ["CM-8", "CM-3"], soc2: ["CC7.1"], iso: ["A.8.9"] }),
    remediationSteps: "Use the ConfigRecorder component: recordingGroup.allSupported, a DeliveryChannel and a RecorderStatus with isEnabled: true.",
    validateStack: (args, reportViolation) => {
        const recorders = ofType(args, RECORDER);
        if (recorders.length === 0) {
            if (carriesBaseline(args)) reportViolation("the stack carries the audit baseline (a CloudTrail trail) but no AWS Config recorder");
            return;
        }
        for (const recorder of recorders) {
            if (!truthy(recorder.props.recordingGroup?.allSupported))
                reportViolation(`recorder ${recorder.name} does not record all supported resource types`, recorder.urn);
            const statuses = pointingAt(args.resources, RECORDER_STATUS, "name", recorder);
            if (!statuses.some((s) => truthy(s.props.isEnabled)))
                reportViolation(`recorder ${recorder.name} has no enabled RecorderStatus (it never starts)`, recorder.urn);
        }
        if (ofType(args, CHANNEL).length === 0) reportViolation("AWS Config has no delivery channel (the recorder cannot start without one)");
    },
};

/** GuardDuty protection plans the pack requires, each ENABLED. */
const REQUIRED_GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "RDS_LOGIN_EVENTS", "RUNTIME_MONITORING"];

export const guarddutyEnabled: PlatformPolicy = {
    name: "guardduty-enabled",
    description:
        "A GuardDuty detector is enabled with S3 data events, RDS login events and runtime monitoring (ECS Fargate agent managed); a stack with a " +
        "CloudTrail trail (the account baseline) must have one.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["GuardDuty.1"], nist: ["SI-4", "SI-3"], soc2: ["CC7.2", "CC6.8"], iso: ["A.8.16", "A.8.7"] }),
    remediationSteps:
        "Use the ThreatDetection component: Detector enable: true and DetectorFeature resources S3_DATA_EVENTS, RDS_LOGIN_EVENTS, " +
        "RUNTIME_MONITORING (with ECS_FARGATE_AGENT_MANAGEMENT).",
    validateStack: (args, reportViolation) => {
        const detectors = ofType(args, DETECTOR);
        if (detectors.length === 0) {
            if (carriesBaseline(args)) reportViolation("the stack carries the audit baseline (a CloudTrail trail) but no GuardDuty detector");
            return;
        }
        for (const detector of detectors) {
            if (detector.props.enable === false || detector.props.enable === "false")
                reportViolation(`detector ${detector.name} is suspended (enable: false)`, detector.urn);
            const features = pointingAt(args.resources, DETECTOR_FEATURE, "detectorId", detector).filter((f) => f.props.status === "ENABLED");
            const names = new Set(features.map((f) => f.props.name));
            const missing = REQUIRED_GUARDDUTY_FEATURES.filter((f) => !names.has(f));
            if (missing.length) reportViolation(`detector ${detector.name} lacks enabled features ${missing.join(", ")}`, detector.urn);
            const runtime = features.find((f) => f.props.name === "RUNTIME_MONITORING");
            if (
                runtime &&
                !asList(runtime.props.additionalConfigurations).some((c: any) => c.name === "ECS_FARGATE_AGENT_MANAGEMENT" && c.status === "ENABLED")
            ) {
                reportViolation(`detector ${detector.name}: runtime monitoring does not manage the ECS Fargate agent`, detector.urn);
            }
        }
    },
};

/** True when a backup selection covers `target`: by property dependency, by a known ARN, or by a tag condition. */
function selectionCovers(selection: PolicyResource, target: PolicyResource): boolean {
    if ((selection.propertyDependencies.resources ?? []).some((d) => d.urn === target.urn)) return true;
    const arns = asList(selection.props.resources).filter((a: unknown): a is string => typeof a === "string");
    const targetArns = target.type === BUCKET ? [`arn:aws:s3:::${target.props.bucket}`] : target.props.identifier ? [`:db:${target.props.identifier}`]
        : target.props.clusterIdentifier ? [`:cluster:${target.props.clusterIdentifier}`] : [];
    if (arns.some((a) => a === "*" || targetArns.some((k) => k && a.endsWith(k)))) return true;
    const tags = target.props.tags ?? {};
    return asList(selection.props.selectionTags).some((t: any) => t?.type === "STRINGEQUALS" && t.key && tags[t.key] === t.value);
}

export const backupPlanCoverage: PlatformPolicy = {
    name: "backup-plan-coverage",
    description:
        "Every RDS primary and every data bucket (bucket-purpose tag evidence, documents or backups) is selected by an AWS Backup plan; in prod " +
        "every plan copies its recovery points to the DR destination.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["RDS.26"], nist: ["CP-9", "CP-6"], soc2: ["A1.2"], iso: ["A.8.13"] }),
    remediationSteps: "Pass the resource ARNs to the audit layer's backupSelectionArns (or select by tag), and give prod plans a copyAction to the DR vault.",
    configSchema: {
        properties: {
            dataBucketPurposes: {
                type: "array",
                items: { type: "string" },
                default: ["evidence", "documents", "backups"],
                description: "bucket-purpose tag values of the data buckets a backup plan must select.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { dataBucketPurposes } = configOf(args, { dataBucketPurposes: ["evidence", "documents", "backups"] });
        const selections = ofType(args, BACKUP_SELECTION);
        const inScope = args.resources.filter(
            (r) =>
                ((r.type === RDS || r.type === RDS_CLUSTER) && !isReplica(r.props)) ||
                (r.type === BUCKET && dataBucketPurposes.includes(r.props.tags?.["bucket-purpose"])),
        );
        for (const target of inScope) {
            if (!selections.some((s) => selectionCovers(s, target)))
                reportViolation(
                    `${target.type === RDS ? "RDS instance" : target.type === RDS_CLUSTER ? "Aurora cluster" : "data bucket"} ${target.name} is ` +
                    `not selected by any AWS Backup plan`,
                    target.urn,
                );
        }
        for (const plan of ofType(args, BACKUP_PLAN).filter((p) => isProd(p.props))) {
            if (!asList(plan.props.rules).some((rule: any) => asList(rule?.copyActions).length > 0)) {
                reportViolation(`prod backup plan ${plan.name} copies no recovery point to a DR destination`, plan.urn);
            }
        }
    },
};

export const backupVaultLock: PlatformPolicy = {
    name: "backup-vault-lock",
    description:
        "Every production backup vault has a vault lock, so recovery points cannot be deleted before their minimum retention, and prod plans keep " +
        "recovery points (and copies) at least as long as the target vault's lock minimum.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["CP-9", "AU-9"], soc2: ["A1.2", "PI1.5"], iso: ["A.8.13", "A.5.33"] }),
    remediationSteps: "Give BackupProtection a vaultLock in prod (minRetentionDays = backup retention, changeableForDays >= 3).",
    validateStack: (args, reportViolation) => {
        for (const vault of ofType(args, VAULT).filter((v) => isProd(v.props))) {
            if (pointingAt(args.resources, VAULT_LOCK, "backupVaultName", vault).length === 0)
                reportViolation(`prod backup vault ${vault.name} has no vault lock`, vault.urn);
        }
        // A job whose retention is below the target vault's lock minimum fails
        // (https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html), so prod plans must keep at least that long.
        const lockMinimum = new Map<string, number>();
        for (const vault of ofType(args, VAULT)) {
            const name = knownString(() => vault.props.name);
            const mins = pointingAt(args.resources, VAULT_LOCK, "backupVaultName", vault)
                .map((l) => Number(known(() => l.props.minRetentionDays)))
                .filter((n) => n > 0);
            if (name && mins.length) lockMinimum.set(name, Math.max(...mins));
        }
        for (const plan of ofType(args, BACKUP_PLAN).filter((p) => isProd(p.props))) {
            for (const rule of knownItems(() => plan.props.rules).filter((r): r is any => !!r && r !== UNKNOWN)) {
                const target = knownString(() => rule.targetVaultName);
                const keep = Number(known(() => rule.lifecycle?.deleteAfter));
                const min = target ? lockMinimum.get(target) : undefined;
                if (min !== undefined && keep > 0 && keep < min) {
                    reportViolation(
                        `prod backup plan ${plan.name} rule ${rule.ruleName} keeps recovery points ${keep} days in vault ${target}, whose lock ` +
                        `requires at least ${min} (the backup job fails)`,
                        plan.urn,
                    );
                }
                for (const copy of asList<any>(rule.copyActions)) {
                    const dest = /backup-vault:([^:]+)$/.exec(knownString(() => copy?.destinationVaultArn) ?? "")?.[1];
                    const copyKeep = Number(known(() => copy?.lifecycle?.deleteAfter));
                    const copyMin = dest ? lockMinimum.get(dest) : undefined;
                    if (copyMin !== undefined && copyKeep > 0 && copyKeep < copyMin) {
                        reportViolation(
                            `prod backup plan ${plan.name} rule ${rule.ruleName} copies to vault ${dest} for ${copyKeep} days, whose lock requires ` +
                            `at least ${copyMin} (the copy job fails)`,
                            plan.urn,
                        );
                    }
                }
            }
        }
    },
};

/** Resource types that hold data (or copies of it) and so must stay in the residency region. */
const RESIDENT_TYPES = [
    BUCKET, "aws:s3/bucketV2:BucketV2", RDS, "aws:rds/cluster:Cluster", "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    "aws:elasticache/replicationGroup:ReplicationGroup", "aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", VAULT,
    "aws:secretsmanager/secret:Secret", "aws:dynamodb/table:Table", "aws:efs/fileSystem:FileSystem", "aws:ecr/repository:Repository",
    "aws:cloudwatch/logGroup:LogGroup", "aws:sqs/queue:Queue", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
];

/** The region in an ARN, when the ARN is known. */
function arnRegion(arn: unknown): string | undefined {
    return typeof arn === "string" && arn.startsWith("arn:") ? arn.split(":")[3] || undefined : undefined;
}

export const dataResidency: PlatformPolicy = {
    name: "data-residency",
    description: "In a stack with a residency region, every AWS provider, every stateful resource, every backup copy destination "
        + "and every Firehose HTTP endpoint (log shipping) is in that region; not applicable without one.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ soc2: ["C1.1"], iso: ["A.5.31", "A.5.34"] }),
    remediationSteps:
        "Create stateful resources only with the stack's provider, keep backup copies in-region (platform:dr.mode in-region)" +
        " and ship logs only to an in-region endpoint (platform:logShipping.destinationRegion) or not at all (platform:logShipping.enabled: false)." +
        " The region comes from the `data-residency` tag the program sets in residency stacks (prod-il), or from residencyRegion in the pack config.",
    configSchema: {
        properties: {
            residencyRegion: {
                type: "string",
                default: "",
                description: "Region nothing stateful may leave; empty: taken from the resources' data-residency tag, and not applicable without one.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const residencyRegion = configOf(args, { residencyRegion: "" }).residencyRegion
            || args.resources.map((r) => r.props.tags?.["data-residency"]).find((t): t is string => typeof t === "string" && t.length > 0);
        if (!residencyRegion) return;
        for (const provider of args.resources.filter((r) => r.type === "pulumi:providers:aws")) {
            if (provider.props.region !== residencyRegion)
                reportViolation(`AWS provider ${provider.name} targets ${provider.props.region ?? "an unset region"}, not ${residencyRegion}`, provider.urn);
        }
        for (const r of args.resources.filter((x) => RESIDENT_TYPES.includes(x.type))) {
            // aws v7 resources carry an optional `region`; when the program leaves it unset the provider fills it in
            // (unknown in a first preview), so an unset or unknown own region means the provider's region.
            const own = known(() => r.props.region);
            const region = typeof own === "string" ? own : knownString(() => r.provider?.props?.region);
            if (region !== residencyRegion)
                reportViolation(
                    `${r.type.split(":").pop()} ${r.name} is in ${region ?? "an unpinned region (default provider)"}, not ${residencyRegion}`,
                    r.urn,
                );
        }
        for (const plan of ofType(args, BACKUP_PLAN)) {
            for (const copy of asList(plan.props.rules).flatMap((rule: any) => asList(rule?.copyActions))) {
                const region = arnRegion(known(() => (copy as any).destinationVaultArn));
                if (region && region !== residencyRegion)
                    reportViolation(`backup plan ${plan.name} copies recovery points to ${region}, not ${residencyRegion}`, plan.urn);
            }
        }
        // A Firehose HTTP endpoint is a third party outside AWS: its region is only known from the declared tag.
        for (const stream of ofType(args, FIREHOSE).filter((s) => s.props.destination === "http_endpoint")) {
            const url = stream.props.httpEndpointConfiguration?.url ?? "an HTTP endpoint";
            const declared = stream.props.tags?.[DESTINATION_REGION_TAG];
            if (!declared) {
                reportViolation(
                    `Firehose stream ${stream.name} delivers to ${url} with no ${DESTINATION_REGION_TAG} tag: where the logs are kept is unknown`,
                    stream.urn,
                );
            } else if (declared !== residencyRegion) {
                reportViolation(`Firehose stream ${stream.name} delivers to ${url}, which keeps data in ${declared}, not ${residencyRegion}`, stream.urn);
            }
        }
    },
};

export const auditPolicies: PlatformPolicy[] = honourExceptions([
    cloudtrailBaseline,
    configRecorder,
    guarddutyEnabled,
    backupPlanCoverage,
    backupVaultLock,
    dataResidency,
]);
