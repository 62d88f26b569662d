// Mutation testing of the security-critical modules (keys, IAM documents, bucket policies) with the fast tests that
// exercise them, so a local run on a shared 2-core machine finishes in minutes: `npm run test:mutation:security`.
// Everything else (reporters, checker, runner, thresholds) comes from stryker.config.json, the whole-repo run.
import { readFileSync } from "node:fs";

const base = JSON.parse(readFileSync(new URL("./stryker.config.json", import.meta.url), "utf8"));

export default {
    ...base,
    mutate: ["components/security/key-policy.ts", "components/identity/policy-documents.ts", "components/storage/bucket-policy-statements.ts"],
    // The unit tests beside the components: each builds what it asserts inside its own `it`, so per-test coverage is exact.
    // (Layer and whole-program tests build once per stack and share it, which per-test coverage attributes to the first
    // test only: under `perTest` they kill fewer mutants than they could. The whole-repo run includes them anyway.)
    mochaOptions: { ...base.mochaOptions, spec: ["components/**/*.test.ts"] },
    incrementalFile: "reports/stryker-security-incremental.json",
    htmlReporter: { fileName: "reports/mutation/security.html" },
    jsonReporter: { fileName: "reports/mutation/security.json" },
    concurrency: 1,
    // The TypeScript checker re-checks the whole project per mutant (about a minute each on a loaded 2-core machine);
    // the whole-repo run keeps it. Here a mutant that does not compile still runs, and is killed or survives on its tests.
    checkers: [],
};
