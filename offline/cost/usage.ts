/**
 * Usage assumptions of the cost estimate. The defaults and the validator live in stacks/usage-defaults.ts (the one
 * documented place, readable by stacks/config.ts, which may not import from offline/); a stack overrides them in
 * `platform:usage` of its Pulumi.<stack>.yaml. The program validates the section as part of PlatformConfig; the
 * estimator reads the same raw value from the stack file through the same parser, so both agree.
 */
import { readStackFiles } from "../stack-files";
import { USAGE_DEFAULTS, UsageAssumptions, parseUsage } from "../../stacks/usage-defaults";

export { USAGE_DEFAULTS, UsageAssumptions, parseUsage };

/** The stack's region and its usage assumptions (defaults merged with its `platform:usage`), from its stack file. */
export function costContextOfStack(stack: string, root?: string): { region: string; usage: UsageAssumptions } {
    const files = readStackFiles(stack, root);
    const raw = files.config["platform:usage"];
    let value: unknown = raw;
    try { value = raw === undefined ? undefined : JSON.parse(raw); } catch { /* a plain string: parseUsage rejects it naming the key */ }
    return { region: files.config["aws:region"] ?? "eu-central-1", usage: parseUsage(value) };
}
