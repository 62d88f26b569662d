import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ALLOWED_TLS_POLICIES } from "../../standards/tls";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM, CLOUDFLARE_RANGES, CloudflareRanges, validateCloudflareRanges } from "../../standards/cloudflare";
import { withDefaults } from "../defaults";
import { ComponentTags, withTags } from "../tags";

/** One routed backend: a target group and the listener rule that sends matching requests to it. */
export interface OriginRoute {
    /** Short key of the backend (e.g. `api`, `keycloak`): names the target group and indexes the outputs. */
    key: string;
    /** Port the targets (task ENIs) listen on. */
    port: number;
    /** The Host header this route answers (e.g. `api.complyhub.io`). */
    hostHeader: pulumi.Input<string>;
    /** Path patterns (ALB syntax); every path of the host when omitted. At most 4, so host + paths fit one rule. */
    pathPatterns?: string[];
    /** Listener rule priority (unique, lower wins). */
    priority: number;
    /** Health check path on the targets. */
    healthCheckPath: string;
}

/** The arguments of OriginLoadBalancer: what the caller decides about the ALB. */
export interface OriginLoadBalancerArgs {
    /** Physical name prefix (e.g. `platform-prod-eu`); ALB, target group and trust store names derive from it (<= 32 chars). */
    readonly namePrefix: string;
    /** VPC and the public subnets (one per AZ) the internet-facing ALB lives in. */
    readonly vpcId: pulumi.Input<string>;
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Cloudflare's edge ranges: the only sources admitted, on 443. An empty IPv4 list is rejected.
     * Default: CLOUDFLARE_RANGES (the list bundled with the library, dated CLOUDFLARE_RANGES_DATE).
     */
    readonly cloudflareRanges?: CloudflareRanges;
    /** Certificate the ALB presents to Cloudflare (Full strict), e.g. a Cloudflare Origin CA certificate, and its key. */
    readonly certificatePem: pulumi.Input<string>;
    readonly privateKeyPem: pulumi.Input<string>;
    /**
     * CA bundle of the client certificates the ALB accepts: mutual TLS in verify mode. With per-hostname Authenticated
     * Origin Pulls, the project's own CA (OriginTrust). Default: CLOUDFLARE_ORIGIN_PULL_CA_PEM (zone-level AOP).
     */
    readonly clientCaBundlePem?: pulumi.Input<string>;
    /** Bucket the CA bundle is uploaded to (the trust store loads it only from S3), under `mtls/ca-bundle.pem`. */
    readonly trustStoreBucketName: pulumi.Input<string>;
    /** Bucket receiving the access and connection logs (its policy must admit ALB log delivery). */
    readonly accessLogsBucketName: pulumi.Input<string>;
    /**
     * That bucket's policy: ELB test-writes to the bucket when logging is enabled ("Access Denied for bucket"), so the
     * ALB is created after it. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
     */
    readonly accessLogsBucketPolicy?: pulumi.Resource;
    /** TLS policy of the HTTPS listener; one of ALLOWED_TLS_POLICIES. Default: `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.2 and 1.3). */
    readonly tlsPolicy?: string;
    /** Deletion protection; false only for throw-away stacks. Default: true. */
    readonly deletionProtection?: boolean;
    /** Seconds an idle connection stays open (GraphQL subscriptions and long uploads need more). Default: 60 (the ALB's own). */
    readonly idleTimeoutSeconds?: number;
    /** The backends and how requests reach them; anything else gets a 404. */
    readonly routes: OriginRoute[];
    /** Paths answered with a fixed 404 before any route (e.g. Keycloak's master realm); priority below the route's. */
    readonly denied?: { key: string; hostHeader: pulumi.Input<string>; pathPatterns: string[]; priority: number }[];
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). */
    readonly tags?: ComponentTags;
}

/** What OriginLoadBalancer applies when the caller leaves these OriginLoadBalancerArgs out. */
export const ORIGIN_LOAD_BALANCER_DEFAULTS = {
    cloudflareRanges: CLOUDFLARE_RANGES,
    clientCaBundlePem: CLOUDFLARE_ORIGIN_PULL_CA_PEM as pulumi.Input<string>,
    // TLS 1.2 and 1.3 with forward-secret ciphers only; the ELB documentation's recommended policy
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
    tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    deletionProtection: true,
    idleTimeoutSeconds: 60,
} as const;

