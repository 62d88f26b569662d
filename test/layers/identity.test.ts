import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { buildIdentity, buildRoleBoundary } from "../../stacks/layers/identity";
import { MFA_SELF_SERVICE_ACTIONS } from "../../components";
import { runPolicies } from "../../offline/policy-runner";
import { identityPolicies } from "../../policy/identity";
import { stackCache } from "../fixtures/stack-cache";

const ACCOUNT = "111122223333";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";

const records = stackCache<Promise<Recorded>>();
const recordOf = (stack: string) => {
    if (!records.has(stack)) {
        records.set(stack, recordWithStackConfig(stack, (cfg) => {
            const opts = { providers: [new aws.Provider("aws", { region: cfg.region as aws.Region })] };
            return buildIdentity(cfg, {
                accountId: ACCOUNT, alertsTopicArn: `arn:aws:sns:${cfg.region}:${ACCOUNT}:alerts`, roleBoundary: buildRoleBoundary(cfg, ACCOUNT, opts),
            }, opts);
        }));
    }
    return records.get(stack)!;
};
const doc = (rec: Recorded, type: string, name: string, prop: string) => JSON.parse(rec.inputsOf(rec.one(type, name))[prop]);

for (const stack of ["dev", "prod-eu", "prod-il"]) {
    describe(`identity layer, stack ${stack}`, () => {
        it("passes the identity policies (no wildcard admin, MFA on every group)", async () => {
            const found = await runPolicies(identityPolicies, (await recordOf(stack)).resources);
            assert.deepEqual(found.map((v) => `${v.policy}: ${v.message}`), []);
        });

        it("creates admins, developers and read-only groups and no IAM users", async () => {
            const rec = await recordOf(stack);
            assert.deepEqual(rec.ofType("aws:iam/group:Group").map((g) => rec.inputsOf(g).name).sort(),
                [`platform-${stack}-admins`, `platform-${stack}-developers`, `platform-${stack}-read-only`]);
            assert.deepEqual(rec.resources.filter((r) => r.type.startsWith("aws:iam/user")), []);
        });

        it("attaches the MFA-required deny policy to every human group", async () => {
            const rec = await recordOf(stack);
            const mfa = rec.one("aws:iam/policy:Policy", "humans-mfa-required");
            const deny = JSON.parse(rec.inputsOf(mfa).policy).Statement.find((s: any) => s.Effect === "Deny");
            assert.deepEqual(deny.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
            assert.deepEqual(deny.NotAction, MFA_SELF_SERVICE_ACTIONS);
            for (const group of rec.ofType("aws:iam/group:Group")) {
                const attached = rec.pointingAt("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "group", group);
                assert.ok(attached.some((a) => a.propertyDependencies.policyArn?.includes(mfa.urn)), `${group.name} lacks the MFA policy`);
            }
        });

        it("gives no group AdministratorAccess; admins get PowerUserAccess and IAM read, read-only ReadOnlyAccess", async () => {
            const rec = await recordOf(stack);
            const byGroup = (g: string) =>
                rec
                    .ofType("aws:iam/groupPolicyAttachment:GroupPolicyAttachment")
                    .filter((a) => a.name.startsWith(`humans-${g}-`))
                    .map((a) => rec.inputsOf(a).policyArn);
            assert.ok(!rec.ofType("aws:iam/groupPolicyAttachment:GroupPolicyAttachment").some((a) => rec.inputsOf(a).policyArn === ADMIN));
            assert.ok(byGroup("admins").includes("arn:aws:iam::aws:policy/PowerUserAccess"));
            assert.ok(byGroup("read-only").includes("arn:aws:iam::aws:policy/ReadOnlyAccess"));
            const dev = doc(rec, "aws:iam/policy:Policy", "humans-developer", "policy");
            // Developers read and open bastion sessions; nothing else. No wildcard service grant (`*`, `iam:*`), no IAM at all.
            const actions: string[] = dev.Statement.filter((s: any) => s.Effect === "Allow").flatMap((s: any) => [s.Action].flat());
            assert.deepEqual(actions.filter((a) => a === "*" || a.endsWith(":*") || a.startsWith("iam:")), []);
            const reads = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Filter|StartQuery|StopQuery)[A-Za-z]*\*?$/;
            const sessions = ["ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession"];
            assert.deepEqual(actions.filter((a) => !reads.test(a) && !sessions.includes(a)), [], "developer actions beyond reads and sessions");
            const session = dev.Statement.find((s: any) => s.Sid === "SessionToBastionOnly");
            assert.deepEqual(session.Condition, { StringEquals: { "ssm:resourceTag/Name": `platform-${stack}-bastion` } });
        });

        it("sets the account password policy: 14+ characters, all classes, 90 days, 24 remembered", async () => {
            const rec = await recordOf(stack);
            const [policy] = rec.ofType("aws:iam/accountPasswordPolicy:AccountPasswordPolicy").map((p) => rec.inputsOf(p));
            assert.equal(policy.minimumPasswordLength, 14);
            assert.equal(policy.maxPasswordAge, 90);
            assert.equal(policy.passwordReusePrevention, 24);
            for (const k of ["requireLowercaseCharacters", "requireUppercaseCharacters", "requireNumbers", "requireSymbols", "allowUsersToChangePassword"])
                assert.equal(policy[k], true, k);
        });

        it("lets only this account's users with recent MFA assume the break-glass role, for an hour, and alerts on its use", async () => {
            const rec = await recordOf(stack);
            const role = rec.one("aws:iam/role:Role", "break-glass");
            const inputs = rec.inputsOf(role);
            assert.equal(inputs.maxSessionDuration, 3600);
            assert.equal(inputs.tags["break-glass"], "true");
            const [trust] = JSON.parse(inputs.assumeRolePolicy).Statement;
            assert.equal(trust.Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
            assert.deepEqual(trust.Condition.Bool, { "aws:MultiFactorAuthPresent": "true" });
            assert.deepEqual(trust.Condition.NumericLessThan, { "aws:MultiFactorAuthAge": "3600" });
            const admin = rec.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => rec.inputsOf(a).policyArn === ADMIN);
            assert.deepEqual(admin.map((a) => a.name), ["break-glass-admin"], "AdministratorAccess is attached to the break-glass role only");
            const pattern = JSON.parse(rec.inputsOf(rec.one("aws:cloudwatch/eventRule:EventRule", "break-glass-assumed")).eventPattern);
            assert.deepEqual(pattern.detail.eventName, ["AssumeRole"]);
            assert.match(pattern.detail.requestParameters.roleArn[0], new RegExp(`role/platform-${stack}-break-glass$`));
            assert.equal(
                rec.inputsOf(rec.one("aws:cloudwatch/eventTarget:EventTarget", "break-glass-assumed-alerts")).arn,
                `arn:aws:sns:${stack === "prod-il" ? "il-central-1" : "eu-central-1"}:${ACCOUNT}:alerts`,
            );
        });

        it("trusts the GitHub OIDC deploy role only from the configured repository and environment", async function () {
            // prod-eu and prod-il trust the shared-services hub roles instead (test/topology.test.ts).
            if (stack !== "dev") this.skip();
            const rec = await recordOf(stack);
            const oidc = rec.inputsOf(rec.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github-oidc"));
            assert.equal(oidc.url, "https://token.actions.githubusercontent.com");
            assert.deepEqual(oidc.clientIdLists, ["sts.amazonaws.com"]);
            const deploy = rec.inputsOf(rec.one("aws:iam/role:Role", "github-deploy"));
            // Long RDS/ElastiCache operations: 4 h deploy sessions; previews stay at 1 h.
            assert.equal(deploy.maxSessionDuration, 14400);
            assert.equal(rec.inputsOf(rec.one("aws:iam/role:Role", "github-preview")).maxSessionDuration, 3600);
            const statements = JSON.parse(deploy.assumeRolePolicy).Statement;
            assert.equal(statements.length, 1);
            assert.equal(statements[0].Action, "sts:AssumeRoleWithWebIdentity");
            assert.match(statements[0].Principal.Federated, /oidc-provider\/token\.actions\.githubusercontent\.com$/);
            assert.deepEqual(statements[0].Condition, { StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": `repo:complyhub/platform-infra:environment:${stack}`,
            } });
            const preview = JSON.parse(rec.inputsOf(rec.one("aws:iam/role:Role", "github-preview")).assumeRolePolicy).Statement[0];
            assert.equal(
                preview.Condition.StringEquals["token.actions.githubusercontent.com:sub"],
                `repo:complyhub/platform-infra:environment:${stack}-preview`,
            );
        });

        it("in the shared-services topology trusts only the hub roles and cannot manage a GitHub OIDC provider", async function () {
            if (stack === "dev") this.skip();
            const rec = await recordOf(stack);
            assert.deepEqual(rec.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider"), []);
            const deploy = rec.inputsOf(rec.one("aws:iam/role:Role", "github-deploy"));
            assert.equal(deploy.maxSessionDuration, 14400);
            assert.equal(JSON.parse(deploy.assumeRolePolicy).Statement[0].Principal.AWS, `arn:aws:iam::100000000000:role/platform-hub-${stack}-deploy`);
            const iam = doc(rec, "aws:iam/policy:Policy", "github-deploy-iam", "policy");
            assert.ok(!iam.Statement.some((s: any) => s.Sid === "ManageGithubOidcProvider"));
            const state = doc(rec, "aws:iam/rolePolicy:RolePolicy", "github-preview-state", "policy").Statement;
            assert.equal(state.find((s: any) => s.Sid === "StateLock").Resource,
                `arn:aws:s3:::platform-pulumi-state-100000000000-eu-central-1/.pulumi/locks/platform/${stack}/*`);
            const viaS3 = state.find((s: any) => s.Sid === "SharedStateBucketKeyThroughS3");
            assert.deepEqual(viaS3.Condition, { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } });
        });

        it("gives the deploy role PowerUserAccess and IAM only on the stack's own names, and never AdministratorAccess", async () => {
            const rec = await recordOf(stack);
            const attached = rec
                .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.name.startsWith("github-deploy"))
                .map((a) => rec.inputsOf(a).policyArn);
            assert.ok(attached.includes("arn:aws:iam::aws:policy/PowerUserAccess"));
            assert.ok(!attached.includes(ADMIN));
            const iam = doc(rec, "aws:iam/policy:Policy", "github-deploy-iam", "policy");
            for (const s of iam.Statement) {
                assert.ok(!(s.Action === "*" || s.Action === "iam:*"), `${s.Sid} allows everything`);
                if (s.Effect === "Allow" && s.Resource === "*")
                    assert.ok(
                        [].concat(s.Action).every((a: string) => /^iam:(Get|List)\*$|AccountPasswordPolicy$/.test(a)),
                        `${s.Sid} is unscoped`,
                    );
            }
            assert.equal(iam.Statement.find((s: any) => s.Sid === "ManageStackRoles").Resource, `arn:aws:iam::${ACCOUNT}:role/platform-${stack}-*`);
            // The break-glass role is administrator-managed: the deploy role attaches AdministratorAccess nowhere.
            const broad = iam.Statement.find((s: any) => s.Sid === "DenyBroadManagedPolicies");
            assert.equal(broad.Effect, "Deny");
            assert.ok(broad.Condition.ArnLike["iam:PolicyARN"].includes(ADMIN));
        });

        it("keeps every role name within IAM's 64 characters", async () => {
            const rec = await recordOf(stack);
            for (const role of rec.ofType("aws:iam/role:Role")) assert.ok(rec.inputsOf(role).name.length <= 64, role.name);
        });
    });
}
