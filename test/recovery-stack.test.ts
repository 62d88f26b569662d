import { strict as assert } from "assert";
import { Recorded, stackPlan, stackPlanVariant } from "../offline/testing";
import { parseConfig } from "../stacks/config";
import { readStackFiles } from "../offline/stack-files";
import { ConfigError } from "../stacks/validate";

/**
 * prod-eu-dr (Pulumi.prod-eu-dr.yaml) is prod-eu recovered into eu-west-1. These tests check what differs from prod-eu
 * and what must not: it plans clean on standby and after the edge switch, restores the database from the replicated
 * material under the source's DR key, creates nothing in the failed region, and collides with none of prod-eu's
 * account-global names.
 */
const SOURCE = "prod-eu";
const DR = "prod-eu-dr";
const active = () => stackPlanVariant(DR, "active", "platform:edge", (edge) => ({ ...edge, activeOrigin: "dr" }));
const recorded = async (plan: ReturnType<typeof stackPlan>) => {
    const p = await plan;
    return new Recorded(p.run.resources, p.run.outputs);
};
const mandatory = (p: Awaited<ReturnType<typeof stackPlan>>) =>
    p.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`);

describe("stack prod-eu-dr (region recovery of prod-eu)", () => {
    it("plans with no mandatory violation on standby and with the edge switched to it", async () => {
        assert.deepEqual(mandatory(await stackPlan(DR)), []);
        assert.deepEqual(mandatory(await active()), []);
    });

    it("restores the primary from the replicated automated backups at the latest time, under the source's DR backups key", async () => {
        const rec = await recorded(stackPlan(DR));
        const cfg = readStackFiles(DR).config;
        const recovery = JSON.parse(cfg["platform:recovery"]);
        const primary = rec.inputsOf(rec.one("aws:rds/instance:Instance", "postgres"));
        assert.deepEqual(primary.restoreToPointInTime, {
            sourceDbInstanceAutomatedBackupsArn: recovery.database.automatedBackupsArn,
            useLatestRestorableTime: true,
        });
        // The database and master user come from the backup, not from a create.
        assert.equal(primary.dbName, undefined);
        assert.equal(primary.username, undefined);
        // Storage keeps the key the backups are encrypted with: an existing key of this region, not one this stack creates.
        const created = new Set(rec.ofType("aws:kms/key:Key").map((k) => k.name));
        assert.match(primary.kmsKeyId, /^arn:aws:kms:eu-west-1:/);
        const ownKeyArns = (await stackPlan(DR)).run.resources.filter((r) => r.type === "aws:kms/key:Key").map((r) => r.engineOutputs?.arn);
        assert.ok(created.size > 0 && !ownKeyArns.includes(primary.kmsKeyId), "the restored storage must keep the source's DR backups key");
        // Performance Insights is new data: the recovery stack's own data key.
        assert.ok(ownKeyArns.includes(primary.performanceInsightsKmsKeyId));
        // The replica of a restored primary has the primary's storage key.
        assert.equal(rec.inputsOf(rec.one("aws:rds/instance:Instance", "postgres-replica")).kmsKeyId, primary.kmsKeyId);
    });

    it("keeps prod's protections: Multi-AZ, deletion protection, protect, 35-day PITR", async () => {
        const rec = await recorded(stackPlan(DR));
        const primary = rec.one("aws:rds/instance:Instance", "postgres");
        const inputs = rec.inputsOf(primary);
        assert.equal(inputs.multiAz, true);
        assert.equal(inputs.deletionProtection, true);
        assert.equal(inputs.backupRetentionPeriod, 35);
        assert.equal(primary.protect, true);
    });

    it("creates nothing in the failed source region: every AWS resource is in eu-west-1", async () => {
        const rec = await recorded(stackPlan(DR));
        const providers = rec.ofType("pulumi:providers:aws").map((p) => rec.inputsOf(p).region);
        assert.deepEqual([...new Set(providers)], ["eu-west-1"]);
        const arns = JSON.stringify(rec.resources.map((r) => rec.inputsOf(r)));
        assert.ok(!/arn:aws:[a-z0-9-]+:eu-central-1:/.test(arns), "an ARN in eu-central-1 is referenced");
    });

    it("collides with none of prod-eu's globally unique names (S3 buckets, IAM roles and policies)", async () => {
        const names = async (stack: string) => {
            const rec = await recorded(stackPlan(stack));
            const of = (type: string, prop: string) => rec.ofType(type).map((r) => `${type} ${rec.inputsOf(r)[prop]}`);
            return new Set([
                ...of("aws:s3/bucket:Bucket", "bucket"),
                ...of("aws:iam/role:Role", "name"),
                ...of("aws:iam/policy:Policy", "name"),
                ...of("aws:iam/user:User", "name"),
                ...of("aws:iam/group:Group", "name"),
            ]);
        };
        const source = await names(SOURCE);
        const clashes = [...(await names(DR))].filter((n) => source.has(n));
        assert.deepEqual(clashes, []);
    });

    it("shares prod-eu's account-wide objects it has instead of creating them: password policy, the region's GuardDuty detector", async () => {
        const rec = await recorded(stackPlan(DR));
        // The GitHub OIDC provider: prod-eu creates one only in single-account topology (in shared-services its CI enters
        // through the hub roles), and IAM refuses a trust policy naming a provider that does not exist.
        const source = await recorded(stackPlan(SOURCE));
        const sourceHasProvider = source.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length > 0;
        assert.equal(rec.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, sourceHasProvider ? 0 : 1);
        assert.equal(rec.ofType("aws:iam/accountPasswordPolicy:AccountPasswordPolicy").length, 0);
        const deployTrust = JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", "github-deploy")).assumeRolePolicy);
        assert.match(deployTrust.Statement[0].Principal.Federated, /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/);
        // GuardDuty allows one detector per account and region; prod-eu's is adopted and survives this stack's destroy.
        const detector = rec.one("aws:guardduty/detector:Detector", "guardduty");
        assert.equal(detector.retainOnDelete, true);
        for (const f of rec.ofType("aws:guardduty/detectorFeature:DetectorFeature")) assert.equal(f.retainOnDelete, true, f.name);
    });

    it("on standby builds no zone object; switched (activeOrigin: dr) points the proxied API record at its own ALB", async () => {
        const standby = await recorded(stackPlan(DR));
        const zoneObjects = standby.resources
            .filter((r) => r.type.startsWith("cloudflare:") && !r.type.startsWith("pulumi:"))
            .filter((r) => !/originCaCertificate|authenticatedOriginPullsHostnameCertificate/.test(r.type));
        assert.deepEqual(
            zoneObjects.map((r) => r.type),
            [],
        );
        const switched = await recorded(active());
        const alb = switched.one("aws:lb/loadBalancer:LoadBalancer", "origin");
        const api = switched.ofType("cloudflare:index/dnsRecord:DnsRecord").find((r) => switched.inputsOf(r).name === "api.complyhub.io");
        assert.ok(api, "no api.complyhub.io record when the edge is switched to the DR stack");
        assert.equal(switched.inputsOf(api).proxied, true);
        assert.ok((api.propertyDependencies.content ?? []).includes(alb.urn), "the API record must point at the DR stack's ALB");
    });

    it("names its SPA bucket after itself: app.<domain> stays prod-eu's (bucket names are global)", async () => {
        const rec = await recorded(stackPlan(DR));
        const buckets = rec.ofType("aws:s3/bucket:Bucket").map((b) => rec.inputsOf(b).bucket);
        assert.ok(buckets.includes("platform-prod-eu-dr-frontend"));
        assert.ok(!buckets.includes("app.complyhub.io"));
    });
});

describe("platform:recovery validation", () => {
    const raw = () => {
        const files = readStackFiles(DR);
        const out: Record<string, unknown> = { "aws:region": files.config["aws:region"] };
        for (const [k, v] of Object.entries(files.config)) {
            if (!k.startsWith("platform:") || files.secretKeys.includes(k)) continue;
            try {
                out[k.slice(9)] = JSON.parse(v);
            } catch {
                out[k.slice(9)] = v;
            }
        }
        return out as Record<string, any>;
    };
    const parse = (r: Record<string, unknown>) =>
        parseConfig(r, { project: "platform", stack: DR, secretValues: { logzioShippingToken: undefined as any, workosApiKey: undefined } });
    const rejects = (edit: (r: Record<string, any>) => void, key: string) => {
        const r = raw();
        edit(r);
        assert.throws(
            () => parse(r),
            (e: unknown) => e instanceof ConfigError && e.key === key,
        );
    };

    it("accepts the stack file", () => assert.equal(parse(raw()).recovery?.sourceStack, SOURCE));
    it("refuses backups of another region or account, naming the key", () => {
        rejects((r) => {
            r.recovery.database.automatedBackupsArn = r.recovery.database.automatedBackupsArn.replace("eu-west-1", "eu-central-1");
        }, "platform:recovery.database.automatedBackupsArn");
        rejects((r) => {
            r.recovery.database.automatedBackupsArn = r.recovery.database.automatedBackupsArn.replace(/:\d{12}:/, ":999999999999:");
        }, "platform:recovery.database.automatedBackupsArn");
    });
    it("refuses a restore time that is not ISO-8601 UTC", () =>
        rejects((r) => {
            r.recovery.database.restoreTime = "yesterday";
        }, "platform:recovery.database.restoreTime"));
    it("refuses copies to another region (the source region is the one that failed)", () => {
        rejects((r) => {
            r.dr = { mode: "cross-region", region: "eu-central-1" };
        }, "platform:dr.mode");
    });
    it("refuses the source region as its own region", () =>
        rejects((r) => {
            r.recovery.sourceRegion = "eu-west-1";
        }, "platform:recovery.sourceRegion"));
    it("requires the detector id in the source's account, and takes a snapshot instead of the backups", () => {
        rejects((r) => {
            delete r.recovery.guardDutyDetectorId;
        }, "platform:recovery.guardDutyDetectorId");
        const r = raw();
        r.recovery.database = { restoreFrom: "snapshot", snapshotIdentifier: "arn:aws:rds:eu-west-1:100000000002:snapshot:awsbackup:job-0a1b2c3d" };
        assert.equal(parse(r).recovery?.database.restoreFrom, "snapshot");
    });
    it("allows activeOrigin dr only in a recovery stack", () => {
        rejects((r) => {
            delete r.recovery;
            r.dr = { mode: "in-region" };
            r.edge.activeOrigin = "dr";
        }, "platform:edge.activeOrigin");
    });
});

describe("the region-recovery runbook (docs/operations.md) and the drill", () => {
    const fs = require("fs") as typeof import("fs");
    const doc = fs.readFileSync(`${__dirname}/../docs/operations.md`, "utf8");
    const section = doc.slice(doc.indexOf("### Region recovery (prod-eu-dr)"), doc.indexOf("### DR drill"));

    it("is a step list whose expected durations add up to under the 24 h RTO, each with a check", () => {
        const rows = section
            .split("\n")
            .filter((l) => /^\| \d+ \|/.test(l))
            .map((l) => l.split(" | "));
        assert.ok(rows.length >= 8, `${rows.length} steps`);
        const hours = rows.map((cells) => Number(/([\d.]+) h/.exec(cells[3])?.[1]));
        assert.ok(
            hours.every((h) => h > 0),
            "every step states an expected duration in hours",
        );
        const total = hours.reduce((a, b) => a + b, 0);
        assert.ok(total < 24, `the steps add up to ${total} h`);
        for (const cells of rows) assert.ok(cells[4]?.trim().length > 10, `step ${cells[0]} has no check`);
    });

    it("names only resources the prod-eu-dr plan creates", async () => {
        const rec = await recorded(stackPlan(DR));
        const physical = new Set(
            rec.resources.flatMap((r) => {
                const i = rec.inputsOf(r);
                return [i.name, i.bucket, i.identifier, i.replicationGroupId].filter((v): v is string => typeof v === "string");
            }),
        );
        const named = [...new Set(section.match(/`platform-prod-eu-dr[a-z0-9/-]*`/g) ?? [])].map((n) => n.slice(1, -1));
        assert.ok(named.length >= 10, named.join(", "));
        assert.deepEqual(
            named.filter((n) => !physical.has(n)),
            [],
        );
        for (const family of ["api", "api-workers", "scanner-workers"]) assert.ok(physical.has(family), family);
    });

    it("has a drill script and a scheduled, dispatchable workflow that reports where auditors look", () => {
        const { parse } = require("yaml") as typeof import("yaml");
        const wf = parse(fs.readFileSync(`${__dirname}/../.github/workflows/dr-drill.yml`, "utf8"));
        assert.ok(wf.on.workflow_dispatch && wf.on.schedule?.length);
        const steps: any[] = wf.jobs.drill.steps;
        assert.ok(steps.some((s) => String(s.run ?? "").includes("scripts/dr-drill.sh run")));
        assert.ok(
            steps.some((s) => String(s.run ?? "").includes("dr-drills/") && s.if === "always()"),
            "the report goes to the evidence bucket even on failure",
        );
        assert.ok(steps.some((s) => String(s.uses ?? "").startsWith("actions/upload-artifact") && s.if === "always()"));
        const script = fs.readFileSync(`${__dirname}/../scripts/dr-drill.sh`, "utf8");
        assert.match(script, /step "teardown" teardown/, "the drill always tears down");
    });
});
