#!/usr/bin/env bash
# The first `pulumi up` of a stack, from a laptop with ADMIN credentials for the stack's account. CI cannot do this
# run: its OIDC deploy and preview roles are created by this very deployment. Afterwards every deploy goes through
# GitHub Actions (README, "From zero to first deploy"). Safe to re-run: every step checks before it acts, and the
# script never reads, prints or stores a secret value (secrets are set by you with `pulumi config set --secret`).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/first-deploy.sh --stack <dev|prod-eu|prod-il> [--yes] [--import-oidc-provider]

First deployment of one stack with admin credentials (AWS_PROFILE or the usual AWS environment variables), then
what to copy into GitHub so CI takes over with OIDC.

Checks, in order (each one stops the run with what to do when it fails):
  1. tools: node >= the .nvmrc major, the Pulumi CLI of .pulumi-version (warns on another version), the AWS CLI
  2. the credentials belong to platform:accountId of Pulumi.<stack>.yaml (never deploys into another account)
  3. the stack's region is enabled (il-central-1 is an opt-in region)
  4. the state bucket and alias/pulumi-secrets exist (else: run the bootstrap, README "State backend")
  5. `pulumi login` to that bucket; `pulumi stack init --secrets-provider awskms://...` when the stack is new
  6. the required secrets are set (prints the `pulumi config set --secret` commands otherwise)
  7. an existing GitHub OIDC provider in the account (one per account): stops with EntityAlreadyExists advice,
     or imports it under the stack's `github` component with --import-oidc-provider
  8. `pulumi preview` and `pulumi up` with the policy pack (asks before `up` unless --yes)
  9. prints the GitHub environment variables and secrets to set from the stack outputs

Options:
  --stack S                 the stack to deploy (required)
  --yes                     do not ask before `pulumi up`
  --import-oidc-provider    adopt the account's existing token.actions.githubusercontent.com provider
  -h, --help                this text
EOF
}

stack="" yes=false import_oidc=false
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="${2:-}"; shift 2 ;;
    --yes) yes=true; shift ;;
    --import-oidc-provider) import_oidc=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "first-deploy: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
if [ -z "$stack" ] || [ ! -f "Pulumi.$stack.yaml" ]; then
  echo "first-deploy: --stack must name a stack with a Pulumi.<stack>.yaml: $(ls Pulumi.*.yaml | sed -n 's/^Pulumi\.\(.*\)\.yaml$/\1/p' | tr '\n' ' ')" >&2
  exit 2
fi

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'first-deploy: %s\n' "$*" >&2; exit 1; }
# One value of the stack file's config, e.g. `stack_value aws:region`; objects as JSON.
stack_value() {
  node -e 'const y=require("yaml").parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=(y.config||{})[process.argv[2]];
    process.stdout.write(v===undefined?"":typeof v==="object"?JSON.stringify(v):String(v))' "Pulumi.$stack.yaml" "$1"
}

step "1. tools"
want_node="$(tr -dc '0-9' < .nvmrc)"
have_node="$(node -p 'process.versions.node.split(".")[0]')"
[ "$have_node" -ge "$want_node" ] || fail "Node $want_node or newer is required (found $(node --version)); nvm use, or see .nvmrc"
command -v pulumi > /dev/null || fail "the Pulumi CLI is not installed (https://www.pulumi.com/docs/install/); this repo pins $(cat .pulumi-version)"
command -v aws > /dev/null || fail "the AWS CLI v2 is not installed"
pulumi_version="$(pulumi version | tr -d v)"
[ "$pulumi_version" = "$(cat .pulumi-version)" ] || echo "warning: Pulumi CLI $pulumi_version; CI runs $(cat .pulumi-version) (.pulumi-version)"
[ -d node_modules/@pulumi/pulumi ] || fail "run npm ci first (the program and the policy pack load from node_modules)"

region="$(stack_value aws:region)"
account="$(stack_value platform:accountId)"
[[ "$account" =~ ^[0-9]{12}$ ]] || fail "Pulumi.$stack.yaml: platform:accountId must be the account's 12-digit id, got '$account'"

step "2. credentials for account $account"
caller="$(aws sts get-caller-identity --query Account --output text)" || fail "no AWS credentials (aws sso login / AWS_PROFILE)"
[ "$caller" = "$account" ] || fail "wrong account: the credentials are for $caller, Pulumi.$stack.yaml says platform:accountId $account. Switch profile, or fix the id if it is still the example value."
echo "ok: $(aws sts get-caller-identity --query Arn --output text)"

step "3. region $region"
opt_in="$(aws account get-region-opt-status --region-name "$region" --query RegionOptStatus --output text 2> /dev/null || echo ENABLED_BY_DEFAULT)"
case "$opt_in" in
  ENABLED | ENABLED_BY_DEFAULT) echo "ok: $opt_in" ;;
  *) fail "$region is $opt_in: aws account enable-region --region-name $region, then wait until get-region-opt-status says ENABLED" ;;
esac

step "4. state backend"
bucket="platform-pulumi-state-$account-$region"
aws s3api head-bucket --bucket "$bucket" --region "$region" > /dev/null 2>&1 || fail "no state bucket $bucket: run the bootstrap first (README, State backend)"
aws kms describe-key --key-id alias/pulumi-secrets --region "$region" > /dev/null 2>&1 || fail "no KMS alias alias/pulumi-secrets in $region: run the bootstrap first"
echo "ok: s3://$bucket, alias/pulumi-secrets"

