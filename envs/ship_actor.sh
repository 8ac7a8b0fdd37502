#!/usr/bin/env bash
# Ships a trained actor: export the selected checkpoint into policies/NAME with its model card
# (Stable-Baselines3's evaluation), evaluate it with ./spikerl eval (seeds 0..9), add that to the
# card, and rewrite the actors table of policies/README.md.
#   usage: envs/ship_actor.sh ENV_ID NAME TARGET [SEED]
#   e.g.   envs/ship_actor.sh Hopper-v4 hopper-v4-td3 3000
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: envs/ship_actor.sh ENV_ID NAME TARGET [SEED]" >&2
  exit 2
fi
env_id="$1"; name="$2"; target="$3"; seed="${4:-0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${SPIKERL_TRAIN_VENV:-$root/envs/.venv-train}/bin/python"
bash "$root/envs/bootstrap-train.sh"
eval_dir="$(mktemp -d)"
trap 'rm -rf "$eval_dir"' EXIT
"$py" "$root/envs/train_actor.py" export --env "$env_id" --seed "$seed" --out "$root/policies/$name" --target "$target"
"$root/spikerl" eval --env "$env_id" --policy "$root/policies/$name/model.zip" --episodes 10 --seed 0 \
  --out "$eval_dir/eval"
"$py" "$root/envs/train_actor.py" card --out "$root/policies/$name" --summary "$eval_dir/eval/summary.json"
"$py" "$root/envs/train_actor.py" index
