#!/usr/bin/env bash
# kernel_test.sh [--update] [--runs N] [--jobs N] BUILD_DIR - the ctest `kernel_compare`: every
# case in tests/kernel/cases/ on the real Linux stack and in tcpsim --profile linux, compared
# segment by segment (run.sh), then checked against tests/kernel/expected-differences.txt, the
# list of what does not match yet:
#   - a case/aspect (segments, options) that differs and is not listed fails the test;
#   - a listed one that now matches fails it too (take it off the list: it can never go stale);
#   - a listed one whose first difference moved is a note, not a failure (timing values vary
#     by a millisecond from run to run); --update rewrites the list from this run's results;
#   - each case's kernel side is played --runs times (3) and must give the same segments each
#     time, or the test fails (the kernel side has to be repeatable to be a reference).
# Cases run --jobs at a time (4), each pinned to one CPU, alternating between the CPUs.
# Without root, namespaces, TUN or nftables it prints "skipped: ..." and exits 77.
# KT_KEEP_FAILED=1 keeps the captures of a failed run (the directory is printed); KT_KEEP=DIR
# keeps them in DIR whatever the result.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIST=$HERE/expected-differences.txt
UPDATE=0
RUNS=3
JOBS=4
while [ $# -gt 1 ]; do
    case $1 in
    --update) UPDATE=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    *) echo "usage: $0 [--update] [--runs N] [--jobs N] BUILD_DIR" >&2; exit 2 ;;
    esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--update] [--runs N] [--jobs N] BUILD_DIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)

set +e
probe=$("$HERE/run.sh" --probe --build "$BUILD" 2>&1)
rc=$?
set -e
if [ $rc -eq 77 ]; then echo "$probe"; exit 77; fi
[ $rc -eq 0 ] || { echo "$probe"; exit 1; }

if [ -n "${KT_KEEP:-}" ]; then
    mkdir -p "$KT_KEEP"
    WORK=$(cd "$KT_KEEP" && pwd)
else
    WORK=$(mktemp -d /tmp/tcpsim-kernel-test.XXXXXX)
fi
PIDS=()
cleanup() {
    local rc=$? p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ -n "${KT_KEEP:-}" ] || { [ $rc -ne 0 ] && [ -n "${KT_KEEP_FAILED:-}" ]; }; then
        echo "kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CASES=()
