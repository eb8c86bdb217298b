#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/CMakeLists.txt) with clang and runs one of them.
#   run_fuzz.sh BUILD_DIR build              build every target
#   run_fuzz.sh BUILD_DIR TARGET SECONDS     build if needed, fuzz TARGET for SECONDS
# TARGET is a name of CLARITY_FUZZ_TARGETS (settlement, odoo_json, xmlrpc, spapi_json,
# notifications, fulfilled_shipments, config, mapping_template). The corpus grows in
# BUILD_DIR/corpus/TARGET, seeded from tests/fuzz/seeds/TARGET and the seeds make_seeds.py derives
# from the repository's data; a crash, leak or timeout is written to BUILD_DIR/artifacts/ and
# fails the run (exit non-zero) with the command that reproduces it.
set -euo pipefail
build="$1"
target="$2"
seconds="${3:-30}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cxx="${CLARITY_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}"
[ -n "$cxx" ] || { echo "run_fuzz: no clang++ found (Debian: clang-14)" >&2; exit 2; }
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
fi
# Seeds derived from the repository's data, made once per build directory. ctest runs the targets
# two at a time, so the first run makes them under a lock and the others wait for it.
make_seeds() {
    (
        flock 9
        if [ ! -d "$build/seeds" ]; then
            tmp="$(mktemp -d "$build/seeds.XXXXXX")"
            python3 "$here/make_seeds.py" "$tmp"
            mv "$tmp" "$build/seeds"
        fi
    ) 9>"$build/seeds.lock"
}
if [ "$target" = build ]; then
    cmake --build "$build" -j2 >/dev/null
    make_seeds
    exit 0
fi
exe="$build/fuzz_$target"
# ctest's short runs follow the main build's `fuzzers` target: no second look at the build graph.
if [ -z "${CLARITY_FUZZ_PREBUILT:-}" ] || [ ! -x "$exe" ]; then
    cmake --build "$build" -j2 --target "fuzz_$target" >/dev/null
fi
make_seeds
corpus=("$build/corpus/$target")
mkdir -p "${corpus[0]}" "$build/artifacts"
for d in "$here/seeds/$target" "$build/seeds/$target"; do
    [ -d "$d" ] && corpus+=("$d")
done
dict=()
[ -f "$here/targets/$target.dict" ] && dict=("-dict=$here/targets/$target.dict")
log="$build/$target.log"
status=0
"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" "${dict[@]}" \
    "${corpus[@]}" >"$log" 2>&1 || status=$?
# The summary, and on a finding the sanitizer report and the reproducer's name.
grep -E '^(#[0-9]+ +(INITED|DONE)|Done|stat::|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|    #[0-9]+ )' "$log" | head -80 || true
if [ "$status" -ne 0 ]; then
    echo "run_fuzz: $target found a problem (exit $status); reproduce with: $exe <artifact>" >&2
fi
exit "$status"
