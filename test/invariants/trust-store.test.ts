import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { CLOUDFLARE_ORIGIN_PULL_CA_PEM } from "../../standards/cloudflare";
import { Program, STACKS, T, program } from "./program";

/**
 * Invariant: the ALB verifies client certificates (mutual TLS, verify mode) against a trust store whose CA bundle is
 * exactly the CA that signs the client certificate Cloudflare presents for this stack's Authenticated Origin Pulls:
 * - per-hostname AOP: the project CA that signed the certificate uploaded to Cloudflare (and nothing else, in
 *   particular not Cloudflare's shared CA, which every Cloudflare customer's pulls chain to);
 * - zone-level AOP: Cloudflare's origin-pull CA (standards/cloudflare.ts).
 * The mode is read from the edge resources, the CA from the TLS resources' inputs and the trust store's S3 object.
 * ALB trust stores load their bundle from S3: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html
 * Per-hostname AOP: https://developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/per-hostname/
 *
 * Breaks it (checked by hand, then reverted):
 *   stacks/platform.ts  `originPullCaPem: originTrust.originPullCaPem` -> `originTrust.originCertificatePem` (the wrong certificate)
 */

const CLOUDFLARE_CA = CLOUDFLARE_ORIGIN_PULL_CA_PEM;
const HOSTNAME_CERT = "cloudflare:index/authenticatedOriginPullsHostnameCertificate:AuthenticatedOriginPullsHostnameCertificate";
const HOSTNAME_AOP = "cloudflare:index/authenticatedOriginPulls:AuthenticatedOriginPulls";
const SIGNED_CERT = "tls:index/locallySignedCert:LocallySignedCert";
const CA_CERT = "tls:index/selfSignedCert:SelfSignedCert";

const pem = (text: string) => text.replace(/\r\n/g, "\n").trim();
const certificates = (bundle: string) => pem(bundle).split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean).map(pem);

/** The CA bundle the verifying listener's trust store loads (the S3 object at its bucket and key). */
function trustedBundle(p: Program): string {
    const listeners = p.ofType(T.listener).filter((l) => p.inputs(l).mutualAuthentication?.mode === "verify");
    assert.equal(listeners.length, 1, "one listener verifies client certificates");
    assert.equal(p.inputs(listeners[0]).mutualAuthentication.ignoreClientCertificateExpiry ?? false, false, "expired client certificates are refused");
    const store = p.dep(listeners[0], "mutualAuthentication", T.trustStore);
    const { caCertificatesBundleS3Bucket: bucket, caCertificatesBundleS3Key: key } = p.inputs(store);
    const objects = p.ofType("aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => p.inputs(o).bucket === bucket && p.inputs(o).key === key);
    assert.equal(objects.length, 1, `the trust store's bundle s3://${bucket}/${key} is uploaded by the program`);
    return p.inputs(objects[0]).content;
}

/** The CA certificate (PEM) that signs the client certificate Cloudflare presents in per-hostname mode. */
function perHostnameSigner(p: Program, uploaded: RecordedResource): { caPem: string; ca: RecordedResource } {
    const signed = p.dep(uploaded, "certificate", SIGNED_CERT);
    return { caPem: p.inputs(signed).caCertPem, ca: p.dep(signed, "caCertPem", CA_CERT) };
}

for (const stack of STACKS) {
    describe(`invariant (${stack}): the ALB trust store`, () => {
        let p: Program;
        before(async () => { p = await program(stack); });

        it("holds exactly the CA that signs the client certificate Cloudflare presents in this stack's AOP mode", () => {
            const bundle = certificates(trustedBundle(p));
            const uploaded = p.ofType(HOSTNAME_CERT);
            const zoneAop = p
                .ofType("cloudflare:index/zoneSetting:ZoneSetting")
                .some((z) => z.inputs.settingId === "tls_client_auth" && z.inputs.value === "on");
            if (uploaded.length > 0) {
                assert.equal(uploaded.length, 1, "one client certificate for per-hostname AOP");
                const { caPem } = perHostnameSigner(p, uploaded[0]);
                assert.deepEqual(bundle, [pem(caPem)], "the bundle is the project CA that signed the uploaded client certificate");
                assert.ok(!bundle.includes(pem(CLOUDFLARE_CA)), "per-hostname AOP must not trust Cloudflare's shared CA");
            } else {
                assert.ok(zoneAop, "with no per-hostname certificate, zone-level AOP must be on");
                assert.deepEqual(bundle, [pem(CLOUDFLARE_CA)], "zone-level AOP: the bundle is Cloudflare's origin-pull CA");
            }
        });

        it("in per-hostname mode, enables AOP with that certificate for every proxied origin hostname", () => {
            const uploaded = p.ofType(HOSTNAME_CERT);
            if (uploaded.length === 0) return;
            // The provider takes exactly one hostname per AuthenticatedOriginPulls resource: one resource per hostname.
            const aop = p.ofType(HOSTNAME_AOP);
            assert.ok(aop.length >= 1);
            for (const a of aop) {
                assert.equal(p.inputs(a).configs.length, 1, `${a.name} carries exactly one hostname`);
                assert.ok(p.deps(a, "configs").includes(uploaded[0]), `${a.name}: the AOP config carries the uploaded certificate's id`);
            }
            const configs: any[] = aop.flatMap((a) => p.inputs(a).configs);
            const albRecords = p.ofType("cloudflare:index/dnsRecord:DnsRecord")
                .filter((r) => p.deps(r, "content").some((d) => d.type === T.loadBalancer)).map((r) => p.inputs(r).name);
            assert.ok(albRecords.length >= 1);
            for (const host of albRecords) {
                assert.ok(configs.some((c) => c.hostname === host && c.enabled === true), `AOP is not enabled for ${host}`);
            }
        });
    });
}