/** The target group and listener rule of one route. */
export interface RoutedTarget {
    arn: pulumi.Output<string>;
    arnSuffix: pulumi.Output<string>;
    rule: aws.lb.ListenerRule;
}

/** Physical names, validated against AWS limits. */
export function checkedLbName(kind: string, value: string): string {
    if (value.length > 32 || !/^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$/.test(value)) {
        throw new Error(`${kind} name "${value}" must be 1-32 alphanumerics or hyphens, not starting or ending with a hyphen (got ${value.length} characters)`);
    }
    return value;
}

/**
 * The internet-facing ALB that only Cloudflare can talk to: its security group admits 443 from Cloudflare's ranges
 * and nothing else, it has no plain-HTTP listener, and its HTTPS listener requires a client certificate signed by
 * Cloudflare's origin-pull CA (mutual TLS, verify mode), so even a request from a Cloudflare IP that did not come
 * through this zone is refused. It drops invalid headers, mitigates desync strictly, and logs every request and
 * connection. Requests that match no route get a 404; targets are health-checked for fast failover.
 */
export class OriginLoadBalancer extends pulumi.ComponentResource {
    /** The load balancer resource itself. */
    public readonly loadBalancer: aws.lb.LoadBalancer;
    /** The HTTPS listener resource itself (mutual TLS in verify mode). */
    public readonly httpsListener: aws.lb.Listener;
    public readonly arn: pulumi.Output<string>;
    public readonly arnSuffix: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    public readonly zoneId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly httpsListenerArn: pulumi.Output<string>;
    public readonly trustStoreArn: pulumi.Output<string>;
    public readonly certificateArn: pulumi.Output<string>;
    public readonly targets: Readonly<Record<string, RoutedTarget>>;
    /** The security group's ingress rules: HTTPS from each Cloudflare range, one rule per CIDR. */
    public readonly cloudflareIngressRules: readonly aws.vpc.SecurityGroupIngressRule[];

