// Property values as they travel between the Pulumi SDK, the engine and a policy pack (the RPC "wire" form).
// The engine marshals what it hands an analyzer with unknowns and secrets kept and resource references turned into
// the resource's id (custom) or URN (component): MarshalOptions{KeepUnknowns, KeepSecrets} without KeepResources,
// https://github.com/pulumi/pulumi/blob/master/sdk/go/common/resource/plugin/analyzer_plugin.go

/** The unknown sentinel of the Pulumi RPC layer (`rpc.unknownValue`): a value only known after `up`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

/** True when a wire value holds a resource reference (the engine would rewrite it; anything else passes unchanged). */
export function hasResourceRefs(value: any): boolean {
    if (value === null || typeof value !== "object") return false;
    if (Array.isArray(value)) return value.some(hasResourceRefs);
    if (value[SIG_KEY] === RESOURCE_SIG) return true;
    for (const key of Object.keys(value)) if (hasResourceRefs(value[key])) return true;
    return false;
}

/** A wire value as the engine forwards it to an analyzer: resource references become an id or URN. */
export function toEngineValue(value: any): any {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(toEngineValue);
    if (value[SIG_KEY] === RESOURCE_SIG) return "id" in value ? (value.id === "" ? UNKNOWN : value.id) : value.urn;
    if (value[SIG_KEY] === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: toEngineValue(value.value) };
    if (value[SIG_KEY]) return value; // assets and archives travel as they are
    const out: Record<string, any> = {};
    for (const key of Object.keys(value)) out[key] = toEngineValue(value[key]);
    return out;
}

/**
 * The recorded form of an engine value, for tests and the plan: secrets stay wrapped (see `isSecret`), unknowns stay
 * the sentinel, assets become `{ asset: <path | text(n chars) | uri> }`.
 */
export function toRecordedValue(value: any): any {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(toRecordedValue);
    const sig = value[SIG_KEY];
    if (sig === SECRET_SIG) return { [SIG_KEY]: SECRET_SIG, value: toRecordedValue(value.value) };
    if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
        return { asset: value.path ?? (value.text !== undefined ? `text(${String(value.text).length} chars)` : value.uri ?? "archive") };
    }
    const out: Record<string, any> = {};
    for (const key of Object.keys(value)) out[key] = toRecordedValue(value[key]);
    return out;
}

/** True when a recorded input value is a wrapped secret. */
export function isSecret(value: unknown): value is { value: unknown } {
    return !!value && typeof value === "object" && (value as any)[SIG_KEY] === SECRET_SIG;
}

/** Replaces wrapped secrets with `reveal(value)` throughout a recorded value. */
export function mapSecrets(value: any, reveal: (inner: any) => any): any {
    if (isSecret(value)) return reveal(mapSecrets(value.value, reveal));
    if (Array.isArray(value)) return value.map((v) => mapSecrets(v, reveal));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, reveal)]));
    return value;
}

/** Replaces the unknown sentinel with `shown` throughout a value (the plan JSON prints "[unknown]"). */
export function mapUnknowns(value: any, shown: unknown): any {
    if (value === UNKNOWN) return shown;
    if (Array.isArray(value)) return value.map((v) => mapUnknowns(v, shown));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapUnknowns(v, shown)]));
    return value;
}
