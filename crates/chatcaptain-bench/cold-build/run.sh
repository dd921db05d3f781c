#!/usr/bin/env bash
# Cold build of the smallest useful program: one list call with chatcaptain (this checkout, default
# features) against the same with octocrab (latest 0.54, default features), side by side.
#
#   crates/chatcaptain-bench/cold-build/run.sh [ROUNDS]     (default 2)
#
# Copies the two programs next to each other in a temporary directory (out of this workspace),
# resolves and downloads their dependencies first (`cargo fetch`, so no download is timed), then
# builds each ROUNDS times with `cargo build --offline` into a fresh, empty target directory,
# alternating which goes first. Prints a markdown row per build: wall time and the number of
# crates compiled ("Compiling" lines). Takes the environment as it is (CARGO_PROFILE_DEV_DEBUG,
# ...), so compare only rows of one run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
rounds=${1:-2}
programs=(chatcaptain-user octocrab-user)

work=$(mktemp -d "${TMPDIR:-/tmp}/cold-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
for name in "${programs[@]}"; do
    cp -r "$here/$name" "$work/$name"
done
sed -i "s|path = \"../../../chatcaptain\"|path = \"$repo/crates/chatcaptain\"|" \
    "$work/chatcaptain-user/Cargo.toml"
for name in "${programs[@]}"; do
    (cd "$work/$name" && cargo generate-lockfile --quiet && cargo fetch --quiet)
done

echo "$(cargo --version); $(nproc) cores; CARGO_PROFILE_DEV_DEBUG=${CARGO_PROFILE_DEV_DEBUG:-unset}"
echo
echo "| round | program | wall time | crates compiled | load average before |"
echo "|---|---|---|---|---|"
build() {
    local round=$1 name=$2 target="$work/target" load start end
    rm -rf "$target"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    start=$EPOCHREALTIME
    (cd "$work/$name" && CARGO_TARGET_DIR="$target" cargo build --offline 2>"$work/$name.log") || {
        cat "$work/$name.log" >&2
        exit 1
    }
    end=$EPOCHREALTIME
    printf '| %s | %s | %s s | %s | %s |\n' "$round" "$name" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" \
        "$(grep -c '^ *Compiling ' "$work/$name.log")" "$load"
    rm -rf "$target"
}
for round in $(seq "$rounds"); do
    if ((round % 2)); then order=("${programs[@]}"); else order=("${programs[1]}" "${programs[0]}"); fi
    for name in "${order[@]}"; do
        build "$round" "$name"
    done
done
