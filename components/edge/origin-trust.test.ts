import { strict as assert } from "assert";
import { X509Certificate } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { isSecret } from "../../offline/engine";
import { Recorded, record } from "../../offline/testing";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM } from "../../standards/cloudflare";
import { OriginTrust, OriginTrustArgs } from "./origin-trust";

// OriginTrust on its own (a tiny recorded program each, milliseconds): the ALB's trust store must hold exactly the CA
// that signs the client certificate Cloudflare presents in each Authenticated Origin Pulls mode, the keys must stay
// secrets, and the origin certificate must cover the hostnames with the requested key type.
const HOSTS = ["api.example.com", "auth.example.com"];
const T = {
    key: "tls:index/privateKey:PrivateKey", csr: "tls:index/certRequest:CertRequest", selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
    signed: "tls:index/locallySignedCert:LocallySignedCert", originCa: "cloudflare:index/originCaCertificate:OriginCaCertificate",
    aop: "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate",
    acm: "aws:acm/certificate:Certificate", alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

const resolved = <V>(o: pulumi.Output<V>) => new Promise<V>((resolve) => o.apply(resolve));
const unwrap = (v: unknown) => (isSecret(v) ? (v as any).value : v);

async function build(args: Partial<OriginTrustArgs> = {}): Promise<{ rec: Recorded; trust: OriginTrust; trustStore: string }> {
    let trust: OriginTrust | undefined;
    const rec = await record(() => {
        trust = new OriginTrust("ot", { zoneId: "zone-1", originHostnames: HOSTS, aop: "per-hostname", organization: "Example Ltd", ...args });
    });
    return { rec, trust: trust!, trustStore: await resolved(trust!.originPullCaPem) };
}

describe("OriginTrust", () => {
    describe("per-hostname AOP", () => {
        it("puts in the trust store exactly the CA that signs the client certificate uploaded to Cloudflare", async () => {
            const { rec, trust, trustStore } = await build();
            const ca = rec.one(T.selfSigned, "ot-aop-ca");
            const caKey = rec.one(T.key, "ot-aop-ca-key");
            const client = rec.one(T.signed, "ot-aop-client-cert");
            const uploaded = rec.one(T.aop, "ot-aop-client");
            // The client certificate is signed by the CA's certificate and the CA's own key.
            assert.deepEqual(client.propertyDependencies.caCertPem, [ca.urn]);
            assert.deepEqual(client.propertyDependencies.caPrivateKeyPem, [caKey.urn]);
            assert.deepEqual(ca.propertyDependencies.privateKeyPem, [caKey.urn]);
            // The trust store is that CA certificate, nothing else (not Cloudflare's shared CA, not the client certificate).
            assert.equal(trustStore, rec.inputsOf(client).caCertPem);
            assert.notEqual(trustStore, CLOUDFLARE_ORIGIN_PULL_CA_PEM);
            assert.match(trustStore, /BEGIN CERTIFICATE/);
            // Cloudflare presents that client certificate, with the key of its own CSR, for the zone.
            assert.deepEqual(uploaded.propertyDependencies.certificate, [client.urn]);
            const clientCsr = rec.one(T.csr, "ot-aop-client-csr");
            assert.deepEqual(client.propertyDependencies.certRequestPem, [clientCsr.urn]);
            assert.deepEqual(clientCsr.propertyDependencies.privateKeyPem, [rec.one(T.key, "ot-aop-client-key").urn]);
            assert.deepEqual(uploaded.propertyDependencies.privateKey, clientCsr.propertyDependencies.privateKeyPem);
            assert.ok(isSecret(uploaded.inputs.privateKey), "the client key reaches Cloudflare only as a secret");
            assert.equal(uploaded.inputs.zoneId, "zone-1");
            assert.equal(typeof (await resolved(trust.aopCertificateId!)), "string", "the uploaded certificate's id");
            assert.equal(trust.aop, "per-hostname");
        });
        it("parents every certificate, key and alarm to the component (their URNs, and so their state, follow it)", async () => {
            const expiryAlarm = { alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts", namePrefix: "p", runbookUrl: "https://rb" };
            const { rec } = await build({ expiryAlarm });
            const component = rec.one("platform:edge:OriginTrust", "ot");
            const children = rec.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.equal(children.length, 11);
            for (const r of children) assert.equal(r.parent, component.urn, `${r.type} ${r.name}`);
        });
        it("makes the CA a CA (cert signing only) and the client certificate a client certificate, both RSA 2048", async () => {
            const { rec } = await build();
            const ca = rec.inputsOf(rec.one(T.selfSigned, "ot-aop-ca"));
            assert.equal(ca.isCaCertificate, true);
            assert.deepEqual(ca.allowedUses, ["cert_signing", "crl_signing", "digital_signature"]);
            assert.equal(ca.validityPeriodHours, 87600);
            assert.equal(ca.earlyRenewalHours, 2160);
            assert.deepEqual(ca.subject, { commonName: "Example Ltd origin-pull CA", organization: "Example Ltd" });
            const client = rec.inputsOf(rec.one(T.signed, "ot-aop-client-cert"));
            assert.deepEqual(client.allowedUses, ["client_auth", "digital_signature", "key_encipherment"]);
            assert.equal(client.validityPeriodHours, 2 * 365 * 24);
            assert.equal(client.earlyRenewalHours, 45 * 24, "renewed 45 days before expiry by default");
            assert.deepEqual(rec.inputsOf(rec.one(T.csr, "ot-aop-client-csr")).subject,
                { commonName: "api.example.com origin pull", organization: "Example Ltd" });
            for (const k of ["ot-aop-ca-key", "ot-aop-client-key"]) assert.deepEqual(rec.one(T.key, k).inputs, { algorithm: "RSA", rsaBits: 2048 }, k);
            const renewed = (await build({ aopRenewalDays: 60 })).rec;
            assert.equal(renewed.one(T.signed, "ot-aop-client-cert").inputs.earlyRenewalHours, 60 * 24);
        });
        it("alarms on the client certificate's expiry a week into the renewal window, through an import of that certificate", async () => {
            const expiryAlarm = { alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts", namePrefix: "platform-test", runbookUrl: "https://rb/aop" };
            const { rec } = await build({ expiryAlarm });
            const monitor = rec.one(T.acm, "ot-aop-client-monitor");
            assert.deepEqual(monitor.propertyDependencies.certificateBody, [rec.one(T.signed, "ot-aop-client-cert").urn]);
            assert.deepEqual(monitor.propertyDependencies.certificateChain, [rec.one(T.selfSigned, "ot-aop-ca").urn]);
            assert.deepEqual(monitor.propertyDependencies.privateKey, [rec.one(T.key, "ot-aop-client-key").urn]);
            assert.ok(isSecret(monitor.inputs.privateKey));
            assert.match(monitor.inputs.tags.purpose, /expiry monitoring/);
            const alarm = rec.one(T.alarm, "ot-aop-client-expiry");
            const a = rec.inputsOf(alarm);
            assert.deepEqual(alarm.propertyDependencies.dimensions, [monitor.urn]);
            assert.equal(a.name, "platform-test-aop-client-cert-expiry");
            assert.deepEqual([a.namespace, a.metricName, a.statistic, a.period, a.evaluationPeriods], ["AWS/CertificateManager", "DaysToExpiry", "Minimum",
                86400, 1]);
            assert.deepEqual([a.comparisonOperator, a.threshold, a.treatMissingData], ["LessThanOrEqualToThreshold", 38, "notBreaching"]);
            assert.deepEqual([a.alarmActions, a.okActions], [[expiryAlarm.alertsTopicArn], [expiryAlarm.alertsTopicArn]]);
            assert.match(a.alarmDescription, /expires in under 38 days and was not renewed: run pulumi up/);
            assert.match(a.alarmDescription, /Runbook: https:\/\/rb\/aop$/);
            // A renewal window under two weeks still leaves the alarm a week before expiry.
            assert.equal((await build({ expiryAlarm, aopRenewalDays: 10 })).rec.one(T.alarm, "ot-aop-client-expiry").inputs.threshold, 7);
            assert.deepEqual((await build()).rec.ofType(T.alarm), [], "no alarm unless asked");
        });
    });

    describe("zone-level AOP", () => {
        it("trusts Cloudflare's shared origin-pull CA and builds no CA or client certificate of its own", async () => {
            const { rec, trust, trustStore } = await build({ aop: "zone" });
            assert.equal(trustStore, CLOUDFLARE_ORIGIN_PULL_CA_PEM);
            // And that PEM is Cloudflare's self-signed origin-pull CA (the issuer of every zone-level AOP client certificate).
            const ca = new X509Certificate(trustStore);
            assert.match(ca.subject, /CN=origin-pull\.cloudflare\.net/);
            assert.ok(ca.ca && ca.checkIssued(ca) && ca.verify(ca.publicKey), "a self-signed CA certificate");
            assert.equal(trust.aopCertificateId, undefined);
            assert.equal(trust.aop, "zone");
            assert.deepEqual([rec.ofType(T.selfSigned), rec.ofType(T.signed), rec.ofType(T.aop), rec.ofType(T.alarm)], [[], [], [], []]);
            const expiryAlarm = { alertsTopicArn: "arn:aws:sns:eu-central-1:111111111111:alerts", namePrefix: "p", runbookUrl: "https://rb" };
            assert.deepEqual((await build({ aop: "zone", expiryAlarm })).rec.ofType(T.alarm), [], "the shared certificate is Cloudflare's to renew");
        });
    });

    describe("origin certificate", () => {
        it("covers every origin hostname with an ECDSA P-256 key by default, valid 15 years, its key a secret", async () => {
            const { rec, trust } = await build();
            const key = rec.one(T.key, "ot-origin-key");
            assert.deepEqual(key.inputs, { algorithm: "ECDSA", ecdsaCurve: "P256" });
            const csr = rec.one(T.csr, "ot-origin-csr");
            assert.deepEqual(csr.propertyDependencies.privateKeyPem, [key.urn]);
            assert.deepEqual(csr.inputs.dnsNames, HOSTS);
            assert.deepEqual(csr.inputs.subject, { commonName: "api.example.com", organization: "Example Ltd" });
            const cert = rec.one(T.originCa, "ot-origin-cert");
            assert.deepEqual(cert.propertyDependencies.csr, [csr.urn]);
            assert.deepEqual([cert.inputs.hostnames, cert.inputs.requestType, cert.inputs.requestedValidity], [HOSTS, "origin-ecc", 5475]);
            assert.equal(await pulumi.isSecret(trust.originPrivateKeyPem), true, "the origin key leaves the component only as a secret");
            assert.equal(unwrap(await resolved(trust.originPrivateKeyPem)), rec.inputsOf(csr).privateKeyPem);
            assert.match(await resolved(trust.originCertificatePem), /BEGIN CERTIFICATE/);
            assert.deepEqual(trust.originHostnames, HOSTS);
        });
        it("uses RSA 2048 and origin-rsa when asked, with the requested validity", async () => {
            const { rec } = await build({ keyAlgorithm: "RSA", originCertValidityDays: 365 });
            assert.deepEqual(rec.one(T.key, "ot-origin-key").inputs, { algorithm: "RSA", rsaBits: 2048 });
            const cert = rec.one(T.originCa, "ot-origin-cert").inputs;
            assert.deepEqual([cert.requestType, cert.requestedValidity], ["origin-rsa", 365]);
        });
        it("refuses an empty hostname list before registering anything", async () => {
            await assert.rejects(build({ originHostnames: [] }), /ot: originHostnames is empty/);
        });
    });
});
