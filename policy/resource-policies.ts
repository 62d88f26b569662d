import { PlatformPolicy, UNKNOWN, known, mapped, publicAllowProblem, statements } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

/** Resource-policy resources whose document is their `policy` input (S3, SNS and KMS have their own policies). */
const RESOURCE_POLICY_TYPES = ["aws:ecr/repositoryPolicy:RepositoryPolicy", "aws:secretsmanager/secretPolicy:SecretPolicy"];

export const resourcePolicyNotPublic: PlatformPolicy = {
    name: "resource-policy-not-public",
    description:
        'ECR repository policies and Secrets Manager secret policies never allow "*" unless a condition pins the source account, organisation, VPC ' +
        'endpoint or address (a /0 range does not).',
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ nist: ["AC-3", "AC-21"], soc2: ["CC6.1"], iso: ["A.8.3", "A.5.15"] }),
    remediationSteps:
        'Name the principals (role ARNs of this account), or pin "*" with aws:PrincipalOrgID, aws:SourceAccount, aws:SourceVpce or aws:PrincipalArn.',
    validateResource: (args, reportViolation) => {
        if (!RESOURCE_POLICY_TYPES.includes(args.type)) return;
        const doc = known(() => args.props.policy);
        if (doc === UNKNOWN) return; // embeds ARNs of new resources: judged at update, before the policy is set
        for (const problem of statements(doc).map(publicAllowProblem).filter(Boolean)) reportViolation(`${args.name}: ${problem}`);
    },
};

export const resourcePolicies: PlatformPolicy[] = honourExceptions([resourcePolicyNotPublic]);
