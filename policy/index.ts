// The CrossGuard entry point: `pulumi preview --policy-pack policy`. It only assembles the pack;
// `new PolicyPack` starts the analyzer server, so nothing else (tests, the offline runner) imports this file.
import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./policies";

new PolicyPack("platform-baseline", {
    policies: allPolicies,
});
