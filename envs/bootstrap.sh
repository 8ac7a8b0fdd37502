#!/usr/bin/env bash
# Creates the project's Python venv for the Gymnasium bridge, idempotently.
#
#   bash envs/bootstrap.sh          # venv at envs/.venv
#   SPIKERL_VENV=/path bash envs/bootstrap.sh
#
# The venv is rebuilt when requirements.txt changed since the last install (a stamp in the venv
# holds its sha256) or when the venv is broken (gymnasium, mujoco or py4j fail to import).
# Otherwise it returns at once and prints nothing. SPIKERL_BASE_PYTHON picks the interpreter
# the venv is made from (default python3).
set -euo pipefail

envs_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SPIKERL_VENV:-$envs_dir/.venv}"
venv="${venv%/}"
requirements="$envs_dir/requirements.txt"
stamp="$venv/.spikerl-requirements.sha256"
base_python="${SPIKERL_BASE_PYTHON:-python3}"

fail() {
    echo "bootstrap.sh: $*" >&2
    exit 1
}

wanted_sha="$(sha256sum "$requirements" | cut -d ' ' -f 1)"

venv_ok() {
    [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted_sha" ]] \
        && "$venv/bin/python" -c "import gymnasium, mujoco, py4j" >/dev/null 2>&1
}

if venv_ok; then
    exit 0
fi

command -v "$base_python" >/dev/null 2>&1 \
    || fail "$base_python not found; install Python >= 3.11 (e.g. apt-get install python3 python3-venv)"
# The pinned wheels (numpy 2.4, pillow 13, ...) need 3.11; say so before pip says it less clearly.
base_version="$("$base_python" -c 'import platform; print(platform.python_version())' 2>/dev/null)" \
    || fail "$base_python does not run; install Python >= 3.11 (e.g. apt-get install python3 python3-venv)"
"$base_python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || fail "$base_python is Python $base_version, need >= 3.11 (install a newer python3 or set SPIKERL_BASE_PYTHON)"
"$base_python" -c 'import venv, ensurepip' >/dev/null 2>&1 \
    || fail "$base_python cannot create venvs; install the venv module (e.g. apt-get install python3-venv)"

# Two builds starting together (e.g. parallel Maven runs) must not rebuild the same venv at once.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if venv_ok; then
    exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
rm -rf "$venv"
if ! { "$base_python" -m venv "$venv" \
        && "$venv/bin/python" -m pip install --no-input --no-deps -r "$requirements" \
        && "$venv/bin/python" -m pip check \
        && "$venv/bin/python" -c "import gymnasium, mujoco, py4j"; } >"$log" 2>&1; then
    cat "$log" >&2
    fail "could not build the venv at $venv (pip output above); fix the cause and rerun bash envs/bootstrap.sh"
fi
echo "$wanted_sha" >"$stamp"
echo "bootstrap.sh: Python venv ready at $venv ($("$venv/bin/python" -c 'import gymnasium, mujoco; print("gymnasium", gymnasium.__version__, "mujoco", mujoco.__version__)'))"
