import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, UNKNOWN, asList, configOf, known, knownItems, mapped, statements } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { accountOf, ownAccounts } from "./storage";

const ROLE = "aws:iam/role:Role";
const DOCUMENT_TYPES = ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy"];

/**
 * Actions that let a principal raise its own privileges when granted on every resource (Rhino Security Labs' IAM
 * privilege-escalation methods, which checkov CKV_AWS_286 also follows:
 * https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/).
 */
const ESCALATION_ACTIONS = ["iam:PassRole", "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:AttachRolePolicy",
    "iam:AttachUserPolicy", "iam:AttachGroupPolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy", "sts:AssumeRole"];

/** True when IAM's action pattern `pattern` (with * and ? wildcards, case-insensitive) matches `action`. */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return re.test(action);
}

/** The problems of one identity-policy document: service-wide wildcards, NotAction/NotResource allows, escalation on "*". */
export function leastPrivilegeProblems(doc: unknown): string[] {
    const problems: string[] = [];
    for (const s of statements(doc).filter((x) => x.Effect === "Allow")) {
        const sid = s.Sid ?? "(no Sid)";
        const actions = asList<string>(s.Action).map(String);
        if (s.NotAction !== undefined) problems.push(`statement ${sid} allows NotAction (everything except a list)`);
        if (s.NotResource !== undefined) problems.push(`statement ${sid} allows on NotResource (everything except a list)`);
        const serviceWide = actions.filter((a) => /^[a-z0-9-]+:\*$/i.test(a));
        if (serviceWide.length) problems.push(`statement ${sid} allows every action of a service (${serviceWide.join(", ")})`);
        if (asList<string>(s.Resource).map(String).includes("*")) {
            const escalation = ESCALATION_ACTIONS.filter((e) => actions.some((a) => a !== "*" && actionMatches(a, e)));
            if (escalation.length) problems.push(`statement ${sid} allows privilege-escalation actions on "*" (${escalation.join(", ")})`);
        }
    }
    return problems;
}

export const iamLeastPrivilege: PlatformPolicy = {
    name: "iam-least-privilege",
    description:
        'No identity policy allows every action of a service (s3:*, iam:*), allows through NotAction or NotResource, or grants ' +
        'privilege-escalation actions (iam:PassRole, iam:Put*Policy, iam:Attach*Policy, iam:CreatePolicyVersion, sts:AssumeRole, ...) on "*".',
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["IAM.21"], nist: ["AC-6", "AC-6(10)"], soc2: ["CC6.3"], iso: ["A.8.2", "A.5.15", "A.5.18"] }),
    remediationSteps:
        "List the actions the workload needs and scope them to its resources (ARNs with the stack prefix); grant iam:PassRole only on the roles it " +
        "passes, with iam:PassedToService.",
    validateResource: (args, reportViolation) => {
        const docs = DOCUMENT_TYPES.includes(args.type) ? [known(() => args.props.policy)]
            : args.type === ROLE ? knownItems(() => args.props.inlinePolicies).map((p) => known(() => (p as any)?.policy)) : [];
        // An unknown document embeds ARNs of new resources; the engine checks it again at update, before the policy exists.
        for (const doc of docs.filter((d) => d !== UNKNOWN)) for (const problem of leastPrivilegeProblems(doc)) reportViolation(`${args.name}: ${problem}`);
    },
};

const GITHUB_OIDC = "token.actions.githubusercontent.com";

/**
 * Service principals whose trust must carry aws:SourceAccount, aws:SourceArn or aws:SourceOrgID: the services this
 * platform uses whose documentation supports these keys for confused-deputy prevention
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html and each service's page; AWS Config's:
 * https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html#iam-trust-policy). Not listed, by
 * design: rds.amazonaws.com, because RDS Proxy supports no global condition keys in its role's trust
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy-iam-setup.html); ec2.amazonaws.com and
 * backup.amazonaws.com, which assume roles without a source to pin (prowler-cloud/prowler#2810).
 */
