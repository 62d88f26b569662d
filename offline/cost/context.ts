import { RecordedResource, mapSecrets } from "../engine";
import { HOURS_PER_MONTH } from "./prices";
import { UsageAssumptions } from "./usage";

/** What a pricing rule sees: the resource, the whole plan, the stack's usage assumptions and the price table. */

/** Raised inside a pricing rule when the table has no figure; becomes an unpriced entry. */
export class NoPrice extends Error {}

/**
 * Commitment discounts a what-if applies (offline/cost/what-if.ts), each a fraction off the on-demand rate of what it
 * covers: a Compute Savings Plan covers on-demand Fargate and EC2 compute (not Spot), reserved instances and nodes
 * cover RDS instance-hours and ElastiCache node-hours. Absent: on-demand list prices.
 */
export interface Discounts {
    computeSavingsPlan?: number;
    rdsReserved?: number;
    cacheReserved?: number;
}

export interface Ctx {
    r: RecordedResource;
    discounts: Discounts;
    inputs: Record<string, any>;
    region: string;
    usage: UsageAssumptions;
    all: RecordedResource[];
    /** The figure of a price key in this resource's region; NoPrice when missing. */
    p: (key: string, region?: string) => number;
    regionOf: (r: RecordedResource) => string;
    /** Resources of `type` whose `prop` input was computed from `target`. */
    pointingAt: (type: string, prop: string, target: RecordedResource) => RecordedResource[];
    /** The resource that `prop` of this resource was computed from (first of `type`). */
    source: (prop: string, type: string) => RecordedResource | undefined;
}

export type Priced = { monthly: number; basis: string };
export type Rule = (c: Ctx) => Priced;

export const H = HOURS_PER_MONTH;
export const money = (n: number) => `$${+n.toFixed(6)}`;
export const num = (n: number) => `${+n.toFixed(2)}`;
export const cents = (n: number) => Math.round(n * 100) / 100;
export const plain = (r: RecordedResource): Record<string, any> => mapSecrets(r.inputs, (v) => v);

