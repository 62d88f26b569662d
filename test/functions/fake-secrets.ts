/** An in-memory Secrets Manager with version stages, the calls the rotation functions make, and a call log. */
export class FakeSecrets {
    public readonly calls: { op: string; input: any }[] = [];
    private readonly versions = new Map<string, { value: string; stages: string[]; created: Date }>();
    private random = 0;

    constructor(public readonly arn: string, initial: string, public rotationEnabled = true) {
        this.versions.set("v1", { value: initial, stages: ["AWSCURRENT"], created: new Date("2026-01-01T00:00:00Z") });
    }

    private notFound(what: string): Error {
        return Object.assign(new Error(`${what} not found`), { name: "ResourceNotFoundException" });
    }

    stagesOf(id: string): string[] { return this.versions.get(id)?.stages ?? []; }
    valueOf(stage: string): string | undefined { return [...this.versions.values()].find((v) => v.stages.includes(stage))?.value; }

    /** What Secrets Manager does before it calls createSecret: a new version id labelled AWSPENDING. */
    startRotation(token: string): void {
        for (const v of this.versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPENDING");
        this.versions.set(token, { value: "", stages: ["AWSPENDING"], created: new Date() });
    }

    async describeSecret(input: any) {
        this.calls.push({ op: "describeSecret", input });
        const map: Record<string, string[]> = {};
        for (const [id, v] of this.versions) if (v.stages.length) map[id] = [...v.stages];
        return { ARN: this.arn, RotationEnabled: this.rotationEnabled, VersionIdsToStages: map };
    }
    async getSecretValue(input: any) {
        this.calls.push({ op: "getSecretValue", input });
        const v = input.VersionId ? this.versions.get(input.VersionId) : [...this.versions.values()].find((x) => x.stages.includes(input.VersionStage));
        if (!v?.value || (input.VersionStage && !v.stages.includes(input.VersionStage))) throw this.notFound(`${input.VersionStage} ${input.VersionId ?? ""}`);
        return { SecretString: v.value };
    }
    async putSecretValue(input: any) {
        this.calls.push({ op: "putSecretValue", input });
        const v = this.versions.get(input.ClientRequestToken)!;
        v.value = input.SecretString;
        v.stages = input.VersionStages;
        return {};
    }
    async updateSecretVersionStage(input: any) {
        this.calls.push({ op: "updateSecretVersionStage", input });
        const from = this.versions.get(input.RemoveFromVersionId)!;
        const to = this.versions.get(input.MoveToVersionId)!;
        for (const v of this.versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPREVIOUS");
        from.stages = ["AWSPREVIOUS"];
        to.stages = ["AWSCURRENT"];
        return {};
    }
    async getRandomPassword(input: any) {
        this.calls.push({ op: "getRandomPassword", input });
        this.random += 1;
        return { RandomPassword: `R${this.random}`.padEnd(input.PasswordLength, "x") };
    }
    async listSecretVersionIds(input: any) {
        this.calls.push({ op: "listSecretVersionIds", input });
        return { Versions: [...this.versions.entries()].map(([id, v]) => ({ VersionId: id, VersionStages: v.stages, CreatedDate: v.created })) };
    }
}

/** Swallows the functions' progress lines in tests. */
export const quiet = (): void => undefined;

/** The four steps, as Secrets Manager calls them for one rotation. */
export async function runRotation(handler: (event: any, context: any, clients: any) => Promise<void>, secrets: FakeSecrets, token: string, clients: any) {
    secrets.startRotation(token);
    for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) {
        await handler({ SecretId: secrets.arn, ClientRequestToken: token, Step }, {}, { secrets, log: quiet, ...clients });
    }
}

/** Imports a function's ES module past the test loader's CommonJS transform. */
export const loadFunction = new Function("p", "return import(p)") as (p: string) => Promise<any>;
