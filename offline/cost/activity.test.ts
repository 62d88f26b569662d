import * as assert from "assert";
import { RecordedResource } from "../engine";
import { fake, stackPlan, stackRecord } from "../testing";
import { CONFIG_RULE_DRIVERS } from "./config-rules";
import { estimateCost } from "./estimate";
import { USAGE_DEFAULTS, costContextOfStack } from "./usage";
import { MANAGED_CONFIG_RULES } from "../../components/audit/config-recorder";

const REGION = "eu-central-1";

/** Two buckets, three keys, one service of 2 tasks, a recorder and three rules of each trigger type. */
function fixture(): RecordedResource[] {
    const td = fake("aws:ecs/taskDefinition:TaskDefinition", "api", { cpu: "512", memory: "1024", runtimePlatform: { cpuArchitecture: "ARM64" } });
    const service = fake("aws:ecs/service:Service", "api", { name: "api", desiredCount: 2 }, { taskDefinition: [td] });
    const rule = (id: string, extra: Record<string, unknown> = {}) =>
        fake("aws:cfg/rule:Rule", id, { source: { owner: "AWS", sourceIdentifier: id }, ...extra });
    return [
        fake("aws:s3/bucket:Bucket", "a", {}),
        fake("aws:s3/bucket:Bucket", "b", {}),
        fake("aws:kms/key:Key", "k1", {}),
        fake("aws:kms/key:Key", "k2", {}),
        fake("aws:kms/key:Key", "k3", {}),
        fake("aws:iam/role:Role", "r", {}),
        td,
        service,
        fake("aws:cfg/recorder:Recorder", "config", { recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }),
        rule("S3_BUCKET_VERSIONING_ENABLED"),
        rule("CMK_BACKING_KEY_ROTATION_ENABLED", { maximumExecutionFrequency: "Twelve_Hours" }),
        rule("S3_BUCKET_PUBLIC_READ_PROHIBITED"),
        rule("ROOT_ACCOUNT_MFA_ENABLED"),
    ];
}

describe("activity-driven cost lines (AWS Config, GuardDuty)", () => {
    const estimate = estimateCost(fixture(), { region: REGION, usage: USAGE_DEFAULTS });
    const line = (type: string, name: string) => estimate.items.find((i) => i.type === type && i.name === name)!;

    it("prices a change-triggered Config rule by the changes of the resources in its scope, not a flat count", () => {
        // 2 buckets x 0.5 changes = 1 evaluation x $0.001
        const r = line("aws:cfg/rule:Rule", "S3_BUCKET_VERSIONING_ENABLED");
        assert.strictEqual(r.basis, "change: 1 changes (2 AWS::S3::Bucket x 0.5) = 1 evaluations x $0.001");
        assert.strictEqual(r.monthly, 0);
    });

    it("prices a periodic rule by its runs (its frequency) x the resources it checks, and an account rule once per run", () => {
        // Twelve_Hours: 730 / 12 = 60.83 runs x 3 keys = 182.5 evaluations x $0.001 = 0.18
        assert.strictEqual(line("aws:cfg/rule:Rule", "CMK_BACKING_KEY_ROTATION_ENABLED").monthly, 0.18);
        // default 24 h: 30.42 runs x 1 account = 0.03; both triggers: 1 change + 30.42 x 2 buckets = 61.83 -> 0.06
        assert.strictEqual(line("aws:cfg/rule:Rule", "ROOT_ACCOUNT_MFA_ENABLED").monthly, 0.03);
        assert.strictEqual(line("aws:cfg/rule:Rule", "S3_BUCKET_PUBLIC_READ_PROHIBITED").monthly, 0.06);
    });

    it("counts configuration items from recorded resources, deploys and task churn (global IAM types only where recorded)", () => {
        // recorded: 2 buckets + 3 keys + 1 service + 1 task definition = 7 (the role is global: not recorded here) x 0.5 = 3.5
        // deploys: 20 x 1 service x 2 = 40; launches: 20 deploys x 2 tasks + 30 replacements = 70 x 2 events x 3 items = 420
        // 463.5 items x $0.003 = 1.39
        const r = line("aws:cfg/recorder:Recorder", "config");
        assert.match(r.basis, /^463\.5 items \(7 recorded resources x 0\.5 changes/);
        assert.strictEqual(r.monthly, 1.39);
    });

    it("knows the trigger type of every managed rule the program creates (else its cost would be unpriced)", () => {
        assert.deepStrictEqual(
            MANAGED_CONFIG_RULES.map((r) => r.identifier).filter((id) => !CONFIG_RULE_DRIVERS[id]),
            [],
        );
    });
});

describe("dev's estimate (the assumptions that drive it)", () => {
    it("is at most $300 a month", async () => {
        const { cost } = await stackPlan("dev");
        assert.ok(cost.monthly <= 300, `dev costs $${cost.monthly}`);
        assert.deepStrictEqual(cost.unpriced, []);
    });

    it("prices every Config rule from its trigger type: the 17 rules together cost under $2, not $170", async () => {
        const { cost } = await stackPlan("dev");
        const rules = cost.items.filter((i) => i.type === "aws:cfg/rule:Rule");
        assert.strictEqual(rules.length, 17);
        assert.ok(
            rules.every((r) => /^(change|periodic|change\+periodic): /.test(r.basis)),
            "each basis names the trigger type",
        );
        assert.ok(rules.reduce((n, r) => n + r.monthly, 0) < 2);
        const rec = await stackRecord("dev");
        const keys = rec.ofType("aws:kms/key:Key").length;
        const cmk = rules.find((r) => r.urn.endsWith("cmk-backing-key-rotation-enabled"))!;
        assert.match(cmk.basis, new RegExp(`periodic: 30\\.42 runs x ${keys} AWS::KMS::Key`));
    });

    it("derives GuardDuty's flow-log volume from the plan's flow logs, and S3 events from its buckets", async () => {
        const { cost } = await stackPlan("dev");
        const { usage } = costContextOfStack("dev");
        const rec = await stackRecord("dev");
        const detector = cost.items.find((i) => i.type === "aws:guardduty/detector:Detector")!;
        const flowLogs = rec.ofType("aws:ec2/flowLog:FlowLog").length;
        assert.ok(detector.basis.includes(`(${flowLogs} flow logs x ${usage.flowLogGb} GB + ${usage.guardDutyDnsGb} GB DNS)`), detector.basis);
        assert.ok(detector.basis.includes(`(${rec.ofType("aws:s3/bucket:Bucket").length} buckets x 110k requests)`), detector.basis);
    });

    it("pins the levers: interface endpoints in one AZ, queue workers on Spot only, the api on demand", async () => {
        const { cost } = await stackPlan("dev");
        const endpoints = cost.items.filter((i) => i.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && i.monthly > 0);
        assert.strictEqual(endpoints.length, 5);
        assert.ok(
            endpoints.every((e) => e.basis.startsWith("1 AZ x 730 h")),
            "one AZ each",
        );
        const service = (n: string) => cost.items.find((i) => i.type === "aws:ecs/service:Service" && i.urn.endsWith(`::${n}`))!.basis;
        assert.match(service("scanner-workers"), /\(0 on-demand \+ 1 Spot x 0\.3\)/);
        assert.match(service("api-workers"), /\(0 on-demand \+ 1 Spot x 0\.3\)/);
        assert.doesNotMatch(service("api"), /Spot/);
    });
});
