import * as pulumi from "@pulumi/pulumi";
import { CloudflareRanges, OriginLoadBalancer } from "../../components";
import { PlatformConfig } from "../config";

/** Ports the containers listen on (the application and the Keycloak image contract). */
const API_PORT = 3000;
const KEYCLOAK_PORT = 8080;
/** Paths of the api host that reach the api; every other path of every host gets a 404 from the ALB. */
export const API_PATHS = ["/graphql", "/v1/*", "/v2/*", "/health"];
/** Keycloak paths the ALB forwards (Keycloak's exposed-path recommendations); /admin/ and the rest get the 404 default. */
const KEYCLOAK_PATHS = ["/realms/*", "/resources/*", "/.well-known/*", "/robots.txt"];
/** Keycloak's master realm (administration): a fixed 404 before the Keycloak route. */
const KEYCLOAK_DENIED_PATHS = ["/realms/master", "/realms/master/*"];
/**
 * ALB idle timeout: above Cloudflare's 900 s keep-alive to origins, so the ALB never closes a connection Cloudflare is
 * about to reuse (a source of sporadic 520/502: https://developers.cloudflare.com/fundamentals/reference/connection-limits/).
 */
const ORIGIN_IDLE_TIMEOUT_SECONDS = 960;
/** The TLS policy of the HTTPS listener (TLS 1.3 and 1.2, forward secrecy). */
const ORIGIN_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** What the ingress layer needs from other layers. */
export interface IngressInputs {
    /** The VPC and its public subnets (network layer). */
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    /** Bucket for the ALB access and connection logs (storage layer; its policy admits ALB log delivery). */
    albLogsBucketName: pulumi.Input<string>;
    /** That bucket's policy (the ALB waits for it: log delivery is checked when logging is enabled). */
    albLogsBucketPolicy?: pulumi.Resource;
    /** Bucket the mTLS CA bundle is uploaded to as `mtls/ca-bundle.pem` (storage layer). */
    trustStoreBucketName: pulumi.Input<string>;
    /** Cloudflare Origin CA certificate and key for the origin hosts (edge layer); the key is a secret. */
    originCertificatePem: pulumi.Input<string>;
    originPrivateKeyPem: pulumi.Input<string>;
    /** Cloudflare's Authenticated Origin Pulls CA (standards/cloudflare.ts, or the edge layer's own CA). */
    originPullCaPem: pulumi.Input<string>;
    /** Cloudflare's edge ranges (CLOUDFLARE_RANGES from standards/cloudflare.ts). */
    cloudflareRanges: CloudflareRanges;
}

/** One routed backend of the ALB. */
export interface IngressTarget {
    targetGroupArn: pulumi.Output<string>;
    targetGroupArnSuffix: pulumi.Output<string>;
    port: number;
    /** The listener rule (services depend on it: a target group must be attached to the ALB before a service uses it). */
    listenerRule: pulumi.Resource;
}

/** What other layers take from the ingress layer. */
export interface IngressOutputs {
    albArn: pulumi.Output<string>;
    albArnSuffix: pulumi.Output<string>;
    albDnsName: pulumi.Output<string>;
    albZoneId: pulumi.Output<string>;
    albSecurityGroupId: pulumi.Output<string>;
    httpsListenerArn: pulumi.Output<string>;
    trustStoreArn: pulumi.Output<string>;
    /** The api backend, and the keycloak backend when the stack runs Keycloak. */
    api: IngressTarget;
    keycloak?: IngressTarget;
    /** Host names the ALB answers (the edge layer points their DNS records at albDnsName). */
    apiHostname: string;
    keycloakHostname?: string;
}

/**
 * The Cloudflare-only origin ALB (built after storage and edge, before compute): HTTPS with mTLS verify against the
 * origin-pull CA, 443 from Cloudflare's ranges only, api paths on `api.<domain>`, Keycloak on its own host in stacks
 * that run it.
 */
export function buildIngress(cfg: PlatformConfig, inputs: IngressInputs, opts: pulumi.ComponentResourceOptions): IngressOutputs {
    const apiHostname = `api.${cfg.edge.domain}`;
    const keycloakHostname = cfg.services.keycloak.enabled ? `${cfg.identity.keycloakHostname}.${cfg.edge.domain}` : undefined;
    const alb = new OriginLoadBalancer("origin", {
        namePrefix: cfg.namePrefix,
        vpcId: inputs.vpcId,
        publicSubnetIds: inputs.publicSubnetIds,
        cloudflareRanges: inputs.cloudflareRanges,
        certificatePem: inputs.originCertificatePem,
        privateKeyPem: inputs.originPrivateKeyPem,
        clientCaBundlePem: inputs.originPullCaPem,
        trustStoreBucketName: inputs.trustStoreBucketName,
        accessLogsBucketName: inputs.albLogsBucketName,
        accessLogsBucketPolicy: inputs.albLogsBucketPolicy,
        tlsPolicy: ORIGIN_TLS_POLICY,
        deletionProtection: cfg.isProd,
        idleTimeoutSeconds: ORIGIN_IDLE_TIMEOUT_SECONDS,
        routes: [
            { key: "api", port: API_PORT, hostHeader: apiHostname, pathPatterns: API_PATHS, priority: 10, healthCheckPath: "/health" },
            // Keycloak's main port serves /realms/master without the management interface (port 9000 stays private).
            ...(keycloakHostname
                ? [{
                    key: "keycloak", port: KEYCLOAK_PORT, hostHeader: keycloakHostname, pathPatterns: KEYCLOAK_PATHS, priority: 20,
                    healthCheckPath: "/realms/master",
                }]
                : []),
        ],
        denied: keycloakHostname ? [{ key: "keycloak-master", hostHeader: keycloakHostname, pathPatterns: KEYCLOAK_DENIED_PATHS, priority: 15 }] : [],
    }, opts);
    const target = (key: string, port: number): IngressTarget => ({
        targetGroupArn: alb.targets[key].arn, targetGroupArnSuffix: alb.targets[key].arnSuffix, port, listenerRule: alb.targets[key].rule,
    });
    return {
        albArn: alb.arn,
        albArnSuffix: alb.arnSuffix,
        albDnsName: alb.dnsName,
        albZoneId: alb.zoneId,
        albSecurityGroupId: alb.securityGroupId,
        httpsListenerArn: alb.httpsListenerArn,
        trustStoreArn: alb.trustStoreArn,
        api: target("api", API_PORT),
        keycloak: keycloakHostname ? target("keycloak", KEYCLOAK_PORT) : undefined,
        apiHostname,
        keycloakHostname,
    };
}
