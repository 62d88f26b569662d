import { PlatformPolicy } from "./lib/kit";
import { encryptionPolicies } from "./encryption";
import { taggingPolicies } from "./tagging";

/** Every policy of the pack, grouped by domain. `index.ts` hands this list to `new PolicyPack`; the offline runner reads it directly. */
export const allPolicies: PlatformPolicy[] = [
    ...taggingPolicies,
    ...encryptionPolicies,
];
