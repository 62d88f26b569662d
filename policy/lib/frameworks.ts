import fsbpTable from "../frameworks/fsbp.json";
import cisTable from "../frameworks/cis-aws-3.0.json";
import nistTable from "../frameworks/nist-800-53-r5.json";
import soc2Table from "../frameworks/soc2-tsc-2017.json";
import isoTable from "../frameworks/iso27001-2022.json";

/**
 * The frameworks the pack maps to, each with its checked-in table of control ids (policy/frameworks/*.json, with the
 * source and retrieval date inside). A mapping may only cite ids in these tables; policy/frameworks.test.ts enforces it.
 */
export const FRAMEWORKS = {
    fsbp: { title: "AWS Foundational Security Best Practices", short: "FSBP", version: "1.0.0", table: fsbpTable },
    cis: { title: "CIS AWS Foundations Benchmark", short: "CIS", version: "3.0.0", table: cisTable },
    nist: { title: "NIST SP 800-53", short: "NIST 800-53", version: "Revision 5", table: nistTable },
    soc2: { title: "SOC 2 Trust Services Criteria", short: "SOC 2", version: "2017", table: soc2Table },
    iso: { title: "ISO/IEC 27001:2022 Annex A", short: "ISO 27001", version: "2022", table: isoTable },
} as const;

export type FrameworkId = keyof typeof FRAMEWORKS;

/** A policy's control ids per framework; a framework with no control the policy checks is left out. */
export type Mappings = Partial<Record<FrameworkId, string[]>>;

export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as FrameworkId[];

/** The title of a control in its framework's table; undefined when the table has no such id. */
export function controlTitle(framework: FrameworkId, id: string): string | undefined {
    const controls = FRAMEWORKS[framework].table.controls as Record<string, string>;
    return Object.hasOwn(controls, id) ? controls[id] : undefined;
}

/** The ids of `mappings` that do not exist in their framework's table, as `framework:id`. */
export function unknownControls(mappings: Mappings): string[] {
    return FRAMEWORK_IDS.flatMap((f) => (mappings[f] ?? []).filter((id) => controlTitle(f, id) === undefined).map((id) => `${f}:${id}`));
}

/** The single `framework` reference @pulumi/policy carries: the first mapped framework, in FRAMEWORK_IDS order. */
export function primaryFramework(mappings: Mappings): { name: string; version: string; reference: string; specification: string } | undefined {
    const f = FRAMEWORK_IDS.find((id) => (mappings[id] ?? []).length > 0);
    if (!f) return undefined;
    const ids = mappings[f]!;
    return { name: FRAMEWORKS[f].title, version: FRAMEWORKS[f].version, reference: ids.join(", "), specification: controlTitle(f, ids[0]) ?? "" };
}
