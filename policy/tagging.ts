import { ALLOWED_ENVIRONMENTS, DATA_CLASSIFICATIONS, REQUIRED_TAG_KEYS, TAGGABLE_TYPES } from "../standards/tags";
import { PlatformPolicy, configOf, mapped } from "./lib/kit";
import { honourExceptions } from "./lib/exceptions";

export { TAGGABLE_TYPES };

const DEFAULTS = { requiredTags: REQUIRED_TAG_KEYS, allowedEnvironments: ALLOWED_ENVIRONMENTS, allowedDataClassifications: DATA_CLASSIFICATIONS };

export const requiredTags: PlatformPolicy = {
    name: "required-tags",
    description:
        "Every taggable AWS resource carries the required tags (environment, project, service, owner, data-classification, cost-center, " +
        "managed-by) with allowed values.",
    enforcementLevel: "mandatory",
    ...mapped({ nist: ["CM-8"], soc2: ["CC6.1"], iso: ["A.5.9", "A.5.12", "A.5.13"] }),
    severity: "medium",
    remediationSteps: "Deploy through the program (its resource transform applies the standard tag set), or add the missing keys to the resource's `tags`.",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string" },
                default: DEFAULTS.requiredTags,
                description: "Tag keys every taggable resource must carry with a non-empty value.",
            },
            allowedEnvironments: {
                type: "array",
                items: { type: "string" },
                default: DEFAULTS.allowedEnvironments,
                description: "Values the environment tag may take.",
            },
            allowedDataClassifications: {
                type: "array",
                items: { type: "string" },
                default: DEFAULTS.allowedDataClassifications,
                description: "Values the data-classification tag may take.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!TAGGABLE_TYPES.has(args.type)) return;
        const cfg = configOf(args, DEFAULTS);
        const tags: Record<string, unknown> = args.props.tags ?? {};
        const missing = cfg.requiredTags.filter((key) => typeof tags[key] !== "string" || (tags[key] as string).trim() === "");
        if (missing.length) reportViolation(`${args.name} (${args.type}) is missing required tags: ${missing.join(", ")}`);
        if (typeof tags.environment === "string" && !cfg.allowedEnvironments.includes(tags.environment)) {
            reportViolation(`${args.name} has environment tag "${tags.environment}"; allowed: ${cfg.allowedEnvironments.join(", ")}`);
        }
        const classification = tags["data-classification"];
        if (typeof classification === "string" && !cfg.allowedDataClassifications.includes(classification)) {
            reportViolation(`${args.name} has data-classification "${classification}"; allowed: ${cfg.allowedDataClassifications.join(", ")}`);
        }
    },
};

export const taggingPolicies: PlatformPolicy[] = honourExceptions([requiredTags]);
