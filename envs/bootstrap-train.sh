#!/usr/bin/env bash
# Creates (idempotently) the training venv used by envs/train_actor.py and envs/make_fixtures.py.
# Override the location with SPIKERL_TRAIN_VENV.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SPIKERL_TRAIN_VENV:-$here/.venv-train}"
req="$here/requirements-train.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$want" ] \
   && "$venv/bin/python" -c "import torch, stable_baselines3, gymnasium, mujoco" 2>/dev/null; then
  exit 0
fi
command -v python3 >/dev/null || { echo "bootstrap-train: python3 not found; install Python 3.10+" >&2; exit 1; }
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
echo "$want" > "$venv/.stamp"
echo "bootstrap-train: training venv ready at $venv"
