#!/usr/bin/env bash
# Builds the settlement libFuzzer target with clang and runs it for a fixed time.
#   run_settlement_fuzz.sh BUILD_DIR SECONDS     build (if needed) and fuzz for SECONDS
#   run_settlement_fuzz.sh BUILD_DIR build       build only
# The corpus grows in BUILD_DIR/corpus (seeded from tests/fuzz/settlement/seeds, which also gets
# generated report seeds); crashes are written to BUILD_DIR/artifacts and fail the run.
# Longer local runs: run_settlement_fuzz.sh build/fuzz 3600
set -euo pipefail
build="$1"
what="${2:-30}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cxx="${CLARITY_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}"
[ -n "$cxx" ] || { echo "run_settlement_fuzz: no clang++ found" >&2; exit 2; }
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here/settlement" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
fi
cmake --build "$build" -j2 >/dev/null
[ "$what" = build ] && exit 0
mkdir -p "$build/corpus" "$build/artifacts"
"$build/fuzz_settlement" -max_total_time="$what" -timeout=10 -rss_limit_mb=1024 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
    -dict="$here/settlement/settlement.dict" "$build/corpus" "$here/settlement/seeds" 2>&1 |
    grep -E '^(#[0-9]+ +(INITED|DONE)|Done|stat::|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' || true
# libFuzzer exits non-zero on a finding; PIPESTATUS keeps its code through the filter.
status=${PIPESTATUS[0]}
exit "$status"
