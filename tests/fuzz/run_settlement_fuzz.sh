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
log="$build/last_run.log"
status=0
"$build/fuzz_settlement" -max_total_time="$what" -timeout=10 -rss_limit_mb=1024 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/" \
    -dict="$here/settlement/settlement.dict" "$build/corpus" "$here/settlement/seeds" \
    >"$log" 2>&1 || status=$?
# The summary, and on a finding the sanitizer report and the reproducer's name.
grep -E '^(#[0-9]+ +(INITED|DONE)|Done|stat::|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|    #[0-9]+ )' "$log" | head -80 || true
if [ "$status" -ne 0 ]; then
    echo "run_settlement_fuzz: finding (exit $status); reproduce with: $build/fuzz_settlement <artifact>" >&2
fi
exit "$status"
