#!/bin/sh
# man_page.sh MAN MAN.gz - the man page renders without a warning (MANWIDTH=80 man --warnings -l,
# in the C and the UTF-8 locale), in lines of at most 80 columns, has the sections a man page
# must have in the usual order, a NAME line that whatis/apropos can index (lexgrog), and the
# compressed copy that is installed renders the same.
set -u
man=$1 gz=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v man >/dev/null || { bad "man is not installed (scripts/deps.sh test installs man-db)"; exit 1; }

for loc in C C.UTF-8; do
    LC_ALL=$loc MANWIDTH=80 man --warnings -l "$man" >"$tmp/out.$loc" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || bad "man -l exits $rc in locale $loc"
    if [ -s "$tmp/err" ]; then
        bad "man --warnings in locale $loc:"
        head -10 "$tmp/err"
    fi
done
out=$tmp/out.C
n=$(wc -l <"$out")
[ "$n" -gt 100 ] || bad "the page renders to only $n lines"
long=$(awk 'length > 80' "$out" | head -3)
[ -z "$long" ] || bad "lines longer than 80 columns: $long"

# the sections, in this order
grep '^[A-Z][A-Z ]*$' "$out" >"$tmp/sections"
want="NAME SYNOPSIS DESCRIPTION OPTIONS SCENARIO FILES OUTPUT EXIT STATUS FILES EXAMPLES SEE ALSO"
got=$(tr '\n' ' ' <"$tmp/sections" | sed 's/ $//')
[ "$got" = "$want" ] || bad "sections are '$got', expected '$want'"
for ref in 'tcpdump(8)' 'tshark(1)'; do
    sed -n '/^SEE ALSO$/,$p' "$out" | grep -qF "$ref" || bad "SEE ALSO does not name $ref"
done
# every built-in scenario is described
for name in handshake loss backoff synloss zerowindow; do
    sed -n '/^SCENARIO FILES$/,/^OUTPUT$/p' "$out" | grep -q "^       $name" ||
        bad "SCENARIO FILES does not list $name"
done

# whatis/apropos index the NAME line: "tcpsim - ..."
if command -v lexgrog >/dev/null; then
    lex=$(lexgrog "$man")
    case $lex in
    *'"tcpsim - simulate'*) echo "ok: lexgrog: $lex" ;;
    *) bad "lexgrog cannot parse the NAME section: $lex" ;;
    esac
fi

# the installed, compressed page is the same page
LC_ALL=C MANWIDTH=80 man -l "$gz" >"$tmp/gz.txt" 2>&1
cmp -s "$out" "$tmp/gz.txt" || bad "$gz does not render like $man"
gzip -dc "$gz" | cmp -s - "$man" || bad "$gz is not $man compressed"

[ $fail -eq 0 ] && echo "ok: tcpsim(1): $n lines at 80 columns, no warnings, sections: $got"
exit $fail
