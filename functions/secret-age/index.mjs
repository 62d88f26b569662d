// Publishes the age in days of the current value of each operator-managed secret (third-party API tokens that no
// function can rotate), so an alarm fires when a token passes its age limit. The age is that of the version holding
// AWSCURRENT (ListSecretVersionIds CreatedDate): DescribeSecret's LastRotatedDate covers only rotations Secrets
// Manager ran, not a new version set by hand.
// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecretVersionIds.html (read 2026-12-03)
// Metric: Platform/Secrets SecretAgeDays, dimension SecretName. Runtime: Lambda nodejs22.x (built-in AWS SDK v3).

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

/** Publishes SecretAgeDays for every secret name; resolves to { name: days }. */
export async function publishAges({ secrets, cloudwatch, names, now = new Date() }) {
    const ages = {};
    for (const name of names) ages[name] = await currentAgeDays(secrets, name, now);
    await cloudwatch.putMetricData({
        Namespace: NAMESPACE,
        MetricData: Object.entries(ages).map(([name, days]) => ({ MetricName: "SecretAgeDays", Value: days, Unit: "Count", Dimensions: [{ Name: "SecretName", Value: name }] })),
    });
    return ages;
}

export async function handler(_event, _context, clients) {
    const names = JSON.parse(process.env.SECRET_NAMES ?? "[]");
    const c = clients ?? {
        secrets: new (await import("@aws-sdk/client-secrets-manager")).SecretsManager({}),
        cloudwatch: new (await import("@aws-sdk/client-cloudwatch")).CloudWatch({}),
    };
    console.log(JSON.stringify(await publishAges({ ...c, names })));
}
