import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { keyPolicy, serviceGrants } from "./key-policy";
import { ComponentTags, withTags } from "../tags";
import { componentAccountId, componentRegion } from "../provider-region";

/** The data classes that get their own customer-managed key. */
export type KeyClass = "data" | "logs" | "secrets" | "backups" | "alerts";
/** The data classes that each get their own customer managed key. */
export const KEY_CLASSES: readonly KeyClass[] = ["data", "logs", "secrets", "backups", "alerts"];

const PURPOSE: Record<KeyClass, string> = {
    data: "data stores: S3 data buckets, RDS storage and Performance Insights, ElastiCache, ECR",
    logs: "CloudWatch log groups, VPC flow logs, CloudTrail log files",
    secrets: "Secrets Manager secrets and SSM SecureString parameters",
    backups: "backup and archive bucket, AWS Backup vaults, cross-region backup copies",
    alerts: "SNS alert and notification topics",
};

/** The arguments of KeyRing: what the caller decides about the stack's keys. */
export interface KeyRingArgs {
    /**
     * Account that owns and administers the keys (its root principal gets the IAM-delegation statement).
     * Default: the provider's account (`aws.getCallerIdentity`).
     */
    readonly accountId?: pulumi.Input<string>;
    /**
     * Region the keys live in; scopes the service grants. When given, it must be the region of the provider in opts
     * (checked). Default: the provider's region (`aws.getRegion`).
     */
    readonly region?: string;
    /** Which classes to create; defaults to all. The DR region needs only `backups`. */
    readonly classes?: readonly KeyClass[];
    /** Alias prefix, e.g. `platform-prod-eu`: aliases become `alias/<prefix>/<class>`. */
    readonly aliasPrefix: string;
    /** Days before a scheduled deletion completes (7-30). Default: 30 (the longest AWS allows). */
    readonly deletionWindowDays?: number;
    /** Protect the keys from `pulumi destroy` and from replacement; false only for throw-away stacks. Default: true. */
    readonly protect?: boolean;
    /** ARN of the trail that encrypts with the logs key (built from its name); the logs key admits CloudTrail for it only. */
    readonly cloudTrailArn?: pulumi.Input<string>;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/** One key of the ring: its ARN, key id and alias. */
export interface ManagedKey {
    /** The key's ARN. */
    readonly arn: pulumi.Output<string>;
    /** The key's id. */
    readonly keyId: pulumi.Output<string>;
    /** The key's alias (`alias/...`). */
    readonly alias: string;
    /** The key resource itself (for `dependsOn`, or to read any other attribute). */
    readonly key: aws.kms.Key;
}

/**
 * One customer-managed KMS key per data class, rotating yearly, with an alias and a key policy that grants the
 * account (through IAM) and only the services that need the key, under conditions. Keys cannot be deleted by
 * accident in prod: they are protected and have the maximum deletion window.
 */
export class KeyRing extends pulumi.ComponentResource {
    public readonly keys: Readonly<Partial<Record<KeyClass, ManagedKey>>>;

    constructor(name: string, args: KeyRingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:KeyRing", name, {}, withTags(opts, args.tags));
        const deletionWindowDays = args.deletionWindowDays ?? 30;
        if (deletionWindowDays < 7 || deletionWindowDays > 30) {
            throw new Error(`KeyRing ${name}: deletionWindowDays must be 7-30, got ${deletionWindowDays}`);
        }
        const region = componentRegion(this, args.region, `KeyRing ${name}`);
        const accountId = componentAccountId(this, args.accountId);
        const keys: Partial<Record<KeyClass, ManagedKey>> = {};
        for (const keyClass of args.classes ?? KEY_CLASSES) {
            const key = new aws.kms.Key(`${name}-${keyClass}`, {
                description: `${args.aliasPrefix} ${keyClass} key: ${PURPOSE[keyClass]}`,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays: deletionWindowDays,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                policy: keyPolicy(accountId, serviceGrants(keyClass, region, accountId, { cloudTrailArn: args.cloudTrailArn })),
                tags: { "key-class": keyClass },
            }, { parent: this, protect: args.protect ?? true });
            const alias = `alias/${args.aliasPrefix}/${keyClass}`;
            new aws.kms.Alias(`${name}-${keyClass}`, { name: alias, targetKeyId: key.keyId }, { parent: this });
            keys[keyClass] = { arn: key.arn, keyId: key.keyId, alias, key };
        }
        this.keys = keys;
        this.registerOutputs({ keys });
    }

    /** The key of `keyClass`; a clear error if the ring was built without it. */
    key(keyClass: KeyClass): ManagedKey {
        const key = this.keys[keyClass];
        if (!key) throw new Error(`KeyRing has no ${keyClass} key; add "${keyClass}" to its classes`);
        return key;
    }
}
