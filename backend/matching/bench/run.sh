#!/usr/bin/env bash
# Matching engine vs OR-Tools' SimpleMinCostFlow on the benchmark instances.
#
# usage: backend/matching/bench/run.sh [pilot] [season] [border]   (default: all three)
#
# Generates missing instances into bench-data/ (git-ignored) with gen_instance.py, beside
# this script (seed 1; the format and the three sizes are in docs/bench-format.md), builds
# the release binary, then for each instance runs our solver and the OR-Tools peer
# (ortools_peer.py, also beside this script) one after the other, each under
# /usr/bin/time -v for the peak resident set size, checks that the objectives are equal
# (exit 1 otherwise) and prints a Markdown table. Needs: python3 with numpy and ortools
# (`pip install numpy ortools`), /usr/bin/time (package `time`).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
bench=$repo/backend/matching/bench
data=$repo/bench-data
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(pilot season border)

params() {
  case $1 in
    pilot) echo "--workers 20000 --vacancies 2000 --positions 20000 --degree 100" ;;
    season) echo "--workers 150000 --vacancies 10000 --positions 150000 --degree 100" ;;
    border) echo "--workers 1000000 --vacancies 10000 --positions 150000 --degree 50" ;;
    *) echo "unknown instance $1" >&2; exit 2 ;;
  esac
}

[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$data"
for n in "${names[@]}"; do
  if [ ! -f "$data/$n.slm" ]; then
    # shellcheck disable=SC2046
    python3 "$bench/gen_instance.py" $(params "$n") --seed 1 --out "$data/$n.slm"
  fi
done

(cd "$repo" && CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release -q -p seasonlink-matching --bin seasonlink-match)
ours=$repo/target/release/seasonlink-match
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" "$2" | head -n1; }
rss_mb() { awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
rows=()
for n in "${names[@]}"; do
  f=$data/$n.slm
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -v "$ours" "$f" --floor >"$tmp/ours.out" 2>"$tmp/ours.err" || { cat "$tmp/ours.err" >&2; exit 1; }
  /usr/bin/time -v python3 "$bench/ortools_peer.py" "$f" >"$tmp/peer.out" 2>"$tmp/peer.err" || { cat "$tmp/peer.err" >&2; exit 1; }
  o_obj=$(field objective "$tmp/ours.out"); p_obj=$(field objective "$tmp/peer.out")
  if [ -z "$o_obj" ] || [ "$o_obj" != "$p_obj" ]; then
    echo "OBJECTIVE MISMATCH on $n: ours=$o_obj or-tools=$p_obj" >&2
    exit 1
  fi
  o_s=$(field solve_s "$tmp/ours.out"); p_s=$(field solve_s "$tmp/peer.out")
  o_mb=$(rss_mb "$tmp/ours.err"); p_mb=$(rss_mb "$tmp/peer.err")
  rows+=("| $n | $o_obj | $o_s | $(field verify_s "$tmp/ours.out") | $o_mb | $p_s | $p_mb | $(awk "BEGIN { printf \"%.1f\", $p_s / $o_s }") | $(awk "BEGIN { printf \"%.2f\", $o_mb / $p_mb }") | $(field floor_scan_s "$tmp/ours.err") | $load |")
  echo "$n: ours $(cat "$tmp/ours.out") | or-tools $(cat "$tmp/peer.out")" >&2
done
echo
echo "| instance | objective (equal) | ours solve s | ours verify s | ours peak RSS MB | OR-Tools solve s | OR-Tools peak RSS MB | speed-up | RSS ratio | one-pass floor s | load before |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
