import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ComponentTags, withTags } from "../tags";

/** The arguments of ContainerRegistry: what the caller decides about the ECR repositories. */
export interface ContainerRegistryArgs {
    /** Repository names to create, keyed by the caller's name for them (e.g. `api` -> `platform/api`). */
    readonly repositories: Readonly<Record<string, string>>;
    /** KMS key that encrypts the images (the data key). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** How many images each repository keeps; older ones expire (the lifecycle policy). Default: 50. */
    readonly keepImages?: number;
    /** Other AWS accounts that may pull images; empty means no repository policy at all. Default: none (this account only). */
    readonly pullAccountIds?: readonly string[];
    /**
     * Exactly these roles (in other accounts) may pull, per repository key: the ECS task execution roles of the
     * workload stacks. Takes the place of `pullAccountIds` for the repositories it names.
     */
    readonly pullRoleArns?: Readonly<Record<string, readonly string[]>>;
    /** Protect the repositories from deletion and replacement; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). Default: none. */
    readonly tags?: ComponentTags;
}

/** Images each repository keeps when the caller does not say (ContainerRegistryArgs.keepImages). */
const KEEP_IMAGES = 50;

/** The URL and ARN of one repository. */
export interface Repository {
    url: pulumi.Output<string>;
    arn: pulumi.Output<string>;
}

/**
 * ECR repositories for the platform's images: tags are immutable (a deployed tag always means the same image),
 * every push is scanned, images are encrypted with the customer-managed data key, and each repository keeps only
 * its last `keepImages` images. Only the listed accounts may pull, and only pull.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
    public readonly repositories: Readonly<Record<string, Repository>>;

    constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ContainerRegistry", name, {}, withTags(opts, args.tags));
        const keepImages = args.keepImages ?? KEEP_IMAGES;
        if (!Number.isInteger(keepImages) || keepImages < 1) throw new Error(`ContainerRegistry ${name}: keepImages must be a positive integer, ` +
            `got ${keepImages}`);
        const repositories: Record<string, Repository> = {};
        for (const [key, repositoryName] of Object.entries(args.repositories)) {
            const repo = new aws.ecr.Repository(`${name}-${key}`, {
                name: repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                forceDelete: false,
            }, { parent: this, protect: args.protect ?? true });
            new aws.ecr.LifecyclePolicy(`${name}-${key}`, {
                repository: repo.name,
                policy: JSON.stringify({
                    rules: [{
                        rulePriority: 1,
                        description: `keep the last ${keepImages} images`,
                        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keepImages },
                        action: { type: "expire" },
                    }],
                }),
            }, { parent: this });
            const policy = pullPolicy(args.pullRoleArns?.[key], args.pullAccountIds ?? []);
            if (policy) new aws.ecr.RepositoryPolicy(`${name}-${key}`, { repository: repo.name, policy }, { parent: this });
            repositories[key] = { url: repo.repositoryUrl, arn: repo.arn };
        }
        this.repositories = repositories;
        this.registerOutputs({ repositories });
    }
}

/** The read-only actions an image pull needs (the puller's own ecr:GetAuthorizationToken is an IAM-side grant). */
const PULL_ACTIONS = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"];

/**
 * A repository policy that lets only the given roles pull, or (without roles) the given accounts; none when neither.
 * Roles are named in an `aws:PrincipalArn` condition under their accounts' root principal: ECR refuses a policy whose
 * principal is a role that does not exist yet ("invalid repository policy"), and the shared registry is created before
 * the workload stacks that create the roles. The condition admits exactly those role ARNs and nothing else.
 * https://repost.aws/knowledge-center/secondary-account-access-ecr;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function pullPolicy(roleArns: readonly string[] | undefined, accountIds: readonly string[]): string | undefined {
    if (roleArns?.length) {
        const accounts = [...new Set(roleArns.map((arn) => /^arn:aws:iam::(\d{12}):role\/.+$/.exec(arn)?.[1] ?? fail(arn)))].sort();
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "WorkloadExecutionRolesPull", Effect: "Allow",
                Principal: { AWS: accounts.map((id) => `arn:aws:iam::${id}:root`) },
                Action: PULL_ACTIONS,
                Condition: { ArnEquals: { "aws:PrincipalArn": [...roleArns].sort() } },
            }],
        });
    }
    if (!accountIds.length) return undefined;
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "CrossAccountPull", Effect: "Allow", Principal: { AWS: accountIds.map((id) => `arn:aws:iam::${id}:root`) }, Action: PULL_ACTIONS }],
    });
}

function fail(arn: string): never {
    throw new Error(`ContainerRegistry: ${arn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
}
