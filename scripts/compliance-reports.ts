import * as fs from "fs";
import * as path from "path";
import { planStack } from "../offline/plan";
import { complianceReport } from "../offline/compliance-report";
import { reportDocument } from "../offline/report-document";

/**
 * Writes docs/compliance/<stack>.md for each stack: `npm run -s compliance:reports` (or node -r ./offline/register.js
 * scripts/compliance-reports.ts [stack...]). It plans each stack offline (offline/plan.ts), lists the exceptions, and
 * finds which resources each policy examined by watching which resources' properties the policy reads.
 */
export const STACKS = ["dev", "nonprod", "prod-eu", "prod-eu-dr", "prod-il"];
export const OUT_DIR = path.resolve(__dirname, "..", "docs", "compliance");

async function main(stacks: string[]): Promise<void> {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    for (const stack of stacks) {
        const doc = await reportDocument(await planStack({ stack }));
        fs.writeFileSync(path.join(OUT_DIR, `${stack}.md`), complianceReport(doc));
        console.log(`docs/compliance/${stack}.md: ${doc.pack.length} policies, ${doc.violations.length} violations, ${doc.suppressions.length} exceptions`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2).length ? process.argv.slice(2) : STACKS).catch((err) => { console.error(err); process.exit(1); });
}
