#!/usr/bin/env bash
# The yearly DR drill (docs/operations.md, "DR drill"): the region recovery of prod-eu (Pulumi.prod-eu-dr.yaml) run in a
# SANDBOX account from a snapshot shared there, smoke-checked, always torn down, with a timed report for the auditors.
# Also `smoke`, step 8 of the real recovery. Never prints a secret; every AWS call runs with the caller's credentials.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage:
  scripts/dr-drill.sh run --account <12-digit sandbox id> --snapshot <rds snapshot ARN in eu-west-1> [--report-dir D]
  scripts/dr-drill.sh smoke <stack>            checks of a deployed recovery stack (exit 1 on the first failure)

run: writes Pulumi.dr-drill.yaml (a copy of Pulumi.prod-eu-dr.yaml for the sandbox: its account id, sameAccount:
false, restoreFrom: snapshot), `pulumi up`, sets the master password from the new secret, runs `smoke`, and ALWAYS
tears the stack down (unprotect, deletion protection off, destroy). The report dr-drill-<date>.md (steps with start,
end, seconds and result; RTO; RPO from the snapshot time) goes to --report-dir (default: .).
Needs: the Pulumi CLI logged in to the sandbox's state backend, the AWS CLI with sandbox credentials, jq, node; the
sandbox's Cloudflare zone in DRILL_DOMAIN, DRILL_ZONE_ID, DRILL_CF_ACCOUNT_ID (CLOUDFLARE_API_TOKEN for it); the
snapshot copied into the sandbox under the key alias/dr-drill/snapshots (docs/operations.md, "DR drill").
EOF
}

REGION=eu-west-1
STACK=dr-drill
REPORT_DIR=.
ROWS=()
STARTED=$(date -u +%s)

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# step <name> <command...>: runs it, records start, end, seconds and ok/FAILED in the report rows.
step() {
  local name=$1; shift
  local t0; t0=$(date -u +%s)
  log "step: $name"
  if "$@"; then
    ROWS+=("| $name | $(date -u -d "@$t0" +%H:%M:%S) | $(date -u +%H:%M:%S) | $(( $(date -u +%s) - t0 )) | ok |")
  else
    ROWS+=("| $name | $(date -u -d "@$t0" +%H:%M:%S) | $(date -u +%H:%M:%S) | $(( $(date -u +%s) - t0 )) | FAILED |")
    return 1
  fi
}

output() { pulumi stack output --stack "$1" "$2" --json | jq -r .; }

smoke() {
  local stack=$1 db cluster alarms
  db="$(pulumi stack output --stack "$stack" rdsPrimaryEndpoint)"
  db="${db%%.*}"
  cluster="$(output "$stack" clusterName)"
  log "RDS $db is available and was restored"
  [ "$(aws rds describe-db-instances --region "$REGION" --db-instance-identifier "$db" --query 'DBInstances[0].DBInstanceStatus' --output text)" = available ]
  log "ECS services of $cluster are steady (running = desired)"
  local services; services=$(output "$stack" serviceNames | jq -r '.[]')
  # shellcheck disable=SC2086 # one argument per service name
  aws ecs wait services-stable --region "$REGION" --cluster "$cluster" --services $services
  log "every ALB target is healthy"
  local tg
  for tg in $(aws elbv2 describe-target-groups --region "$REGION" --query "TargetGroups[?starts_with(TargetGroupName, 'api')].TargetGroupArn" --output text); do
    [ -z "$(aws elbv2 describe-target-health --region "$REGION" --target-group-arn "$tg" --query "TargetHealthDescriptions[?TargetHealth.State!='healthy'].Target.Id" --output text)" ]
  done
  log "no alarm of the stack is in ALARM"
  alarms=$(aws cloudwatch describe-alarms --region "$REGION" --state-value ALARM --alarm-name-prefix "platform-$stack" --query 'length(MetricAlarms)')
  [ "$alarms" = 0 ]
}

write_config() {
  local account=$1 snapshot=$2
  node -e '
    const fs = require("fs"); const { parse, stringify } = require("yaml");
    const [account, snapshot, stack] = process.argv.slice(1);
    const doc = parse(fs.readFileSync("Pulumi.prod-eu-dr.yaml", "utf8"));
    const c = doc.config;
    c["platform:accountId"] = account;
    c["platform:accountAlias"] = "set-sandbox";
    c["platform:cicd"].deployEnvironment = "dr-drill";
    // The sandbox has no prod-eu: its own OIDC provider, password policy and detector; the shared snapshot, not the backups.
    c["platform:recovery"].sameAccount = false;
    delete c["platform:recovery"].guardDutyDetectorId;
    c["platform:recovery"].database = { restoreFrom: "snapshot", snapshotIdentifier: snapshot };
    c["platform:recovery"].backupsKeyAlias = "alias/dr-drill/snapshots";
    // The sandbox zone (DRILL_DOMAIN, DRILL_ZONE_ID, DRILL_CF_ACCOUNT_ID): the drill never touches the production zone.
    Object.assign(c["platform:edge"], { domain: process.env.DRILL_DOMAIN, zoneId: process.env.DRILL_ZONE_ID, accountId: process.env.DRILL_CF_ACCOUNT_ID });
    fs.writeFileSync(`Pulumi.${stack}.yaml`, "# Written by scripts/dr-drill.sh for one drill; not committed.\n" + stringify(doc));
  ' "$account" "$snapshot" "$STACK"
}