    constructor(name: string, given: OriginLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:ingress:OriginLoadBalancer", name, {}, withTags(opts, given.tags));
        const args = withDefaults(given, ORIGIN_LOAD_BALANCER_DEFAULTS);
        const ranges = validateCloudflareRanges(args.cloudflareRanges, `OriginLoadBalancer ${name}`);
        if (!ALLOWED_TLS_POLICIES.includes(args.tlsPolicy)) throw new Error(`OriginLoadBalancer ${name}: tlsPolicy ${args.tlsPolicy} is not one of ` +
            `${ALLOWED_TLS_POLICIES.join(", ")}`);
        if (args.routes.length === 0) throw new Error(`OriginLoadBalancer ${name}: at least one route is required`);
        const priorities = [...args.routes.map((r) => r.priority), ...(args.denied ?? []).map((d) => d.priority)];
        if (new Set(priorities).size !== priorities.length) throw new Error(`OriginLoadBalancer ${name}: route priorities must be unique, got ` +
            `${priorities.join(", ")}`);
        for (const r of args.routes) {
            if ((r.pathPatterns?.length ?? 0) > 4) throw new Error(`OriginLoadBalancer ${name}: route ${r.key} has ${r.pathPatterns!.length} path ` +
                `patterns; at most 4 fit one rule with the host`);
        }

        const securityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
            vpcId: args.vpcId,
            description: "Origin ALB: HTTPS from Cloudflare's edge ranges only; egress only to the services' ports",
            revokeRulesOnDelete: true,
            tags: { Name: `${args.namePrefix}-alb` },
        }, { parent: this });
        // One rule per CIDR (IPv6 rules take effect if the ALB is made dual-stack). Egress rules are added by each
        // service it forwards to, for that service's port and security group only.
        this.cloudflareIngressRules = [
            ...ranges.ipv4.map((cidr, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-cf-v4-${i}`, {
                securityGroupId: securityGroup.id, description: "HTTPS from Cloudflare", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: cidr,
            }, { parent: this })),
            ...ranges.ipv6.map((cidr, i) => new aws.vpc.SecurityGroupIngressRule(`${name}-cf-v6-${i}`, {
                securityGroupId: securityGroup.id, description: "HTTPS from Cloudflare", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: cidr,
            }, { parent: this })),
        ];

        const alb = new aws.lb.LoadBalancer(`${name}`, {
            name: checkedLbName("ALB", `${args.namePrefix}-origin`),
            loadBalancerType: "application",
            internal: false,
            subnets: args.publicSubnetIds,
            securityGroups: [securityGroup.id],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            enableDeletionProtection: args.deletionProtection,
            idleTimeout: args.idleTimeoutSeconds,
            enableHttp2: true,
            accessLogs: { bucket: args.accessLogsBucketName, prefix: "alb/access", enabled: true },
            // Connection logs record every TLS handshake, including refused client certificates (mTLS failures).
            connectionLogs: { bucket: args.accessLogsBucketName, prefix: "alb/connections", enabled: true },
        }, { parent: this, dependsOn: args.accessLogsBucketPolicy ? [args.accessLogsBucketPolicy] : [] });

        const certificate = new aws.acm.Certificate(`${name}-origin-cert`, {
            certificateBody: args.certificatePem,
            privateKey: pulumi.secret(args.privateKeyPem),
        }, { parent: this });

        const caBundle = new aws.s3.BucketObjectv2(`${name}-client-ca`, {
            bucket: args.trustStoreBucketName,
            key: "mtls/ca-bundle.pem",
            content: args.clientCaBundlePem,
            contentType: "application/x-pem-file",
        }, { parent: this });
        // The object version makes a changed bundle a trust-store change (ModifyTrustStore re-reads it); without it the
        // trust store never sees a rotated CA (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyTrustStore.html).
        const trustStore = new aws.lb.TrustStore(`${name}-trust-store`, {
            name: checkedLbName("trust store", `${args.namePrefix}-origin-pull`),
            caCertificatesBundleS3Bucket: caBundle.bucket,
            caCertificatesBundleS3Key: caBundle.key,
            caCertificatesBundleS3ObjectVersion: caBundle.versionId,
        }, { parent: this });

        const listener = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: alb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: args.tlsPolicy,
            certificateArn: certificate.arn,
            mutualAuthentication: { mode: "verify", trustStoreArn: trustStore.arn, ignoreClientCertificateExpiry: false },
            defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "not found" } }],
        }, { parent: this });

        for (const d of args.denied ?? []) {
            new aws.lb.ListenerRule(`${name}-deny-${d.key}`, {
                listenerArn: listener.arn,
                priority: d.priority,
                conditions: [{ hostHeader: { values: [d.hostHeader] } }, { pathPattern: { values: d.pathPatterns } }],
                actions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "not found" } }],
            }, { parent: this });
        }

        const targets: Record<string, RoutedTarget> = {};
        for (const route of args.routes) {
            const targetGroup = new aws.lb.TargetGroup(`${name}-${route.key}`, {
                name: checkedLbName("target group", `${args.namePrefix}-${route.key}`),
                vpcId: args.vpcId,
                targetType: "ip",
                port: route.port,
                protocol: "HTTP",
                protocolVersion: "HTTP1",
                deregistrationDelay: 30,
                // Fast failover: a target is out after 2 failed checks 10 s apart, back in after 2 good ones.
                healthCheck: {
                    enabled: true, path: route.healthCheckPath, port: "traffic-port", protocol: "HTTP", matcher: "200",
                    interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2,
                },
            }, { parent: this });
            const rule = new aws.lb.ListenerRule(`${name}-${route.key}`, {
                listenerArn: listener.arn,
                priority: route.priority,
                conditions: [
                    { hostHeader: { values: [route.hostHeader] } },
                    ...(route.pathPatterns?.length ? [{ pathPattern: { values: route.pathPatterns } }] : []),
                ],
                actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            }, { parent: this });
            targets[route.key] = { arn: targetGroup.arn, arnSuffix: targetGroup.arnSuffix, rule };
        }

        this.arn = alb.arn;
        this.arnSuffix = alb.arnSuffix;
        this.dnsName = alb.dnsName;
        this.zoneId = alb.zoneId;
        this.securityGroupId = securityGroup.id;
        this.httpsListenerArn = listener.arn;
        this.trustStoreArn = trustStore.arn;
        this.certificateArn = certificate.arn;
        this.targets = targets;
        this.loadBalancer = alb;
        this.httpsListener = listener;
        this.registerOutputs({
            arn: this.arn, arnSuffix: this.arnSuffix, dnsName: this.dnsName, securityGroupId: this.securityGroupId,
            httpsListenerArn: this.httpsListenerArn, trustStoreArn: this.trustStoreArn,
        });
    }
}
