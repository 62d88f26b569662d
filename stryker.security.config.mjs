// Mutation testing of the security-relevant code (keys, IAM, network, TLS, encryption, protection flags, and the
// policy pack's decisions), one group at a time, with the tests that exercise each group, so a run on a shared
// 2-core machine finishes in minutes:
//
//   npm run test:mutation:security                      # every group, one after the other
//   STRYKER_GROUP=policy npx stryker run stryker.security.config.mjs   # one group
//
// Everything else (reporters, runner, thresholds) comes from stryker.config.json, the whole-repo run.
import { readFileSync } from "node:fs";

const base = JSON.parse(readFileSync(new URL("./stryker.config.json", import.meta.url), "utf8"));

/**
 * The groups. `files` are mutated; `spec` is what runs against each mutant, under per-test coverage (only the tests
 * that execute a mutant run against it). Layer tests build their stack once and share it, so per-test coverage credits
 * that build to the first test only: for the groups with layer tests the score is a lower bound. (Coverage "all" would
 * be exact, and takes over an hour per group on a shared 2-core machine.)
 */
export const GROUPS = {
    // Key policies and the statements that let services and roles use a CMK.
    keys: {
        files: ["components/security/key-policy.ts", "components/security/key-ring.ts"],
        spec: ["components/security/*.test.ts", "test/layers/storage.test.ts"],
    },
    // IAM documents, the permissions boundary, and the human/CI/break-glass roles.
    iam: {
        files: [
            "components/identity/policy-documents.ts",
            "components/identity/role-boundary.ts",
            "components/identity/break-glass-role.ts",
            "components/identity/human-access.ts",
            "stacks/role-boundary.ts",
        ],
        spec: ["components/identity/*.test.ts", "stacks/role-boundary.test.ts", "test/layers/identity.test.ts"],
    },
    // Bucket policies (TLS-only, log delivery, deny-unencrypted) and the bucket's own encryption/ownership settings.
    storage: {
        files: ["components/storage/bucket-policy-statements.ts", "components/storage/secure-bucket.ts"],
        spec: ["components/storage/*.test.ts", "test/layers/storage.test.ts"],
    },
    // Subnet and NACL plans: which tier may talk to which, and the address plan that keeps tiers apart.
    network: {
        files: ["components/network/nacl-plan.ts", "components/network/subnet-plan.ts"],
        spec: ["components/network/*.test.ts"],
    },
    // The edge's WAF/transform rules and the origin trust (Cloudflare-only origin, mTLS trust store). Unit tests only
    // (pure functions and tiny recorded programs): the whole-stack edge layer tests made a run estimate 17 minutes.
    edge: {
        files: ["components/edge/rules.ts", "components/edge/origin-trust.ts", "standards/cloudflare.ts"],
        spec: ["components/edge/*.test.ts"],
    },
    // The policy pack's decisions on encryption, IAM, network exposure, storage, ingress/TLS, data protection, the
    // edge, and the kit that reads values (a kit bug would blind every policy at once).
    policy: {
        files: [
            "policy/encryption.ts",
            "policy/iam-documents.ts",
            "policy/identity.ts",
            "policy/network.ts",
            "policy/egress.ts",
            "policy/storage.ts",
            "policy/ingress.ts",
            "policy/data.ts",
            "policy/edge.ts",
            "policy/lib/kit.ts",
            "policy/lib/exceptions.ts",
        ],
        // The pack's unit tests without the one that renders whole stacks (preview): seconds, not minutes.
        spec: ["policy/*.test.ts", "!policy/preview.test.ts"],
    },
    // The preflight rules that read grants and statements across the graph (a missed grant fails the deploy or leaves a
    // service unable to use its key). Unit tests over hand-built resources only (fake() + violationsOf): no renders.
    preflight: {
        files: ["policy/preflight/kms-grants.ts", "policy/preflight/statements.ts"],
        spec: [
            "policy/preflight/kms-grants.test.ts",
            "policy/preflight/kms-grants-decisions.test.ts",
            "policy/preflight/statements.test.ts",
            "policy/preflight/s3.test.ts",
            "policy/preflight/ordering.test.ts",
            "policy/preflight/iam-paths.test.ts",
            "policy/preflight/budgets.test.ts",
        ],
    },
};

const name = process.env.STRYKER_GROUP ?? "keys";
const group = GROUPS[name];
if (!group) {
    throw new Error(`STRYKER_GROUP=${name} is not a group; groups: ${Object.keys(GROUPS).join(", ")}`);
}

export default {
    ...base,
    mutate: group.files,
    coverageAnalysis: "perTest",
    mochaOptions: {
        ...base.mochaOptions,
        spec: group.spec.filter((s) => !s.startsWith("!")),
        ignore: group.spec.filter((s) => s.startsWith("!")).map((s) => s.slice(1)),
    },
    incrementalFile: `reports/stryker-security-${name}.json`,
    htmlReporter: { fileName: `reports/mutation/security-${name}.html` },
    jsonReporter: { fileName: `reports/mutation/security-${name}.json` },
    concurrency: 1,
    // A mutant that loops is cut off after 10 s beyond its tests' own time, not the whole-repo run's 30 s.
    timeoutMS: 10000,
    // Static mutants (module-level tables and policy metadata, run only when a module loads) need a fresh test process
    // each: about 10 s apiece on a loaded machine, hours per group. The whole-repo run (stryker.config.json) tests them.
    ignoreStatic: true,
    // The TypeScript checker re-checks the whole project per mutant (about a minute each on a loaded 2-core machine);
    // the whole-repo run keeps it. Here a mutant that does not compile still runs, and is killed or survives on its tests.
    checkers: [],
};
