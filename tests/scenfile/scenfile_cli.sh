#!/bin/sh
# scenfile_cli.sh TCPSIM FILES_DIR - `tcpsim --scenario-file` end to end: exit 0 with
# "N expectations hold" when all hold, exit 1 with FILE:LINE: expectation failed: ... for each
# failure, exit 2 with FILE:LINE:COL: messages and nothing on stdout for a bad file, a binary
# file, a missing file or a too large one; -q, --json, standard input and command-line settings
# on top of the file.
set -u
tcpsim=$1 dir=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run STATUS ARGS... : runs tcpsim, keeps stdout/stderr in $tmp/out, $tmp/err
run() {
    want=$1
    shift
    "$tcpsim" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: tcpsim $*: exit $got, expected $want"
        sed 's/^/  stderr: /' "$tmp/err"
        fail=1
        return 1
    fi
    echo "ok: tcpsim $* -> $got"
}
# same FILE EXPECTED_TEXT : the file holds exactly this text
same() {
    printf '%s\n' "$2" >"$tmp/want"
    if ! cmp -s "$1" "$tmp/want"; then
        echo "FAIL: $1 differs (< wanted, > got):"
        diff "$tmp/want" "$1" | head -20
        fail=1
    fi
}
empty() {
    if [ -s "$1" ]; then
        echo "FAIL: $1 should be empty:"
        head -5 "$1"
        fail=1
    fi
}

# all expectations hold: exit 0, the trace on stdout, one line on stderr
run 0 --scenario-file "$dir/holds.tcpsim"
same "$tmp/err" "3 expectations hold"
grep -q '^scenario holds: the second data segment is lost$' "$tmp/out" ||
    { echo "FAIL: no scenario header with the file's name and summary"; fail=1; }
grep -q 'LOST' "$tmp/out" || { echo "FAIL: no trace on stdout"; fail=1; }
run 0 --scenario-file "$dir/holds.tcpsim" -q
empty "$tmp/out"
same "$tmp/err" "3 expectations hold"
run 0 --scenario-file "$dir/holds.tcpsim" --json
head -1 "$tmp/out" | grep -q '^{"t":0,' || { echo "FAIL: --json"; fail=1; }
# the relative seq of the rule follows a new ISN given on the command line
run 0 --scenario-file "$dir/holds.tcpsim" -q --isn-client 4294967000
# a command-line setting can break an expectation: stopped at 100 ms, nothing is lost yet
run 1 --scenario-file "$dir/holds.tcpsim" -q --until 100ms
# standard input
run 0 --scenario-file - -q <"$dir/holds.tcpsim"
same "$tmp/err" "3 expectations hold"

# failures: exit 1, one line per failure and a count
run 1 --scenario-file "$dir/fails.tcpsim" -q
same "$tmp/err" "$dir/fails.tcpsim:6: expectation failed: expect client retransmits after 3s (the retransmission timer expired after: 1s)
$dir/fails.tcpsim:8: expectation failed: expect client sends 3 SYN (there were 2: at 0, 1s)
$dir/fails.tcpsim: 2 of 4 expectations failed"

# a bad file: exit 2, FILE:LINE:COL for each error, nothing runs
run 2 --scenario-file "$dir/bad.tcpsim"
empty "$tmp/out"
same "$tmp/err" "$dir/bad.tcpsim:2:5: rtt: '100' needs a unit (us, ms, s or m)
$dir/bad.tcpsim:4:6: unknown side 'middlebox' in an action (client or server)
$dir/bad.tcpsim:5:28: times needs a number"
# not text
printf 'rtt 1s\n\000\001\002' >"$tmp/bin.tcpsim"
run 2 --scenario-file "$tmp/bin.tcpsim"
empty "$tmp/out"
same "$tmp/err" "$tmp/bin.tcpsim:2:1: not a text file (NUL byte)"
# a file that is not there, a directory, a file too large
run 2 --scenario-file "$tmp/nosuch.tcpsim"
same "$tmp/err" "tcpsim: $tmp/nosuch.tcpsim: No such file or directory"
run 2 --scenario-file "$tmp"
grep -q "^tcpsim: $tmp: cannot read: " "$tmp/err" || { echo "FAIL: directory"; fail=1; }
head -c 1048577 /dev/zero | tr '\000' '\n' >"$tmp/big.tcpsim"
run 2 --scenario-file "$tmp/big.tcpsim"
same "$tmp/err" "$tmp/big.tcpsim:1:1: file too large (more than 1048576 bytes)"
# --profile sets the listener's rules too: listen(0) and two clients at once, the second SYN
# gets a SYN cookie with --profile linux (Linux's queues), is dropped with --profile rfc
printf '%s\n' "host server 192.0.2.2" "host a 192.0.2.11" "host b 192.0.2.12" \
    "at 0 server socket L" "at 0 server bind L 80" "at 0 server listen L 0" \
    "at 0 a socket S" "at 0 a connect S server:80" "at 0 b socket S" \
    "at 0 b connect S server:80" >"$tmp/listen.tcpsim"
run 0 --scenario-file "$tmp/listen.tcpsim" --profile linux
grep -q "note  SYN queue full: SYN cookie (tcp_syncookies=1)" "$tmp/out" ||
    { echo "FAIL: --profile linux: no SYN cookie"; fail=1; }
{ echo "profile linux"; cat "$tmp/listen.tcpsim"; } >"$tmp/listen-linux.tcpsim"
run 0 --scenario-file "$tmp/listen-linux.tcpsim" --profile rfc
grep -q "note  listen queue full: SYN dropped (backlog)" "$tmp/out" ||
    { echo "FAIL: --profile rfc: the rfc backlog rule"; fail=1; }
# a bad command-line setting on top of a good file
run 2 --scenario-file "$dir/holds.tcpsim" --rtt 100
empty "$tmp/out"

exit $fail
