import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { RecordedResource } from "../offline/engine";
import { callPolicies, toPolicyResources } from "../offline/policy-runner";
import { fake, stackPlan } from "../offline/testing";
import { allPolicies } from "./policies";
import { PlatformPolicy } from "./lib/kit";

// The engine's own proxy and sentinel (marked @internal in the typings): props wrapped as the analyzer wraps them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: (o: any) => any;
    unknownStringValue: string;
    UnknownValueError: new (...a: any[]) => Error;
};

/** Values only a created resource has: ARNs, generated ids, endpoints, generated secrets and certificates. */
const OUTPUT_SHAPES = [/arn:aws[a-z-]*:/, /\b(vpc|subnet|sg|rtb|igw|nat|eipalloc|vpce|acl|fl|i|sgr|key|lt|pl|prx)-[0-9a-f]{8,}\b/, /\.amazonaws\.com\b/,
    /^offline-/, /-----BEGIN /, /^provider-/];

/** A leaf computed from another resource's output is unknown in a first preview; a document embedding one is wholly unknown. */
function unknownLeaves(value: any): any {
    if (typeof value === "string") return OUTPUT_SHAPES.some((re) => re.test(value)) ? proxy.unknownStringValue : value;
    if (Array.isArray(value)) return value.map(unknownLeaves);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownLeaves(v)]));
    return value;
}

/** The stack as a first preview shows it: every input computed from another resource is unknown where it holds an output. */
export function firstPreview(recorded: RecordedResource[]): PolicyResource[] {
    const resources = toPolicyResources(recorded);
    for (const r of resources as any[]) {
        const props = { ...r.props };
        for (const [prop, deps] of Object.entries<PolicyResource[]>(r.propertyDependencies)) {
            if (deps.length > 0 && prop in props) props[prop] = unknownLeaves(props[prop]);
        }
        r.props = proxy.unknownCheckingProxy(props);
    }
    return resources;
}

interface Outcome { undecided: string[]; violations: string[] }

/** Runs every policy as the engine does at preview: an UnknownValueError makes the policy undecided. */
export async function runAtPreview(policies: PlatformPolicy[], resources: PolicyResource[]): Promise<Outcome> {
    const undecided: string[] = [];
    const found = await callPolicies(policies, resources, {}, (policy, where, message) => undecided.push(`${policy} (${where}): ${message}`));
    return { undecided, violations: found.map((v) => `${v.policy}: ${v.message}`) };
}

describe("every policy decides at preview (first preview of each stack, values of new resources unknown)", function () {
    this.timeout(120000);
    for (const stack of ["dev", "prod-eu", "prod-il"]) {
        it(`${stack}: no policy is left undecided, and unknowns add no violation`, async () => {
            const plan = await stackPlan(stack);
            const outcome = await runAtPreview(allPolicies, firstPreview(plan.run.resources));
            assert.deepEqual(outcome.undecided, []);
            // Unknowns add no violation: a first preview reports what the steady-state plan reports (no mandatory one).
            assert.deepEqual(outcome.violations.sort(), plan.violations.map((v) => `${v.policy}: ${v.message}`).sort());
            assert.equal(plan.violations.filter((v) => v.enforcementLevel === "mandatory").length, 0);
        });
    }

    it("an unknown document on one bucket does not stop the stack policy from judging the others", async () => {
        const T = { bucket: "aws:s3/bucket:Bucket", policy: "aws:s3/bucketPolicy:BucketPolicy", key: "aws:kms/key:Key" };
        const key = fake(T.key, "k", {});
        const newBucket = fake(T.bucket, "new", { bucket: "new" });
        const newPolicy = fake(
            T.policy,
            "new-policy",
            {
                policy: JSON.stringify({
                    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:role/r" }, Action: "s3:GetObject", Resource: "*" }],
                }),
            },
            { bucket: [newBucket], policy: [key] },
        );
        const open = fake(T.bucket, "open", { bucket: "open" });
        const openPolicy = fake(
            T.policy,
            "open-policy",
            { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] }) },
            { bucket: [open] },
        );
        const outcome = await runAtPreview(
            allPolicies.filter((p) => ["s3-tls-only", "bucket-policy-not-public"].includes(p.name)),
            firstPreview([key, newBucket, newPolicy, open, openPolicy]),
        );
        assert.deepEqual(outcome.undecided, []);
        assert.deepEqual(outcome.violations.sort(), [
            "bucket-policy-not-public: open-policy: statement (no Sid) allows \"*\" without a condition fixing the source or principal",
            "s3-tls-only: bucket open: its bucket policy does not deny requests without TLS (aws:SecureTransport false)",
        ]);
    });

    it("the simulation makes values unknown the way the engine does (reading one throws UnknownValueError)", () => {
        const key = fake("aws:kms/key:Key", "k", {});
        const [, r] = firstPreview([
            key,
            fake("aws:sns/topic:Topic", "t", { kmsMasterKeyId: "arn:aws:kms:eu-central-1:111111111111:key/k", name: "t" }, { kmsMasterKeyId: [key] }),
        ]);
        assert.equal(r.props.name, "t");
        assert.throws(() => r.props.kmsMasterKeyId, proxy.UnknownValueError);
        assert.ok("kmsMasterKeyId" in r.props, "presence is readable with `in`");
    });
});
