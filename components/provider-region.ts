import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** The region of the AWS provider `component`'s resources use: `aws.getRegion` invoked with the component as parent. */
function providerRegion(component: pulumi.ComponentResource): pulumi.Output<string> {
    return aws.getRegionOutput({}, { parent: component }).region;
}

/**
 * Fails the run when a component's `region` argument is not the region of the AWS provider its resources use: the
 * component builds ARNs, `kms:ViaService` conditions and service principals from the argument, so a mismatch would
 * deploy wrong policies silently. The region comes from `aws.getRegion` invoked with the component as parent, which
 * uses the component's provider (https://www.pulumi.com/registry/packages/aws/api-docs/getregion/).
 */
function checkProviderRegion(component: pulumi.ComponentResource, region: string, where: string): void {
    providerRegion(component).apply((actual) => {
        if (actual && actual !== region) {
            throw new Error(`${where}: region "${region}" is not the region of its AWS provider ("${actual}"); pass the provider of ${region} in opts`);
        }
    });
}

/**
 * The region a component builds its ARNs, endpoint names and service principals from: `given` when the caller passes
 * one (checked against the provider, as checkProviderRegion), else the region of the component's AWS provider (the
 * one in opts, inherited from a parent, or the default provider), read with `aws.getRegion` and the component as
 * parent, as awsx derives it (awsx/utils.ts `getRegion`). The invoke runs at preview too, so the value is known there.
 */
export function componentRegion(component: pulumi.ComponentResource, given: string | undefined, where: string): pulumi.Output<string> {
    if (given === undefined) return providerRegion(component);
    checkProviderRegion(component, given, where);
    return pulumi.output(given);
}

/** The account of the credentials the component's AWS provider uses (`aws.getCallerIdentity` with the component as parent). */
export function componentAccountId(component: pulumi.ComponentResource, given: pulumi.Input<string> | undefined): pulumi.Output<string> {
    return given === undefined ? aws.getCallerIdentityOutput({}, { parent: component }).accountId : pulumi.output(given);
}
