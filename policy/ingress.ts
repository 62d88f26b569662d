import { PolicyResource } from "@pulumi/policy";
import { PlatformPolicy, knownItems, asList, configOf, forTypes, isProd, knownString, mapped, pointingAt, present, known, truthy } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";
import { ALLOWED_TLS_POLICIES } from "../standards/tls";
import { CLOUDFLARE_RANGES } from "../standards/cloudflare";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB_LB = "aws:alb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const ALB_LISTENER = "aws:alb/listener:Listener";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** Cloudflare's ranges as checked in (standards/cloudflare.ts, the list the program admits too). */
const CLOUDFLARE_CIDRS: readonly string[] = [...CLOUDFLARE_RANGES.ipv4, ...CLOUDFLARE_RANGES.ipv6];

const isLoadBalancer = (r: PolicyResource) => r.type === LB || r.type === ALB_LB;
const isApplication = (props: Record<string, any>) => (props.loadBalancerType ?? "application") === "application";
const isInternetFacing = (props: Record<string, any>) => props.internal !== true && props.internal !== "true";

interface HttpsConfig { allowedTlsPolicies: string[] }
const HTTPS_DEFAULTS: HttpsConfig = { allowedTlsPolicies: [...ALLOWED_TLS_POLICIES] };

export const albHttpsOnly: PlatformPolicy = {
    name: "alb-https-only",
    description: "Load balancer listeners serve HTTPS with a certificate and an allowed TLS 1.2+ policy; an HTTP listener may only redirect to HTTPS.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ fsbp: ["ELB.1"], nist: ["SC-8", "SC-8(1)"], soc2: ["CC6.7"], iso: ["A.8.24"] }),
    remediationSteps:
        "Use protocol HTTPS with certificateArn and an sslPolicy from the allow-list (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06); remove plain-HTTP " +
        "listeners or make their only action a redirect to HTTPS.",
    configSchema: {
        properties: {
            allowedTlsPolicies: {
                type: "array",
                items: { type: "string" },
                default: HTTPS_DEFAULTS.allowedTlsPolicies,
                description: "ELB security policies allowed on HTTPS listeners",
            },
        },
    },
    validateResource: forTypes([LISTENER, ALB_LISTENER], (p, args) => {
        const cfg = configOf(args, HTTPS_DEFAULTS);
        const protocol = String(p.protocol ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS") {
            return [
                !present(p, "certificateArn") ? "HTTPS listener without a certificate" : undefined,
                !cfg.allowedTlsPolicies.includes(p.sslPolicy)
                    ? `TLS policy ${p.sslPolicy ?? "(default)"} is not one of ${cfg.allowedTlsPolicies.join(", ")}`
                    : undefined,
            ];
        }
        if (protocol === "HTTP") {
            const actions = asList<any>(p.defaultActions);
            const redirectsOnly = actions.length > 0 && actions.every((a) => a.type === "redirect" && String(a.redirect?.protocol).toUpperCase() === "HTTPS");
            return [redirectsOnly ? undefined : "plain-HTTP listener that does not only redirect to HTTPS"];
        }
        return [];
    }),
};

export const albHardening: PlatformPolicy = {
    name: "alb-hardening",
    description:
        "Application load balancers drop invalid header fields, log access, mitigate desync (defensive or strictest) and, in prod, are protected " +
        "from deletion.",
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ fsbp: ["ELB.4", "ELB.5", "ELB.6", "ELB.12"], nist: ["AU-12", "CM-6"], soc2: ["CC7.2", "CC6.6"], iso: ["A.8.15", "A.8.20"] }),
    remediationSteps:
        'Set dropInvalidHeaderFields: true, accessLogs { enabled: true, bucket }, desyncMitigationMode "strictest" (or "defensive"), and ' +
        'enableDeletionProtection: true in prod.',
    validateResource: forTypes([LB, ALB_LB], (p) => {
        if (!isApplication(p)) return [];
        return [
            p.dropInvalidHeaderFields !== true ? "does not drop invalid header fields (ELB.4)" : undefined,
            p.accessLogs?.enabled !== true || !present(p.accessLogs, "bucket") ? "access logging is off (ELB.5)" : undefined,
            isProd(p) && p.enableDeletionProtection !== true ? "deletion protection is off in prod (ELB.6)" : undefined,
            // Unset means AWS's default, defensive.
            !["defensive", "strictest", undefined].includes(p.desyncMitigationMode) ? `desync mitigation is ${p.desyncMitigationMode} (ELB.12)` : undefined,
        ];
    }),
};

/** The internet-facing application load balancers of the stack. */
const publicAlbs = (resources: PolicyResource[]) => resources.filter((r) => isLoadBalancer(r) && isApplication(r.props) && isInternetFacing(r.props));

