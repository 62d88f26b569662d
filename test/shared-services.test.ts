import { strict as assert } from "assert";
import { Plan, planStack } from "../offline/plan";
import { Recorded } from "../offline/testing";
import { GITHUB_OIDC_HOST, pullPolicy } from "../components";
import { parseSharedConfig } from "../shared/config";
import { stackPlan } from "../offline/testing";
import { readStackFiles } from "../offline/stack-files";

const SHARED = "100000000000";
/** The workloads the shared stack file serves, and each one's account (the tests follow the file, not a copy of it). */
const workloads = (): [string, any][] => Object.entries(JSON.parse(readStackFiles("shared", "shared").config["platform-shared:workloads"]));
const WORKLOADS: [string, string][] = workloads().map(([stack, w]) => [stack, w.accountId]);
const runsFamily = (family: string) => workloads()
    .filter(([, w]) => w.families.includes(family))
    .map(([stack, w]) => `arn:aws:iam::${w.accountId}:role/platform-${stack}-${family}-exec`);
let planned: Promise<Plan> | undefined;
const sharedPlan = () => (planned ??= planStack({ stack: "shared", program: "shared/index.ts" }));
const record = async () => {
    const p = await sharedPlan();
    return new Recorded(p.run.resources, p.run.outputs);
};
const json = (rec: Recorded, r: { inputs: Record<string, any> }, prop: string) => JSON.parse(rec.inputsOf(r as any)[prop]);

