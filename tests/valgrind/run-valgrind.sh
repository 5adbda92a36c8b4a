#!/bin/sh
# run-valgrind.sh TCPSIM SAMPLES_DIR SUPPRESSIONS [--sanitized] - runs tcpsim under valgrind's
# memcheck on every capture of samples/ (--summary, plus the full text and JSON traces of one),
# on every built-in scenario (-q), on scenario files (the examples, two built-ins' sources, one
# whose expectation fails and one that does not parse), and once per diagram format (-o
# x.png/.svg/.pdf, ladder and time-sequence graph).  Any memory error, any definitely or indirectly lost block, or an exit status other
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

# scenario files, once the binary runs them (the placeholder refused every file with exit 2):
# the examples, and two of the built-ins' sources (the built-ins above are the same files,
# embedded), each with its expectations checked; then one file whose expectation fails (exit 1)
if [ -d "$samples/scenarios" ] && "$tcpsim" --scenario-file "$samples/scenarios/handshake.tcpsim" \
    -q >/dev/null 2>&1; then
    for f in "$samples"/scenarios/examples/*.tcpsim "$samples/scenarios/loss.tcpsim" \
        "$samples/scenarios/zerowindow.tcpsim"; do
        [ -f "$f" ] && vg 0 --scenario-file "$f" -q
    done
    printf 'at 0 server listen\nat 0 client connect\nexpect client state CLOSED\n' >"$tmp/fail.tcpsim"
    vg 1 --scenario-file "$tmp/fail.tcpsim" -q
    printf 'at 0 server listen\nat 1x client connect\nexpect client state BOGUS\n' >"$tmp/bad.tcpsim"
    vg 2 --scenario-file "$tmp/bad.tcpsim"
fi

# diagrams: cairo, pixman, fontconfig and freetype in the same process
vg 0 --scenario loss -q -o "$tmp/loss.png"
vg 0 --scenario timewait -q -o "$tmp/timewait.svg"
vg 0 --scenario fastretx -q -o "$tmp/fastretx.pdf" --graph tseq
vg 0 --pcap "$samples/loss.pcap" -q -o "$tmp/capture.png"
vg 1 --scenario handshake -q -o "$tmp/missing/x.png"

echo "$runs runs under valgrind, $([ $fail -eq 0 ] && echo 'no error' || echo 'FAILED')"
exit $fail
