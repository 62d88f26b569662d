import { strict as assert } from "assert";
import { PROD_TAGS, fake, violationsOf } from "../offline/testing";
import * as ingress from "./ingress";
import { HARDENED_ALB } from "../test/fixtures/hardened-alb";
import { CLOUDFLARE_RANGES as cloudflare } from "../standards/cloudflare";
import { ALLOWED_TLS_POLICIES } from "../standards/tls";

// One case per check of the ingress policies, each on its own graph (ingress.test.ts holds the pass/flag pairs).
const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB_LB = "aws:alb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const ALB_LISTENER = "aws:alb/listener:Listener";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const HARDENED = HARDENED_ALB;
const TLS13 = "ELBSecurityPolicy-TLS13-1-2-2021-06";
const CF = cloudflare.ipv4[0];

describe("ingress policies, one check at a time", () => {
    describe("alb-https-only", () => {
        const listener = (inputs: Record<string, any>, type = LISTENER) => fake(type, "l", inputs);
        it("flags an HTTPS listener without a certificate, on either listener type, and nothing else about it", async () => {
            for (const type of [LISTENER, ALB_LISTENER]) {
                assert.deepEqual(
                    await violationsOf(ingress.albHttpsOnly, [listener({ protocol: "https", sslPolicy: TLS13 }, type)]),
                    ["l: HTTPS listener without a certificate"],
                    type,
                );
            }
        });
        it("flags an HTTPS listener on the default TLS policy", async () => {
            assert.deepEqual(await violationsOf(ingress.albHttpsOnly, [listener({ protocol: "HTTPS", certificateArn: "arn:aws:acm:x" })]), [
                `l: TLS policy (default) is not one of ${ALLOWED_TLS_POLICIES.join(", ")}`,
            ]);
        });
        it("treats a listener without a protocol as HTTP: it must redirect", async () => {
            assert.deepEqual(await violationsOf(ingress.albHttpsOnly, [listener({ defaultActions: [{ type: "forward" }] })]), [
                "l: plain-HTTP listener that does not only redirect to HTTPS",
            ]);
        });
        it("flags HTTP with no actions, a redirect to HTTP, and a redirect beside a forward", async () => {
            const redirect = (protocol: string) => ({ type: "redirect", redirect: { protocol, port: "443", statusCode: "HTTP_301" } });
            for (const defaultActions of [
                [],
                [redirect("HTTP")],
                [redirect("HTTPS"), { type: "forward" }],
                [{ type: "forward", redirect: { protocol: "HTTPS" } }],
            ]) {
                assert.equal(
                    (await violationsOf(ingress.albHttpsOnly, [listener({ protocol: "HTTP", defaultActions })])).length,
                    1,
                    JSON.stringify(defaultActions),
                );
            }
            assert.deepEqual(await violationsOf(ingress.albHttpsOnly, [listener({ protocol: "HTTP", defaultActions: [redirect("https")] })]), []);
        });
        it("leaves TCP/TLS listeners (network load balancers) alone", async () => {
            assert.deepEqual(await violationsOf(ingress.albHttpsOnly, [listener({ protocol: "TCP" })]), []);
        });
    });

    describe("alb-hardening", () => {
        it("flags an ALB whose access logs are enabled without a bucket, and one with logs off", async () => {
            for (const accessLogs of [{ enabled: true }, { enabled: false, bucket: "logs" }]) {
                assert.deepEqual(await violationsOf(ingress.albHardening, [fake(ALB_LB, "a", { ...HARDENED, accessLogs })]), [
                    "a: access logging is off (ELB.5)",
                ]);
            }
        });
        it("accepts defensive or AWS's default desync mode; leaves network load balancers alone; dev needs no deletion protection", async () => {
            assert.deepEqual(await violationsOf(ingress.albHardening, [fake(LB, "a", { ...HARDENED, desyncMitigationMode: "defensive" })]), []);
            assert.deepEqual(await violationsOf(ingress.albHardening, [fake(LB, "a", { ...HARDENED, desyncMitigationMode: undefined })]), []);
            assert.deepEqual(await violationsOf(ingress.albHardening, [fake(LB, "n", { loadBalancerType: "network" })]), []);
            assert.deepEqual(
                await violationsOf(ingress.albHardening, [
                    fake(LB, "a", { ...HARDENED, enableDeletionProtection: false, tags: { ...PROD_TAGS, environment: "dev" } }),
                ]),
                [],
            );
        });
        it("judges an ALB without a loadBalancerType as an application load balancer", async () => {
            const { loadBalancerType: _t, ...untyped } = HARDENED;
            assert.deepEqual(await violationsOf(ingress.albHardening, [fake(LB, "a", { ...untyped, dropInvalidHeaderFields: false })]), [
                "a: does not drop invalid header fields (ELB.4)",
            ]);
        });
    });

    describe("alb-mtls-verify", () => {
        it("flags an HTTPS listener in verify mode with no trust store, on an aws:alb load balancer and listener", async () => {
            const alb = fake(ALB_LB, "origin", HARDENED);
            const l = fake(ALB_LISTENER, "https", { protocol: "HTTPS", mutualAuthentication: { mode: "verify" } }, { loadBalancerArn: [alb] });
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [alb, l]), [
                "listener https of internet-facing ALB origin does not verify client certificates (mutual TLS mode verify)",
            ]);
        });
        it("accepts a trust store given by ARN, and flags a listener without mutual TLS as mode off", async () => {
            const alb = fake(LB, "origin", HARDENED);
            const byArn = fake(
                LISTENER,
                "by-arn",
                { protocol: "HTTPS", mutualAuthentication: { mode: "verify", trustStoreArn: "arn:aws:elasticloadbalancing:x:1:truststore/cf/1" } },
                { loadBalancerArn: [alb] },
            );
            const off = fake(LISTENER, "off", { protocol: "HTTPS" }, { loadBalancerArn: [alb] });
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [alb, byArn, off]), [
                "listener off of internet-facing ALB origin does not verify client certificates (mutual TLS mode off)",
            ]);
        });
        it('ignores HTTP listeners, listeners of other load balancers, and internal ALBs marked with the string "true"', async () => {
            const alb = fake(LB, "origin", HARDENED);
            const other = fake(LB, "other", { ...HARDENED, internal: "true" });
            const http = fake(LISTENER, "http", { protocol: "HTTP" }, { loadBalancerArn: [alb] });
            const elsewhere = fake(LISTENER, "elsewhere", { protocol: "HTTPS" }, { loadBalancerArn: [other] });
            assert.deepEqual(await violationsOf(ingress.albMtlsVerify, [alb, other, http, elsewhere]), []);
        });
    });

    describe("alb-cloudflare-only", () => {
        it("finds the ALB's security group by its known id, and judges inline rules", async () => {
            const sg = fake(SG, "sg", { id: "sg-123", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] });
            const alb = fake(LB, "origin", { ...HARDENED, securityGroups: ["sg-123"] });
            assert.deepEqual(await violationsOf(ingress.albCloudflareOnly, [sg, alb]), [
                "security group sg of ALB origin admits 0.0.0.0/0, which is not a Cloudflare range",
            ]);
        });
        it("does not count a group of another ALB, or a group without a known id, as this ALB's", async () => {
            const mine = fake(SG, "mine", {});
            const stranger = fake(SG, "stranger", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
            const alb = fake(ALB_LB, "origin", HARDENED, { securityGroups: [mine] });
            assert.deepEqual(await violationsOf(ingress.albCloudflareOnly, [mine, stranger, alb]), []);
        });
        it('judges legacy SecurityGroupRule ingress (not egress): ports, protocol "6", source groups, self and prefix lists', async () => {
            const sg = fake(SG, "sg", {});
            const alb = fake(LB, "origin", HARDENED, { securityGroups: [sg] });
            const rule = (name: string, inputs: Record<string, any>) =>
                fake(SG_RULE, name, { type: "ingress", protocol: "6", fromPort: 443, toPort: 443, ...inputs }, { securityGroupId: [sg] });
            assert.deepEqual(
                await violationsOf(ingress.albCloudflareOnly, [
                    sg,
                    alb,
                    rule("ok", { cidrBlocks: [CF] }),
                    rule("egress", { type: "egress", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }),
                ]),
                [],
            );
            for (const [inputs, expected] of [
                [{ sourceSecurityGroupId: "sg-9" }, /admits a security group or prefix list/],
                [{ self: true }, /admits a security group or prefix list/],
                [{ prefixListIds: ["pl-1"] }, /admits a security group or prefix list/],
                [{ ipv6CidrBlocks: ["::/0"] }, /admits ::\/0, which is not a Cloudflare range/],
                [{ fromPort: 443, toPort: 444, cidrBlocks: [CF] }, /ports 443-444; only TCP 443/],
                [{ fromPort: 442, toPort: 443, cidrBlocks: [CF] }, /ports 442-443; only TCP 443/],
                [{ protocol: "udp", cidrBlocks: [CF] }, /admits protocol udp ports 443-443/],
            ] as const) {
                assert.match((await violationsOf(ingress.albCloudflareOnly, [sg, alb, rule("r", inputs)])).join("\n"), expected, JSON.stringify(inputs));
            }
        });
        it("judges inline rules from security groups, prefix lists and self", async () => {
            for (const extra of [{ securityGroups: ["sg-1"] }, { prefixListIds: ["pl-1"] }, { self: true }]) {
                const sg = fake(SG, "sg", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ...extra }] });
                const alb = fake(LB, "origin", HARDENED, { securityGroups: [sg] });
                assert.deepEqual(
                    await violationsOf(ingress.albCloudflareOnly, [sg, alb]),
                    ["security group sg of ALB origin admits a security group or prefix list; only Cloudflare's ranges are allowed"],
                    JSON.stringify(extra),
                );
            }
        });
        it("judges modern ingress rules that reference a prefix list", async () => {
            const sg = fake(SG, "sg", {});
            const alb = fake(LB, "origin", HARDENED, { securityGroups: [sg] });
            const r = fake(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "pl",
                { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-1" },
                { securityGroupId: [sg] },
            );
            assert.deepEqual(await violationsOf(ingress.albCloudflareOnly, [sg, alb, r]), [
                "security group sg of ALB origin admits a security group or prefix list; only Cloudflare's ranges are allowed",
            ]);
        });
    });
});
