#!/usr/bin/env bash
# Benchmark of the offline plan (issue 16 §4): the plan of a stack, in both modes, against the time node takes to load
# @pulumi/pulumi, @pulumi/aws and @pulumi/cloudflare. Runs are interleaved (side by side, same machine load) and the
# median of N is reported, as wall time and as CPU time (user + system of the plan's own process: the pack's process is
# killed at the end, not waited for, so /usr/bin/time does not count it), since wall time on a shared machine mostly
# measures the other jobs. The floor is scripts/bench-sdk-floor.js: the SDK alone loading and registering as many
# trivial resources as the stack has. Usage: scripts/bench-plan.sh [stack=prod-eu] [runs=5]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-prod-eu}"
runs="${2:-5}"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
declare -a load=() update=() preview=() floor=() loadCpu=() updateCpu=() previewCpu=() floorCpu=()
# The stack's custom resources, for the floor.
resources="$(node --max-semi-space-size=64 -r ./offline/register.js offline/cli.ts --stack "$stack" --json | node -e \
    'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).resources.filter((r) => r.custom).length))')"
# Runs a command under /usr/bin/time; prints "<wall> <cpu>".
timed() { /usr/bin/time -o "$tmp" -f "%e %U %S" "$@" >/dev/null; awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp"; }
for i in $(seq "$runs"); do
    read -r w c < <(timed node -e 'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/cloudflare")'); load+=("$w"); loadCpu+=("$c")
    read -r w c < <(timed node --max-semi-space-size=64 -r ./offline/register.js offline/cli.ts --stack "$stack" --json); update+=("$w"); updateCpu+=("$c")
    read -r w c < <(timed node --max-semi-space-size=64 -r ./offline/register.js offline/cli.ts --stack "$stack" --preview --json); preview+=("$w"); previewCpu+=("$c")
    read -r w c < <(timed node --max-semi-space-size=64 -r ./offline/register.js scripts/bench-sdk-floor.js "$resources"); floor+=("$w"); floorCpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
l=$(median "${load[@]}"); u=$(median "${update[@]}"); p=$(median "${preview[@]}")
lc=$(median "${loadCpu[@]}"); uc=$(median "${updateCpu[@]}"); pc=$(median "${previewCpu[@]}")
f=$(median "${floor[@]}"); fc=$(median "${floorCpu[@]}")
echo "median of $runs on $(nproc) cores (load average $(cut -d' ' -f1 /proc/loadavg)), wall / cpu:"
echo "  load @pulumi/pulumi + aws + cloudflare: ${l} s / ${lc} s"
echo "  plan --stack $stack:            ${u} s ($(ratio "$u" "$l")x) / ${uc} s ($(ratio "$uc" "$lc")x)"
echo "  plan --stack $stack --preview:  ${p} s ($(ratio "$p" "$l")x) / ${pc} s ($(ratio "$pc" "$lc")x)"
echo "  floor: the SDK alone, $resources trivial resources: ${f} s ($(ratio "$f" "$l")x) / ${fc} s ($(ratio "$fc" "$lc")x)"
