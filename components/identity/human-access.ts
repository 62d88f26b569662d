import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { developerPolicy, mfaRequiredPolicy } from "./policy-documents";

/** The human groups and the AWS managed policies each carries besides the MFA policy. */
export const HUMAN_GROUPS = {
    // PowerUserAccess excludes IAM, Organizations and Account; IAM read lets admins review access. Full admin is the break-glass role only.
    admins: ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMReadOnlyAccess"],
    developers: [] as string[],
    "read-only": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
} as const;
/** A human access group: its name selects its managed policies. */
export type HumanGroup = keyof typeof HUMAN_GROUPS;

/** The arguments of HumanAccess: what the caller decides about human IAM access. */
export interface HumanAccessArgs {
    /** Physical name prefix of groups and policies, e.g. `platform-prod-eu` (groups `<prefix>-admins`, ...). */
    readonly namePrefix: string;
    /** Region and account the developer policy is scoped to. */
    readonly region: string;
    readonly accountId: pulumi.Input<string>;
    /** Name tag of the Session Manager bastion developers may open sessions to. */
    readonly bastionName: string;
    /**
     * Manage the account password policy (default true). It is one per account: a second stack in the same account
     * (the region-recovery stack) leaves it to the first, or destroying that stack would delete the account's policy.
     */
    readonly managePasswordPolicy?: boolean;
}

/**
 * Role-based groups for staff (admins, developers, read-only), each with the MFA-required deny policy so nothing
 * but MFA enrolment works without MFA, and the account password policy (14+ characters, every character class, 90-day
 * maximum age, 24 remembered). No IAM users are created here: people are added to groups outside the program.
 */
export class HumanAccess extends pulumi.ComponentResource {
    public readonly groupNames: Record<HumanGroup, pulumi.Output<string>>;
    public readonly mfaPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: HumanAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:identity:HumanAccess", name, {}, opts);
        const child = { parent: this };
        if (args.managePasswordPolicy !== false) new aws.iam.AccountPasswordPolicy(`${name}-password-policy`, {
            minimumPasswordLength: 14,
            requireLowercaseCharacters: true,
            requireUppercaseCharacters: true,
            requireNumbers: true,
            requireSymbols: true,
            maxPasswordAge: 90,
            passwordReusePrevention: 24,
            allowUsersToChangePassword: true,
            hardExpiry: false,
        }, child);
        const mfa = new aws.iam.Policy(`${name}-mfa-required`, {
            name: `${args.namePrefix}-mfa-required`,
            description: "Denies everything except MFA self-service until the user signs in with MFA",
            policy: mfaRequiredPolicy(),
        }, child);
        const developer = new aws.iam.Policy(`${name}-developer`, {
            name: `${args.namePrefix}-developer`,
            description: "Developers: read ECS, ECR and CloudWatch; Session Manager to the bastion only",
            policy: developerPolicy(args.region, args.accountId, args.bastionName),
        }, child);

        const groupNames = {} as Record<HumanGroup, pulumi.Output<string>>;
        for (const group of Object.keys(HUMAN_GROUPS) as HumanGroup[]) {
            const g = new aws.iam.Group(`${name}-${group}`, { name: `${args.namePrefix}-${group}`, path: "/humans/" }, child);
            const policies: pulumi.Input<string>[] = [mfa.arn, ...HUMAN_GROUPS[group], ...(group === "developers" ? [developer.arn] : [])];
            policies.forEach((policyArn, i) => {
                new aws.iam.GroupPolicyAttachment(`${name}-${group}-${i === 0 ? "mfa" : `policy-${i}`}`, { group: g.name, policyArn }, child);
            });
            groupNames[group] = g.name;
        }

        this.groupNames = groupNames;
        this.mfaPolicyArn = mfa.arn;
        this.registerOutputs({ groupNames, mfaPolicyArn: this.mfaPolicyArn });
    }
}
