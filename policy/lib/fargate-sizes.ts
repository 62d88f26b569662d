/**
 * The task cpu/memory combinations AWS Fargate accepts (Linux, platform 1.4.0), shared by the program (which rejects
 * an invalid size before anything is created) and the pack (which flags one in any task definition).
 * Source: AWS ECS developer guide, "Task CPU and memory".
 */
function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let m = from; m <= to; m += step) out.push(m);
    return out;
}

/** Valid memory values (MiB) per task CPU unit value. */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = Object.freeze({
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
});

/** Why a cpu/memory pair is not a Fargate size, or undefined when it is one. */
export function fargateSizeProblem(cpu: number, memory: number): string | undefined {
    const allowed = FARGATE_MEMORY_BY_CPU[cpu];
    if (!allowed) return `cpu ${cpu} is not a Fargate CPU value (allowed: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")})`;
    if (!allowed.includes(memory)) return `memory ${memory} MiB is not valid with cpu ${cpu} (allowed: ${allowed.join(", ")} MiB)`;
    return undefined;
}
