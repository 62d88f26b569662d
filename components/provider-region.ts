import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/**
 * Fails the run when a component's `region` argument is not the region of the AWS provider its resources use: the
 * component builds ARNs, `kms:ViaService` conditions and service principals from the argument, so a mismatch would
 * deploy wrong policies silently. The region comes from `aws.getRegion` invoked with the component as parent, which
 * uses the component's provider (https://www.pulumi.com/registry/packages/aws/api-docs/getregion/).
 */
export function checkProviderRegion(component: pulumi.ComponentResource, region: string, where: string): void {
    aws.getRegionOutput({}, { parent: component }).region.apply((actual) => {
        if (actual && actual !== region) {
            throw new Error(`${where}: region "${region}" is not the region of its AWS provider ("${actual}"); pass the provider of ${region} in opts`);
        }
    });
}
