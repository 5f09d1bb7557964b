#!/usr/bin/env bash
# Re-resolve pyproject.toml's dependencies into requirements.lock (runtime) and
# requirements-dev.lock (tests and tools, on top of the runtime lock).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
pip="$tmp/venv/bin/python -m pip --disable-pip-version-check"
$pip install --quiet .
{ echo "# Runtime dependencies, pinned. Regenerate with 'make lock'."
  $pip freeze --exclude vn-deadlines; } > requirements.lock
$pip install --quiet ".[dev]"
{ echo "# Development and test dependencies, pinned (includes the runtime lock). Regenerate with 'make lock'."
  echo "-r requirements.lock"
  $pip freeze --exclude vn-deadlines | grep -vxFf <(grep -v '^#' requirements.lock); } > requirements-dev.lock
echo "wrote requirements.lock and requirements-dev.lock"
