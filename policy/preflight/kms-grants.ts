import { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { asList, statements } from "../lib/kit";
import { PreflightPolicy, ofTypes, referenced, regionOf, whenKnown } from "./kit";
import { conditionKeys, conditionValues, coversAction, glob, identityAllows, policiesOfRole, serviceStatements } from "./statements";

const KEY = ["aws:kms/key:Key"];
const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const SSE = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

/** True when the key policy lets `service` call `action`; `noEncryptionContext` requires a statement without such a condition. */
function keyAllows(key: PolicyResource, service: string, action: string, noEncryptionContext = false): boolean {
    return serviceStatements(key.props.policy, service).some((s) => coversAction(s, action)
        && (!noEncryptionContext || !conditionKeys(s).some((k) => k.startsWith("kms:encryptioncontext"))));
}

/** What is missing for `service` to use `key` with `actions`; empty when the key policy admits it. */
function missing(key: PolicyResource, service: string, actions: string[], noEncryptionContext = false): string[] {
    return actions.filter((a) => !keyAllows(key, service, a, noEncryptionContext));
}

/** CloudWatch Logs: logs.<region>.amazonaws.com with the documented actions; an encryption-context condition must admit the group. */
function logGroupProblems(group: PolicyResource, key: PolicyResource, region: string): string[] {
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    const service = `logs.${region}.amazonaws.com`;
    const lacking = missing(key, service, ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey"]);
    if (lacking.length) return [`log group ${group.name} is encrypted with ${key.name}, whose policy does not let ${service} call ${lacking.join(", ")}`];
    const name = group.props.name;
    if (typeof name !== "string") return [];
    const patterns = serviceStatements(key.props.policy, service).flatMap((s) => conditionValues(s, "kms:EncryptionContext:aws:logs:arn"));
    const admits = patterns.length === 0 || patterns.some((p) => {
        const parts = p.split(":");
        return glob(parts[3] ?? "*").test(region) && glob(parts.slice(6).join(":") || "*").test(name);
    });
    return admits ? [] : [`log group ${group.name} (${name}) is not admitted by ${key.name}'s kms:EncryptionContext:aws:logs:arn condition ` +
        `(${patterns.join(", ")})`];
}

/** CloudTrail: GenerateDataKey*, DescribeKey without an encryption-context condition, and Decrypt for a Bucket-Key bucket. */
function trailProblems(trail: PolicyResource, key: PolicyResource, resources: PolicyResource[]): string[] {
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    const service = "cloudtrail.amazonaws.com";
    const problems: string[] = [];
    if (!keyAllows(key, service, "kms:GenerateDataKey")) problems.push(`trail ${trail.name}: ${key.name} does not let ${service} call kms:GenerateDataKey*`);
    if (!keyAllows(key, service, "kms:DescribeKey", true)) {
        problems.push(`trail ${trail.name}: ${key.name} has no kms:DescribeKey statement for ${service} without an encryption-context condition ` +
            `(DescribeKey carries no encryption context, so CreateTrail fails)`);
    }
    const buckets = referenced(trail, "s3BucketName", resources, BUCKETS, ["bucket"]);
    const forBucket = (c: PolicyResource) => buckets.some((b) =>
        // Stryker disable next-line ArrayDeclaration: equivalent: a string placed in the empty fallback has no urn, so it matches nothing either
        (c.propertyDependencies.bucket ?? []).some((d) => d.urn === b.urn) || c.props.bucket === b.props.bucket);
    const bucketKey = ofTypes(resources, SSE).some((c) => forBucket(c)
        && asList<any>(c.props.rules).some((r) => r?.bucketKeyEnabled === true || r?.bucketKeyEnabled === "true"));
    if (bucketKey && !keyAllows(key, service, "kms:Decrypt")) {
        problems.push(`trail ${trail.name} writes to a bucket with an S3 Bucket Key, so ${key.name} must let ${service} call kms:Decrypt`);
    }
    return problems;
}

/** The service principals that publish to `topic` in this graph, with the resource that makes them. */
function topicPublishers(topic: PolicyResource, resources: PolicyResource[]): [string, PolicyResource][] {
    const name = topic.props.name;
    // Stryker disable next-line ArrayDeclaration: equivalent: a string placed in the empty fallback has no urn, so it matches nothing either
    const isTopic = (r: PolicyResource, prop: string, values: unknown[]) => (r.propertyDependencies[prop] ?? []).some((d) => d.urn === topic.urn)
        || (typeof name === "string" && values.some((v) => typeof v === "string" && v.endsWith(`:${name}`)));
    const out: [string, PolicyResource][] = [];
    for (const r of resources) {
        if (r.type === "aws:cloudwatch/metricAlarm:MetricAlarm") {
            const hit = ["alarmActions", "okActions", "insufficientDataActions"].some((p) => isTopic(r, p, asList(r.props[p])));
            if (hit) out.push(["cloudwatch.amazonaws.com", r]);
        } else if (r.type === "aws:cloudwatch/eventTarget:EventTarget" && isTopic(r, "arn", [r.props.arn])) {
            out.push(["events.amazonaws.com", r]);
        } else if (r.type === "aws:backup/vaultNotifications:VaultNotifications" && isTopic(r, "snsTopicArn", [r.props.snsTopicArn])) {
            out.push(["backup.amazonaws.com", r]);
        } else if (r.type === "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination"
            && isTopic(r, "eventDestination", [r.props.eventDestination?.snsDestination?.topicArn])) {
            out.push(["ses.amazonaws.com", r]);
        }
    }
    return out;
}

/** The CMKs that encrypt the objects of `bucket`: its default encryption key and the keys of services writing into it. */
function objectKeys(bucket: PolicyResource, resources: PolicyResource[]): [PolicyResource, string][] {
    const intoBucket = (r: PolicyResource, prop: string) => referenced(r, prop, resources, BUCKETS, ["bucket"]).some((b) => b.urn === bucket.urn);
    const out: [PolicyResource, string][] = [];
    for (const c of ofTypes(resources, SSE).filter((x) => intoBucket(x, "bucket"))) {
        for (const k of referenced(c, "rule", resources, KEY).concat(referenced(c, "rules", resources, KEY))) out.push([k, `default encryption of ` +
            `${bucket.name}`]);
    }
    for (const t of ofTypes(resources, ["aws:cloudtrail/trail:Trail"]).filter((x) => intoBucket(x, "s3BucketName"))) {
        for (const k of referenced(t, "kmsKeyId", resources, KEY)) out.push([k, `trail ${t.name}`]);
    }
    for (const d of ofTypes(resources, ["aws:cfg/deliveryChannel:DeliveryChannel"]).filter((x) => intoBucket(x, "s3BucketName"))) {
        for (const k of referenced(d, "s3KmsKeyArn", resources, KEY)) out.push([k, `config delivery channel ${d.name}`]);
    }
    return out;
}

/** True when one of the role's identity policies grants `action` on `key` (known ARN, "*", or computed from the key). */
function roleMayUseKey(role: PolicyResource, key: PolicyResource, action: string, resources: PolicyResource[]): boolean {
    // Stryker disable next-line ArrayDeclaration: equivalent: a string placed in the empty fallback has no urn, so it matches nothing either
    return policiesOfRole(role, resources).some((p) => (p.propertyDependencies.policy ?? []).some((d) => d.urn === key.urn)
        ? identityAllows(p.props.policy, action, () => true) || typeof p.props.policy !== "string"
        : identityAllows(p.props.policy, action, (r) => r === "*" || (typeof key.props.arn === "string" && glob(r).test(key.props.arn))
            || (typeof key.props.keyId === "string" && r.endsWith(key.props.keyId))));
}

function checkReplication(args: StackValidationArgs, report: ReportViolation): void {
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
    for (const rc of ofTypes(args.resources, ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"])) {
        // Stryker disable next-line ArrayDeclaration: equivalent: a string in the fallback has no sourceSelectionCriteria, so the filter drops it
        const kmsRules = whenKnown(() => asList<any>(rc.props.rules), [])
            .filter((r) => r?.sourceSelectionCriteria?.sseKmsEncryptedObjects?.status === "Enabled");
        if (!kmsRules.length) continue;
        const roles = referenced(rc, "role", args.resources, ["aws:iam/role:Role"], ["arn", "name"]);
        for (const bucket of referenced(rc, "bucket", args.resources, BUCKETS, ["bucket"])) {
            // Stryker disable next-line ArrayDeclaration: unreachable fallback: objectKeys reads every input through referenced(), which never throws
            for (const [key, writer] of whenKnown(() => objectKeys(bucket, args.resources), [])) {
                for (const role of roles.filter((r) => !whenKnown(() => roleMayUseKey(r, key, "kms:Decrypt", args.resources), true))) {
                    report(`${rc.name}: replication role ${role.name} may not kms:Decrypt with ${key.name} (used by ${writer}); those objects fail ` +
                        `replication`, rc.urn);
                }
            }
        }
    }
}

/** True when an ARN pattern names the secret `name` (Secrets Manager appends a 6-character suffix to the name). */
function namesSecret(pattern: string, name: string): boolean {
    const parts = pattern.split(":");
    return parts[2] === "secretsmanager" && parts[5] === "secret" && glob(parts.slice(6).join(":")).test(`${name}-AbCdEf`);
}

function checkSecretReaders(args: StackValidationArgs, report: ReportViolation): void {
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
    const roles = ofTypes(args.resources, ["aws:iam/role:Role"]);
    for (const secret of ofTypes(args.resources, ["aws:secretsmanager/secret:Secret"])) {
        const keys = referenced(secret, "kmsKeyId", args.resources, KEY);
        // Stryker disable next-line ConditionalExpression: equivalent: with no key the inner loop is empty; the skip only saves the role scan
        if (!keys.length) continue;
        const name = whenKnown(() => secret.props.name, undefined);
        for (const role of roles) {
            const reads = whenKnown(() => policiesOfRole(role, args.resources).some((p) => identityAllows(p.props.policy, "secretsmanager:GetSecretValue",
                (r) => r !== "*" && ((typeof name === "string" && namesSecret(r, name))
                    // Stryker disable next-line ArrayDeclaration: equivalent: a string placed in the empty fallback has no urn, so it matches nothing either
                    || (p.propertyDependencies.policy ?? []).some((d) => d.urn === secret.urn)))), false);
            if (!reads) continue;
            for (const key of keys) {
                const byKeyPolicy = whenKnown(() => statements(key.props.policy)
                    .some((s) => asList<string>(s.Principal?.AWS).some((a) => a === role.props.arn) && coversAction(s, "kms:Decrypt")), true);
                if (!byKeyPolicy && !whenKnown(() => roleMayUseKey(role, key, "kms:Decrypt", args.resources), true)) {
                    report(`role ${role.name} reads secret ${secret.name} but may not kms:Decrypt with its key ${key.name}; GetSecretValue fails`, role.urn);
                }
            }
        }
    }
}

export const preflightKmsServiceGrants: PreflightPolicy = {
    name: "preflight-kms-service-grants",
    description: "Every CMK's policy admits each service the graph makes use it, with the actions and conditions that service documents: " +
        "CloudWatch Logs (logs.<region> + log-group encryption context), CloudTrail (GenerateDataKey*, DescribeKey without encryption context, " +
        "Decrypt with Bucket Keys), publishers to an encrypted SNS topic (CloudWatch, EventBridge, Backup, SES); and roles that replicate KMS " +
        "objects or read encrypted secrets may decrypt with the key.",
    enforcementLevel: "mandatory", severity: "critical",
    mappings: {}, // deploy validity: no compliance control
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
    remediationSteps: "Add the service's documented statement to the key policy (KeyRing serviceGrants), or grant the role kms:Decrypt on the key; " +
        "the message names the service, the key and the missing action.",
    validateStack: (args, reportViolation) => {
        for (const group of ofTypes(args.resources, ["aws:cloudwatch/logGroup:LogGroup"])) {
            const region = regionOf(group, args.resources);
            for (const key of referenced(group, "kmsKeyId", args.resources, KEY)) {
                for (const p of region ? whenKnown(() => logGroupProblems(group, key, region), []) : []) reportViolation(p, group.urn);
            }
        }
        for (const trail of ofTypes(args.resources, ["aws:cloudtrail/trail:Trail"])) {
            for (const key of referenced(trail, "kmsKeyId", args.resources, KEY)) {
                for (const p of whenKnown(() => trailProblems(trail, key, args.resources), [])) reportViolation(p, key.urn);
            }
        }
        // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
        for (const topic of ofTypes(args.resources, ["aws:sns/topic:Topic"])) {
            for (const key of referenced(topic, "kmsMasterKeyId", args.resources, KEY)) {
                const seen = new Set<string>();
                for (const [service, publisher] of whenKnown(() => topicPublishers(topic, args.resources), [])) {
                    const lacking = whenKnown(() => missing(key, service, ["kms:GenerateDataKey", "kms:Decrypt"]), []);
                    if (!lacking.length || seen.has(service)) continue;
                    seen.add(service);
                    reportViolation(`topic ${topic.name} is encrypted with ${key.name}, but ${service} (publisher: ${publisher.name}) may not call ` +
                        `${lacking.join(", ")}; its messages are dropped`, key.urn);
                }
            }
        }
        checkReplication(args, reportViolation);
        checkSecretReaders(args, reportViolation);
    },
};
