// The program `pulumi up` runs (Pulumi.yaml main: stacks/). Reading config first means a wrong value fails
// before any resource is registered; the returned object becomes the stack outputs.
import { loadConfig } from "./config";
import { buildPlatform } from "./platform";

export = async () => buildPlatform(loadConfig());
