import { strict as assert } from "assert";
import { RecordedResource } from "../../offline/engine";
import { Program, STACKS, T, actionCovers, allowing, asList, program } from "./program";

/**
 * Invariant: every secret a task reads (task definition `secrets[].valueFrom`) is readable by that task's execution
 * role (secretsmanager:GetSecretValue on the secret, kms:Decrypt on the secret's key through Secrets Manager), and by
 * no role of a task that does not read it (execution or task role).
 * ECS fetches the value with the execution role: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
 *
 * Breaks it (checked by hand, then reverted):
 *   stacks/platform.ts  `keys: { ..., secretsKeyArn: key("secrets") }` in buildCompute -> `key("data")`  (Decrypt on the wrong key)
 *   components/compute/fargate-service.ts  ReadSecrets `Resource: secretArns` -> `["arn:aws:secretsmanager:*:*:secret:*"]`  (every task reads all)
 */

interface Task { family: string; definition: RecordedResource; executionRole: RecordedResource; taskRole?: RecordedResource; reads: string[] }

function tasksOf(p: Program): Task[] {
    return p.ofType(T.taskDefinition).map((definition) => {
        const containers: any[] = JSON.parse(p.inputs(definition).containerDefinitions);
        return {
            family: definition.name, definition,
            executionRole: p.dep(definition, "executionRoleArn", T.role),
            taskRole: p.deps(definition, "taskRoleArn", T.role)[0],
            reads: containers.flatMap((c) => asList(c.secrets).map((s: any) => String(s.valueFrom))),
        };
    });
}

/** The statements of every inline and attached policy of a role (inline RolePolicy resources here). */
function roleStatements(p: Program, role: RecordedResource) {
    return p.ofType(T.rolePolicy).filter((rp) => p.deps(rp, "role").includes(role)).flatMap((rp) => p.statements(rp));
}

/** Does a statement's Resource cover `arn` (wildcards allowed)? */
function covers(resource: string | string[] | undefined, arn: string): boolean {
    return asList(resource).some((pattern) => actionCovers(pattern, arn));
}

/** The secret a `valueFrom` names (a Secrets Manager ARN, optionally with a JSON key suffix), or undefined for RDS-managed ones. */
function secretOf(p: Program, valueFrom: string): RecordedResource | undefined {
    return p
        .ofType(T.secret)
        .find((s) => valueFrom.startsWith(`arn:aws:secretsmanager:${p.regionOf(s)}:`) && valueFrom.includes(`:secret:${p.inputs(s).name}-`));
}

/** The ARN the plan gives a secret (wherever another resource refers to it), else the shape AWS gives it. */
function secretArn(p: Program, secret: RecordedResource): string {
    const name = String(p.inputs(secret).name).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const found = new RegExp(`arn:aws:secretsmanager:[a-z0-9-]+:\\d{12}:secret:${name}-[A-Za-z0-9]{6}`).exec(JSON.stringify(p.resources.map((r) => r.inputs)));
    return (
        found?.[0] ??
        `arn:aws:secretsmanager:${p.regionOf(secret)}:${p.keyArn(p.dep(secret, "kmsKeyId", T.key)).split(":")[4]}:secret:${p.inputs(secret).name}-AbCdEf`
    );
}

function canRead(p: Program, role: RecordedResource, secretArn: string): boolean {
    return allowing(roleStatements(p, role), "secretsmanager:GetSecretValue").some((s) => covers(s.Resource, secretArn.split(":").slice(0, 7).join(":")));
}

for (const stack of STACKS) {
    describe(`invariant (${stack}): secrets a task reads`, () => {
        let p: Program;
        let tasks: Task[];
        before(async () => { p = await program(stack); tasks = tasksOf(p); });

        it("name Secrets Manager secrets of this program", () => {
            assert.ok(tasks.length >= 3 && tasks.some((t) => t.reads.length > 0));
            for (const t of tasks) for (const arn of t.reads) assert.ok(secretOf(p, arn), `${t.family} reads ${arn}, which is no secret of this program`);
        });

        it("are readable by the task's execution role: GetSecretValue on the secret and Decrypt on its key via Secrets Manager", () => {
            for (const t of tasks) {
                const statements = roleStatements(p, t.executionRole);
                for (const arn of t.reads) {
                    const secret = secretOf(p, arn)!;
                    assert.ok(canRead(p, t.executionRole, arn), `${t.executionRole.name} cannot GetSecretValue ${arn}`);
                    const key = p.dep(secret, "kmsKeyId", T.key);
                    const decrypt = allowing(statements, "kms:Decrypt").filter((s) => covers(s.Resource, p.keyArn(key)));
                    assert.ok(decrypt.length > 0, `${t.executionRole.name} cannot kms:Decrypt ${key.name}, the key of ${secret.name}`);
                    const via = decrypt.flatMap((s) => asList(s.Condition?.StringEquals?.["kms:ViaService"] as string | string[] | undefined));
                    assert.ok(decrypt.some((s) => !s.Condition) || via.includes(`secretsmanager.${p.regionOf(secret)}.amazonaws.com`),
                        `${t.executionRole.name}'s Decrypt on ${key.name} is not usable through Secrets Manager`);
                }
            }
        });

        it("are readable by no role of a task that does not read them", () => {
            const leaks: string[] = [];
            for (const secret of p.ofType(T.secret)) {
                const arn = secretArn(p, secret);
                for (const t of tasks) {
                    const reads = t.reads.some((r) => secretOf(p, r) === secret);
                    for (const role of [t.executionRole, t.taskRole].filter((r): r is RecordedResource => !!r)) {
                        const mayRead = role === t.executionRole && reads;
                        if (!mayRead && canRead(p, role, arn)) leaks.push(`${role.name} can read ${secret.name}`);
                    }
                }
            }
            assert.deepEqual(leaks, []);
        });
    });
}
