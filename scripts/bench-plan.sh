#!/usr/bin/env bash
# Benchmark of the offline plan (issue 16 §4): the plan of a stack, in both modes, against the time node takes to load
# @pulumi/pulumi, @pulumi/aws and @pulumi/cloudflare. Runs are interleaved (side by side, same machine load) and the
# median of N is reported. Usage: scripts/bench-plan.sh [stack=prod-eu] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-prod-eu}"
runs="${2:-5}"
now() { date +%s.%N; }
declare -a load=() update=() preview=()
for i in $(seq "$runs"); do
    t=$(now); node -e 'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/cloudflare")'; load+=("$(echo "$(now) - $t" | bc)")
    t=$(now); node -r ./offline/register.js offline/cli.ts --stack "$stack" --json >/dev/null; update+=("$(echo "$(now) - $t" | bc)")
    t=$(now); node -r ./offline/register.js offline/cli.ts --stack "$stack" --preview --json >/dev/null; preview+=("$(echo "$(now) - $t" | bc)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
l=$(median "${load[@]}"); u=$(median "${update[@]}"); p=$(median "${preview[@]}")
echo "median of $runs on $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg)):"
echo "  load @pulumi/pulumi + aws + cloudflare: ${l} s"
echo "  plan --stack $stack:            ${u} s ($(echo "scale=2; $u / $l" | bc)x)"
echo "  plan --stack $stack --preview:  ${p} s ($(echo "scale=2; $p / $l" | bc)x)"
