import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** A log bucket the SIEM reads, with the prefixes it may read and the key its objects are encrypted with (none for SSE-S3). */
export interface FetchedLogBucket {
    name: pulumi.Input<string>;
    /** Object key prefixes the fetcher may read (e.g. `alb/access`); undefined: the whole bucket. */
    prefixes?: string[];
    /** KMS key of an SSE-KMS bucket: the fetcher may decrypt with it through S3 only. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Region of the bucket (kms:ViaService is regional). */
    region: string;
}

/** The arguments of S3LogFetcher: the SIEM's fetcher account, its external id and the log buckets it may read. */
export interface S3LogFetcherArgs {
    /** Physical name of the role, e.g. `platform-prod-eu-logzio-s3-fetch`. */
    readonly roleName: string;
    /** The SIEM's AWS account that assumes the role (Logz.io shows it in its S3 connector form). */
    readonly fetcherAccountId: string;
    /** The external id the SIEM sends (shown in the same form): a confused-deputy guard, required for a third party. */
    readonly externalId: string;
    readonly buckets: FetchedLogBucket[];
}

/**
 * Log files that AWS services write only to S3 (ALB access and connection logs, S3 server access logs) reach the SIEM
 * through its documented S3 fetcher: Logz.io assumes this role (its account, with the external id), lists the buckets
 * and reads new objects under the given prefixes. Read-only; nothing else. Logz.io's own permission list:
 * https://docs.logz.io/docs/user-guide/admin/give-aws-access-with-iam-roles/ (s3:ListBucket, s3:GetObject).
 */
export class S3LogFetcher extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: S3LogFetcherArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:observability:S3LogFetcher", name, {}, opts);
        if (!/^\d{12}$/.test(args.fetcherAccountId)) {
            throw new Error(`S3LogFetcher ${name}: fetcherAccountId must be a 12-digit AWS account id, got ${args.fetcherAccountId}`);
        }
        if (!args.externalId) throw new Error(`S3LogFetcher ${name}: externalId is required (a third party assumes the role)`);
        if (args.buckets.length === 0) throw new Error(`S3LogFetcher ${name}: no buckets to fetch from`);
        const role = new aws.iam.Role(`${name}`, {
            name: args.roleName,
            description: "The SIEM's S3 fetcher reads the log buckets (ALB and S3 access logs)",
            maxSessionDuration: 3600,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{
                    Effect: "Allow", Principal: { AWS: `arn:aws:iam::${args.fetcherAccountId}:root` }, Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "sts:ExternalId": args.externalId } },
                }],
            }),
        }, { parent: this });
        const keys = args.buckets.filter((b) => b.kmsKeyArn);
        new aws.iam.RolePolicy(`${name}-read`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ListLogBuckets", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                        Resource: args.buckets.map((b) => pulumi.interpolate`arn:aws:s3:::${b.name}`),
                    },
                    {
                        Sid: "ReadLogObjects", Effect: "Allow", Action: "s3:GetObject",
                        Resource: args.buckets.flatMap((b) => (b.prefixes ?? [""]).map((p) => pulumi.interpolate`arn:aws:s3:::${b.name}/${p ? `${p}/` : ""}*`)),
                    },
                    ...keys.map((b, i) => ({
                        Sid: `DecryptThroughS3${i}`, Effect: "Allow", Action: "kms:Decrypt", Resource: b.kmsKeyArn!,
                        Condition: { StringEquals: { "kms:ViaService": `s3.${b.region}.amazonaws.com` } },
                    })),
                ],
            }),
        }, { parent: this });
        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
