import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { PolicyStatement, Program, STACKS, T, allowing, asList, program, servicesOf } from "./program";

/**
 * Invariant: every resource that encrypts with a customer-managed key uses the key of its data class, and that key's
 * policy admits whoever uses it (the service principal that calls KMS itself, or IAM for services acting for a role).
 *
 * Breaks it (checked by hand, then reverted):
 *   stacks/platform.ts  `buildNetwork(cfg, { logsKeyArn: key("logs"), ...` -> `key("data")`  (flow logs under the data key)
 *   components/security/key-policy.ts  drop the `cloudtrail.amazonaws.com` grant of the logs key (the trail cannot encrypt)
 */

/** The data class a key use belongs to, decided from the resource type and its purpose. */
function dataClass(p: Program, r: RecordedResource, prop: string): string {
    switch (r.type) {
        case "aws:cloudwatch/logGroup:LogGroup":
        case T.trail:
        case "aws:ecs/cluster:Cluster": // ECS Exec session data and its log output
            return "logs";
        case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
            // The stream's own buffer is log data; records that fail delivery land in the (data-class) artifacts bucket.
            return prop === "serverSideEncryption" ? "logs" : "data";
        case T.secret:
            return "secrets";
        case "aws:rds/instance:Instance":
            return prop === "masterUserSecretKmsKeyId" ? "secrets" : "data";
        case T.topic:
            return "alerts";
        case "aws:backup/vault:Vault":
            // The in-region copy vault (prod-il) has its own key, so losing one key cannot take both recovery points.
            return r.name.endsWith("-copy") && p.ofType(T.alias).some((a) => String(a.inputs.name).includes("-copy/")) ? "backups-copy" : "backups";
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
        case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
        case T.deliveryChannel:
            return "backups";
        case T.sse:
            return ["backups", "backups-replica"].includes(p.purpose(p.bucketOf(r))) ? "backups" : "data";
        case "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": // the master-password rotation function
            return "secrets";
        case "aws:ssm/document:Document": // Session Manager session logs
            return "logs";
        case "aws:ecr/repository:Repository":
        case "aws:elasticache/replicationGroup:ReplicationGroup":
        case "aws:ec2/instance:Instance":
            return "data";
        default:
            throw new Error(`${r.type} ${r.name}.${prop} uses a key but has no data class here: add it to this table`);
    }
}

/** Where the key must live: the resource's region, or for replication the destination bucket's region. */
function keyRegion(p: Program, r: RecordedResource): string {
    if (r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig") {
        const destinations = asList(p.inputs(r).rules).map((rule: any) => String(rule.destination.bucket).replace("arn:aws:s3:::", ""));
        const buckets = p.ofType(T.bucket).filter((b) => destinations.includes(p.inputs(b).bucket));
        assert.equal(buckets.length, 1, `${r.name}: destination bucket ${destinations.join(", ")} is not in the program`);
        return p.regionOf(buckets[0]);
    }
    return p.regionOf(r);
}

/** The expected key of a use: its class in the primary region; in the DR region only the backups key exists. */
function expectedKey(p: Program, r: RecordedResource, prop: string): string {
    const region = keyRegion(p, r);
    return region === p.region ? dataClass(p, r, prop) : `backups@${region}`;
}

/** Key uses: every input computed from a KMS key, except grants (IAM policies) and the key's own alias. */
function keyUses(p: Program): { r: RecordedResource; prop: string; key: RecordedResource }[] {
    const grants = new Set([T.alias, T.rolePolicy, "aws:iam/policy:Policy", "aws:iam/userPolicy:UserPolicy", T.bucketPolicy]);
    return p.resources.filter((r) => !grants.has(r.type as any)).flatMap((r) =>
        Object.keys(r.propertyDependencies).flatMap((prop) => p.deps(r, prop, T.key).map((key) => ({ r, prop, key }))));
}

/** Does the key policy let `service` call every one of `actions`? */
function admitsService(statements: PolicyStatement[], service: string, actions: string[]): boolean {
    return actions.every((a) => allowing(statements, a).some((s) => servicesOf(s).includes(service)));
}

