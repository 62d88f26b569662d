import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The arguments of ContainerRegistry: what the caller decides about the ECR repositories. */
export interface ContainerRegistryArgs {
    /** Repository names to create, keyed by the caller's name for them (e.g. `api` -> `platform/api`). */
    repositories: Record<string, string>;
    /** KMS key that encrypts the images (the data key). */
    kmsKeyArn: pulumi.Input<string>;
    /** How many images each repository keeps; older ones expire (the lifecycle policy). */
    keepImages: number;
    /** Other AWS accounts that may pull images; empty means no repository policy at all. */
    pullAccountIds: string[];
    /** Protect the repositories from deletion and replacement (prod). */
    protect: boolean;
}

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
        super("platform:compute:ContainerRegistry", name, {}, opts);
        if (!Number.isInteger(args.keepImages) || args.keepImages < 1) throw new Error(`ContainerRegistry ${name}: keepImages must be a positive integer, got ${args.keepImages}`);
        const repositories: Record<string, Repository> = {};
        for (const [key, repositoryName] of Object.entries(args.repositories)) {
            const repo = new aws.ecr.Repository(`${name}-${key}`, {
                name: repositoryName,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }],
                forceDelete: false,
            }, { parent: this, protect: args.protect });
            new aws.ecr.LifecyclePolicy(`${name}-${key}`, {
                repository: repo.name,
                policy: JSON.stringify({
                    rules: [{
                        rulePriority: 1,
                        description: `keep the last ${args.keepImages} images`,
                        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: args.keepImages },
                        action: { type: "expire" },
                    }],
                }),
            }, { parent: this });
            if (args.pullAccountIds.length > 0) {
                new aws.ecr.RepositoryPolicy(`${name}-${key}`, {
                    repository: repo.name,
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{
                            Sid: "CrossAccountPull",
                            Effect: "Allow",
                            Principal: { AWS: args.pullAccountIds.map((id) => `arn:aws:iam::${id}:root`) },
                            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                        }],
                    }),
                }, { parent: this });
            }
            repositories[key] = { url: repo.repositoryUrl, arn: repo.arn };
        }
        this.repositories = repositories;
        this.registerOutputs({ repositories });
    }
}
