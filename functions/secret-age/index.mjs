// Publishes the age in days of the current value of each operator-managed secret (third-party API tokens that no
// function can rotate), so an alarm fires when a token passes its age limit. The age is that of the version holding
// AWSCURRENT (ListSecretVersionIds CreatedDate): DescribeSecret's LastRotatedDate covers only rotations Secrets
// Manager ran, not a new version set by hand.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecretVersionIds.html (read 2026-12-03)
// Input: SECRETS, a JSON object label -> secret ARN. Metric: Platform/Secrets SecretAgeDays, dimension SecretName = label.
// Runtime: Lambda nodejs22.x (built-in AWS SDK v3).

export const NAMESPACE = "Platform/Secrets";

/** Days since the AWSCURRENT version of one secret was created. */
export async function currentAgeDays(secrets, secretId, now = new Date()) {
    let token;
    do {
        const page = await secrets.listSecretVersionIds({ SecretId: secretId, NextToken: token, MaxResults: 100 });
        const current = (page.Versions ?? []).find((v) => (v.VersionStages ?? []).includes("AWSCURRENT"));
        if (current) return Math.floor((now.getTime() - new Date(current.CreatedDate).getTime()) / 86400000);
        token = page.NextToken;
    } while (token);
    throw new Error(`secret ${secretId} has no AWSCURRENT version`);
}

/** Publishes SecretAgeDays for every labelled secret ({ label: arn }); resolves to { label: days }. */
export async function publishAges({ secrets, cloudwatch, watched, now = new Date() }) {
    const ages = {};
    for (const [label, arn] of Object.entries(watched)) ages[label] = await currentAgeDays(secrets, arn, now);
    await cloudwatch.putMetricData({
        Namespace: NAMESPACE,
        MetricData: Object.entries(ages).map(([name, days]) => ({
            MetricName: "SecretAgeDays",
            Value: days,
            Unit: "Count",
            Dimensions: [{ Name: "SecretName", Value: name }],
        })),
    });
    return ages;
}

export async function handler(_event, _context, clients) {
    const watched = JSON.parse(process.env.SECRETS ?? "{}");
    const c = clients ?? {
        secrets: new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({}),
        cloudwatch: new (await import("@aws-sdk/client-cloudwatch")).CloudWatch({}),
    };
    (clients?.log ?? console.log)(JSON.stringify(await publishAges({ ...c, watched })));
}
