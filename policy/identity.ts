import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { PlatformPolicy, knownItems, asList, known, knownString, mapped, pointingAt, statements, principalIsEveryone } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

const ROLE = "aws:iam/role:Role";
const GROUP = "aws:iam/group:Group";
const POLICY = "aws:iam/policy:Policy";
const GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
const GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess";
/** The tag marking the documented break-glass role, the one role allowed AdministratorAccess. */
const BREAK_GLASS_TAG = "break-glass";

/** Every policy document in the stack, with the resource that carries it. */
function policyDocuments(args: StackValidationArgs): { owner: PolicyResource; doc: unknown }[] {
    const docs: { owner: PolicyResource; doc: unknown }[] = [];
    for (const r of args.resources) {
        if ([POLICY, GROUP_POLICY, "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy"].includes(r.type))
            docs.push({ owner: r, doc: known(() => r.props.policy) });
        if (r.type === ROLE) for (const inline of knownItems(() => r.props.inlinePolicies)) docs.push({ owner: r, doc: known(() => (inline as any)?.policy) });
    }
    return docs;
}

const isWildcard = (v: unknown) => asList(v).some((x) => x === "*" || x === "*:*");
const isBreakGlass = (r: PolicyResource | undefined) => r?.type === ROLE && (r.props.tags?.[BREAK_GLASS_TAG] === "true");

/** The role an attachment points at: by property dependency, or by its known name. */
function roleOf(args: StackValidationArgs, attachment: PolicyResource): PolicyResource | undefined {
    return (attachment.propertyDependencies.role ?? []).find((d) => d.type === ROLE)
        ?? args.resources.find((r) => r.type === ROLE && attachment.props.role !== undefined && r.props.name === attachment.props.role);
}

export const iamNoWildcardAdmin: PlatformPolicy = {
    name: "iam-no-wildcard-admin",
    description:
        'No IAM policy allows "*" on "*"; AdministratorAccess is attached only to the role tagged break-glass: true; no trust policy admits "*" ' +
        'without a condition.',
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ fsbp: ["IAM.1"], cis: ["1.16"], nist: ["AC-6"], soc2: ["CC6.3"], iso: ["A.8.2", "A.5.15"] }),
    remediationSteps:
        "Grant named actions on named resources; use PowerUserAccess plus scoped IAM for deploy roles; keep AdministratorAccess on the " +
        "BreakGlassRole only; name trusted principals or add conditions.",
    validateStack: (args, reportViolation) => {
        for (const { owner, doc } of policyDocuments(args)) {
            if (statements(doc).some((s) => s.Effect === "Allow" && isWildcard(s.Action) && isWildcard(s.Resource))) {
                reportViolation(`${owner.name}: a policy statement allows "*" on "*" (full administrator)`, owner.urn);
            }
        }
        for (const r of args.resources) {
            // An AWS managed policy ARN is a literal (known); an unknown ARN is a policy of this stack, judged above.
            const attachesAdmin = knownString(() => r.props.policyArn) === ADMINISTRATOR_ACCESS;
            if (r.type === ROLE_POLICY_ATTACHMENT && attachesAdmin && !isBreakGlass(roleOf(args, r))) {
                reportViolation(`${r.name}: AdministratorAccess attached to a role not tagged ${BREAK_GLASS_TAG}: true`, r.urn);
            } else if (r.type !== ROLE_POLICY_ATTACHMENT && attachesAdmin) {
                reportViolation(`${r.name}: AdministratorAccess attached to a group or user (only the break-glass role may carry it)`, r.urn);
            } else if (r.type === ROLE && knownItems(() => r.props.managedPolicyArns).includes(ADMINISTRATOR_ACCESS) && !isBreakGlass(r)) {
                reportViolation(`role ${r.name}: AdministratorAccess in managedPolicyArns without the ${BREAK_GLASS_TAG} tag`, r.urn);
            }
            if (r.type === ROLE) {
                const open = statements(known(() => r.props.assumeRolePolicy)).find((s) => s.Effect === "Allow" && !s.Condition
                    && principalIsEveryone(s));
                if (open) reportViolation(`role ${r.name}: trust policy admits any principal ("*") without a condition`, r.urn);
            }
        }
    },
};

/** True for a document that denies (nearly) everything while MFA is absent. */
export function deniesWithoutMfa(doc: unknown): boolean {
    return statements(doc).some((s) => {
        if (s.Effect !== "Deny") return false;
        const mfa = s.Condition?.BoolIfExists?.["aws:MultiFactorAuthPresent"] ?? s.Condition?.Bool?.["aws:MultiFactorAuthPresent"];
        return (mfa === "false" || mfa === false) && (s.NotAction !== undefined || isWildcard(s.Action));
    });
}

export const iamMfa: PlatformPolicy = {
    name: "iam-mfa",
    description: "Every IAM group (groups are for people) carries a policy that denies everything but MFA self-service while MFA is absent.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["IAM.19"], cis: ["1.10"], nist: ["IA-2(1)", "IA-2(2)"], soc2: ["CC6.1"], iso: ["A.8.5"] }),
    remediationSteps: "Create groups through the HumanAccess component, which attaches the MFA-required policy to each.",
    validateStack: (args, reportViolation) => {
        for (const group of args.resources.filter((r) => r.type === GROUP)) {
            const attached = pointingAt(args.resources, GROUP_POLICY_ATTACHMENT, "group", group).flatMap((a) => {
                const fromDeps = (a.propertyDependencies.policyArn ?? []).filter((p) => p.type === POLICY);
                const arn = knownString(() => a.props.policyArn);
                return fromDeps.length
                    ? fromDeps
                    : args.resources.filter((p) => p.type === POLICY && arn !== undefined && knownString(() => p.props.arn) === arn);
            });
            const inline = pointingAt(args.resources, GROUP_POLICY, "group", group);
            if (![...attached, ...inline].some((p) => deniesWithoutMfa(p.props.policy))) {
                reportViolation(`group ${group.name} has no MFA-required deny policy`, group.urn);
            }
        }
    },
};

export const identityPolicies: PlatformPolicy[] = honourExceptions([iamNoWildcardAdmin, iamMfa]);
