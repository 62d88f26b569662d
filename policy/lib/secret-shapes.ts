/**
 * Credentials recognised by the shape of their value, whatever the variable or parameter is called: a name says
 * nothing (`PASSWORD_MIN_LENGTH` is not a secret, `X` may be one). Patterns follow the issuers' documented formats.
 * Sources: AWS access key ids (AKIA long-term, ASIA temporary):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids ;
 * GitHub token prefixes: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/ ;
 * Slack token types (xoxb/xoxp/xoxa/xoxr/xoxs): https://api.slack.com/concepts/token-types ;
 * Stripe secret and restricted live keys (sk_live_/rk_live_): https://docs.stripe.com/keys ;
 * JWT compact serialisation (three base64url parts, header starting eyJ): RFC 7519 ; userinfo in URLs: RFC 3986 §3.2.1.
 */
const SHAPES: Array<[kind: string, pattern: RegExp]> = [
    ["AWS access key id", /(^|[^A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}([^A-Z0-9]|$)/],
    ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
    ["Slack token", /\bxox[abposr]-[A-Za-z0-9-]{10,}/],
    ["GitHub token", /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/],
    ["Stripe live key", /\b[sr]k_live_[A-Za-z0-9]{16,}/],
    ["JWT", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
    ["URL with a password", /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@[^\s/]+/i],
];

/** The kind of credential a value looks like, or undefined when it looks like none. */
export function credentialShape(value: unknown): string | undefined {
    if (typeof value !== "string" || value.length < 8) return undefined;
    return SHAPES.find(([, pattern]) => pattern.test(value))?.[0];
}
