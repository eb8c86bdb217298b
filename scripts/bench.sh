#!/usr/bin/env bash
# Runs every benchmark driver in BUILD/bench (or only bench_NAME) and prints its figures.
set -euo pipefail
build="$1"
name="${2:-}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
shopt -s nullglob
if [ -n "$name" ]; then
    exe="$build/bench/bench_$name"
    [ -x "$exe" ] || { echo "bench: no benchmark named '$name'" >&2; ls "$build"/bench/bench_* 2>/dev/null | sed 's|.*/bench_|  |' >&2; exit 2; }
    exec "$exe"
fi
status=0
for exe in "$build"/bench/bench_*; do
    [ -x "$exe" ] || continue
    echo "== $(basename "$exe")"
    "$exe" || status=1
done
exit $status
