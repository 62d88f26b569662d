import { strict as assert } from "assert";
import { fake, violationsOf } from "../offline/testing";
import * as ingress from "./ingress";
import { HARDENED_ALB } from "../test/fixtures/hardened-alb";
import { CLOUDFLARE_RANGES as cloudflare } from "../standards/cloudflare";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const HARDENED = HARDENED_ALB;

describe("ingress policies", () => {
    describe("alb-https-only", () => {
        it("passes HTTPS with a certificate and an allowed policy, and HTTP that only redirects", async () => {
            const https = fake(LISTENER, "https", { protocol: "HTTPS", certificateArn: "arn:aws:acm:x", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
            const http = fake(LISTENER, "http", {
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            });
            assert.deepEqual(await violationsOf(ingress.albHttpsOnly, [https, http]), []);
        });
        it("flags an old TLS policy and a forwarding HTTP listener", async () => {
            const https = fake(LISTENER, "https", { protocol: "HTTPS", certificateArn: "arn:aws:acm:x", sslPolicy: "ELBSecurityPolicy-2016-08" });
            const http = fake(LISTENER, "http", { protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] });
            const found = await violationsOf(ingress.albHttpsOnly, [https, http]);
            assert.equal(found.length, 2, found.join("\n"));
            assert.match(found[0], /^https: TLS policy ELBSecurityPolicy-2016-08 is not one of /);
            assert.match(found[1], /^http: /);
        });
        it("takes the allow-list from config", async () => {
            const https = fake(LISTENER, "https", { protocol: "HTTPS", certificateArn: "arn:aws:acm:x", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" });
            assert.equal((await violationsOf(ingress.albHttpsOnly, [https], { allowedTlsPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] })).length, 1);
        });
    });

    describe("alb-hardening", () => {
        it("passes a hardened prod ALB", async () => {
            assert.deepEqual(await violationsOf(ingress.albHardening, [fake(LB, "origin", HARDENED)]), []);
        });
        it("flags missing header dropping, logs, prod deletion protection and a monitor desync mode", async () => {
            const found = await violationsOf(ingress.albHardening, [
                fake(LB, "origin", {
                    ...HARDENED,
                    dropInvalidHeaderFields: false,
                    accessLogs: undefined,
                    enableDeletionProtection: false,
                    desyncMitigationMode: "monitor",
                }),
            ]);
            assert.deepEqual(found, [
                "origin: does not drop invalid header fields (ELB.4)", "origin: access logging is off (ELB.5)",
                "origin: deletion protection is off in prod (ELB.6)", "origin: desync mitigation is monitor (ELB.12)",
            ]);
        });
    });

    describe("alb-mtls-verify", () => {
        const alb = fake(LB, "origin", HARDENED);
        const store = fake("aws:lb/trustStore:TrustStore", "cf", {});
        it("passes an HTTPS listener verifying client certificates against a trust store", async () => {
            const l = fake(
                LISTENER,
                "https",
                { protocol: "HTTPS", mutualAuthentication: { mode: "verify" } },
                { loadBalancerArn: [alb], mutualAuthentication: [store] },
            );
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [alb, store, l]), []);
        });
        it("flags passthrough mode on an internet-facing ALB", async () => {
            const l = fake(LISTENER, "https", { protocol: "HTTPS", mutualAuthentication: { mode: "passthrough" } }, { loadBalancerArn: [alb] });
            assert.match((await violationsOf(ingress.albMtlsVerify, [alb, l])).join(), /does not verify client certificates \(mutual TLS mode passthrough\)/);
        });
        it("flags verification that accepts expired client certificates", async () => {
            const l = fake(
                LISTENER,
                "https",
                { protocol: "HTTPS", mutualAuthentication: { mode: "verify", ignoreClientCertificateExpiry: true } },
                { loadBalancerArn: [alb], mutualAuthentication: [store] },
            );
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [alb, store, l]), [
                "listener https of internet-facing ALB origin accepts expired client certificates (ignoreClientCertificateExpiry)",
            ]);
        });
        it("does not apply to internal ALBs", async () => {
            const internal = fake(LB, "internal", { ...HARDENED, internal: true });
            const l = fake(LISTENER, "https", { protocol: "HTTPS" }, { loadBalancerArn: [internal] });
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [internal, l]), []);
        });
    });

    describe("alb-cloudflare-only", () => {
        const sg = fake(SG, "origin-sg", { description: "alb" });
        const alb = fake(LB, "origin", HARDENED, { securityGroups: [sg] });
        const rule = (name: string, inputs: Record<string, any>) =>
            fake(SG_INGRESS, name, { ipProtocol: "tcp", fromPort: 443, toPort: 443, ...inputs }, { securityGroupId: [sg] });
        const cloudflareRules = [
            ...cloudflare.ipv4.map((c, i) => rule(`v4-${i}`, { cidrIpv4: c })),
            ...cloudflare.ipv6.map((c, i) => rule(`v6-${i}`, { cidrIpv6: c })),
        ];
        it("passes 443 from Cloudflare's ranges only", async () => {
            assert.deepEqual(await violationsOf(ingress.albCloudflareOnly, [sg, alb, ...cloudflareRules]), []);
        });
        it("flags the world on 443 and another port", async () => {
            const found = await violationsOf(ingress.albCloudflareOnly, [
                sg,
                alb,
                ...cloudflareRules,
                rule("world", { cidrIpv4: "0.0.0.0/0" }),
                rule("http", { fromPort: 80, toPort: 80, cidrIpv4: cloudflare.ipv4[0] }),
            ]);
            assert.equal(found.length, 2, found.join("\n"));
            assert.match(found.join(), /admits 0\.0\.0\.0\/0, which is not a Cloudflare range/);
            assert.match(found.join(), /ports 80-80; only TCP 443/);
        });
        it("flags an inline rule from a security group", async () => {
            const inline = fake(SG, "origin-sg", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: ["sg-1"] }] });
            const a = fake(LB, "origin", HARDENED, { securityGroups: [inline] });
            assert.match((await violationsOf(ingress.albCloudflareOnly, [inline, a])).join(), /admits a security group or prefix list/);
        });
        it("flags an internet-facing ALB without its own security group", async () => {
            assert.match((await violationsOf(ingress.albCloudflareOnly, [fake(LB, "bare", HARDENED)])).join(), /has no security group/);
        });
        it("takes the ranges from config", async () => {
            const found = await violationsOf(ingress.albCloudflareOnly, [sg, alb, ...cloudflareRules], { cloudflareRanges: cloudflare.ipv4.slice(1) });
            assert.equal(found.length, 1 + cloudflare.ipv6.length);
        });
    });
});
