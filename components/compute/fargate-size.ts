import { fargateSizeProblem } from "../../standards/fargate";

/**
 * Throws a clear error when `cpu`/`memory` is not a combination Fargate accepts, naming the task family and the
 * memory values allowed for that cpu. Called before any resource of the family is created.
 */
export function validateFargateSize(family: string, cpu: number, memory: number): { cpu: number; memory: number } {
    const problem = fargateSizeProblem(cpu, memory);
    if (problem) throw new Error(`task family ${family}: ${problem}`);
    return { cpu, memory };
}
