// The four steps of a Secrets Manager rotation, shared by every rotation function of the platform. Each function
// supplies a strategy: how to make a new value (create), how to make the service accept it (set), how to prove the
// service accepts it (test). Finishing (moving AWSCURRENT) is the same for every secret.
// The flow, the staging-label checks and the idempotency rules follow AWS's rotation function template:
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html (read 2026-12-03)
// Secrets Manager may call a step more than once; every step below is safe to repeat.

export const STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"];

/**
 * Runs one rotation step.
 * @param {{ SecretId: string, ClientRequestToken: string, Step: string }} event  what Secrets Manager sends
 * @param {{ secrets: object, strategy: object, log?: (message: string) => void }} deps
 *   secrets: an AWS SDK v3 SecretsManager client (describeSecret, getSecretValue, putSecretValue, updateSecretVersionStage)
 *   strategy: { create({ current, secrets }), set({ pending, current, previous }), test({ pending, current }),
 *     finished?({ current }) } -- `finished` runs after AWSCURRENT moved (and again when finishSecret is retried)
 */
export async function rotate(event, deps) {
    const { SecretId: arn, ClientRequestToken: token, Step: step } = event ?? {};
    const log = deps.log ?? ((m) => console.log(m));
    if (!arn || !token || !STEPS.includes(step))
        throw new Error(`rotation: malformed event (step ${JSON.stringify(step)}); expected one of ${STEPS.join(", ")}`);

    const meta = await deps.secrets.describeSecret({ SecretId: arn });
    if (meta.RotationEnabled === false) throw new Error(`rotation: secret ${arn} is not enabled for rotation`);
    const stages = meta.VersionIdsToStages ?? {};
    if (!stages[token]) throw new Error(`rotation: version ${token} of ${arn} has no stage`);
    if (stages[token].includes("AWSCURRENT")) {
        // A retried finishSecret (the stage moved, then `finished` failed) still tells the service.
        if (step === "finishSecret" && deps.strategy.finished) {
            await deps.strategy.finished({ current: await value(deps.secrets, arn, "AWSCURRENT") });
            return;
        }
        log(`rotation: version ${token} of ${arn} is already AWSCURRENT; nothing to do`);
        return;
    }
    if (!stages[token].includes("AWSPENDING")) throw new Error(`rotation: version ${token} of ${arn} is not AWSPENDING`);

    const steps = { createSecret, setSecret, testSecret, finishSecret };
    await steps[step]({ arn, token, stages, secrets: deps.secrets, strategy: deps.strategy, log });
    log(`rotation: ${step} done for ${arn} version ${token}`);
}

async function value(secrets, arn, stage, versionId) {
    const out = await secrets.getSecretValue({ SecretId: arn, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) });
    return out.SecretString;
}

/** The value of a stage, or undefined when no version carries it (AWSPREVIOUS before the first rotation). */
async function optionalValue(secrets, arn, stage) {
    try {
        return await value(secrets, arn, stage);
    } catch (e) {
        if (e?.name === "ResourceNotFoundException") return undefined;
        throw e;
    }
}

async function createSecret({ arn, token, secrets, strategy, log }) {
    const current = await value(secrets, arn, "AWSCURRENT");
    try {
        await value(secrets, arn, "AWSPENDING", token);
        log(`createSecret: ${arn} already has a pending value for ${token}`);
        return;
    } catch (e) {
        if (e?.name !== "ResourceNotFoundException") throw e;
    }
    const pending = await strategy.create({ current, secrets });
    if (typeof pending !== "string" || pending.length === 0) throw new Error(`createSecret: the strategy made no value for ${arn}`);
    await secrets.putSecretValue({ SecretId: arn, ClientRequestToken: token, SecretString: pending, VersionStages: ["AWSPENDING"] });
}

async function setSecret({ arn, token, secrets, strategy }) {
    const pending = await value(secrets, arn, "AWSPENDING", token);
    const current = await value(secrets, arn, "AWSCURRENT");
    const previous = await optionalValue(secrets, arn, "AWSPREVIOUS");
    await strategy.set({ pending, current, previous });
}

async function testSecret({ arn, token, secrets, strategy }) {
    const pending = await value(secrets, arn, "AWSPENDING", token);
    const current = await value(secrets, arn, "AWSCURRENT");
    await strategy.test({ pending, current });
}

async function finishSecret({ arn, token, stages, secrets, strategy, log }) {
    const currentVersion = Object.keys(stages).find((id) => stages[id].includes("AWSCURRENT"));
    if (currentVersion === token) {
        log(`finishSecret: ${token} is already AWSCURRENT`);
        return;
    }
    // Secrets Manager moves AWSPREVIOUS to the version that loses AWSCURRENT: the old value stays readable.
    await secrets.updateSecretVersionStage({ SecretId: arn, VersionStage: "AWSCURRENT", MoveToVersionId: token, RemoveFromVersionId: currentVersion });
    // E.g. restart the service's tasks, which read the secret only when they start.
    if (strategy.finished) await strategy.finished({ current: await value(secrets, arn, "AWSCURRENT") });
}

/** A random value from Secrets Manager's generator: letters and digits only, safe in headers, URLs and AUTH commands. */
export async function randomAlphanumeric(secrets, length) {
    const out = await secrets.getRandomPassword({ PasswordLength: length, ExcludePunctuation: true, IncludeSpace: false, RequireEachIncludedType: true });
    return out.RandomPassword;
}

/** Waits until `check()` returns true, polling every `intervalMs`, for at most `timeoutMs`. */
export async function waitFor(what, check, { intervalMs = 15000, timeoutMs = 600000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (await check()) return;
        if (Date.now() + intervalMs > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
        await sleep(intervalMs);
    }
}
