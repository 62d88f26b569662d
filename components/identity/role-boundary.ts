import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { exceptionTag } from "../../standards/tags";

/**
 * The IAM write actions no bounded role may call: with them a role could grant itself (or a role it creates) more
 * than the boundary allows. Reads, PassRole (handing an existing, equally bounded role to a service) stay allowed.
 */
export const IAM_WRITE_ACTIONS = [
    "iam:Create*", "iam:Delete*", "iam:Put*", "iam:Attach*", "iam:Detach*", "iam:Update*", "iam:Add*", "iam:Remove*",
    "iam:Set*", "iam:Upload*", "iam:Tag*", "iam:Untag*", "iam:Change*", "iam:Enable*", "iam:Deactivate*", "iam:Resync*",
];

/** The boundary document: everything the stack's workloads and service roles do, nothing that changes IAM or the account. */
export function roleBoundaryPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            // The same shape as AWS's own boundary policies (e.g. AWSCODAPermissionsBoundary): allow by NotAction.
            // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCODAPermissionsBoundary.html (read 2026-12-03)
            { Sid: "EverythingButIdentityAndAccount", Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*", "sts:AssumeRoot"], Resource: "*" },
            // AWS Backup's restore policy passes roles; AWS Config's managed policy reads IAM.
            { Sid: "IamReadAndPass", Effect: "Allow", Action: ["iam:Get*", "iam:List*", "iam:PassRole"], Resource: "*" },
            { Sid: "NoIamWrites", Effect: "Deny", Action: IAM_WRITE_ACTIONS, Resource: "*" },
        ],
    });
}

/** The arguments of RoleBoundary: the boundary policy's name and account. */
export interface RoleBoundaryArgs {
    /** Physical policy name, e.g. `platform-prod-eu-role-boundary` (the deploy role requires it on every role it manages). */
    readonly policyName: string;
    /** The account the policy lives in (its ARN is known before it exists, so roles can name it). */
    readonly accountId: pulumi.Input<string>;
}

/**
 * The permissions boundary of every role the stack (and so the CI deploy role) creates: a customer-managed policy
 * that caps a role at "anything but IAM, Organizations and Account writes". The deploy role may create or change a
 * role only with this boundary attached (`iam:PermissionsBoundary`), so no role it makes can escalate.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html (read 2026-12-03)
 */
/** Why the boundary is excepted from iam-least-privilege (tag-value characters only: no commas or quotes). */
export const BOUNDARY_EXCEPTION_REASON = "A permissions boundary is a ceiling and grants nothing by itself. It allows every action except IAM writes "
    + "and Organizations and Account calls: NotAction and iam:PassRole on all resources are the ceiling. Each role policy grants the real permissions.";

/** The permissions boundary every workload role gets: a managed policy that caps what any role of the stack may do. */
export class RoleBoundary extends pulumi.ComponentResource {
    public readonly policy: aws.iam.Policy;
    /** The policy ARN, built from the name (known in a preview, before the policy exists). */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: RoleBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:RoleBoundary", name, {}, opts);
        this.policy = new aws.iam.Policy(name, {
            name: args.policyName,
            description: "Permissions boundary of every stack role: no IAM, Organizations or Account writes",
            policy: roleBoundaryPolicy(),
            // A boundary is a ceiling that grants nothing by itself, so the least-privilege checks for grants do not apply.
            tags: { [exceptionTag("iam-least-privilege")]: BOUNDARY_EXCEPTION_REASON },
        }, { parent: this });
        this.arn = pulumi.interpolate`arn:aws:iam::${args.accountId}:policy/${args.policyName}`;
        this.registerOutputs({ arn: this.arn });
    }
}
