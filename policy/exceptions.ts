import { PlatformPolicy, isProd, mapped } from "./lib/kit";
import { EXCEPTION_TAG_PREFIX, exceptionsOf } from "./lib/exceptions";

/** Characters an AWS tag value may hold (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
const TAG_VALUE_CHARS = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
const MAX_TAG_VALUE = 256;

/** A reason that holds at least one sentence: five words or more closed by a full stop (a source may follow). */
const isSentence = (reason: string) => /(^|\.\s)\s*\S+(\s+\S+){4,}?\.(\s|$)/.test(reason);

/** The pack's policy names and levels, read when the policy runs (policies.ts imports this module). */
function packPolicies(): Map<string, string> {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { allPolicies } = require("./policies") as { allPolicies: PlatformPolicy[] };
    return new Map(allPolicies.map((p) => [p.name, p.enforcementLevel ?? "advisory"]));
}

export const complianceExceptions: PlatformPolicy = {
    name: "compliance-exceptions",
    description: `Every exception tag (${EXCEPTION_TAG_PREFIX}<policy>) names a policy of the pack and gives a reason in the tag-value charset; in ` +
        `prod an exception from a mandatory policy gives at least one sentence.`,
    enforcementLevel: "mandatory", severity: "medium",
    ...mapped({ nist: ["CA-7", "CM-6"], soc2: ["CC4.2", "CC5.2"], iso: ["A.5.36"] }),
    remediationSteps: `Tag the resource ${EXCEPTION_TAG_PREFIX}<policy-name> with the reason (letters, digits, spaces and _ . : / = + - @; at most ` +
        `256 characters); in prod write a full sentence that says why the control cannot apply.`,
    validateResource: (args, reportViolation) => {
        const exceptions = exceptionsOf(args.props);
        if (Object.keys(exceptions).length === 0) return;
        const pack = packPolicies();
        for (const [policy, reason] of Object.entries(exceptions)) {
            const where = `${args.name}: exception from ${policy}`;
            if (!pack.has(policy)) reportViolation(`${args.name}: the tag ${EXCEPTION_TAG_PREFIX}${policy} names no policy of the pack: ${policy}`);
            if (reason.trim() === "") { reportViolation(`${where} has no reason`); continue; }
            const bad = [...new Set(reason.match(TAG_VALUE_CHARS) ?? [])];
            if (bad.length) reportViolation(`${where}: the reason has characters a tag value cannot hold: ${bad.map((c) => JSON.stringify(c)).join(" ")}`);
            if (reason.length > MAX_TAG_VALUE) reportViolation(`${where}: the reason is longer than ${MAX_TAG_VALUE} characters`);
            if (isProd(args.props) && pack.get(policy) === "mandatory" && !isSentence(reason)) {
                reportViolation(`${where}: a prod exception from a mandatory policy needs a reason of at least one sentence (got "${reason}")`);
            }
        }
    },
};

export const exceptionPolicies: PlatformPolicy[] = [complianceExceptions];
