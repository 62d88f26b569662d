// The shared-services account's program (README "From zero to first deploy", step 1): the Pulumi state bucket and
// its key for every workload stack, the one container registry every environment pulls the same images from, and
// GitHub Actions' entry point (the OIDC provider and one deploy and one preview hub role per workload environment).
// Offline: `npm run plan:shared` (= `npm run plan -- --stack shared --program shared/index.ts`).
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ContainerRegistry, GithubHubRoles, keyPolicy } from "../components";
import { buildStateBackend } from "../bootstrap/state-backend";
import { applyStandardTags } from "../stacks/tagging";
import { executionRoleName, hubRoleName, stateBucketName, workloadRoleName } from "../stacks/topology";
import { SharedConfig, SharedWorkload, parseSharedConfig } from "./config";
import { stateAccessStatements, stateKeyStatements } from "./state-access";

/** The workload program's project name: its repositories are `<project>/<family>`, its roles `<project>-<stack>-...`. */
const WORKLOAD_PROJECT = "platform";
/** Images kept per repository (the architecture: "retain last 50 images"). */
export const KEEP_IMAGES = 50;
/**
 * The hub roles' OIDC session. The chained AssumeRole into the workload role is capped at 1 h by STS whatever the
 * source session's length, so a longer hub session buys nothing.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
const HUB_SESSION_SECONDS = 3600;

export function loadSharedConfig(): SharedConfig {
    const project = pulumi.getProject();
    const config = new pulumi.Config();
    const raw: Record<string, unknown> = { "aws:region": new pulumi.Config("aws").get("region") };
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(`${project}:`)) raw[key.slice(project.length + 1)] = value;
    }
    raw.workloads = config.getObject("workloads");
    return parseSharedConfig(raw);
}

export function buildShared(cfg: SharedConfig): Record<string, unknown> {
    applyStandardTags({
        environment: "prod",
        project: "platform",
        service: "shared-services",
        owner: "platform-engineering",
        "data-classification": "confidential",
        "cost-center": "cc-1000-platform-shared",
        "managed-by": "pulumi",
        stack: pulumi.getStack(),
    });
    const provider = new aws.Provider("shared", { region: cfg.region as aws.Region, allowedAccountIds: [cfg.accountId] });
    const roleArn = (w: SharedWorkload, name: string) => `arn:aws:iam::${w.accountId}:role/${name}`;
    const targets = cfg.workloads.map((w) => ({
        workload: w,
        deploy: roleArn(w, workloadRoleName(WORKLOAD_PROJECT, w.stack, "deploy")),
        preview: roleArn(w, workloadRoleName(WORKLOAD_PROJECT, w.stack, "preview")),
    }));

    // State: one bucket, each workload's roles confined to their own stack's objects.
    const backend = buildStateBackend({
        provider,
        account: cfg.accountId,
        region: cfg.region,
        keyStatements: stateKeyStatements(cfg.region, targets),
        bucketStatements: stateAccessStatements(stateBucketName(cfg.accountId, cfg.region), WORKLOAD_PROJECT, targets),
    });

    // Registry: one repository per family any workload runs; exactly the execution roles of that family may pull.
    // ECR decrypts layers for a pull through the grant it made on the key when it created the repository (the
    // repository is the grantee), so the pulling accounts need no KMS permission of their own, and the key must be in
    // the registry's region. https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
    const registryKey = new aws.kms.Key(
        "registry",
        {
            description: "Encrypts the shared container registry's images",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: keyPolicy(cfg.accountId, []),
        },
        { provider, protect: true },
    );
    new aws.kms.Alias("registry", { name: "alias/platform-registry", targetKeyId: registryKey.keyId }, { provider });
    const families = [...new Set(cfg.workloads.flatMap((w) => w.families))].sort();
    const registry = new ContainerRegistry(
        "registry",
        {
            repositories: Object.fromEntries(families.map((f) => [f, `${WORKLOAD_PROJECT}/${f}`])),
            kmsKeyArn: registryKey.arn,
            keepImages: KEEP_IMAGES,
            pullAccountIds: [],
            pullRoleArns: Object.fromEntries(
                families.map((f) => [
                    f,
                    cfg.workloads.filter((w) => w.families.includes(f)).map((w) => roleArn(w, executionRoleName(WORKLOAD_PROJECT, w.stack, f))),
                ]),
            ),
            protect: true,
        },
        { provider },
    );

    const hub = new GithubHubRoles(
        "github",
        {
            repository: cfg.githubRepository,
            maxSessionSeconds: HUB_SESSION_SECONDS,
            environments: targets.map((t) => ({
                stack: t.workload.stack,
                deployEnvironment: t.workload.deployEnvironment,
                hubRoleNames: { deploy: hubRoleName(t.workload.stack, "deploy"), preview: hubRoleName(t.workload.stack, "preview") },
                targetRoleArns: { deploy: t.deploy, preview: t.preview },
            })),
        },
        { provider },
    );

    return {
        region: cfg.region,
        stateBucket: backend.stateBucket,
        loginUrl: backend.loginUrl,
        secretsProvider: backend.secretsProvider,
        registryUrl: `${cfg.accountId}.dkr.ecr.${cfg.region}.amazonaws.com`,
        ecrRepositoryUrls: Object.fromEntries(Object.entries(registry.repositories).map(([f, r]) => [f, r.url])),
        oidcProviderArn: hub.oidcProviderArn,
        // Per workload: the GitHub environment variables AWS_HUB_ROLE_ARN of `<stack>` and `<stack>-preview`.
        hubRoleArns: hub.hubRoleArns,
    };
}

export default async () => buildShared(loadSharedConfig());