/** The service principals that call KMS themselves for a use (the rest act for an IAM principal, see below). */
function directServices(p: Program, r: RecordedResource): { service: string; actions: string[] }[] {
    const encrypt = ["kms:GenerateDataKey", "kms:Decrypt"];
    switch (r.type) {
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
        case "aws:cloudwatch/logGroup:LogGroup": return [{ service: `logs.${p.regionOf(r)}.amazonaws.com`, actions: [...encrypt, "kms:Encrypt"] }];
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        case T.trail: return [{ service: "cloudtrail.amazonaws.com", actions: ["kms:GenerateDataKey"] }];
        case T.topic: {
            // Services publishing to an encrypted topic need the data key:
            // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
            const policy = p.ofType(T.topicPolicy).find((tp) => p.deps(tp, "arn").includes(r));
            const publishers = policy ? allowing(p.statements(policy), "sns:Publish").flatMap(servicesOf) : [];
            return publishers.map((service) => ({ service, actions: encrypt }));
        }
        case T.sse: {
            const bucket = p.bucketOf(r);
            const needs: { service: string; actions: string[] }[] = [];
            // Server access logs into an SSE-KMS bucket: https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
            const isTargetOf = (type: string, prop: string) => p.ofType(type).some((w) => p.deps(w, prop).includes(bucket));
            if (isTargetOf(T.bucketLogging, "targetBucket")) needs.push({ service: "logging.s3.amazonaws.com", actions: ["kms:GenerateDataKey"] });
            // A trail with its own kmsKeyId encrypts its files with that key, not the bucket's default key.
            const defaultKeyTrails = p.ofType(T.trail).filter((t) => p.deps(t, "s3BucketName").includes(bucket) && !p.inputs(t).kmsKeyId);
            if (defaultKeyTrails.length) needs.push({ service: "cloudtrail.amazonaws.com", actions: ["kms:GenerateDataKey"] });
            return needs;
        }
        // https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
        case T.deliveryChannel: return [{ service: "config.amazonaws.com", actions: ["kms:GenerateDataKey"] }];
        default: return [];
    }
}

for (const stack of STACKS) {
    describe(`invariant (${stack}): each customer-managed key use`, () => {
        let p: Program;
        before(async () => { p = await program(stack); });

        it("uses the key of its data class (in its region)", () => {
            const uses = keyUses(p);
            assert.ok(uses.length >= 20, `only ${uses.length} key uses found`);
            const wrong = uses.filter((u) => p.keyClass(u.key) !== expectedKey(p, u.r, u.prop))
                .map((u) => `${u.r.type} ${u.r.name}.${u.prop} uses ${p.keyClass(u.key)}, expected ${expectedKey(p, u.r, u.prop)}`);
            assert.deepEqual(wrong, []);
        });

        it("is admitted by that key's policy: the calling service, or IAM through the account statement", () => {
            const refused: string[] = [];
            for (const { r, prop, key } of keyUses(p)) {
                const statements = p.statements(key);
                for (const { service, actions } of directServices(p, r)) {
                    if (!admitsService(statements, service, actions))
                        refused.push(`${key.name} does not admit ${service} (${actions.join(", ")}) for ${r.name}.${prop}`);
                }
                // Services acting for a role (RDS, Secrets Manager, ECR, EBS, Backup, Firehose) need the key policy to delegate to IAM.
                const account = p.keyArn(key).split(":")[4];
                const delegates = allowing(statements, "kms:Decrypt").some(
                    (s) => asList(s.Principal?.AWS).includes(`arn:aws:iam::${account}:root`) && !s.Condition,
                );
                if (!delegates) refused.push(`${key.name} does not delegate to IAM in account ${account} (used by ${r.name}.${prop})`);
            }
            assert.deepEqual(refused, []);
        });

        it("exists once per data class, each with an exported ARN that the users' inputs carry", () => {
            const classes = p.ofType(T.key).map((k) => p.keyClass(k));
            assert.deepEqual([...new Set(classes)].length, classes.length, `duplicate key classes: ${classes.join(", ")}`);
            for (const { r, prop, key } of keyUses(p)) {
                assert.ok(JSON.stringify(p.inputs(r)[prop]).includes(p.keyArn(key)), `${r.name}.${prop} does not carry ${key.name}'s ARN`);
            }
        });
    });
}
