// The public surface of the component library, one export line per component.
export { KeyRing, KeyRingArgs, KeyClass, KEY_CLASSES, ManagedKey } from "./security/key-ring";
export { keyPolicy, serviceGrants, ServiceGrant } from "./security/key-policy";
export { CLOUDFLARE_RANGES, CloudflareRanges, validateCloudflareRanges } from "./edge/cloudflare-ranges";
