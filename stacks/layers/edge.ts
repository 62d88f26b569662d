import { runbookLink } from "../../components/observability/runbooks";
import * as pulumi from "@pulumi/pulumi";
import {
    AopMode, ApiKeyLimiter, CLOUDFLARE_RANGES_DATE, CloudflareRanges, Edge, EdgeAlerts, EmailDnsArgs, OriginTrust, SpaOrigin, featureReport,
} from "../../components";
import { EdgeHosts, OmittedRule, spaSecurityHeaders } from "../../components/edge/rules";
import { PlatformConfig } from "../config";

/** The edge's hostnames for a stack: `app.<domain>`, `api.<domain>`, and the Keycloak host where the stack runs it. */
export function edgeHosts(cfg: PlatformConfig): EdgeHosts {
    const domain = cfg.edge.domain;
    const auth = cfg.services.keycloak.enabled && cfg.identity.keycloakHostname ? `${cfg.identity.keycloakHostname}.${domain}` : undefined;
    return { app: `app.${domain}`, api: `api.${domain}`, ...(auth ? { auth } : {}) };
}

/** What OriginTrust takes from other layers: the alerts topic, for the AOP client certificate's expiry alarm. */
export interface OriginTrustInputs {
    alertsTopicArn?: pulumi.Input<string>;
}

/** What the ingress layer takes from the origin trust (run before it). */
export interface OriginTrustOutputs {
    /** Origin CA certificate for ACM (`certificateBody`). */
    originCertificatePem: pulumi.Output<string>;
    /** Its private key, a Pulumi secret, for ACM (`privateKey`). Never exported as a stack output. */
    originPrivateKeyPem: pulumi.Output<string>;
    /** The ALB trust-store CA bundle (the project AOP CA per-hostname, or Cloudflare's origin-pull CA zone-level). */
    originPullCaPem: pulumi.Output<string>;
    /** The hostnames the certificate covers (the ALB's hosts). */
    originHostnames: string[];
    aop: AopMode;
    /** The uploaded per-hostname AOP client certificate id (per-hostname only); buildEdge takes it through `trust`. */
    aopCertificateId?: pulumi.Output<string>;
}

/**
 * Certificates between Cloudflare and the ALB, built BEFORE the ingress layer: the Origin CA certificate (Full strict)
 * and the Authenticated Origin Pulls trust (per-hostname in prod, config `edge.aop`).
 */
export function buildOriginTrust(cfg: PlatformConfig, inputs: OriginTrustInputs, opts: pulumi.ComponentResourceOptions): OriginTrustOutputs {
    const hosts = edgeHosts(cfg);
    const trust = new OriginTrust("origin-trust", {
        zoneId: cfg.edge.zoneId,
        originHostnames: [hosts.api, ...(hosts.auth ? [hosts.auth] : [])],
        aop: cfg.edge.aop,
        aopRenewalDays: cfg.edge.aopRenewalDays,
        ...(inputs.alertsTopicArn ? { expiryAlarm: {
            alertsTopicArn: inputs.alertsTopicArn, namePrefix: cfg.namePrefix,
            runbookUrl: runbookLink(cfg.alerts.runbookBaseUrl, "aop-client-certificate-expiry"),
        } } : {}),
        keyAlgorithm: "ECDSA",
        organization: cfg.project,
    }, opts);
    return {
        originCertificatePem: trust.originCertificatePem,
        originPrivateKeyPem: trust.originPrivateKeyPem,
        originPullCaPem: trust.originPullCaPem,
        originHostnames: trust.originHostnames,
        aop: trust.aop,
        aopCertificateId: trust.aopCertificateId,
    };
}

/** What the edge needs from other layers. */
export interface EdgeInputs {
    /** The ALB's DNS name (ingress layer). */
    albDnsName: pulumi.Input<string>;
    /** The private SPA bucket (storage layer) and its SSE-KMS key: read by the SPA origin Worker. */
    frontendBucket: { name: pulumi.Input<string>; arn: pulumi.Input<string> };
    frontendKmsKeyArn: pulumi.Input<string>;
    /** Cloudflare's egress ranges (the SPA reader's key works only from them). */
    cloudflareRanges: CloudflareRanges;
    /** The origin trust built before ingress (its AOP mode and per-hostname certificate id). */
    trust: Pick<OriginTrustOutputs, "aop" | "aopCertificateId">;
    /** SES records, when the notifications layer sends mail from this domain (region defaults to cfg.email.sesRegion). */
    emailDns?: Omit<EmailDnsArgs, "region"> & { region?: string };
}

