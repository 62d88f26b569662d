import * as pulumi from "@pulumi/pulumi";
import { TokenAgeCheck } from "../../components";
import { PlatformConfig } from "../config";

/** What the age check needs from other layers. */
export interface SecretAgeInputs {
    accountId: pulumi.Input<string>;
    /** Secrets rotated by hand, label -> ARN (undefined entries: the stack does not have that secret). */
    manualSecrets: Record<string, pulumi.Input<string> | undefined>;
    vpcId: pulumi.Input<string>;
    computeSubnetIds: pulumi.Input<string>[];
    logsKeyArn: pulumi.Input<string>;
    alertsTopicArn: pulumi.Input<string>;
}

/**
 * Age alarms for every secret no function rotates (third-party tokens, Keycloak's passwords): each alarms when its
 * current value is older than `platform:secrets.externalTokenMaxAgeDays` (manual rotation: docs/runbooks.md).
 */
/** Returns the check's log group (for the SIEM), if there is anything to watch. */
export function buildSecretAgeCheck(
    cfg: PlatformConfig,
    inputs: SecretAgeInputs,
    opts: pulumi.ComponentResourceOptions,
): { logGroupName?: pulumi.Output<string> } {
    const secrets = Object.fromEntries(Object.entries(inputs.manualSecrets).filter((e): e is [string, pulumi.Input<string>] => e[1] !== undefined));
    if (Object.keys(secrets).length === 0) return {};
    const check = new TokenAgeCheck(
        "token-age",
        {
            functionName: `${cfg.namePrefix}-token-age`,
            secrets,
            maxAgeDays: cfg.secrets.externalTokenMaxAgeDays,
            vpcId: inputs.vpcId,
            subnetIds: inputs.computeSubnetIds,
            logsKeyArn: inputs.logsKeyArn,
            logRetentionDays: cfg.retention.logDays,
            wiring: { namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl },
        },
        opts,
    );
    return { logGroupName: check.logGroupName };
}
