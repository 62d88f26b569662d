import * as pulumi from "@pulumi/pulumi";
import { RoleBoundary } from "../components";

const ROLE = "aws:iam/role:Role";

/**
 * A resource transform (run by the engine, like the standard tags' in stacks/tagging.ts) that gives every IAM role registered after it the stack's
 * permissions boundary (and makes
 * it wait for the boundary policy: CreateRole fails on a boundary that does not exist yet), except the roles named in
 * `exempt`: the identity roles (deploy, preview, break-glass) that an administrator manages and the deploy role may
 * not touch. Components stay unaware of it, as they are of the standard tags.
 */
export function applyRoleBoundary(boundary: RoleBoundary, exempt: readonly string[]): void {
    pulumi.runtime.registerResourceTransform((args) => {
        if (args.type !== ROLE || exempt.includes(args.props.name)) return undefined;
        return {
            props: { ...args.props, permissionsBoundary: boundary.arn },
            // mergeOptions appends to an existing dependsOn list.
            opts: pulumi.mergeOptions(args.opts, { dependsOn: [boundary.policy] }),
        };
    });
}
