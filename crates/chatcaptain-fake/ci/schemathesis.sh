#!/usr/bin/env bash
# Contract test: schemathesis (pinned, from PyPI) fuzzes the running fake with spec/chatcaptain.yaml and
# fails on server errors, undocumented statuses, wrong content types and bodies that break the schemas.
# Run from anywhere; .ci/run calls it. Installs schemathesis into target/schemathesis-venv once.
set -euo pipefail
cd "$(dirname "$0")/../../.."

SCHEMATHESIS_VERSION=4.32.5
EXAMPLES=${SCHEMATHESIS_EXAMPLES:-40}
venv=target/schemathesis-venv
log=target/chatcaptain-fake-schemathesis.log
out=target/schemathesis-output.txt
key=schemathesis-ci-key

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# `--install-only`: .ci/run installs while Rust compiles.
[ "${1:-}" = "--install-only" ] && exit 0

# The binary exactly as the test build made it (a no-op after `cargo test --workspace
# --all-features`): `cargo build` leaves out dev-dependencies, so their features are not unified
# in and it would compile chatcaptain-api and the fake again (~20 s).
cargo test --quiet --workspace --all-features --no-run
# Port 0: the fake picks a free port and prints its URL, so nothing races for a port.
target/debug/chatcaptain-fake --port 0 --contacts 200 --organizations 50 --api-key "$key" >"$log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT

url=""
for _ in $(seq 1 200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" || true)
    [ -n "$url" ] && break
    kill -0 "$fake_pid" 2>/dev/null || { cat "$log"; echo "the fake exited before listening" >&2; exit 1; }
    sleep 0.05
done
[ -n "$url" ] || { cat "$log"; echo "the fake did not start within 10 s" >&2; exit 1; }
echo "fake at $url, schemathesis $SCHEMATHESIS_VERSION, $EXAMPLES examples per operation"

# schemathesis keeps a cache in its working directory; keep it under target/.
mkdir -p target/schemathesis-work
spec=$PWD/spec/chatcaptain.yaml
status=0
(cd target/schemathesis-work && "../../$venv/bin/schemathesis" run "$spec" \
    --url "$url" \
    --header "x-chatcaptain-key: $key" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" \
    --seed 20251128 \
    --generation-database none \
    --no-color) 2>&1 | tee "$out" || status=$?
# A run whose every request was rejected for auth proves nothing; schemathesis only warns about it.
if grep -q "Authentication failed" "$out"; then
    echo "schemathesis could not authenticate against the fake" >&2
    status=1
fi
exit "$status"