master_password() {
  local secret db
  secret=$(output "$STACK" secretArns | jq -r .databaseMaster)
  db="$(pulumi stack output --stack "$STACK" rdsPrimaryEndpoint)"
  aws rds modify-db-instance --region "$REGION" --db-instance-identifier "${db%%.*}" --apply-immediately \
    --master-user-password "$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$secret" --query SecretString --output text | jq -r .password)" \
    > /dev/null
  aws rds wait db-instance-available --region "$REGION" --db-instance-identifier "${db%%.*}"
}

teardown() {
  local db
  db="$(pulumi stack output --stack "$STACK" rdsPrimaryEndpoint 2>/dev/null || true)"
  pulumi state unprotect --stack "$STACK" --all --yes || true
  if [ -n "$db" ]; then
    aws rds modify-db-instance --region "$REGION" --db-instance-identifier "${db%%.*}" --no-deletion-protection --apply-immediately > /dev/null || true
  fi
  pulumi destroy --stack "$STACK" --yes --skip-preview
}

report() {
  local file rto snapshot_time=$1 result=$2
  file="$REPORT_DIR/dr-drill-$(date -u +%Y-%m-%d).md"
  rto=$(( $(date -u +%s) - STARTED ))
  {
    echo "# DR drill $(date -u +%Y-%m-%d): prod-eu recovered into $REGION (sandbox)"
    echo
    echo "Result: **$result**. Achieved RTO (start to smoke checks done, teardown included): $(( rto / 60 )) min, target 24 h."
    echo "RPO: the drill restores the snapshot taken at $snapshot_time; in a real recovery it is the replicated backups'"
    echo "latest restorable time (docs/operations.md, step 3). Commit: $(git rev-parse --short HEAD)."
    echo
    echo "| step | start (UTC) | end (UTC) | seconds | result |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
  } > "$file"
  log "report: $file"
}

run() {
  local account="" snapshot=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --account) account=$2; shift 2 ;;
      --snapshot) snapshot=$2; shift 2 ;;
      --report-dir) REPORT_DIR=$2; shift 2 ;;
      *) usage; exit 2 ;;
    esac
  done
  [[ "$account" =~ ^[0-9]{12}$ ]] || { echo "--account: a 12-digit sandbox account id, got '$account'" >&2; exit 2; }
  for v in DRILL_DOMAIN DRILL_ZONE_ID DRILL_CF_ACCOUNT_ID; do [ -n "${!v:-}" ] || { echo "$v is not set (the sandbox's Cloudflare zone)" >&2; exit 2; }; done
  [[ "$snapshot" =~ ^arn:aws:rds:$REGION:$account:snapshot: ]] || { echo "--snapshot: an RDS snapshot ARN in $REGION of account $account, got '$snapshot'" >&2; exit 2; }
  local snapshot_time result=passed
  snapshot_time=$(aws rds describe-db-snapshots --region "$REGION" --db-snapshot-identifier "$snapshot" --query 'DBSnapshots[0].SnapshotCreateTime' --output text)
  step "write Pulumi.$STACK.yaml" write_config "$account" "$snapshot"
  step "offline plan (policy-clean)" npm run -s plan -- --stack "$STACK"
  pulumi stack select --create "$STACK" --secrets-provider "awskms://alias/pulumi-secrets?region=$REGION"
  if ! { step "pulumi up (restore and deploy)" pulumi up --stack "$STACK" --yes --skip-preview \
      && step "master password from the new secret" master_password \
      && step "smoke checks" smoke "$STACK"; }; then
    result=failed
  fi
  step "teardown" teardown || result="$result (teardown FAILED: clean the sandbox by hand)"
  report "$snapshot_time" "$result"
  [ "$result" = passed ]
}

case "${1:-}" in
  run) shift; run "$@" ;;
  smoke) [ $# -eq 2 ] || { usage; exit 2; }; smoke "$2" ;;
  -h|--help) usage ;;
  *) usage; exit 2 ;;
esac
