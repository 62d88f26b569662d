import { strict as assert } from "assert";
import { stackRecord } from "../../offline/testing";
import { mockAccountId } from "../../offline/mock-cloud";
import { RecordedResource } from "../../offline/engine";
import { MANAGED_CONFIG_RULES, CONFIG_RULE_AVAILABILITY, configRulesFor } from "../../components";

/**
 * Issue 14 (audit, keys, IAM, network side): properties of the rendered plans that AWS checks at `pulumi up` or at
 * run time and the mocked runtime cannot: key-policy statements, create-time ordering, replication keys, IAM bounds.
 */

const REGION: Record<string, string> = { dev: "eu-central-1", "prod-eu": "eu-central-1", "prod-il": "il-central-1" };
const BROAD = ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];

const statementsOf = (doc: string): any[] => JSON.parse(doc).Statement;
const list = (v: unknown): any[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const byService = (statements: any[], service: string) => statements.filter((s) => list(s.Principal?.Service).includes(service));

async function trailArnOf(stack: string): Promise<string> {
    const rec = await stackRecord(stack);
    const trail = rec.inputsOf(rec.one("aws:cloudtrail/trail:Trail", "audit-trail"));
    return `arn:aws:cloudtrail:${REGION[stack]}:${mockAccountId(stack)}:trail/${trail.name}`;
}

for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`stack ${stack}: audit, keys and IAM deployability (issue 14)`, () => {
        it("the logs key admits CloudTrail exactly as CloudTrail documents it, for this trail only", async () => {
            const rec = await stackRecord(stack);
            const trail = rec.inputsOf(rec.one("aws:cloudtrail/trail:Trail", "audit-trail"));
            const logsKey = rec.one("aws:kms/key:Key", "keys-logs");
            assert.ok(trail.kmsKeyId.includes("key/"), "the trail is encrypted with a CMK");
            const trailArn = await trailArnOf(stack);
            const ct = byService(statementsOf(rec.inputsOf(logsKey).policy), "cloudtrail.amazonaws.com");
            const withAction = (a: string) => ct.filter((s) => list(s.Action).includes(a));

            const encrypt = withAction("kms:GenerateDataKey*");
            assert.equal(encrypt.length, 1);
            assert.equal(encrypt[0].Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"], `arn:aws:cloudtrail:*:${mockAccountId(stack)}:trail/*`);
            assert.equal(encrypt[0].Condition.StringEquals["aws:SourceArn"], trailArn);

            const describe = withAction("kms:DescribeKey");
            assert.equal(describe.length, 1);
            assert.deepEqual(list(describe[0].Action), ["kms:DescribeKey"], "DescribeKey stands alone (it carries no encryption context)");
            assert.deepEqual(describe[0].Condition, { StringEquals: { "aws:SourceArn": trailArn } });

            // The archive bucket uses S3 Bucket Keys: CloudTrail needs kms:Decrypt to create or update the trail.
            const decrypt = withAction("kms:Decrypt");
            assert.equal(decrypt.length, 1);
            assert.deepEqual(decrypt[0].Condition, { StringEquals: { "aws:SourceArn": trailArn } });
        });

        it("the backups key grants CloudTrail nothing (the trail does not use it)", async () => {
            const rec = await stackRecord(stack);
            const backupsKey = rec.one("aws:kms/key:Key", "keys-backups");
            assert.deepEqual(byService(statementsOf(rec.inputsOf(backupsKey).policy), "cloudtrail.amazonaws.com"), []);
        });

        it("the trail, the Config delivery channel and the ALB wait for their bucket's policy (checked at create time)", async () => {
            const rec = await stackRecord(stack);
            const waitsFor = (r: RecordedResource, policy: RecordedResource) =>
                assert.ok(r.dependencies.includes(policy.urn), `${r.name} does not depend on ${policy.name}`);
            const backupsPolicy = rec.one("aws:s3/bucketPolicy:BucketPolicy", "backups-policy");
            waitsFor(rec.one("aws:cloudtrail/trail:Trail", "audit-trail"), backupsPolicy);
            waitsFor(rec.one("aws:cfg/deliveryChannel:DeliveryChannel", "config-channel"), backupsPolicy);
            waitsFor(rec.one("aws:lb/loadBalancer:LoadBalancer", "origin"), rec.one("aws:s3/bucketPolicy:BucketPolicy", "alb-logs-policy"));
        });

        it("creates only Config managed rules documented as available in the stack's region", async () => {
            const rec = await stackRecord(stack);
            const created = rec.ofType("aws:cfg/rule:Rule").map((r) => rec.inputsOf(r).source.sourceIdentifier);
            for (const id of created) {
                assert.ok(!CONFIG_RULE_AVAILABILITY[id].unavailableIn.includes(REGION[stack]), `${id} is documented unavailable in ${REGION[stack]}`);
            }
            const skipped: string[] = rec.outputs.configRulesSkipped;
            assert.ok(Array.isArray(skipped), "configRulesSkipped is a stack output");
            if (stack === "prod-il") {
                assert.ok(!created.includes("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"));
                assert.ok(skipped.some((s) => s.includes("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST")), "the skip is visible in the plan");
            } else {
                assert.ok(created.includes("ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"));
                assert.deepEqual(skipped, []);
            }
        });

        it("bounds every role the deploy role may manage with the stack's permissions boundary", async () => {
            const rec = await stackRecord(stack);
            const boundary = rec.one("aws:iam/policy:Policy", "role-boundary");
            const boundaryArn = `arn:aws:iam::${mockAccountId(stack)}:policy/${rec.inputsOf(boundary).name}`;
            const identityRoles = [`platform-${stack}-github-deploy`, `platform-${stack}-github-preview`, `platform-${stack}-break-glass`];
            for (const role of rec.ofType("aws:iam/role:Role")) {
                const inputs = rec.inputsOf(role);
                if (identityRoles.includes(inputs.name)) continue;
                assert.equal(inputs.permissionsBoundary, boundaryArn, `role ${inputs.name} has no permissions boundary`);
            }
            // The boundary itself denies IAM writes (no role it bounds can grant itself more).
            const deny = statementsOf(rec.inputsOf(boundary).policy).filter((s) => s.Effect === "Deny");
            assert.ok(deny.some((s) => ["iam:Put*", "iam:Attach*", "iam:Create*"].every((a) => list(s.Action).includes(a))), "the boundary denies IAM writes");
        });

        it("the deploy role cannot escalate: boundary required, identity roles untouchable, broad policies never attached", async () => {
            const rec = await stackRecord(stack);
            const account = mockAccountId(stack);
            const doc = statementsOf(rec.inputsOf(rec.one("aws:iam/policy:Policy", "github-deploy-iam")).policy);
            const boundaryName = rec.inputsOf(rec.one("aws:iam/policy:Policy", "role-boundary")).name;
            const boundaryArn = `arn:aws:iam::${account}:policy/${boundaryName}`;
            const allows = (action: string) => doc.filter((s) => s.Effect === "Allow" && list(s.Action).includes(action));
            for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"]) {
                assert.ok(allows(action).length > 0, `${action} is allowed somewhere`);
                for (const s of allows(action))
                    assert.equal(s.Condition?.StringEquals?.["iam:PermissionsBoundary"], boundaryArn, `${action} without the boundary condition`);
            }
            const denies = doc.filter((s) => s.Effect === "Deny");
            const identityDeny = denies.find((s) => list(s.Action).includes("iam:PutRolePolicy") && list(s.Action).includes("iam:UpdateAssumeRolePolicy"));
            assert.ok(identityDeny, "IAM writes on the identity roles are denied");
            for (const role of [`platform-${stack}-github-deploy`, `platform-${stack}-github-preview`, `platform-${stack}-break-glass`]) {
                assert.ok(list(identityDeny.Resource).includes(`arn:aws:iam::${account}:role/${role}`), role);
            }
            assert.ok(
                denies.some((s) => list(s.Action).includes("iam:DeleteRolePermissionsBoundary")),
                "the boundary cannot be removed",
            );
            assert.ok(
                denies.some((s) => list(s.Action).includes("iam:CreatePolicyVersion") && list(s.Resource).includes(boundaryArn)),
                "the boundary cannot be edited",
            );
            const broad = denies.filter((s) => list(s.Action).includes("iam:AttachRolePolicy"));
            const denied = broad.flatMap((s) => list(s.Condition?.ArnLike?.["iam:PolicyARN"]));
            // IAMFullAccess is also covered by the *FullAccess pattern.
            const covered = (arn: string) => denied.includes(arn) || (arn.endsWith("FullAccess") && denied.includes("arn:aws:iam::aws:policy/*FullAccess"));
            for (const arn of [...BROAD, "arn:aws:iam::aws:policy/*FullAccess"]) assert.ok(covered(arn), arn);
        });

        it("manages the human groups under their /humans/ path, and MFA self-service matches users with a path", async () => {
            const rec = await stackRecord(stack);
            const account = mockAccountId(stack);
            const doc = statementsOf(rec.inputsOf(rec.one("aws:iam/policy:Policy", "github-deploy-iam")).policy);
            const groups = doc.find((s) => s.Sid === "ManageStackGroups");
            for (const g of rec.ofType("aws:iam/group:Group")) {
                const { path, name } = rec.inputsOf(g);
                const arn = `arn:aws:iam::${account}:group${path}${name}`;
                assert.ok(
                    list(groups.Resource).some((p: string) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(arn)),
                    `${arn} not covered`,
                );
            }
            const mfa = statementsOf(rec.inputsOf(rec.one("aws:iam/policy:Policy", "humans-mfa-required")).policy);
            const own = mfa.find((s) => s.Sid === "AllowManageOwnPasswords");
            // The user at the root path and under any path (user/humans/alice), and nobody else (not user/malice).
            assert.deepEqual(list(own.Resource), ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:user/*/${aws:username}"]);
        });

        it("gives the deploy role sessions long enough for Multi-AZ RDS and ElastiCache changes", async () => {
            const rec = await stackRecord(stack);
            const deploy = rec.inputsOf(rec.one("aws:iam/role:Role", "github-deploy"));
            assert.ok(deploy.maxSessionDuration >= 4 * 3600, `deploy role sessions last ${deploy.maxSessionDuration}s`);
        });

        it("admits ICMP destination-unreachable/fragmentation-needed (path MTU) into the public and compute tiers", async () => {
            const rec = await stackRecord(stack);
            for (const tier of ["public", "compute"]) {
                const rules = rec.ofType("aws:ec2/networkAclRule:NetworkAclRule").map((r) => rec.inputsOf(r))
                    .filter((r) => !r.egress && r.protocol === "1" && r.icmpType === 3 && r.icmpCode === 4 && r.ruleAction === "allow");
                assert.ok(rec.ofType("aws:ec2/networkAclRule:NetworkAclRule").some((r) => r.name.includes(`-${tier}-acl-in-icmp-path-mtu`)), tier);
                assert.ok(rules.length >= 2, `${tier}: no ICMP 3/4 allow`);
            }
        });
    });
}

describe("stack prod-eu: the DR copy of the archive is complete and its failures alarm", () => {
    it("lets the replication role decrypt the logs key (CloudTrail objects) through S3 in the source region only", async () => {
        const rec = await stackRecord("prod-eu");
        const trail = rec.inputsOf(rec.one("aws:cloudtrail/trail:Trail", "audit-trail"));
        const policy = statementsOf(rec.inputsOf(rec.one("aws:iam/rolePolicy:RolePolicy", "backups-replication-policy")).policy);
        const decrypt = policy.filter((s) => list(s.Action).includes("kms:Decrypt") && list(s.Resource).includes(trail.kmsKeyId));
        assert.equal(decrypt.length, 1, "the trail's key can be decrypted by replication");
        assert.equal(decrypt[0].Condition.StringEquals["kms:ViaService"], "s3.eu-central-1.amazonaws.com");
    });

    it("enables replication metrics and alarms on OperationsFailedReplication to the alerts topic", async () => {
        const rec = await stackRecord("prod-eu");
        const config = rec.inputsOf(rec.one("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "backups-replication-config"));
        assert.equal(config.rules[0].destination.metrics.status, "Enabled");
        const alarms = rec
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((a) => rec.inputsOf(a))
            .filter((a) => a.metricName === "OperationsFailedReplication");
        assert.equal(alarms.length, 1);
        assert.equal(alarms[0].namespace, "AWS/S3");
        assert.equal(alarms[0].dimensions.SourceBucket, "platform-prod-eu-backups");
        assert.equal(alarms[0].dimensions.RuleId, config.rules[0].id);
        assert.ok(alarms[0].alarmActions.length >= 1);
    });
});

describe("Config rule availability table", () => {
    it("has an entry with a source URL and the date read for every managed rule the program creates", () => {
        for (const rule of MANAGED_CONFIG_RULES) {
            const entry = CONFIG_RULE_AVAILABILITY[rule.identifier];
            assert.ok(entry, rule.identifier);
            assert.match(entry.source, /^https:\/\/docs\.aws\.amazon\.com\/config\//, rule.identifier);
            assert.match(entry.read, /^\d{4}-\d{2}-\d{2}$/, rule.identifier);
        }
    });

    it("leaves out the rules a region lacks and says which", () => {
        const { rules, skipped } = configRulesFor("il-central-1", { isProd: true, homeRegion: true });
        assert.ok(!rules.some((r) => r.identifier === "ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"));
        assert.ok(skipped.some((s) => s.identifier === "ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST"));
        assert.equal(configRulesFor("eu-central-1", { isProd: true, homeRegion: true }).skipped.length, 0);
    });
});

describe("the alerts key admits the services that publish to the encrypted alerts topic", () => {
    for (const stack of ["dev", "prod-il"]) {
        it(`${stack}: scopes CloudWatch, EventBridge, Backup and SES by the SNS encryption context, not by keys EventBridge does not send`, async () => {
            const rec = await stackRecord(stack);
            const statements = statementsOf(rec.inputsOf(rec.one("aws:kms/key:Key", "keys-alerts")).policy);
            const topics = `arn:aws:sns:${REGION[stack]}:${mockAccountId(stack)}:*`;
            for (const service of ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com", "ses.amazonaws.com"]) {
                const [grant] = byService(statements, service);
                assert.ok(grant, service);
                assert.deepEqual(list(grant.Action).sort(), ["kms:Decrypt", "kms:GenerateDataKey*"]);
                assert.deepEqual(grant.Condition, { ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": topics } }, service);
            }
        });
    }
});

describe("stack prod-il: the in-region copy vault has its own key", () => {
    it("encrypts the copy vault with a separate, rotating, protected CMK (not the primary vault's backups key)", async () => {
        const rec = await stackRecord("prod-il");
        const vaults = rec.ofType("aws:backup/vault:Vault");
        const primary = rec.inputsOf(rec.one("aws:backup/vault:Vault", "backup"));
        const copy = rec.inputsOf(rec.one("aws:backup/vault:Vault", "backup-copy"));
        assert.equal(vaults.length, 2);
        assert.notEqual(copy.kmsKeyArn, primary.kmsKeyArn);
        const copyKey = rec.one("aws:kms/key:Key", "copy-keys-backups");
        assert.deepEqual(rec.ofType("aws:backup/vault:Vault").find((v) => rec.inputsOf(v).kmsKeyArn === copy.kmsKeyArn)?.propertyDependencies.kmsKeyArn, [
            copyKey.urn,
        ]);
        assert.equal(rec.inputsOf(copyKey).enableKeyRotation, true);
        assert.equal(copyKey.protect, true);
    });
});

describe("the deploy role and the human groups", () => {
    it("cannot put an inline policy on a human group (groups carry reviewed managed policies only)", async () => {
        const rec = await stackRecord("prod-eu");
        const doc = statementsOf(rec.inputsOf(rec.one("aws:iam/policy:Policy", "github-deploy-iam")).policy);
        assert.ok(!doc.some((s) => s.Effect === "Allow" && list(s.Action).includes("iam:PutGroupPolicy")));
        assert.deepEqual(rec.ofType("aws:iam/groupPolicy:GroupPolicy"), [], "the program itself uses no inline group policy");
    });
});

describe("stack prod-eu: GuardDuty also watches the DR region", () => {
    it("runs a detector in eu-west-1 whose findings are forwarded to the home region's event bus (and so to alerts)", async () => {
        const rec = await stackRecord("prod-eu");
        const account = mockAccountId("prod-eu");
        const detectors = rec.ofType("aws:guardduty/detector:Detector");
        assert.equal(detectors.length, 2);
        const dr = rec.one("aws:guardduty/detector:Detector", "guardduty-dr");
        assert.match(dr.provider ?? "", /::aws-dr::/, "the DR detector is created in the DR region");
        const rule = rec.one("aws:cloudwatch/eventRule:EventRule", "guardduty-dr-findings");
        assert.match(rule.provider ?? "", /::aws-dr::/);
        const [target] = rec.pointingAt("aws:cloudwatch/eventTarget:EventTarget", "rule", rule).map((t) => rec.inputsOf(t));
        assert.equal(target.arn, `arn:aws:events:eu-central-1:${account}:event-bus/default`);
        assert.ok(target.roleArn, "cross-region bus targets need a role");
        const home = rec.one("aws:cloudwatch/eventRule:EventRule", "guardduty-findings");
        assert.ok(rec.pointingAt("aws:cloudwatch/eventTarget:EventTarget", "rule", home).some((t) => rec.inputsOf(t).arn.includes(":sns:")));
    });

    it("runs one detector in dev and prod-il (no DR region)", async () => {
        for (const stack of ["dev", "prod-il"]) assert.equal((await stackRecord(stack)).ofType("aws:guardduty/detector:Detector").length, 1, stack);
    });
});
