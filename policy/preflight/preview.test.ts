import { strict as assert } from "assert";
import { PolicyResource, StackValidationArgs, unknownCheckingProxy } from "@pulumi/policy";
import { fake } from "../../offline/testing";
import { stackRecord } from "../../offline/testing";
import { toPolicyResources } from "../../offline/policy-runner";
import { preflightPolicies } from "./index";
import { preflightKmsServiceGrants } from "./kms-grants";

/** The engine's sentinel for an unknown string (internal to @pulumi/policy's proxy module, not in its typings). */
const unknownStringValue: string = require("@pulumi/policy/proxy").unknownStringValue;

/**
 * The graph as a first `pulumi preview` hands it over: every input computed from another resource is unknown, and props
 * are wrapped in the engine's unknown-checking proxy (reading an unknown value throws UnknownValueError).
 */
function asPreview(resources: PolicyResource[]): PolicyResource[] {
    for (const r of resources) {
        const props = Object.fromEntries(Object.entries(r.props).map(([k, v]) => [k, (r.propertyDependencies[k] ?? []).length ? unknownStringValue : v]));
        (r as any).props = unknownCheckingProxy(props);
    }
    return resources;
}

async function run(policy: (typeof preflightPolicies)[number], resources: PolicyResource[]): Promise<string[]> {
    const found: string[] = [];
    const report = (m: string) => { found.push(m); };
    const common = { getConfig: () => ({}) as any, notApplicable: (): never => { throw new Error("notApplicable"); }, stackTags: new Map<string, string>() };
    if ("validateStack" in policy && policy.validateStack) await policy.validateStack({ ...common, resources } as StackValidationArgs, report);
    if ("validateResource" in policy && policy.validateResource) {
        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const r of resources.filter((x) => !x.type.startsWith("pulumi:"))) {
            for (const v of validations) await v({ ...common, type: r.type, props: r.props, urn: r.urn, name: r.name, opts: r.opts, isType: r.isType,
                asType: r.asType as any }, report);
        }
    }
    return found;
}

describe("preflight rules in a first preview (unknown values)", () => {
    it("decide on every stack's graph without reading an unknown value (no 'could not decide')", async function () {
        this.timeout(120000);
        for (const stack of ["dev", "prod-eu", "prod-il"]) {
            const resources = asPreview(toPolicyResources((await stackRecord(stack)).resources));
            for (const policy of preflightPolicies) {
                await assert.doesNotReject(run(policy, resources), `${policy.name} on ${stack}`);
            }
        }
    });

    it("skip a key whose policy is unknown instead of flagging it, and flag it once known", async () => {
        const key = fake("aws:kms/key:Key", "keys-logs", { policy: JSON.stringify({ Statement: [] }) });
        const trail = fake("aws:cloudtrail/trail:Trail", "trail", {}, { kmsKeyId: [key] });
        const known = toPolicyResources([key, trail]);
        assert.ok((await run(preflightKmsServiceGrants, known)).length > 0);
        const preview = toPolicyResources([key, trail]);
        (preview[0] as any).props = unknownCheckingProxy({ policy: unknownStringValue });
        assert.deepEqual(await run(preflightKmsServiceGrants, preview), []);
    });
});
