// Regenerates standards/aws/*.json (read by the program and the policy pack alike) from cfn-lint's per-region data.
// usage: node -r ./offline/register.js scripts/generate-aws-data.ts <cfn-lint git dir> [commit]
// The git dir is a clone or mirror of https://github.com/aws-cloudformation/cfn-lint (MIT No Attribution); the files are
// read with `git show <commit>:<path>`, so no work tree is needed.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const EXT = "src/cfnlint/data/schemas/extensions";
/** Engines this program may run on RDS (open-source engines, no license model to choose). */
const RDS_ENGINES = ["postgres", "mysql", "mariadb"];

function gitShow(gitDir: string, commit: string, file: string): string {
    return execFileSync("git", ["--git-dir", gitDir, "show", `${commit}:${file}`], { encoding: "utf8", maxBuffer: 64 << 20 });
}

function header(gitDir: string, commit: string, file: string) {
    const [sha, date] = execFileSync("git", ["--git-dir", gitDir, "log", "-1", "--format=%H %cI", commit], { encoding: "utf8" }).trim().split(" ");
    return {
        source: `https://github.com/aws-cloudformation/cfn-lint/blob/${sha}/${file}`,
        sourceCommit: sha,
        sourceDate: date,
        license: "MIT No Attribution",
        generatedBy: "scripts/generate-aws-data.ts",
    };
}

/** RDS DB instance classes per region and engine, for engines without a license-model choice. */
function rdsInstanceClasses(raw: any): Record<string, Record<string, string[]>> {
    const out: Record<string, Record<string, string[]>> = {};
    for (const [region, spec] of Object.entries<any>(raw).sort(([a], [b]) => a.localeCompare(b))) {
        const byEngine: Record<string, Set<string>> = {};
        for (const rule of spec.allOf ?? []) {
            const engine = rule.if?.properties?.Engine?.const;
            if (!RDS_ENGINES.includes(engine)) continue;
            byEngine[engine] ??= new Set();
            for (const c of rule.then?.properties?.DBInstanceClass?.enum ?? []) byEngine[engine].add(c);
        }
        out[region] = Object.fromEntries(RDS_ENGINES.filter((e) => byEngine[e]).map((e) => [e, [...byEngine[e]].sort()]));
    }
    return out;
}

/** ElastiCache node types per region. */
function cacheNodeTypes(raw: any): Record<string, string[]> {
    return Object.fromEntries(Object.entries<any>(raw).sort(([a], [b]) => a.localeCompare(b)).map(([region, spec]) => [region, [...(spec.enum ?? [])].sort()]));
}

/** Fargate task memory values (MiB) per CPU value, from the schema's anyOf of {Cpu enum, Memory enum | min/max/multipleOf}. */
function fargateSizes(raw: any): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const option of raw.then?.anyOf ?? []) {
        const cpu = option.properties?.Cpu?.then?.enum?.[0];
        const memory = option.properties?.Memory?.then ?? {};
        if (cpu === undefined) continue;
        const values: number[] = memory.enum ? [...memory.enum] : [];
        if (!memory.enum) for (let m = memory.minimum; m <= memory.maximum; m += memory.multipleOf) values.push(m);
        out[String(cpu)] = values;
    }
    return out;
}

/** One entry per line inside the table, so a regeneration diffs per region. */
function render(head: object, key: string, table: Record<string, unknown>): string {
    const rows = Object.entries(table).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    const headLines = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
    return `{\n${headLines.join("\n")}\n  ${JSON.stringify(key)}: {\n${rows.join(",\n")}\n  }\n}\n`;
}

function write(name: string, text: string, dirs = ["standards/aws"]): void {
    for (const dir of dirs) fs.writeFileSync(path.join(ROOT, dir, name), text);
}

function main(argv: string[]): void {
    const [gitDir, commit = "HEAD"] = argv;
    if (!gitDir) throw new Error("usage: generate-aws-data.ts <cfn-lint git dir> [commit]");
    const rdsFile = `${EXT}/aws_rds_dbinstance/dbinstanceclass_enum.json`;
    const cacheFile = `${EXT}/aws_elasticache_cachecluster/cachenodetype_enum.json`;
    write("rds-instance-classes.json", render(header(gitDir, commit, rdsFile), "classes", rdsInstanceClasses(JSON.parse(gitShow(gitDir, commit, rdsFile)))));
    const fargateFile = `${EXT}/aws_ecs_taskdefinition/fargate_cpu_memory.json`;
    const fargate = fargateSizes(JSON.parse(gitShow(gitDir, commit, fargateFile)));
    write("fargate-cpu-memory.json", render(header(gitDir, commit, fargateFile), "memoryByCpu", fargate));
    const nodeTypes = cacheNodeTypes(JSON.parse(gitShow(gitDir, commit, cacheFile)));
    write("elasticache-node-types.json", render(header(gitDir, commit, cacheFile), "nodeTypes", nodeTypes));
}

main(process.argv.slice(2));
