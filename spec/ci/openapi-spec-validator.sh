#!/usr/bin/env bash
# Validates spec/chatcaptain.yaml with openapi-spec-validator (pinned, from PyPI): the reference
# validator against the official OpenAPI 3.0 schema, as a second opinion beside `cargo xtask spec-lint`.
# Run from anywhere; .ci/run calls it. Installs it into target/openapi-spec-validator-venv once.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=0.9.0
venv=target/openapi-spec-validator-venv

if ! "$venv/bin/pip" show openapi-spec-validator 2>/dev/null | grep -qx "Version: $VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$VERSION"
fi

# `--install-only`: .ci/run installs while Rust compiles.
[ "${1:-}" = "--install-only" ] && exit 0

"$venv/bin/openapi-spec-validator" --schema 3.0 --validation-errors all spec/chatcaptain.yaml "$@"
