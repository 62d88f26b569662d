import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import { CloudflareRanges, validateCloudflareRanges } from "../../standards/cloudflare";
import { SPA_WORKER_SOURCE } from "./worker-sources";
import { ComponentTags, withTags } from "../tags";

export { SPA_WORKER_SOURCE };

/** Workers runtime behaviour pinned by date (https://developers.cloudflare.com/workers/configuration/compatibility-dates/). */
export const WORKER_COMPATIBILITY_DATE = "2025-09-01";

/** The arguments of SpaOrigin: what the caller decides about the SPA host. */
export interface SpaOriginArgs {
    /** Cloudflare account and zone of the app host. */
    readonly accountId: pulumi.Input<string>;
    readonly zoneId: pulumi.Input<string>;
    /** The app host (e.g. app.complyhub.io): the Worker's route is `<host>/*`. */
    readonly hostname: string;
    /** The private SPA bucket (all four BPA, no bucket-policy grant) and its region. */
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly region: string;
    /** The bucket's SSE-KMS key: the reader may decrypt with it only through S3 (kms:ViaService). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Cloudflare's egress ranges: the reader's key works only from them (defence in depth if the key leaks). */
    readonly cloudflareRanges: CloudflareRanges;
    /** Physical-name prefix of the IAM user and the Worker script (e.g. platform-prod-eu). */
    readonly namePrefix: string;
    /** Security headers every response carries (the app host's CSP, frame-ancestors, ...). */
    readonly securityHeaders: Record<string, string>;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). Default: none. */
    readonly tags?: ComponentTags;
}

/**
 * The SPA's origin: a Cloudflare Worker on `<app host>/*` that reads a private S3 bucket with SigV4-signed GetObject
 * requests over HTTPS (Full strict end to end), answers SPA routes with index.html (200) and sets cache headers
 * (hashed assets immutable, entry documents revalidated). Its only credential is an IAM user that may call
 * s3:GetObject on the bucket's objects from Cloudflare's ranges and kms:Decrypt through S3, held as a Worker secret.
 * Design notes against the S3 website endpoint, Cloud Connector and R2: README "Edge".
 */
export class SpaOrigin extends pulumi.ComponentResource {
    public readonly scriptName: string;
    public readonly route: cloudflare.WorkersRoute;
    /** The Worker script itself, and the IAM user whose key it holds (read-only on the bucket). */
    public readonly script: cloudflare.WorkersScript;
    public readonly readerUser: aws.iam.User;
    public readonly readerUserName: pulumi.Output<string>;

    constructor(name: string, args: SpaOriginArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:SpaOrigin", name, {}, withTags(opts, args.tags));
        const child = { parent: this };
        const ranges = validateCloudflareRanges(args.cloudflareRanges, `SpaOrigin ${name}`);

        const user = new aws.iam.User(`${name}-reader`, {
            name: `${args.namePrefix}-spa-origin`, path: "/service/",
            tags: { purpose: "Cloudflare Worker reading the private SPA bucket" },
        }, child);
        // IAM evaluates aws:SourceIp for the signed request's caller: Cloudflare's egress. kms:ViaService keeps the key usable
        // only for S3's own decryption (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
        new aws.iam.UserPolicy(`${name}-reader`, {
            name: `${args.namePrefix}-spa-origin-read`,
            user: user.name,
            policy: pulumi.all([args.bucketArn, args.kmsKeyArn]).apply(([bucketArn, keyArn]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ReadSpaObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/*`,
                      Condition: { IpAddress: { "aws:SourceIp": [...ranges.ipv4, ...ranges.ipv6] } } },
                    { Sid: "DecryptThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn,
                      Condition: { StringEquals: { "kms:ViaService": `s3.${args.region}.amazonaws.com` } } },
                ],
            })),
        }, child);
        const key = new aws.iam.AccessKey(`${name}-reader`, { user: user.name }, { ...child, additionalSecretOutputs: ["secret"] });

        this.scriptName = `${args.namePrefix}-spa-origin`;
        const script = new cloudflare.WorkersScript(`${name}-worker`, {
            accountId: args.accountId,
            scriptName: this.scriptName,
            mainModule: "worker.mjs",
            content: SPA_WORKER_SOURCE,
            compatibilityDate: WORKER_COMPATIBILITY_DATE,
            bindings: [
                { name: "BUCKET", type: "plain_text", text: args.bucketName },
                { name: "REGION", type: "plain_text", text: args.region },
                { name: "SECURITY_HEADERS", type: "plain_text", text: JSON.stringify(args.securityHeaders) },
                { name: "AWS_ACCESS_KEY_ID", type: "secret_text", text: key.id },
                { name: "AWS_SECRET_ACCESS_KEY", type: "secret_text", text: pulumi.secret(key.secret) },
            ],
        }, child);
        this.script = script;
        this.route = new cloudflare.WorkersRoute(`${name}-route`, {
            zoneId: args.zoneId, pattern: `${args.hostname}/*`, script: this.scriptName,
        }, { ...child, dependsOn: [script] });
        this.readerUserName = user.name;
        this.readerUser = user;
        this.registerOutputs({ scriptName: this.scriptName, readerUserName: this.readerUserName });
    }
}
