import * as pulumi from "@pulumi/pulumi";

/** An IAM condition block: operator -> condition key -> value(s). */
export type TrustCondition = Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;

/**
 * The trust policy of a service role: `service` may assume it, under `condition`: the confused-deputy guard
 * (`aws:SourceAccount` / `aws:SourceArn`, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 * Leave `condition` out only for a service that does not send those keys when it assumes the role (say why there).
 */
export function serviceTrustPolicy(service: pulumi.Input<string>, condition?: TrustCondition): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
    });
}
