import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as cloudflare from "@pulumi/cloudflare";
import * as tls from "@pulumi/tls";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM } from "../../standards/cloudflare";
import { ComponentTags, withTags } from "../tags";


/** Validity Cloudflare's Origin CA accepts, in days (5475 = 15 years, the longest). */
const ORIGIN_CA_VALIDITY_DAYS = [7, 30, 90, 365, 730, 1095, 5475] as const;

/** Authenticated Origin Pulls with a per-hostname client certificate of the project's own CA, or Cloudflare's zone-level shared certificate. */
export type AopMode = "per-hostname" | "zone";

/** What a caller decides about the trust between Cloudflare and the origin (the ALB). */
export interface OriginTrustArgs {
    /** Cloudflare zone the hostnames belong to. */
    readonly zoneId: pulumi.Input<string>;
    /** Fully qualified hostnames the ALB serves through Cloudflare (the API, and Keycloak where it runs). */
    readonly originHostnames: string[];
    /** Authenticated Origin Pulls: the project's own client certificate per hostname, or Cloudflare's shared zone certificate. */
    readonly aop: AopMode;
    /** Key type of the origin certificate: ECDSA P-256 (smaller, faster; ACM imports it) or RSA 2048. Default ECDSA. */
    readonly keyAlgorithm?: "ECDSA" | "RSA";
    /** Origin CA certificate validity in days; default 5475 (15 years, the Origin CA maximum). */
    readonly originCertValidityDays?: (typeof ORIGIN_CA_VALIDITY_DAYS)[number];
    /** Days before expiry when a `pulumi up` re-issues the AOP client certificate (Cloudflare's expiry alert fires 30 days before). */
    readonly aopRenewalDays?: number;
    /**
     * CloudWatch alarm on the AOP client certificate's expiry (per-hostname): the certificate is imported into ACM only
     * so ACM publishes its DaysToExpiry metric; the alarm fires a week into the renewal window if no `pulumi up` renewed it.
     */
    readonly expiryAlarm?: { alertsTopicArn: pulumi.Input<string>; namePrefix: string; /** Runbook the alarm links. */ runbookUrl: string };
    /** Organisation written into the certificates' subjects. */
    readonly organization: string;
    /** Tags merged onto every taggable AWS resource of the component (a resource's own tags win). Default: none. */
    readonly tags?: ComponentTags;
}

/**
 * The certificates behind Full (strict) and Authenticated Origin Pulls, created before the ALB that uses them:
 * - an Origin CA certificate (Cloudflare-signed, trusted by Cloudflare in Full strict) for the origin hostnames,
 *   whose private key is generated here and only ever leaves as a Pulumi secret (encrypted in state, masked in logs);
 * - the trust-store bundle for the ALB's mutual TLS: with `per-hostname`, a project CA that signs the client
 *   certificate uploaded to Cloudflare for these hostnames (so the ALB admits only this zone's traffic); with
 *   `zone`, Cloudflare's shared origin-pull CA.
 * Nothing here turns AOP on at Cloudflare: the Edge component does that, before its DNS records go live.
 */
export class OriginTrust extends pulumi.ComponentResource {
    /** PEM of the Origin CA certificate, for ACM's `certificateBody`. */
    public readonly originCertificatePem: pulumi.Output<string>;
    /** PEM of the origin certificate's private key, a Pulumi secret, for ACM's `privateKey`. */
    public readonly originPrivateKeyPem: pulumi.Output<string>;
    /** The CA bundle for the ALB trust store: the project AOP CA (per-hostname) or Cloudflare's origin-pull CA (zone). */
    public readonly originPullCaPem: pulumi.Output<string>;
    /** Id of the client certificate uploaded for per-hostname AOP (undefined with zone-level AOP). */
    public readonly aopCertificateId?: pulumi.Output<string>;
    public readonly aop: AopMode;
    public readonly originHostnames: string[];
    /** The Cloudflare Origin CA certificate the ALB presents (the resource itself). */
    public readonly originCertificate: cloudflare.OriginCaCertificate;
    /** The project's AOP client certificate as uploaded to Cloudflare (per-hostname AOP only). */
    public readonly aopClientCertificate?: cloudflare.AuthenticatedOriginPullsHostnameCertificate;