/** What the program exports from the edge. */
export interface EdgeOutputs {
    hostnames: EdgeHosts;
    urls: { app: string; api: string; auth?: string };
    recordIds: Record<string, pulumi.Output<string>>;
    rulesetIds: Record<string, pulumi.Output<string>>;
    /** Rate-limit rules the plan cannot hold, and how each limit is enforced instead. */
    omittedRateLimits: OmittedRule[];
    /** The stack's plan, add-ons and which edge feature it gets (the `edgeFeatures` stack output). */
    features: { plan: string; addons: Record<string, boolean>; perApiKeyLimit: string; features: Record<string, string> };
    /** The date of the Cloudflare range list the origin admits. */
    cloudflareRangesDate: string;
}

/** Account-unique id of the per-key rate-limit namespace (the Workers Rate Limiting binding's namespace_id). */
const API_KEY_LIMIT_NAMESPACE_ID = 1001;

/**
 * The Cloudflare zone, built AFTER ingress (its records point at the ALB): proxied DNS, Full (strict), WAF,
 * rate limits, bots, AOP enablement, SPA cache rules and SES mail records.
 */
export function buildEdge(cfg: PlatformConfig, inputs: EdgeInputs, opts: pulumi.ComponentResourceOptions): EdgeOutputs {
    const { trust } = inputs;
    if (trust.aop !== cfg.edge.aop) throw new Error(`buildEdge: the origin trust was built with aop=${trust.aop} but platform:edge.aop is ${cfg.edge.aop}`);
    if (trust.aop === "per-hostname" && !trust.aopCertificateId) throw new Error("buildEdge: per-hostname AOP needs the origin trust's aopCertificateId");
    const ent = cfg.edge.entitlements;
    const hosts = edgeHosts(cfg);
    const spa = new SpaOrigin("spa-origin", {
        accountId: cfg.edge.accountId, zoneId: cfg.edge.zoneId, hostname: hosts.app, region: cfg.region, namePrefix: cfg.namePrefix,
        bucketName: inputs.frontendBucket.name, bucketArn: inputs.frontendBucket.arn, kmsKeyArn: inputs.frontendKmsKeyArn,
        cloudflareRanges: inputs.cloudflareRanges, securityHeaders: spaSecurityHeaders(hosts),
    }, opts);
    const edge = new Edge("edge", {
        zoneId: cfg.edge.zoneId,
        domain: cfg.edge.domain,
        hosts,
        albDnsName: inputs.albDnsName,
        entitlements: ent,
        botMode: cfg.edge.botManagement,
        waf: cfg.edge.waf,
        appServedBy: [spa.route],
        blockedCountries: cfg.edge.blockedCountries,
        rateLimits: { apiPerIp: cfg.edge.apiRateLimitPerIp, apiPerKey: cfg.edge.apiRateLimitPerKey, authPerIp: cfg.edge.authRateLimitPerIp },
        aop: trust.aop === "per-hostname" ? { mode: "per-hostname", certificateId: trust.aopCertificateId! } : { mode: "zone" },
        emailDns: inputs.emailDns ? { ...inputs.emailDns, region: inputs.emailDns.region ?? cfg.email.sesRegion } : undefined,
    }, opts);
    // Per-API-key limits: the ARL rule where the zone has it; the Workers Rate Limiting binding everywhere else.
    if (!ent.rateLimitHeaderCounting) {
        new ApiKeyLimiter("api-key-limiter", {
            accountId: cfg.edge.accountId, zoneId: cfg.edge.zoneId, hostname: hosts.api, requestsPerMinute: cfg.edge.apiRateLimitPerKey,
            namespaceId: API_KEY_LIMIT_NAMESPACE_ID, namePrefix: cfg.namePrefix,
        }, opts);
    }
    new EdgeAlerts("edge-alerts", {
        accountId: cfg.edge.accountId, zoneId: cfg.edge.zoneId, emails: cfg.alerts.emails, namePrefix: cfg.namePrefix,
        webhookUrl: cfg.secretValues.slackWebhookUrl,
        alerts: [
            ...(trust.aop === "per-hostname" ? ["aopCertificateExpiry" as const] : []), "httpDdos",
            ...(ent.securityEventsAlert ? ["securityEvents" as const] : []), ...(ent.originErrorAlert ? ["originErrors" as const] : []),
        ],
        logpushDestination: cfg.edge.logpushDestination,
    }, opts);
    const features = {
        plan: ent.plan, addons: { ...ent.addons },
        perApiKeyLimit: ent.rateLimitHeaderCounting ? "edge-rule (Advanced Rate Limiting)" : "worker (Rate Limiting binding)",
        features: featureReport(ent),
    };
    return {
        hostnames: edge.hostnames, urls: edge.urls, recordIds: edge.recordIds, rulesetIds: edge.rulesetIds, omittedRateLimits: edge.omittedRateLimits,
        features, cloudflareRangesDate: CLOUDFLARE_RANGES_DATE,
    };
}
