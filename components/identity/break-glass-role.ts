import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { breakGlassTrustPolicy } from "./policy-documents";

/** The tag that marks the one role allowed to carry AdministratorAccess (the pack's `iam-no-wildcard-admin` reads it). */
export const BREAK_GLASS_TAG = "break-glass";

/** The arguments of BreakGlassRole: what the caller decides about emergency access. */
export interface BreakGlassRoleArgs {
    /** Physical role name, e.g. `platform-prod-eu-break-glass` (at most 64 characters). */
    readonly roleName: string;
    /** The account whose IAM users may assume the role (with MFA). */
    readonly accountId: pulumi.Input<string>;
    /** Session length in seconds (AWS allows 3600-43200); also the maximum MFA age accepted. */
    readonly maxSessionSeconds: number;
    /** Topic that is told every time the role is assumed. */
    readonly alertsTopicArn: pulumi.Input<string>;
}

/**
 * The documented emergency path to full administrator access: a role only IAM users of this account can assume, with
 * MFA used within the session limit, sessions of at most `maxSessionSeconds`, tagged `break-glass: true`, and an
 * EventBridge rule that tells the alerts topic each time it is assumed (calls to a regional STS endpoint in this
 * region; the CloudTrail metric-filter alarm of the observability layer sees assumptions from every region).
 */
export class BreakGlassRole extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;

    constructor(name: string, args: BreakGlassRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:BreakGlassRole", name, {}, opts);
        if (args.roleName.length > 64) throw new Error(`BreakGlassRole ${name}: role name ${args.roleName} is longer than IAM's 64 characters`);
        if (args.maxSessionSeconds < 3600 || args.maxSessionSeconds > 43200) throw new Error(`BreakGlassRole ${name}: maxSessionSeconds must be ` +
            `3600-43200, got ${args.maxSessionSeconds}`);
        const child = { parent: this };
        const role = new aws.iam.Role(name, {
            name: args.roleName,
            description: "Break-glass: emergency administrator access, MFA required, every use alerts on-call (see README runbook)",
            assumeRolePolicy: breakGlassTrustPolicy(args.accountId, args.maxSessionSeconds),
            maxSessionDuration: args.maxSessionSeconds,
            tags: { [BREAK_GLASS_TAG]: "true" },
        }, child);
        new aws.iam.RolePolicyAttachment(`${name}-admin`, { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, child);

        const rule = new aws.cloudwatch.EventRule(`${name}-assumed`, {
            name: `${args.roleName}-assumed`.slice(0, 64),
            description: `Every AssumeRole of ${args.roleName}`,
            eventPattern: pulumi.jsonStringify({
                source: ["aws.sts"],
                "detail-type": ["AWS API Call via CloudTrail"],
                detail: { eventSource: ["sts.amazonaws.com"], eventName: ["AssumeRole"], requestParameters: { roleArn: [role.arn] } },
            }),
        }, child);
        new aws.cloudwatch.EventTarget(`${name}-assumed-alerts`, { rule: rule.name, arn: args.alertsTopicArn }, child);

        this.roleArn = role.arn;
        this.roleName = role.name;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }
}
