import { strict as assert } from "assert";
import { CLOUDFLARE_RANGES } from "../../components";
import { Recorded, recordWithStackConfig } from "../../offline/testing";
import { buildIngress } from "../../stacks/layers/ingress";
import { fakeIngressInputs } from "../fixtures/ingress-inputs";
import { ALLOWED_TLS_POLICIES } from "../../standards/tls";
import { stackCache } from "../fixtures/stack-cache";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";
const TG = "aws:lb/targetGroup:TargetGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

const runs = stackCache<Promise<Recorded>>();
function ingressOf(stack: string): Promise<Recorded> {
    if (!runs.has(stack)) runs.set(stack, recordWithStackConfig(stack, (cfg) => buildIngress(cfg, fakeIngressInputs(), {})));
    return runs.get(stack)!;
}

describe("ingress layer (origin ALB)", () => {
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        describe(stack, () => {
            it("admits exactly Cloudflare's checked-in ranges on 443 and nothing else", async () => {
                const r = await ingressOf(stack);
                const alb = r.ofType(LB)[0];
                const sgUrn = alb.propertyDependencies.securityGroups?.[0];
                assert.ok(sgUrn, "the ALB's security group is one of ours");
                const rules = r.ofType(INGRESS).filter((i) => (i.propertyDependencies.securityGroupId ?? []).includes(sgUrn));
                const inputs = rules.map((i) => r.inputsOf(i));
                assert.ok(inputs.every((i) => i.ipProtocol === "tcp" && i.fromPort === 443 && i.toPort === 443));
                assert.deepEqual(inputs.map((i) => i.cidrIpv4).filter(Boolean).sort(), [...CLOUDFLARE_RANGES.ipv4].sort());
                assert.deepEqual(inputs.map((i) => i.cidrIpv6).filter(Boolean).sort(), [...CLOUDFLARE_RANGES.ipv6].sort());
                assert.ok(inputs.every((i) => !i.referencedSecurityGroupId && !i.prefixListId));
                const sg = r.resources.find((x) => x.urn === sgUrn)!;
                assert.equal(r.inputsOf(sg).ingress, undefined, "no inline ingress");
            });

            it("is hardened: internet-facing, drops invalid headers, strictest desync mitigation, logs, deletion protection in prod", async () => {
                const r = await ingressOf(stack);
                const albs = r.ofType(LB);
                assert.equal(albs.length, 1);
                const a = r.inputsOf(albs[0]);
                assert.equal(a.internal, false);
                assert.equal(a.dropInvalidHeaderFields, true);
                assert.equal(a.desyncMitigationMode, "strictest");
                assert.equal(a.accessLogs.enabled, true);
                assert.equal(a.accessLogs.bucket, "platform-test-alb-logs");
                assert.equal(a.enableDeletionProtection, stack !== "dev");
                assert.ok(a.name.length <= 32, a.name);
            });

            it("has one HTTPS listener with mTLS verify against the trust store holding the origin-pull CA, and no HTTP listener", async () => {
                const r = await ingressOf(stack);
                const listeners = r.ofType(LISTENER).map((l) => r.inputsOf(l));
                assert.equal(listeners.length, 1);
                const https = listeners[0];
                assert.equal(https.protocol, "HTTPS");
                assert.equal(https.port, 443);
                assert.ok(ALLOWED_TLS_POLICIES.includes(https.sslPolicy));
                assert.ok(https.certificateArn.includes(":acm:"));
                assert.equal(https.mutualAuthentication.mode, "verify");
                const store = r.ofType("aws:lb/trustStore:TrustStore")[0];
                assert.match(https.mutualAuthentication.trustStoreArn, /:truststore\//);
                assert.ok(r.pointingAt(LISTENER, "mutualAuthentication", store).length === 1, "the listener's trust store is the one built here");
                const object = r.ofType("aws:s3/bucketObjectv2:BucketObjectv2").map((o) => r.inputsOf(o))[0];
                assert.equal(object.key, "mtls/ca-bundle.pem");
                assert.ok(object.content.includes("CLOUDFLARE-ORIGIN-PULL"));
                assert.equal(r.inputsOf(store).caCertificatesBundleS3Key, "mtls/ca-bundle.pem");
                assert.equal(https.defaultActions[0].type, "fixed-response");
                assert.equal(https.defaultActions[0].fixedResponse.statusCode, "404");
            });

            it("routes the api paths on the api host, and Keycloak on its own host only where enabled", async () => {
                const r = await ingressOf(stack);
                const rules = r.ofType(RULE).map((x) => r.inputsOf(x));
                const domain = { dev: "complyhub-dev.io", "prod-eu": "complyhub.io", "prod-il": "complyhub.co.il" }[stack];
                const api = rules.find((x) => x.conditions[0].hostHeader.values[0] === `api.${domain}`);
                assert.deepEqual(api?.conditions[1].pathPattern.values, ["/graphql", "/v1/*", "/v2/*", "/health"]);
                const keycloak = rules.filter((x) => x.conditions[0].hostHeader.values[0] === `auth.${domain}`);
                assert.equal(keycloak.length, stack === "prod-il" ? 2 : 0, "Keycloak's route and its master-realm 404");
                assert.equal(rules.length, stack === "prod-il" ? 3 : 1);
                for (const tg of r.ofType(TG).map((x) => r.inputsOf(x))) {
                    assert.equal(tg.targetType, "ip");
                    assert.ok(tg.name.length <= 32);
                    assert.equal(tg.deregistrationDelay, 30);
                    assert.deepEqual(
                        [tg.healthCheck.interval, tg.healthCheck.healthyThreshold, tg.healthCheck.unhealthyThreshold, tg.healthCheck.timeout],
                        [10, 2, 2, 5],
                    );
                }
            });
        });
    }

    it("rejects an empty Cloudflare range list with a clear error", async () => {
        await assert.rejects(
            recordWithStackConfig("dev", (cfg) => buildIngress(cfg, fakeIngressInputs({ cloudflareRanges: { ipv4: [], ipv6: [] } }), {})),
            /Cloudflare IPv4 range list is empty/,
        );
    });

    it("rejects a catch-all range in place of Cloudflare's", async () => {
        await assert.rejects(
            recordWithStackConfig("dev", (cfg) => buildIngress(cfg, fakeIngressInputs({ cloudflareRanges: { ipv4: ["0.0.0.0/0"], ipv6: [] } }), {})),
            /not a valid, specific Cloudflare CIDR/,
        );
    });
});
