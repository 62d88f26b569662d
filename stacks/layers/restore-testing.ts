import * as pulumi from "@pulumi/pulumi";
import { RestoreTesting } from "../../components";
import { PlatformConfig } from "../config";

/** What restore testing needs from other layers. */
export interface RestoreTestingInputs {
    accountId: pulumi.Input<string>;
    /** The primary backup vault, and the in-region copy vault where the stack has one (prod-il). */
    vaultArns: pulumi.Input<string>[];
    database: { instanceArn: pulumi.Input<string>; subnetGroupName: pulumi.Input<string>; vpcId: pulumi.Input<string> };
    /** The evidence and documents buckets. */
    bucketArns: pulumi.Input<string>[];
    /** The keys restores use: the backups key(s) of the tested vaults and the data key. */
    kmsKeyArns: pulumi.Input<string>[];
    computeSubnetIds: pulumi.Input<string>[];
    logsKeyArn: pulumi.Input<string>;
    alertsTopicArn: pulumi.Input<string>;
}

/** Weekly restore tests from `platform:restoreTesting`; nothing where it is off (dev). */
export function buildRestoreTesting(
    cfg: PlatformConfig,
    inputs: RestoreTestingInputs,
    opts: pulumi.ComponentResourceOptions,
): { planArn?: pulumi.Output<string>; logGroupName?: pulumi.Output<string> } {
    const rt = cfg.restoreTesting;
    if (!rt.enabled) return {};
    const tests = new RestoreTesting(
        "restore-testing",
        {
            namePrefix: cfg.namePrefix,
            region: cfg.region,
            accountId: inputs.accountId,
            schedule: rt.schedule,
            startWindowHours: rt.startWindowHours,
            validationWindowHours: rt.validationWindowHours,
            maxDaysWithoutTest: rt.maxDaysWithoutTest,
            vaultArns: inputs.vaultArns,
            database: inputs.database,
            bucketArns: inputs.bucketArns,
            kmsKeyArns: inputs.kmsKeyArns,
            functionSubnetIds: inputs.computeSubnetIds,
            logsKeyArn: inputs.logsKeyArn,
            logRetentionDays: cfg.retention.logDays,
            wiring: { namePrefix: cfg.namePrefix, alertsTopicArn: inputs.alertsTopicArn, runbookBaseUrl: cfg.alerts.runbookBaseUrl },
        },
        opts,
    );
    return { planArn: tests.planArn, logGroupName: tests.logGroupName };
}
