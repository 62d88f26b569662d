// The program `pulumi up` runs in this folder (Pulumi.yaml main: index.ts). Config is read and validated first, so
// a wrong value fails before any resource is registered; the returned object becomes the stack outputs.
import { applyStandardTags } from "../../stacks/tagging";
import { buildApp } from "./app";
import { loadConfig } from "./config";

export = async () => {
    const cfg = loadConfig();
    applyStandardTags(cfg.tags);
    return buildApp(cfg);
};
