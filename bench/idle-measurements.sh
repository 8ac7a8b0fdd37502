#!/usr/bin/env bash
# The idle-machine measurements of docs/throughput.md, README and results/latency, in one run:
#   bench/idle-measurements.sh NEW OLD
# NEW and OLD are clean checkouts (git worktrees) of the two commits to compare. For each:
# `bench loop` twice, alternating; then, on NEW, a 40-episode eval on one core against two
# (taskset), the main job on NEW, OLD, NEW (its rows checked against NEW's results/hopper/sweep.csv),
# `convert` (T = 8, tuned) on OLD and NEW against a 50-episode ANN eval on NEW twice (and a 50-episode SNN-only eval
# of the file NEW converted), and `bench latency` of the tuned
# T = 8 controller. Every step prints the time and `uptime`. Stop other jobs first (a training run:
# kill -STOP, then -CONT); the machine has two cores. Both checkouts must sit where the shared
# policies are at ../shared (as /work/main and /work/shared do). A failed command ends the script.
set -euo pipefail
usage="usage: bench/idle-measurements.sh NEW OLD (two checkouts)"
[ $# -eq 2 ] || { echo "$usage" >&2; exit 2; }
NEW=$(cd "$1" && pwd) || { echo "$usage: $1 is not a directory" >&2; exit 2; }
OLD=$(cd "$2" && pwd) || { echo "$usage: $2 is not a directory" >&2; exit 2; }
for w in "$NEW" "$OLD"; do
  [ -x "$w/spikerl" ] || { echo "$usage: $w has no spikerl launcher" >&2; exit 2; }
  [ -e "$w/../shared/policies/crpi/TD3_Hopper-v4_actor" ] || { echo "$w/../shared/policies: not found" >&2; exit 2; }
done
pol=../shared/policies/crpi/TD3_Hopper-v4_actor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for w in "$NEW" "$OLD"; do
  (cd "$w"; echo "== $w commit $(git rev-parse --short HEAD) dirty=$(git status --porcelain | wc -l)"; ./spikerl --version >/dev/null 2>&1)
done
echo "== uptime before: $(uptime)"
for w in "$NEW" "$OLD" "$NEW" "$OLD"; do
  (cd "$w"; echo "== bench loop $(git rev-parse --short HEAD) $(date -u +%T)"
   ./spikerl bench loop --env Hopper-v4 --policy $pol 2>&1 | grep -E "^(java|python|env al|loop)"
   echo "== uptime: $(uptime)")
done
cd "$NEW"
for cpus in 0 0,1 0 0,1; do
  s=$(date +%s.%N)
  rate=$(taskset -c $cpus ./spikerl eval --env Hopper-v4 --policy $pol --episodes 40 --out "$tmp/eval-$cpus-$RANDOM" 2>&1 \
    | grep -o "[0-9]* steps/s" || true)
  e=$(date +%s.%N); echo "== eval 40 episodes taskset -c $cpus: $rate, $(echo "$e - $s" | bc) s ; $(uptime)"
done
for w in "$NEW" "$OLD" "$NEW"; do
  cd "$w"; rm -rf "$tmp/sweep"
  s=$(date +%s.%N)
  ./spikerl sweep --config configs/hopper.yaml --out "$tmp/sweep" >"$tmp/sweep.log" 2>&1
  e=$(date +%s.%N); echo "== main job $(git rev-parse --short HEAD) configs/hopper.yaml: $(echo "$e - $s" | bc) s ; $(uptime)"
  python3 - "$tmp/sweep/sweep.csv" "$NEW/results/hopper/sweep.csv" <<'PY'
import csv, sys
def rows(p):
    return [{k: v for k, v in r.items() if k not in ('act_us_per_step', 'wall_s')} for r in csv.DictReader(open(p))]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
print('== main job rows equal results/hopper/sweep.csv:', a == b, len(a))
PY
done
for i in 1 2; do
  for w in "$OLD" "$NEW"; do
    cd "$w"
    s=$(date +%s.%N)
    ./spikerl convert --env Hopper-v4 --policy $pol --out "$tmp/h8-$i.ctrl" > "$tmp/convert.log" 2>&1
    e=$(date +%s.%N)
    echo "== convert T=8 (tuned) $(git rev-parse --short HEAD): $(echo "$e - $s" | bc) s ; $(grep 'wall time' "$tmp/convert.log") ; $(uptime)"
    grep "tune: " "$tmp/convert.log" | sed 's/^/   /'
  done
  s=$(date +%s.%N)
  ./spikerl eval --env Hopper-v4 --policy $pol --episodes 50 --out "$tmp/eval50-$i" >/dev/null 2>&1
  e=$(date +%s.%N); echo "== eval ANN 50 episodes: $(echo "$e - $s" | bc) s ; $(uptime)"
  # The other reading of "50 evaluation episodes": 50 episodes of the spiking controller just made.
  s=$(date +%s.%N)
  ./spikerl eval --env Hopper-v4 --policy "$tmp/h8-$i.ctrl" --no-ann --episodes 50 --out "$tmp/evalsnn50-$i" >"$tmp/evalsnn50-$i.log" 2>&1 \
    || { echo "eval of $tmp/h8-$i.ctrl failed:" >&2; tail -3 "$tmp/evalsnn50-$i.log" >&2; exit 1; }
  e=$(date +%s.%N); echo "== eval SNN 50 episodes of the converted file: $(echo "$e - $s" | bc) s ; $(uptime)"
done
# The tuner's T = 8 choice, from the last convert's log ("tune: chose if+bias taware:neuron t0=2
# alpha=0.5 (cost ...)"), as bench latency's options.
chose=$(sed -n 's/^tune: chose \(.*\) (cost.*/\1/p' "$tmp/convert.log")
[ -n "$chose" ] || { echo "no 'tune: chose' line in $tmp/convert.log" >&2; exit 1; }
read -r plan method t0 alpha <<<"$chose"
calib=none
case "$plan" in *+bias) calib=bias; plan=${plan%+bias} ;; esac
echo "== bench latency $(git rev-parse --short HEAD) $(date -u +%T) of the tuned choice '$chose' $(uptime)"
./spikerl bench latency --env Hopper-v4 --policy $pol --neuron "$plan" --calibrate $calib --threshold "$method" \
  --delay "${t0#t0=}" --alpha "${alpha#alpha=}" --json 2>&1 | grep -v -i "warn\|deprecation"
echo "== after latency: $(uptime)"
rm -rf "$tmp"