export const albMtlsVerify: PlatformPolicy = {
    name: "alb-mtls-verify",
    description:
        "HTTPS listeners of internet-facing ALBs require valid client certificates (mutual TLS in verify mode against a trust store, expired " +
        "certificates refused), e.g. Cloudflare's Authenticated Origin Pulls.",
    enforcementLevel: "mandatory", severity: "high",
    ...mapped({ nist: ["IA-3", "SC-8", "SC-23"], soc2: ["CC6.6", "CC6.1"], iso: ["A.8.5", "A.8.20"] }),
    remediationSteps:
        'Upload the client CA bundle (Cloudflare\'s origin-pull CA) to S3, create an aws.lb.TrustStore from it, and set mutualAuthentication { ' +
        'mode: "verify", trustStoreArn } on the listener.',
    validateStack: (args, reportViolation) => {
        for (const alb of publicAlbs(args.resources)) {
            const listeners = [
                ...pointingAt(args.resources, LISTENER, "loadBalancerArn", alb),
                ...pointingAt(args.resources, ALB_LISTENER, "loadBalancerArn", alb),
            ];
            for (const l of listeners.filter((x) => String(x.props.protocol).toUpperCase() === "HTTPS")) {
                const m = l.props.mutualAuthentication;
                const hasStore =
                    (l.propertyDependencies.mutualAuthentication ?? []).some((d) => d.type === "aws:lb/trustStore:TrustStore") || present(m, "trustStoreArn");
                if (m?.mode !== "verify" || !hasStore)
                    reportViolation(
                        `listener ${l.name} of internet-facing ALB ${alb.name} does not verify client certificates (mutual TLS mode ${m?.mode ?? "off"})`,
                        l.urn,
                    );
                else if (truthy(known(() => m.ignoreClientCertificateExpiry))) {
                    reportViolation(
                        `listener ${l.name} of internet-facing ALB ${alb.name} accepts expired client certificates (ignoreClientCertificateExpiry)`,
                        l.urn,
                    );
                }
            }
        }
    },
};

interface CloudflareConfig { cloudflareRanges: string[] }
const CLOUDFLARE_DEFAULTS: CloudflareConfig = { cloudflareRanges: [...CLOUDFLARE_CIDRS] };

/** The ingress rules of a security group, in one shape: protocol, ports, CIDR sources and non-CIDR sources. */
function ingressRulesOf(resources: PolicyResource[], sg: PolicyResource) {
    const inline = asList<any>(sg.props.ingress).map((r) => ({
        protocol: r.protocol, from: r.fromPort, to: r.toPort, cidrs: [...asList<string>(r.cidrBlocks), ...asList<string>(r.ipv6CidrBlocks)],
        other: asList(r.securityGroups).length > 0 || asList(r.prefixListIds).length > 0 || r.self === true,
    }));
    const legacy = pointingAt(resources, SG_RULE, "securityGroupId", sg)
        .filter((r) => r.props.type === "ingress")
        .map((r) => ({
            protocol: r.props.protocol,
            from: r.props.fromPort,
            to: r.props.toPort,
            cidrs: [...asList<string>(r.props.cidrBlocks), ...asList<string>(r.props.ipv6CidrBlocks)],
            other: Boolean(r.props.sourceSecurityGroupId) || asList(r.props.prefixListIds).length > 0 || r.props.self === true,
        }));
    const modern = pointingAt(resources, SG_INGRESS, "securityGroupId", sg).map((r) => ({
        protocol: r.props.ipProtocol, from: r.props.fromPort, to: r.props.toPort, cidrs: [r.props.cidrIpv4, r.props.cidrIpv6].filter(Boolean) as string[],
        other: Boolean(r.props.referencedSecurityGroupId) || Boolean(r.props.prefixListId),
    }));
    return [...inline, ...legacy, ...modern];
}

export const albCloudflareOnly: PlatformPolicy = {
    name: "alb-cloudflare-only",
    description: "The security groups of internet-facing ALBs admit only TCP 443 and only from Cloudflare's edge ranges.",
    enforcementLevel: "mandatory", severity: "critical",
    ...mapped({ nist: ["SC-7", "AC-4"], soc2: ["CC6.6"], iso: ["A.8.20", "A.8.22"] }),
    remediationSteps:
        "Attach a dedicated security group whose only ingress rules are TCP 443 from each Cloudflare range (the OriginLoadBalancer component " +
        "does); refresh the list from Cloudflare and update the pack's cloudflareRanges.",
    configSchema: {
        properties: {
            cloudflareRanges: {
                type: "array",
                items: { type: "string" },
                default: CLOUDFLARE_DEFAULTS.cloudflareRanges,
                description: "Cloudflare's IPv4 and IPv6 ranges (https://www.cloudflare.com/ips/)",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = configOf(args, CLOUDFLARE_DEFAULTS);
        const allowed = new Set(cfg.cloudflareRanges);
        for (const alb of publicAlbs(args.resources)) {
            const sgUrns = (alb.propertyDependencies.securityGroups ?? []).filter((d) => d.type === SG).map((d) => d.urn);
            const knownIds = knownItems(() => alb.props.securityGroups).filter((id): id is string => typeof id === "string");
            const groups = args.resources.filter((r) => r.type === SG && (sgUrns.includes(r.urn) || knownIds.includes(knownString(() => r.props.id) ?? "")));
            if (groups.length === 0) {
                reportViolation(`internet-facing ALB ${alb.name} has no security group of this stack (it would get the VPC default group)`, alb.urn);
                continue;
            }
            for (const sg of groups) {
                for (const rule of ingressRulesOf(args.resources, sg)) {
                    const https = String(rule.protocol).toLowerCase() === "tcp" || rule.protocol === "6";
                    if (!https || Number(rule.from) !== 443 || Number(rule.to) !== 443) {
                        reportViolation(
                            `security group ${sg.name} of ALB ${alb.name} admits protocol ${rule.protocol} ports ${rule.from}-${rule.to}; only TCP ` +
                            `443 is allowed`,
                            sg.urn,
                        );
                    }
                    if (rule.other)
                        reportViolation(
                            `security group ${sg.name} of ALB ${alb.name} admits a security group or prefix list; only Cloudflare's ranges are allowed`,
                            sg.urn,
                        );
                    for (const cidr of rule.cidrs.filter((c) => !allowed.has(c))) {
                        reportViolation(`security group ${sg.name} of ALB ${alb.name} admits ${cidr}, which is not a Cloudflare range`, sg.urn);
                    }
                }
            }
        }
    },
};

export const ingressPolicies: PlatformPolicy[] = honourExceptions([albHttpsOnly, albHardening, albMtlsVerify, albCloudflareOnly]);
