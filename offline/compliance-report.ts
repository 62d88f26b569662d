import { FRAMEWORKS, FRAMEWORK_IDS, FrameworkId, Mappings, controlTitle } from "../policy/lib/frameworks";

/**
 * The compliance report: configuration evidence per framework, as an auditor asks for it. Pure: it renders a plan
 * document (what the pack judged in one stack) to Markdown; it runs nothing. For each framework: each control the pack
 * checks, the policies that check it, and per policy the resources that pass, fail or are excepted (with the reason).
 */
export interface ReportPolicy {
    name: string;
    description: string;
    severity: string;
    enforcementLevel: string;
    mappings: Mappings;
    /** URNs of the resources the policy examined in this stack (those it applies to). */
    examined: string[];
}

export interface ReportDocument {
    stack: string;
    project?: string;
    /** When the plan was made (ISO 8601); the report prints it as the evidence date. */
    generatedAt?: string;
    resources: Array<{ urn: string; type: string; name: string }>;
    pack: ReportPolicy[];
    violations: Array<{ policy: string; urn: string | null; message: string; enforcementLevel: string }>;
    suppressions: Array<{ policy: string; urn: string; reason: string; owner: string }>;
}

type Verdict = "pass" | "fail" | "excepted";

interface Row { urn: string; verdict: Verdict; detail: string }

/** Per resource the policy examined (and any it failed or excepted): its verdict and why. */
export function verdicts(doc: ReportDocument, policy: ReportPolicy): Row[] {
    const rows = new Map<string, Row>();
    for (const urn of policy.examined) rows.set(urn, { urn, verdict: "pass", detail: "" });
    for (const s of doc.suppressions.filter((x) => x.policy === policy.name)) {
        rows.set(s.urn, { urn: s.urn, verdict: "excepted", detail: `${s.reason} (owner: ${s.owner})` });
    }
    for (const v of doc.violations.filter((x) => x.policy === policy.name)) {
        const urn = v.urn ?? `stack:${doc.stack}`;
        const prior = rows.get(urn);
        rows.set(urn, { urn, verdict: "fail", detail: prior?.verdict === "fail" ? `${prior.detail}; ${v.message}` : v.message });
    }
    return [...rows.values()];
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function resourceLabel(doc: ReportDocument, urn: string): string {
    const r = doc.resources.find((x) => x.urn === urn);
    return r ? `\`${r.name}\` (${r.type.split(":").pop()})` : `\`${urn}\``;
}

/** One framework's section: its controls in id order, each with the policies that check it and their verdicts. */
function frameworkSection(doc: ReportDocument, framework: FrameworkId): string[] {
    const controls = new Map<string, ReportPolicy[]>();
    for (const p of doc.pack) for (const id of p.mappings[framework] ?? []) controls.set(id, [...(controls.get(id) ?? []), p]);
    const ids = [...controls.keys()].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const f = FRAMEWORKS[framework];
    const lines = [`## ${f.title} (${f.version})`, "", `${ids.length} controls checked by the pack.`, ""];
    for (const id of ids) {
        const title = controlTitle(framework, id) ?? "";
        lines.push(`### ${id}${title ? ` ${cell(title.length > 160 ? `${title.slice(0, 157)}...` : title)}` : ""}`, "");
        for (const p of controls.get(id)!) {
            const rows = verdicts(doc, p);
            const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
            const outOfScope = rows.length === 0 ? " (no resource of this stack is in scope)" : "";
            lines.push(
                `- **${p.name}** (${p.enforcementLevel}, ${p.severity}): ${p.description}`,
                `  ${count("pass")} pass, ${count("fail")} fail, ${count("excepted")} excepted${outOfScope}.`,
            );
            for (const r of rows.filter((x) => x.verdict !== "pass"))
                lines.push(`  - ${r.verdict.toUpperCase()} ${resourceLabel(doc, r.urn)}: ${cell(r.detail)}`);
        }
        lines.push("");
    }
    return lines;
}

/** The report as Markdown: a summary, the suppressions, then one section per framework. */
export function complianceReport(doc: ReportDocument): string {
    const mandatory = doc.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const lines = [
        `# Compliance report: ${doc.project ? `${doc.project}/` : ""}${doc.stack}`, "",
        `Configuration evidence from the policy pack (${doc.pack.length} policies) over the stack's ${doc.resources.length} resources`
            + `${doc.generatedAt ? `, ${doc.generatedAt}` : ""}. ${mandatory} mandatory and ${doc.violations.length - mandatory} advisory violations; `
            + `${doc.suppressions.length} exceptions.`, "",
        "A control is listed when at least one policy maps to it; a policy's verdict covers the resources it examined. "
            + "Runtime controls (account settings, credentials, findings) are outside this report.", "",
        "## Exceptions", "",
    ];
    if (doc.suppressions.length === 0) lines.push("None.", "");
    else {
        lines.push("| policy | resource | owner | reason |", "|---|---|---|---|");
        for (const s of doc.suppressions) lines.push(`| ${s.policy} | ${resourceLabel(doc, s.urn)} | ${cell(s.owner)} | ${cell(s.reason)} |`);
        lines.push("");
    }
    for (const f of FRAMEWORK_IDS) lines.push(...frameworkSection(doc, f));
    lines.push(
        "## Resources per policy",
        "",
        "The resources each policy examined and passed (failures and exceptions are listed under the controls above).",
        "",
    );
    for (const p of doc.pack) {
        const passing = verdicts(doc, p).filter((r) => r.verdict === "pass").map((r) => resourceLabel(doc, r.urn));
        lines.push(`- **${p.name}**: ${passing.length ? passing.join(", ") : "none in this stack"}`);
    }
    return `${lines.join("\n").trimEnd()}\n`;
}
