import { strict as assert } from "assert";
import { preflightPolicies } from "./preflight";
import { allPolicies } from "./policies";
import { FRAMEWORKS, FRAMEWORK_IDS, controlTitle, unknownControls } from "./lib/frameworks";

const byName = (name: string) => {
    const p = allPolicies.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
};

describe("framework mappings", () => {
    it("keeps a table of each framework's ids with its source and date", () => {
        for (const f of FRAMEWORK_IDS) {
            const t = FRAMEWORKS[f].table as { source: unknown; retrieved: string; controls: Record<string, string> };
            assert.ok(t.source && /^\d{4}-\d{2}-\d{2}$/.test(t.retrieved), `${f}: source and retrieval date`);
            assert.ok(Object.keys(t.controls).length > 20, `${f}: table is filled`);
        }
        // Spot checks against the frameworks' own numbering.
        assert.ok(controlTitle("iso", "A.8.34"));
        assert.equal(controlTitle("iso", "A.8.35"), undefined, "Annex A ends at 8.34");
        assert.equal(controlTitle("soc2", "CC9.2") !== undefined && controlTitle("soc2", "CC9.3") === undefined, true);
        assert.equal(controlTitle("nist", "SC-28"), "Protection of Information at Rest");
        assert.match(controlTitle("fsbp", "SecretsManager.1") ?? "", /rotation/);
        assert.equal(controlTitle("cis", "4.x"), undefined);
    });

    it("rejects ids that are not in a framework's table", () => {
        assert.deepEqual(unknownControls({ fsbp: ["S3.17", "S3.999"], cis: ["4.x"], iso: ["8.24"] }), ["fsbp:S3.999", "cis:4.x", "iso:8.24"]);
        for (const p of allPolicies) assert.deepEqual(unknownControls(p.mappings), [], p.name);
    });

    it("maps every policy to several frameworks, except the platform-specific checks no framework names", () => {
        // Deploy-validity checks (fargate-valid-size, the preflight group) guard the deploy, not a framework control.
        const unmapped = new Set(["fargate-valid-size", "ecr-lifecycle", ...preflightPolicies.map((p) => p.name)]);
        for (const p of allPolicies) {
            const frameworks = FRAMEWORK_IDS.filter((f) => (p.mappings[f] ?? []).length > 0);
            if (unmapped.has(p.name)) continue;
            assert.ok(frameworks.length >= 2, `${p.name} maps to ${frameworks.join(", ") || "nothing"}`);
        }
    });

    it("fixes the mappings the reviews found wrong", () => {
        assert.ok(!(byName("secrets-cmk").mappings.fsbp ?? []).includes("SecretsManager.1"), "SecretsManager.1 is rotation");
        assert.ok(!(byName("backup-vault-lock").mappings.fsbp ?? []).includes("Backup.1"), "Backup.1 is recovery-point encryption");
        assert.deepEqual(byName("rds-force-ssl").mappings.fsbp, ["RDS.38"]);
        assert.ok(!(byName("perf-insights-cmk").mappings.fsbp ?? []).includes("RDS.3"));
        assert.ok(!(byName("logs-cmk").mappings.fsbp ?? []).includes("CloudWatch.16"), "CloudWatch.16 is retention of a year");
        assert.ok((byName("log-retention-prod").mappings.fsbp ?? []).includes("CloudWatch.16"));
        assert.deepEqual(byName("alarms-have-actions").mappings.fsbp, ["CloudWatch.15"]);
        assert.equal(byName("alarms-have-actions").mappings.cis, undefined, "CIS 4.x are the metric filters, not alarm actions");
        assert.ok(
            !(byName("config-recorder").mappings.fsbp ?? []).includes("Config.1"),
            "Config.1 needs the service-linked role; the recorder uses a customer role",
        );
        assert.equal(byName("required-tags").framework?.reference.includes("tagging-standard"), false);
    });

    it("derives the engine's single framework reference from the mappings", () => {
        const p = byName("s3-sse-kms");
        assert.equal(p.framework?.name, "AWS Foundational Security Best Practices");
        assert.equal(p.framework?.reference, "S3.17");
        assert.match(p.framework?.specification ?? "", /SSE-KMS/);
    });
});
