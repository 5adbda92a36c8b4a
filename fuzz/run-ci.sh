#!/bin/sh
# fuzz/run-ci.sh - the fuzzing step of CI, self-contained: configures and builds the libFuzzer
# targets with clang in build-fuzz/ (TCPSIM_FUZZ=ON, ASan+UBSan, clang's warnings as errors), writes
# the seed corpora from samples/ (fuzz_seedgen), and runs every target listed in
# build-fuzz/fuzz/targets.txt for about a minute (-max_total_time), two at a time.  Each target
# starts from its corpus of earlier runs (kept in build-fuzz/fuzz/corpus/), its seeds, and the
# inputs that once crashed it (tests/hostile/data/fuzz-TARGET-*).  Prints the executions of each
# target; exits 1 if any target finds a crash, a leak, a timeout (10 s for one input) or runs out of
# memory (2 GB), leaving the input in build-fuzz/fuzz/artifacts/ and the log in
# build-fuzz/fuzz/logs/.
#
# Environment: FUZZ_SECONDS (60) per target, FUZZ_JOBS (2) targets at once, FUZZ_BUILD
# (build-fuzz) the build directory, CC (clang).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
cc=${CC:-clang}
case $cc in *clang*) ;; *) cc=clang ;; esac

if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: $cc not found: the fuzz targets need clang with libFuzzer" >&2
    exit 1
fi
echo "fuzz: building in $build with $cc"
mkdir -p "$build"
log=$build/configure.log
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" -DTCPSIM_FUZZ=ON -DBUILD_TESTING=OFF -DTCPSIM_WERROR=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$log" 2>&1 ||
    { cat "$log"; echo "fuzz: configure failed" >&2; exit 1; }
rm -f "$log"
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target fuzz_all >/dev/null ||
    { cmake --build "$build" --target fuzz_all; echo "fuzz: build failed" >&2; exit 1; }

fz=$build/fuzz
seeds=$fz/seeds
rm -rf "$seeds"
"$fz/fuzz_seedgen" "$root/samples" "$seeds" || { echo "fuzz: seed generation failed" >&2; exit 1; }
mkdir -p "$fz/corpus" "$fz/artifacts" "$fz/logs" "$fz/regressions" "$fz/tmp"
TMPDIR=$fz/tmp # scratch files of the targets (fuzz_scenario's exported pcap) stay in the build tree
export TMPDIR

# run_target NAME: one campaign, in the background; its status goes to logs/NAME.status
run_target() {
    t=$1
    kind=${t#fuzz_}
    case $kind in
    scenario) seed=$root/samples/scenarios ;;
    render) seed=$seeds/replay ;;
    *) seed=$seeds/$kind ;;
    esac
    dict=
    [ -f "$root/fuzz/$kind.dict" ] && dict="-dict=$root/fuzz/$kind.dict"
    # inputs that once crashed this target (committed as regression tests)
    reg=$fz/regressions/$kind
    rm -rf "$reg"
    mkdir -p "$reg" "$fz/corpus/$kind"
    for f in "$root"/tests/hostile/data/fuzz-"$kind"-*; do
        [ -f "$f" ] && cp "$f" "$reg/"
    done
    (
        # shellcheck disable=SC2086 # $dict is one word or none
        "$fz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            $dict -artifact_prefix="$fz/artifacts/$kind-" "$fz/corpus/$kind" "$seed" "$reg" \
            >"$fz/logs/$kind.log" 2>&1
        echo $? >"$fz/logs/$kind.status"
    ) &
}

targets=$(cat "$fz/targets.txt")
running=0
for t in $targets; do
    rm -f "$fz/logs/${t#fuzz_}.status"
    run_target "$t"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

fail=0
for t in $targets; do
    kind=${t#fuzz_}
    log=$fz/logs/$kind.log
    st=$(cat "$fz/logs/$kind.status" 2>/dev/null || echo 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    if [ "$st" -eq 0 ]; then
        echo "fuzz: $t: ${execs:-?} executions in ${secs} s, ${cov:-cov: ?}, no finding"
    else
        echo "fuzz: $t: FINDING (exit $st) after ${execs:-?} executions; log $log:"
        grep -E 'ERROR|SUMMARY|broken promise|Test unit written|==[0-9]+==' "$log" | head -n 20
        fail=1
    fi
done
exit $fail
