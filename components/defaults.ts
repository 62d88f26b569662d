/** `A` with the fields `K` filled in: what a component works with after applying its defaults. */
export type Defaulted<A, K extends keyof A> = A & { readonly [P in K]-?: Exclude<A[P], undefined> };

/**
 * The caller's `args` with every field of `defaults` that the caller left out (undefined) taken from `defaults`; a
 * value the caller gives always wins. Components document each default on the Args field ("Default: ...").
 */
export function withDefaults<A extends object, K extends keyof A>(args: A, defaults: { readonly [P in K]-?: Exclude<A[P], undefined> }): Defaulted<A, K> {
    const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    for (const [key, value] of Object.entries(defaults)) if (out[key] === undefined) out[key] = value;
    return out as Defaulted<A, K>;
}
