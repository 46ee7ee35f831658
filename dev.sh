#!/usr/bin/env bash
# One entry point that sets itself up: ./dev.sh app | test | bench | cli ARGS… | screenshot PATH
# The first run creates .venv and installs the project; later runs reuse it until
# pyproject.toml changes.  Without an NVIDIA GPU, torch is pinned to the small CPU build.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${WORKBENCH_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        if ! command -v nvidia-smi >/dev/null 2>&1; then
            # CPU-only machine: the CPU wheel; an unconstrained torch would pull a multi-GB CUDA build.
            "$VENV/bin/python" -m pip install --quiet "torch==2.13.0"
        fi
        "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
}

command="${1:-app}"
shift || true
setup
case "$command" in
    app)        exec "$VENV/bin/python" -m workbench "$@" ;;
    test)       exec "$VENV/bin/python" -m pytest "$@" ;;
    bench)      exec "$VENV/bin/python" -m pytest tests/bench -s -p no:cacheprovider -o python_files='bench_*.py' "$@" ;;
    cli)        exec "$VENV/bin/python" -m workbench.cli "$@" ;;
    screenshot) exec "$VENV/bin/python" -m workbench --screenshot "$@" ;;
    *) echo "usage: ./dev.sh app|test|bench|cli|screenshot [ARGS…]" >&2; exit 2 ;;
esac
