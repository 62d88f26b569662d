import { PlatformPolicy, asList, customerKeyProblem, forTypes, known, mapped, present, truthy } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

const INSTANCE = "aws:ec2/instance:Instance";

export const ec2InstanceHardening: PlatformPolicy = {
    name: "ec2-instance-hardening",
    description:
        "EC2 instances (the Session Manager bastion) require IMDSv2, encrypt every EBS volume with a customer-managed key, get no public IP " +
        "address and carry no SSH key pair.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({
        fsbp: ["EC2.8", "EC2.3", "EC2.9"],
        cis: ["5.6", "2.2.1"],
        nist: ["SC-28", "SC-7", "AC-17", "CM-7"],
        soc2: ["CC6.1", "CC6.6"],
        iso: ["A.8.24", "A.8.20", "A.8.9"],
    }),
    remediationSteps:
        'Set metadataOptions.httpTokens "required"; rootBlockDevice (and each ebsBlockDevice) encrypted: true with kmsKeyId the data CMK; ' +
        'associatePublicIpAddress false in a private subnet; no keyName (connect through Session Manager).',
    validateResource: forTypes([INSTANCE], (p) => {
        const volumes = [
            { where: "root volume", v: p.rootBlockDevice },
            ...asList<any>(p.ebsBlockDevices).map((v, i) => ({ where: `EBS volume ${i + 1}`, v })),
        ];
        return [
            known(() => p.metadataOptions?.httpTokens) !== "required"
                ? 'instance metadata does not require IMDSv2 (metadataOptions.httpTokens must be "required")'
                : undefined,
            ...volumes.map(({ where, v }) =>
                !v || !truthy(known(() => v.encrypted)) ? `${where} is not encrypted` : customerKeyProblem(v, "kmsKeyId", where),
            ),
            truthy(known(() => p.associatePublicIpAddress)) ? "gets a public IP address (associatePublicIpAddress)" : undefined,
            present(p, "keyName") ? "has an SSH key pair (keyName); use Session Manager" : undefined,
        ];
    }),
};

export const ec2Policies: PlatformPolicy[] = honourExceptions([ec2InstanceHardening]);
