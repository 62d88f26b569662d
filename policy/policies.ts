import { PlatformPolicy } from "./lib/kit";
import { encryptionPolicies } from "./encryption";
import { observabilityPolicies } from "./observability";
import { taggingPolicies } from "./tagging";
import { networkPolicies } from "./network";
import { edgePolicies } from "./edge";
import { dataPolicies } from "./data";
import { storagePolicies } from "./storage";
import { computePolicies } from "./compute";
import { ingressPolicies } from "./ingress";
import { auditPolicies } from "./audit";
import { identityPolicies } from "./identity";
import { exceptionPolicies } from "./exceptions";
import { iamDocumentPolicies } from "./iam-documents";
import { ec2Policies } from "./ec2";
import { resourcePolicies } from "./resource-policies";
import { cisMonitoringPolicies } from "./cis-monitoring";
import { egressPolicies } from "./egress";
import { preflightPolicies } from "./preflight";

/** Every policy of the pack, grouped by domain. `index.ts` hands this list to `new PolicyPack`; the offline runner reads it directly. */
export const allPolicies: PlatformPolicy[] = [
    ...taggingPolicies,
    ...encryptionPolicies,
    ...observabilityPolicies,
    ...networkPolicies,
    ...edgePolicies,
    ...dataPolicies,
    ...storagePolicies,
    ...computePolicies,
    ...ingressPolicies,
    ...auditPolicies,
    ...identityPolicies,
    ...iamDocumentPolicies,
    ...ec2Policies,
    ...resourcePolicies,
    ...cisMonitoringPolicies,
    ...egressPolicies,
    ...exceptionPolicies,
    ...preflightPolicies,
];
