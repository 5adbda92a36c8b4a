#!/bin/sh
# run-valgrind.sh TCPSIM SAMPLES_DIR SUPPRESSIONS [--sanitized] - runs tcpsim under valgrind's
# memcheck on every capture of samples/ (--summary, plus the full text and JSON traces of one),
# on every built-in scenario (-q), on every scenario file of samples/scenarios when the binary
# runs scenario files, and once per diagram format (-o x.png/.svg/.pdf, ladder and time-sequence
# graph).  Any memory error, any definitely or indirectly lost block, or an exit status other
# than the one expected fails the test; the valgrind log of the failing run is printed.  Exits
# 77 (skipped) when valgrind is not installed or the binary is built with the sanitizers
# (valgrind cannot run ASan binaries).  The suppressions file says why each suppression exists.
set -u
tcpsim=$1 samples=$2 supp=$3
if [ "${4:-}" = --sanitized ]; then
    echo "skipped: tcpsim is built with the sanitizers (TCPSIM_SANITIZE), valgrind cannot run it"
    exit 77
fi
if ! command -v valgrind >/dev/null 2>&1; then
    echo "skipped: valgrind is not installed"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpsim-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 runs=0

# vg EXPECTED_STATUS ARGS... : one run under memcheck
vg() {
    want=$1
    shift
    runs=$((runs + 1))
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --show-leak-kinds=definite,indirect --suppressions="$supp" --log-file="$tmp/vg.log" \
        "$tcpsim" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -eq 99 ] || [ -s "$tmp/vg.log" ]; then
        echo "FAIL (memcheck): tcpsim $*"
        cat "$tmp/vg.log"
        fail=1
    elif [ "$got" -ne "$want" ]; then
        echo "FAIL: tcpsim $*: exit $got, expected $want"
        cat "$tmp/err"
        fail=1
    else
        echo "ok: tcpsim $*"
    fi
}

for f in "$samples"/*.pcap; do
    vg 0 --pcap "$f" --summary
done
vg 0 --pcap "$samples/loss.pcap"
vg 0 --pcap "$samples/concurrent.pcap" --json
vg 0 --pcap "$samples/ipv6.pcap" --summary --json -f 'tcp port 5555 or ip6'
vg 2 --pcap "$samples/clean.pcap" --flow 7

for name in $("$tcpsim" --list-scenarios | awk '{print $1}'); do
    vg 0 --scenario "$name" -q
done
vg 0 --scenario loss --json
vg 0 --scenario fastretx

# scenario files, once the binary runs them (the placeholder refuses every file with exit 2)
if [ -d "$samples/scenarios" ]; then
    for f in "$samples"/scenarios/*.tcpsim; do
        [ -f "$f" ] || continue
        "$tcpsim" --scenario-file "$f" -q >/dev/null 2>&1
        st=$?
        [ "$st" -eq 2 ] && break # not supported (yet): nothing to check
        vg "$st" --scenario-file "$f" -q
    done
fi

# diagrams: cairo, pixman, fontconfig and freetype in the same process
vg 0 --scenario loss -q -o "$tmp/loss.png"
vg 0 --scenario timewait -q -o "$tmp/timewait.svg"
vg 0 --scenario fastretx -q -o "$tmp/fastretx.pdf" --graph tseq
vg 0 --pcap "$samples/loss.pcap" -q -o "$tmp/capture.png"
vg 1 --scenario handshake -q -o "$tmp/missing/x.png"

echo "$runs runs under valgrind, $([ $fail -eq 0 ] && echo 'no error' || echo 'FAILED')"
exit $fail
