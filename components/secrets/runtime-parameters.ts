import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** One runtime setting: plain configuration, or (secure) a SecureString encrypted with the secrets key. */
export interface RuntimeParameter {
    /** The value the services read. */
    value: pulumi.Input<string>;
    /** What the setting is for (shown in the console and to the pack's sensitivity check). */
    description: string;
    /** Sensitive: stored as SecureString with `kmsKeyId`, value kept a Pulumi secret. */
    secure?: boolean;
}

/** What a caller decides about one environment's runtime configuration. */
export interface RuntimeParametersArgs {
    /** The environment's path, e.g. `/platform-prod-eu/` (leading and trailing slash). */
    readonly path: string;
    /** Settings by relative name under `path`, e.g. `buckets/evidence`, `features/ai-workers`. */
    readonly parameters: Record<string, RuntimeParameter>;
    /** Customer-managed key (the secrets key) for SecureString parameters. */
    readonly kmsKeyId: pulumi.Input<string>;
}

/**
 * Non-secret runtime configuration in SSM Parameter Store under one path per environment, so services read their
 * settings by path. A setting marked secure can only be a SecureString under the customer-managed key.
 */
export class RuntimeParameters extends pulumi.ComponentResource {
    public readonly path: string;
    /** Parameter ARNs by relative name. */
    public readonly arns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RuntimeParametersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:secrets:RuntimeParameters", name, {}, opts);
        if (!/^\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/.test(args.path)) throw new Error(`RuntimeParameters ${name}: path "${args.path}" must ` +
            `look like /<name>/ (letters, digits, _.-)`);
        const arns: Record<string, pulumi.Output<string>> = {};
        for (const [key, p] of Object.entries(args.parameters)) {
            if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(key)) throw new Error(`RuntimeParameters ${name}: parameter name "${key}" may ` +
                `contain only letters, digits, _.- and / between segments`);
            const fullName = `${args.path}${key}`;
            if (fullName.length > 1011) throw new Error(`RuntimeParameters ${name}: parameter name "${fullName}" is longer than SSM allows`);
            const parameter = new aws.ssm.Parameter(`${name}-${key.replace(/[/.]/g, "-")}`, {
                name: fullName,
                description: p.description,
                tier: "Standard",
                ...(p.secure
                    ? { type: "SecureString", keyId: args.kmsKeyId, value: pulumi.secret(p.value) }
                    : { type: "String", value: p.value }),
            }, { parent: this });
            arns[key] = parameter.arn;
        }
        this.path = args.path;
        this.arns = arns;
        this.registerOutputs({ path: this.path, arns: this.arns });
    }
}