for f in "$HERE"/cases/*.tcpsim; do CASES+=("$(basename "$f" .tcpsim)"); done
NCPU=$(nproc)
start=$SECONDS
i=0
for c in "${CASES[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.1; done
    (
        set +e
        t=$SECONDS
        KT_QUIET=1 "$HERE/run.sh" --build "$BUILD" --keep "$WORK" --cpu $((i % NCPU)) \
            --runs "$RUNS" "$c" >"$WORK/$c.out" 2>"$WORK/$c.err"
        echo "$? $((SECONDS - t))" >"$WORK/$c.rc"
    ) &
    PIDS+=($!)
    i=$((i + 1))
done
wait || true
PIDS=()
# A case whose harness failed (exit 2: no kernel run passed its checks, a relay that did not start)
# or whose kernel runs did not repeat each other met the machine, not tcpsim: it is run once more,
# alone, before it counts as a failure.  A comparison with tcpsim that differs is never run again.
for c in "${CASES[@]}"; do
    read -r rc secs <"$WORK/$c.rc"
    if [ "$rc" -ne 2 ] && ! grep -q '^kernel runs: NOT the same' "$WORK/$c.out"; then
        continue
    fi
    echo "kernel_test: $c: the harness failed or the kernel did not repeat; running it again alone" >&2
    # the first attempt's reasons stay for the report (its run directories are replaced)
    { sed 's/^/first attempt: /' "$WORK/$c.err"; grep '^kernel runs:' "$WORK/$c.out" | sed 's/^/first attempt: /'; } \
        >"$WORK/$c.first" || true
    rm -rf "${WORK:?}/$c"
    t=$SECONDS
    set +e
    KT_QUIET=1 "$HERE/run.sh" --build "$BUILD" --keep "$WORK" --cpu 0 \
        --runs "$RUNS" "$c" >"$WORK/$c.out" 2>"$WORK/$c.err"
    echo "$? $((SECONDS - t))" >"$WORK/$c.rc"
    set -e
done
elapsed=$((SECONDS - start))

# what the list says: "CASE ASPECT: DIFFERENCE"
declare -A listed
if [ -f "$LIST" ]; then
    while IFS= read -r line; do
        case $line in '' | '#'*) continue ;; esac
        key=${line%%:*}
        listed[$key]=${line#*: }
    done <"$LIST"
fi

fail=0
declare -A seen
results=()
# the first difference without its times (they vary by a tenth of a millisecond between runs)
untimed() { sed -E 's/[-+]?[0-9]+(\.[0-9]+)? ms/N ms/g' <<<"$1"; }

printf '%-12s %-8s %4s %6s  %s\n' case aspect time reruns result
for c in "${CASES[@]}"; do
    read -r rc secs <"$WORK/$c.rc"
    reruns=$(sed -n 's/^kernel runs made again: \([0-9]*\).*/\1/p' "$WORK/$c.out")
    if [ "$rc" -ge 2 ]; then
        echo "FAIL $c: the harness failed (exit $rc):"
        [ ! -f "$WORK/$c.first" ] || sed 's/^/    /' "$WORK/$c.first" | tail -20
        sed 's/^/    /' "$WORK/$c.err" "$WORK/$c.out" | tail -30
        fail=1
        seen["$c segments"]=1 seen["$c options"]=1 # no result: the list is not stale for it
        continue
    fi
    if grep -q '^kernel runs: NOT the same' "$WORK/$c.out"; then
        echo "FAIL $c: the kernel side did not repeat: $(grep '^kernel runs:' "$WORK/$c.out")"
        [ ! -f "$WORK/$c.first" ] || sed 's/^/    /' "$WORK/$c.first" | tail -20
        for r in "$WORK/$c"/repeat*.txt; do sed 's/^/    /' "$r"; done
        fail=1
    fi
    for aspect in segments options; do
        line=$(grep "^$aspect: " "$WORK/$c/result.txt" || true)
        [ -n "$line" ] || { echo "FAIL $c: no $aspect result"; fail=1; continue; }
        what=${line#"$aspect: "}
        key="$c $aspect"
        seen[$key]=1
        printf '%-12s %-8s %3ss %6s  %s\n' "$c" "$aspect" "$secs" "${reruns:-?}" "$what"
        if [ "$what" = match ]; then
            if [ -n "${listed[$key]+x}" ]; then
                echo "FAIL $key now matches the kernel: take it off $LIST"
                fail=1
            fi
            continue
        fi
        diff=${what#differ: }
        results+=("$key: $diff")
        if [ -z "${listed[$key]+x}" ]; then
            echo "FAIL $key differs from the kernel and is not in $LIST:"
            sed 's/^/    /' "$WORK/$c/result.txt"
            fail=1
        elif [ "$(untimed "${listed[$key]}")" != "$(untimed "$diff")" ]; then
            echo "note: $key: the first difference is now '$diff' (the list says '${listed[$key]}')"
        fi
    done
done
for key in "${!listed[@]}"; do
    if [ -z "${seen[$key]+x}" ]; then
        echo "FAIL $LIST lists '$key', which is not a case/aspect of tests/kernel/cases/"
        fail=1
    fi
done

if [ $UPDATE -eq 1 ]; then
    {
        sed -n '/^#/p' "$LIST" 2>/dev/null || true
        printf '%s\n' "${results[@]+"${results[@]}"}"
    } >"$LIST.new"
    mv "$LIST.new" "$LIST"
    echo "updated $LIST (${#results[@]} differences)"
    fail=0
fi
total_reruns=$(cat "$WORK"/*.out 2>/dev/null | sed -n 's/^kernel runs made again: \([0-9]*\).*/\1/p' |
    awk '{ n += $1 } END { print n + 0 }')
echo "kernel comparison: ${#CASES[@]} cases x $RUNS kernel runs in ${elapsed} s on Linux $(uname -r)" \
    "($total_reruns runs made again)"
exit $fail