const SOURCE_CONDITION_SERVICES = ["ecs-tasks.amazonaws.com", "cloudtrail.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com",
    "firehose.amazonaws.com", "vpc-flow-logs.amazonaws.com", "monitoring.rds.amazonaws.com", "delivery.logs.amazonaws.com", "config.amazonaws.com"];
const isLogsService = (service: string) => /^logs(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(service);
const SOURCE_KEYS = ["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"];

/** Condition keys of a statement (lower case) and their values. */
function conditions(s: any): Map<string, unknown[]> {
    const out = new Map<string, unknown[]>();
    for (const block of Object.values<any>(s.Condition ?? {})) for (const [k, v] of Object.entries(block ?? {})) out.set(k.toLowerCase(), asList(v as any));
    return out;
}

/** The problems of one role's trust policy; `own` are the stack's accounts, `trusted` the configured partners. */
export function trustProblems(doc: unknown, own: Set<string>, trusted: string[]): string[] {
    const problems: string[] = [];
    for (const s of statements(doc).filter((x) => x.Effect === "Allow")) {
        const c = conditions(s);
        for (const federated of asList<string>(s.Principal?.Federated).map(String).filter((f) => f.endsWith(GITHUB_OIDC))) {
            const aud = c.get(`${GITHUB_OIDC}:aud`) ?? [];
            const sub = (c.get(`${GITHUB_OIDC}:sub`) ?? []).map(String);
            if (!aud.includes("sts.amazonaws.com")) problems.push(`GitHub OIDC trust (${federated}) does not pin aud to sts.amazonaws.com`);
            if (sub.length === 0 || sub.some((v) => !/^repo:[^*/]+\/[^*]+:.+/.test(v) || /:\*$/.test(v)))
                problems.push("GitHub OIDC trust does not pin sub to a repository and a branch, environment or tag");
        }
        for (const service of asList<string>(s.Principal?.Service).map(String)) {
            if (!SOURCE_CONDITION_SERVICES.includes(service) && !isLogsService(service)) continue;
            if (!SOURCE_KEYS.some((k) => c.has(k))) problems.push(`trust in ${service} has no aws:SourceAccount or aws:SourceArn condition (confused deputy)`);
        }
        for (const principal of asList<string>(s.Principal?.AWS).map(String)) {
            const account = accountOf(principal);
            if (!account || own.has(account)) continue;
            if (!c.has("sts:externalid") && !trusted.includes(account)) problems.push(`trust in account ${account} requires no sts:ExternalId`);
        }
    }
    return problems;
}

export const iamTrustPolicies: PlatformPolicy = {
    name: "iam-trust-policies",
    description:
        "Role trust policies are pinned: GitHub OIDC trust names the audience (sts.amazonaws.com) and a repository with a branch, environment or " +
        "tag; trust in another account requires sts:ExternalId; trust in a service that supports it carries aws:SourceAccount or aws:SourceArn " +
        "(RDS Proxy supports none and is exempt).",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["AC-3", "AC-6", "IA-2"], soc2: ["CC6.1", "CC6.3"], iso: ["A.5.15", "A.8.5"] }),
    remediationSteps:
        "GitHub: StringEquals token.actions.githubusercontent.com:aud sts.amazonaws.com and :sub repo:<org>/<repo>:environment:<env>; other " +
        "accounts: StringEquals sts:ExternalId; services: StringEquals aws:SourceAccount (and ArnLike aws:SourceArn).",
    configSchema: {
        properties: {
            trustedAccountIds: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Other accounts roles may trust without sts:ExternalId (your own organisation's accounts).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const own = ownAccounts(args.resources);
        const { trustedAccountIds } = configOf(args, { trustedAccountIds: [] as string[] });
        for (const role of args.resources.filter((r: PolicyResource) => r.type === ROLE)) {
            const doc = known(() => role.props.assumeRolePolicy);
            if (doc === UNKNOWN) continue; // judged once the ARNs it embeds exist
            for (const problem of trustProblems(doc, own, trustedAccountIds)) reportViolation(`role ${role.name}: ${problem}`, role.urn);
        }
    },
};

export const iamDocumentPolicies: PlatformPolicy[] = honourExceptions([iamLeastPrivilege, iamTrustPolicies]);