step "5. login and stack"
export PULUMI_BACKEND_URL="s3://$bucket?region=$region&awssdk=v2"
secrets_provider="awskms://alias/pulumi-secrets?region=$region"
pulumi login "$PULUMI_BACKEND_URL" > /dev/null
if pulumi stack ls --json | node -e 'const s=JSON.parse(require("fs").readFileSync(0,"utf8"));process.exit(s.some((x)=>x.name===process.argv[1])?0:1)' "$stack"; then
  echo "ok: stack $stack exists"
else
  pulumi stack init "$stack" --secrets-provider "$secrets_provider"
  echo "Pulumi.$stack.yaml now carries encryptedkey: commit it (CI cannot decrypt the stack's secrets without it)."
fi
grep -q '^encryptedkey:' "Pulumi.$stack.yaml" || fail "Pulumi.$stack.yaml has no encryptedkey: pulumi stack change-secrets-provider --stack $stack '$secrets_provider'"

step "6. secrets"
set_keys="$(pulumi config --stack "$stack" --json | node -e 'process.stdout.write(Object.keys(JSON.parse(require("fs").readFileSync(0,"utf8"))).join(" "))')"
missing=()
required=(platform:logzioShippingToken)
[ "$(stack_value platform:identity | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")||"{}").provider||"")')" = workos ] && required+=(platform:workosApiKey)
for key in "${required[@]}"; do [[ " $set_keys " == *" $key "* ]] || missing+=("$key"); done
if [ ${#missing[@]} -gt 0 ]; then
  for key in "${missing[@]}"; do echo "  pulumi config set --secret --stack $stack $key    # prompts for the value; keeps it out of shell history"; done
  fail "set the secrets above, commit Pulumi.$stack.yaml, and run this again"
fi
[[ " $set_keys " == *" platform:cloudflareApiToken "* ]] || [ -n "${CLOUDFLARE_API_TOKEN:-}" ] \
  || fail "no Cloudflare token: export CLOUDFLARE_API_TOKEN (an edit token for the stack's zone), or set platform:cloudflareApiToken with --secret"
echo "ok"

step "7. GitHub OIDC provider"
oidc_arn="arn:aws:iam::$account:oidc-provider/token.actions.githubusercontent.com"
in_state() { pulumi stack export --stack "$stack" | grep -q "$1"; }
if aws iam get-open-id-connect-provider --open-id-connect-provider-arn "$oidc_arn" > /dev/null 2>&1 && ! in_state "\"id\": \"$oidc_arn\""; then
  $import_oidc || fail "the account already has $oidc_arn (one per account), so \`up\` would fail with EntityAlreadyExists. Re-run with --import-oidc-provider to adopt it (README, Troubleshooting)."
  # The provider resource first (a targeted up creates only it), then the OIDC provider under an empty `github`
  # component with that provider: the same URN and provider the program registers, so `up` adopts, never replaces.
  pulumi up --stack "$stack" --yes --target "urn:pulumi:$stack::platform::pulumi:providers:aws::aws" --policy-pack policy
  provider_urn="$(pulumi stack export --stack "$stack" | node -e 'const d=JSON.parse(require("fs").readFileSync(0,"utf8"));
    const p=d.deployment.resources.find((r)=>r.type==="pulumi:providers:aws"&&r.urn.endsWith("::aws"));process.stdout.write(p.urn+"::"+p.id)')"
  import_file="$(mktemp)"
  cat > "$import_file" <<JSON
{ "nameTable": { "aws": "$provider_urn" },
  "resources": [
    { "type": "platform:identity:GithubDeployRoles", "name": "github", "component": true },
    { "type": "aws:iam/openIdConnectProvider:OpenIdConnectProvider", "name": "github-oidc", "id": "$oidc_arn", "parent": "github", "provider": "aws" }
  ] }
JSON
  pulumi import --stack "$stack" --yes --file "$import_file" --generate-code=false
  rm -f "$import_file"
fi
echo "ok"

step "8. preview and deploy (policy pack enforced)"
pulumi preview --stack "$stack" --policy-pack policy --diff
if ! $yes; then
  read -r -p "Run pulumi up for $stack in account $account? [y/N] " answer
  [ "$answer" = y ] || fail "stopped before pulumi up"
fi
pulumi up --stack "$stack" --policy-pack policy --yes

step "9. hand over to GitHub Actions (OIDC)"
out() { pulumi stack output --stack "$stack" "$1" 2> /dev/null || echo "<output $1 missing>"; }
cat <<EOF
In GitHub, Settings -> Environments (README, "From zero to first deploy"):
  $stack-preview   variables AWS_PREVIEW_ROLE_ARN=$(out previewRoleArn) AWS_ACCOUNT_ID=$account AWS_REGION=$region
                   PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL; secret CLOUDFLARE_READ_TOKEN (read-only token)
  $stack           variables AWS_DEPLOY_ROLE_ARN=$(out deployRoleArn) AWS_ACCOUNT_ID=$account AWS_REGION=$region
                   PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL; secret CLOUDFLARE_DEPLOY_TOKEN (edit token);
                   deployment branches: main only; required reviewers for prod stacks
Then commit Pulumi.$stack.yaml (encryptedkey and the {secure: ...} values) and stop using admin credentials.
EOF
