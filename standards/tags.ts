import taggable from "./taggable-types.json";

/** Tag keys every taggable AWS resource carries, with a non-empty value. */
export const REQUIRED_TAG_KEYS: readonly string[] = ["environment", "project", "service", "owner", "data-classification", "cost-center", "managed-by"];

/** Values the `environment` tag may take. */
export const ALLOWED_ENVIRONMENTS: readonly string[] = ["dev", "prod"];

/** Values the `data-classification` tag may take. */
export const DATA_CLASSIFICATIONS: readonly string[] = ["public", "internal", "confidential", "restricted"];

/**
 * The AWS resource types that take a `tags` map (generated from the installed @pulumi/aws by
 * `node standards/generate-taggable.js`): the program writes the standard tags into them, the pack checks them.
 */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set(taggable.types);

/**
 * Suppressions with reasons (cdk-nag's NagSuppressions, as tags): a resource excepted from a policy carries the tag
 * `compliance-exception:<policy-name>` whose value is the reason.
 */
export const EXCEPTION_TAG_PREFIX = "compliance-exception:";

/** The tag key that excepts a resource from `policy`. */
export const exceptionTag = (policy: string): string => `${EXCEPTION_TAG_PREFIX}${policy}`;
