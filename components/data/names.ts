/**
 * Physical-name rules of the data tier in one table (after SST's per-type name rules): every deterministic name the
 * data components give AWS goes through `physicalName`, so a too-long or malformed name fails at preview with the
 * value and the limit, instead of at `pulumi up`.
 */

export type DataNameKind =
    | "rdsInstance" | "rdsParameterGroup" | "rdsSubnetGroup" | "rdsProxy" | "rdsProxyEndpoint" | "rdsSnapshot"
    | "elasticacheReplicationGroup" | "elasticacheParameterGroup" | "elasticacheSubnetGroup" | "elasticacheSnapshot"
    | "securityGroup" | "iamRole" | "secret";

/** AWS's rule for one kind of physical name. */
export interface NameRule {
    /** The longest name AWS accepts. */
    max: number;
    /** The characters and shape AWS accepts. */
    pattern: RegExp;
    /** The same, in words, for error messages. */
    allowed: string;
}

/** Lowercase letters, digits and single hyphens; starts with a letter; does not end with a hyphen. */
const HYPHENATED = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;
const HYPHENATED_TEXT = "lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen";

/** AWS's physical-name rules (length, characters) per data-tier resource kind. */
export const DATA_NAME_RULES: Readonly<Record<DataNameKind, NameRule>> = {
    rdsInstance: { max: 63, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    rdsSnapshot: { max: 255, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    rdsParameterGroup: { max: 255, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    rdsSubnetGroup: { max: 255, pattern: /^[a-z0-9][a-z0-9 ._-]*$/, allowed: "lowercase letters, digits, spaces, periods, underscores and hyphens" },
    rdsProxy: { max: 63, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    rdsProxyEndpoint: { max: 63, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    elasticacheReplicationGroup: { max: 40, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    elasticacheParameterGroup: { max: 255, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    elasticacheSubnetGroup: { max: 255, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    elasticacheSnapshot: { max: 255, pattern: HYPHENATED, allowed: HYPHENATED_TEXT },
    securityGroup: { max: 255, pattern: /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, allowed: "ASCII letters, digits and ._-:/()#,@[]+=&;{}!$*" },
    iamRole: { max: 64, pattern: /^[\w+=,.@-]+$/, allowed: "letters, digits and +=,.@_-" },
    secret: { max: 512, pattern: /^[\w/+=.@-]+$/, allowed: "letters, digits and /_+=.@-" },
};

/** Thrown when a derived physical name breaks an AWS naming rule. */
export class PhysicalNameError extends Error {
    constructor(public readonly kind: DataNameKind, public readonly value: string, reason: string) {
        super(`${kind} name "${value}" ${reason} (allowed: ${DATA_NAME_RULES[kind].allowed}, at most ${DATA_NAME_RULES[kind].max} characters); ` +
            `shorten the project or stack name`);
        this.name = "PhysicalNameError";
    }
}

/**
 * Joins `parts` with hyphens into a physical name of `kind` and checks it against AWS's rule for that kind.
 * Names are lowercased first (RDS and ElastiCache store identifiers in lowercase, so a mixed-case name would diff forever).
 */
export function physicalName(kind: DataNameKind, ...parts: string[]): string {
    const rule = DATA_NAME_RULES[kind];
    const value = parts.filter((p) => p !== "").join("-").toLowerCase();
    if (value.length === 0) throw new PhysicalNameError(kind, value, "is empty");
    if (value.length > rule.max) throw new PhysicalNameError(kind, value, `is ${value.length} characters long`);
    if (!rule.pattern.test(value)) throw new PhysicalNameError(kind, value, "has characters or a shape AWS rejects");
    return value;
}