    constructor(name: string, args: OriginTrustArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:OriginTrust", name, {}, withTags(opts, args.tags));
        if (args.originHostnames.length === 0) throw new Error(`${name}: originHostnames is empty; the origin certificate needs at least the API hostname`);
        const child = { parent: this };
        const ecdsa = (args.keyAlgorithm ?? "ECDSA") === "ECDSA";
        const keyArgs = ecdsa ? { algorithm: "ECDSA", ecdsaCurve: "P256" } : { algorithm: "RSA", rsaBits: 2048 };

        // Origin certificate: our key, Cloudflare's signature. The CSR carries no secret; the key stays in state (encrypted).
        const originKey = new tls.PrivateKey(`${name}-origin-key`, keyArgs, child);
        const csr = new tls.CertRequest(`${name}-origin-csr`, {
            privateKeyPem: originKey.privateKeyPem,
            dnsNames: args.originHostnames,
            subject: { commonName: args.originHostnames[0], organization: args.organization },
        }, child);
        const originCert = new cloudflare.OriginCaCertificate(`${name}-origin-cert`, {
            csr: csr.certRequestPem,
            hostnames: args.originHostnames,
            requestType: ecdsa ? "origin-ecc" : "origin-rsa",
            requestedValidity: args.originCertValidityDays ?? 5475,
        }, child);

        if (args.aop === "per-hostname") {
            // The project CA exists only to sign Cloudflare's client certificate; its key never leaves state. RSA for both
            // AOP keys: the format Cloudflare's per-hostname AOP examples use and every ALB trust store accepts.
            const caKey = new tls.PrivateKey(`${name}-aop-ca-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
            const ca = new tls.SelfSignedCert(`${name}-aop-ca`, {
                privateKeyPem: caKey.privateKeyPem,
                isCaCertificate: true,
                allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
                validityPeriodHours: 10 * 365 * 24,
                earlyRenewalHours: 90 * 24,
                subject: { commonName: `${args.organization} origin-pull CA`, organization: args.organization },
            }, child);
            const clientKey = new tls.PrivateKey(`${name}-aop-client-key`, { algorithm: "RSA", rsaBits: 2048 }, child);
            const clientCsr = new tls.CertRequest(`${name}-aop-client-csr`, {
                privateKeyPem: clientKey.privateKeyPem,
                subject: { commonName: `${args.originHostnames[0]} origin pull`, organization: args.organization },
            }, child);
            // Two years, renewed by any `pulumi up` in the renewal window (Cloudflare then presents the new certificate); the
            // EdgeAlerts notification policy warns before expiry so a quiet month cannot let it lapse.
            const clientCert = new tls.LocallySignedCert(`${name}-aop-client-cert`, {
                certRequestPem: clientCsr.certRequestPem,
                caCertPem: ca.certPem,
                caPrivateKeyPem: caKey.privateKeyPem,
                allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
                validityPeriodHours: 2 * 365 * 24,
                earlyRenewalHours: (args.aopRenewalDays ?? 45) * 24,
            }, child);
            const uploaded = new cloudflare.AuthenticatedOriginPullsHostnameCertificate(`${name}-aop-client`, {
                zoneId: args.zoneId,
                certificate: clientCert.certPem,
                privateKey: pulumi.secret(clientKey.privateKeyPem),
            }, child);
            if (args.expiryAlarm) this.expiryAlarm(name, args, ca.certPem, clientCert.certPem, clientKey.privateKeyPem);
            this.aopCertificateId = uploaded.id;
            this.aopClientCertificate = uploaded;
            this.originPullCaPem = ca.certPem;
        } else {
            this.originPullCaPem = pulumi.output(CLOUDFLARE_ORIGIN_PULL_CA_PEM);
        }

        this.aop = args.aop;
        this.originHostnames = [...args.originHostnames];
        this.originCertificatePem = originCert.certificate;
        this.originCertificate = originCert;
        this.originPrivateKeyPem = pulumi.secret(originKey.privateKeyPem);
        // Stryker disable next-line ObjectLiteral: the component's registered outputs only show in state and the CLI; callers read the fields above.
        this.registerOutputs({
            originCertificatePem: this.originCertificatePem,
            originPrivateKeyPem: this.originPrivateKeyPem,
            originPullCaPem: this.originPullCaPem,
            aopCertificateId: this.aopCertificateId,
        });
    }

    /** ACM DaysToExpiry (https://docs.aws.amazon.com/acm/latest/userguide/cloudwatch-metrics.html) of a monitoring import. */
    private expiryAlarm(name: string, args: OriginTrustArgs, caPem: pulumi.Output<string>, certPem: pulumi.Output<string>, keyPem: pulumi.Output<string>) {
        const alarm = args.expiryAlarm!;
        const renewalDays = args.aopRenewalDays ?? 45;
        const monitor = new aws.acm.Certificate(`${name}-aop-client-monitor`, {
            certificateBody: certPem, privateKey: pulumi.secret(keyPem), certificateChain: caPem,
            tags: { purpose: "expiry monitoring of the Cloudflare AOP client certificate (not served anywhere)" },
        }, { parent: this });
        new aws.cloudwatch.MetricAlarm(`${name}-aop-client-expiry`, {
            name: `${alarm.namePrefix}-aop-client-cert-expiry`,
            alarmDescription: `The Cloudflare AOP client certificate expires in under ${renewalDays - 7} days and was not renewed: run pulumi up ` +
                `(it re-issues within platform:edge.aopRenewalDays). When it lapses the ALB refuses Cloudflare. Runbook: ${alarm.runbookUrl}`,
            namespace: "AWS/CertificateManager", metricName: "DaysToExpiry", dimensions: { CertificateArn: monitor.arn },
            statistic: "Minimum", period: 86400, evaluationPeriods: 1, comparisonOperator: "LessThanOrEqualToThreshold",
            threshold: Math.max(7, renewalDays - 7), treatMissingData: "notBreaching",
            alarmActions: [alarm.alertsTopicArn], okActions: [alarm.alertsTopicArn],
        }, { parent: this });
    }
}
