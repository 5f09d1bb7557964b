#!/usr/bin/env bash
# Make the virtualenv ($VENV, default .venv) with $PYTHON (default python3) and install the
# hashed lock files given as arguments, each once per content. The venv records the interpreter
# it was made with; another one (e.g. PYTHON=python3.13 after a 3.11 run) rebuilds it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
venv=${VENV:-.venv}

if ! made_with=$("$python" -c 'import platform, sys; print(platform.python_implementation(), "%d.%d" % sys.version_info[:2])' 2>/dev/null); then
    echo "error: PYTHON=$python is not a Python interpreter; set PYTHON to CPython 3.11 or newer" >&2
    exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: PYTHON=$python is $made_with; vn-deadlines needs CPython 3.11 or newer" >&2
    exit 1
fi
if [ -e "$venv" ] && [ "$(cat "$venv/.python" 2>/dev/null)" != "$made_with" ]; then
    echo "== $venv was made with $(cat "$venv/.python" 2>/dev/null || echo 'an unknown Python'); rebuilding it with $made_with ($python)"
    rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
    echo "$made_with" > "$venv/.python"
fi
for lock in "$@"; do
    stamp="$venv/.installed-$lock-$(cksum < "$lock" | cut -d' ' -f1)"
    [ -e "$stamp" ] && continue
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$lock"
    rm -f "$venv/.installed-$lock-"*
    touch "$stamp"
done
