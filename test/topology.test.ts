import { strict as assert } from "assert";
import { stackRecord } from "../offline/testing";
import { GITHUB_OIDC_HOST, guardDutyAgentRepositoryArn } from "../components";
import { parseConfig } from "../stacks/config";
import { rawConfigOf } from "./fixtures/raw-config";

/** The account map (README "From zero to first deploy"): shared-services holds the registry and the GitHub trust. */
const SHARED_ACCOUNT = "100000000000";
const trustOf = (rec: Awaited<ReturnType<typeof stackRecord>>, name: string) => JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", name)).assumeRolePolicy);

describe("account topology of the workload stacks", () => {
    for (const stack of ["prod-eu", "prod-il"]) {
        it(`${stack}: no role trusts GitHub's OIDC provider; deploy and preview roles trust only their hub role`, async () => {
            const rec = await stackRecord(stack);
            assert.deepEqual(rec.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
            for (const role of rec.ofType("aws:iam/role:Role")) {
                const text = rec.inputsOf(role).assumeRolePolicy;
                assert.ok(
                    !String(text).includes(GITHUB_OIDC_HOST) && !String(text).includes("AssumeRoleWithWebIdentity"),
                    `${role.name} trusts GitHub directly`,
                );
            }
            for (const kind of ["deploy", "preview"]) {
                const statements = trustOf(rec, `github-${kind}`).Statement;
                assert.equal(statements.length, 1);
                assert.deepEqual(statements[0].Principal, { AWS: `arn:aws:iam::${SHARED_ACCOUNT}:role/platform-hub-${stack}-${kind}` });
                assert.deepEqual([statements[0].Action].flat().sort(), ["sts:AssumeRole", "sts:TagSession"]);
                assert.deepEqual(statements[0].Condition, { StringEquals: { "sts:ExternalId": `platform-${stack}-github-${kind}` } });
            }
        });

        it(`${stack}: creates no repositories and pulls each family's image from the shared registry, resource-scoped`, async () => {
            const rec = await stackRecord(stack);
            assert.deepEqual(rec.ofType("aws:ecr/repository:Repository"), []);
            const region = rec.outputs.region;
            for (const def of rec.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
                const containers = JSON.parse(rec.inputsOf(def).containerDefinitions);
                assert.match(containers[0].image, new RegExp(`^${SHARED_ACCOUNT}\\.dkr\\.ecr\\.eu-central-1\\.amazonaws\\.com/platform/[a-z-]+:`), def.name);
            }
            for (const policy of rec.ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name.endsWith("-execution"))) {
                const pull = JSON.parse(rec.inputsOf(policy).policy).Statement.find((s: any) => [s.Action].flat().includes("ecr:BatchGetImage"));
                const own = [pull.Resource].flat().filter((r: string) => r !== guardDutyAgentRepositoryArn(region));
                assert.equal(own.length, 1, policy.name);
                assert.match(own[0], new RegExp(`^arn:aws:ecr:eu-central-1:${SHARED_ACCOUNT}:repository/platform/[a-z-]+$`), policy.name);
            }
            assert.ok(region);
        });
    }

    it("dev keeps the single-account mode: its own repositories and GitHub OIDC trust", async () => {
        const rec = await stackRecord("dev");
        assert.equal(rec.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 1);
        assert.ok(rec.ofType("aws:ecr/repository:Repository").length >= 3);
        const trust = trustOf(rec, "github-deploy").Statement[0];
        assert.equal(trust.Action, "sts:AssumeRoleWithWebIdentity");
        assert.equal(trust.Condition.StringEquals[`${GITHUB_OIDC_HOST}:sub`], "repo:complyhub/platform-infra:environment:dev");
    });

    it("rejects topology config naming the key, the value and what is allowed", () => {
        const ctx = (stack: string) => ({ project: "platform", stack, secretValues: {} as any });
        const eu = rawConfigOf("prod-eu");
        const topo = (t: Record<string, unknown>) => parseConfig({ ...eu, topology: { ...(eu.topology as object), ...t } }, ctx("prod-eu"));
        assert.throws(() => topo({ sharedServicesAccountId: 12345 }), /platform:topology\.sharedServicesAccountId.*12-digit/);
        assert.throws(() => topo({ sharedServicesRegion: "mars-1" }), /platform:topology\.sharedServicesRegion.*one of/);
        assert.throws(
            () => topo({ hubRoleNames: { deploy: "x", preview: "x" } }),
            /platform:topology\.hubRoleNames\.preview.*previews must never reach the deploy role/,
        );
        assert.throws(() => topo({ mode: "hub" }), /platform:topology\.mode.*single-account, shared-services/);
        const dev = rawConfigOf("dev");
        assert.throws(() => parseConfig({ ...dev, registry: { mode: "shared" } }, ctx("dev")), /platform:registry\.mode.*one of create, external/);
        const own = parseConfig({ ...eu, registry: { mode: "create" } }, ctx("prod-eu"));
        assert.equal(own.registry.mode, "create", "a shared-topology stack may still build its own repositories when it says so");
    });
});
