import * as pulumi from "@pulumi/pulumi";

let applied = false;

/**
 * Turns off two debugging aids of the Pulumi SDK that cost most of an offline run and that nothing offline reads:
 * the source position of each resource (a full stack trace per registration, shown by the Pulumi Cloud UI) and the
 * creation stack of each internal promise (printed only by PULUMI_DEBUG_PROMISE_LEAKS). `Error.stackTraceLimit` is
 * left alone, so errors raised by the program keep their stack. PLAN_DEBUG keeps both aids.
 */
export function fastSdk(): void {
    if (applied || process.env.PLAN_DEBUG) return;
    applied = true;
    (pulumi.Resource as any).stackTrace = () => [];
    const debuggable = require("@pulumi/pulumi/runtime/debuggable");
    if (!debuggable.debugPromiseLeaks) debuggable.debuggablePromise = <T>(p: Promise<T>) => p;
}