describe("shared-services program (shared/)", () => {
    it("plans policy-clean: state bucket and key, registry, GitHub OIDC provider, hub roles", async () => {
        const plan = await sharedPlan();
        assert.deepEqual(
            plan.violations.map((v) => `${v.policy}: ${v.message}`),
            [],
        );
        const rec = await record();
        assert.equal(rec.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 1);
        assert.equal(rec.one("aws:s3/bucket:Bucket", "state").protect, true);
        assert.match(plan.run.outputs.loginUrl, new RegExp(`^s3://platform-pulumi-state-${SHARED}-eu-central-1\\?`));
    });

    it("repositories: immutable tags, scan on push, KMS, keep the last 50 images", async () => {
        const rec = await record();
        const repos = rec.ofType("aws:ecr/repository:Repository");
        assert.deepEqual(repos.map((r) => rec.inputsOf(r).name).sort(), [
            "platform/ai-workers",
            "platform/api",
            "platform/api-workers",
            "platform/keycloak",
            "platform/scanner-workers",
        ]);
        for (const repo of repos) {
            const i = rec.inputsOf(repo);
            assert.equal(i.imageTagMutability, "IMMUTABLE");
            assert.equal(i.imageScanningConfiguration.scanOnPush, true);
            assert.equal(i.encryptionConfigurations[0].encryptionType, "KMS");
            const rule = json(rec, rec.one("aws:ecr/lifecyclePolicy:LifecyclePolicy", repo.name), "policy").rules[0];
            assert.deepEqual([rule.selection.countType, rule.selection.countNumber, rule.action.type], ["imageCountMoreThan", 50, "expire"]);
        }
    });

    it("repository policies admit exactly the execution roles of the workloads that run the family, pull actions only", async () => {
        const rec = await record();
        const policy = (name: string) => json(rec, rec.one("aws:ecr/repositoryPolicy:RepositoryPolicy", name), "policy").Statement;
        const [keycloak] = policy("registry-keycloak");
        assert.deepEqual(keycloak.Principal, { AWS: ["arn:aws:iam::100000000003:root"] });
        assert.deepEqual(keycloak.Condition, { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::100000000003:role/platform-prod-il-keycloak-exec"] } });
        const [api] = policy("registry-api");
        assert.deepEqual([...api.Condition.ArnEquals["aws:PrincipalArn"]].sort(), runsFamily("api").sort());
        assert.deepEqual(api.Action.sort(), ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
    });

    it("the execution role names the registry admits are the ones the workload plans create", async () => {
        const rec = await record();
        const admitted = rec
            .ofType("aws:ecr/repositoryPolicy:RepositoryPolicy")
            .flatMap((p) => json(rec, p, "policy").Statement[0].Condition.ArnEquals["aws:PrincipalArn"] as string[]);
        for (const [stack, account] of WORKLOADS) {
            const plan = await stackPlan(stack);
            const created = plan.run.resources
                .filter((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-execution"))
                .map((r) => `arn:aws:iam::${account}:role/${r.inputs.name}`);
            assert.deepEqual(admitted.filter((a) => a.includes(`:role/platform-${stack}-`)).sort(), created.sort(), stack);
        }
    });

    it("hub roles: one deploy and one preview per environment, trusted by that GitHub environment, assuming only its workload role", async () => {
        const rec = await record();
        for (const [stack, account] of WORKLOADS) {
            for (const kind of ["deploy", "preview"]) {
                const role = rec.one("aws:iam/role:Role", `github-${stack}-${kind}`);
                assert.equal(rec.inputsOf(role).name, `platform-hub-${stack}-${kind}`);
                const trust = json(rec, role, "assumeRolePolicy").Statement[0];
                assert.equal(
                    trust.Condition.StringEquals[`${GITHUB_OIDC_HOST}:sub`],
                    `repo:complyhub/platform-infra:environment:${kind === "deploy" ? stack : `${stack}-preview`}`,
                );
                const statements = json(rec, rec.one("aws:iam/rolePolicy:RolePolicy", `github-${stack}-${kind}`), "policy").Statement;
                assert.deepEqual(
                    statements.map((s: any) => [s.Effect, [s.Action].flat().sort(), s.Resource]),
                    [["Allow", ["sts:AssumeRole", "sts:TagSession"], `arn:aws:iam::${account}:role/platform-${stack}-github-${kind}`]],
                );
            }
        }
    });

    it("state: each workload's roles reach only their own stack's objects; the key only through S3", async () => {
        const rec = await record();
        const bucketPolicy = rec
            .ofType("aws:s3/bucketPolicy:BucketPolicy")
            .map((p) => json(rec, p, "policy"))
            .find((d) => d.Statement.some((s: any) => String(s.Sid).startsWith("DeployState")))!;
        const deployEu = bucketPolicy.Statement.find((s: any) => s.Sid === "DeployState0prodeu");
        assert.equal(deployEu.Condition.ArnEquals["aws:PrincipalArn"], "arn:aws:iam::100000000002:role/platform-prod-eu-github-deploy");
        for (const r of deployEu.Resource) assert.match(r, /\/\.pulumi\/(stacks|history|backups|locks)\/platform\/prod-eu(\.json\*|\/\*)$/);
        const previewWrites = bucketPolicy.Statement.filter((s: any) => s.Sid.startsWith("PreviewLock"));
        for (const s of previewWrites) assert.match(s.Resource, /\/\.pulumi\/locks\/platform\/[a-z-]+\/\*$/);
        const key = json(rec, rec.one("aws:kms/key:Key", "pulumi-secrets"), "policy").Statement.filter((s: any) => s.Sid.startsWith("StateThroughS3"));
        assert.equal(key.length, 2 * WORKLOADS.length, "a deploy and a preview statement per workload");
        for (const s of key) assert.equal(s.Condition.StringEquals["kms:ViaService"], "s3.eu-central-1.amazonaws.com");
    });

    it("rejects bad config naming the key, the value and what is allowed", () => {
        const base = { "aws:region": "eu-central-1", accountId: "100000000000", githubRepository: "o/r" };
        const workload = { accountId: "100000000002", region: "eu-central-1", deployEnvironment: "prod-eu", families: ["api"] };
        assert.throws(() => parseSharedConfig({ ...base, workloads: {} }), /platform-shared:workloads/);
        assert.throws(
            () => parseSharedConfig({ ...base, workloads: { "prod-eu": { ...workload, families: ["web"] } } }),
            /platform-shared:workloads\.prod-eu\.families.*web.*api, api-workers/,
        );
        assert.throws(
            () => parseSharedConfig({ ...base, workloads: { "prod-eu": { ...workload, accountId: "100000000000" } } }),
            /not the shared-services account/,
        );
        assert.throws(() => pullPolicy(["arn:aws:iam::1:user/x"], []), /not an IAM role ARN/);
    });
});
