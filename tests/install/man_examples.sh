#!/bin/sh
# man_examples.sh TCPSIM MAN SOURCE - every command in the EXAMPLES of tcpsim(1) runs and exits
# 0, in a temporary directory, with the installed paths pointed at the source tree
# (/usr/share/tcpsim/scenarios -> samples/scenarios), trace.pcap at samples/concurrent.pcap and
# its port 443 at that capture's 5555.  The live example (-i) needs traffic and root and is only
# checked to parse.
set -u
tcpsim=$(realpath "$1") man=$2 src=$(realpath "$3")
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C MANWIDTH=80 man -l "$man" 2>/dev/null | sed -n '/^EXAMPLES$/,/^SEE ALSO$/p' |
    sed -n 's/^ *\(tcpsim .*\)$/\1/p; s/^ \{9,\}\([^ ].*\)$/+\1/p' |
    awk '/^\+/ { line = line " " substr($0, 2); next } { if (line) print line; line = $0 }
         END { if (line) print line }' | sed 's/ \\ / /' >"$tmp/commands"
n=$(grep -c . "$tmp/commands")
[ "$n" -ge 8 ] || { echo "FAIL: only $n commands found in EXAMPLES"; exit 1; }
while IFS= read -r cmd; do
    run=$(printf '%s\n' "$cmd" | sed "s|^tcpsim|\"$tcpsim\"|; s|trace\\.pcap|$src/samples/concurrent.pcap|g;
        s|443|5555|g; s|/usr/share/tcpsim/scenarios|$src/samples/scenarios|g")
    case $cmd in
    *" -i "*) run="$run --help" ;; # parse only
    esac
    if (cd "$tmp" && eval "$run" >"$tmp/out" 2>"$tmp/err") && [ -s "$tmp/out" ]; then
        echo "ok: $cmd"
    else
        echo "FAIL: $cmd: $(head -c 300 "$tmp/err")"
        fail=1
    fi
done <"$tmp/commands"
exit $fail
