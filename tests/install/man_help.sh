#!/bin/sh
# man_help.sh TCPSIM MAN - `tcpsim --help` and tcpsim(1) say the same thing: the words of the
# man page's OPTIONS section, rendered at 80 columns, are those of --help from its first group
# heading to its closing lines (headings without their colon), in the same order; and the
# SYNOPSIS has --help's usage lines.  Both are made from cli/cli_optdefs.c, so a difference
# means that a generator mangled a word (troff escapes, a lost entry) or that the page is stale.
# Also: every --help line fits in 79 columns, and every option --help shows is accepted.
set -u
tcpsim=$1 man=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
words() { tr -s ' \t' '\n\n' | sed '/^$/d'; }

"$tcpsim" --help >"$tmp/help" || bad "--help exits $?"
LC_ALL=C MANWIDTH=80 man -l "$man" >"$tmp/man" 2>/dev/null || bad "man -l $man failed"

# OPTIONS: --help from the first heading ("What to run:") to the line before "Exit status:"
awk '/^[A-Z][A-Za-z ]*:$/ { on = 1 } /^Exit status:/ { on = 0 } on' "$tmp/help" |
    sed 's/^\([A-Z][A-Za-z ]*\):$/\1/' | words >"$tmp/help.opts"
sed -n '/^OPTIONS$/,/^SCENARIO FILES$/p' "$tmp/man" | sed '1d;$d' | words >"$tmp/man.opts"
n=$(wc -l <"$tmp/help.opts")
[ "$n" -gt 500 ] || bad "only $n words of options in --help"
if cmp -s "$tmp/help.opts" "$tmp/man.opts"; then
    echo "ok: OPTIONS of tcpsim(1) = --help, $n words"
else
    bad "OPTIONS of tcpsim(1) and --help differ (< --help, > man):"
    diff "$tmp/help.opts" "$tmp/man.opts" | head -20
fi

# SYNOPSIS: the usage lines
sed -n '1,/^$/p' "$tmp/help" | sed 's/^usage://' | words >"$tmp/help.syn"
sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' "$tmp/man" | sed '1d;$d' | words >"$tmp/man.syn"
if cmp -s "$tmp/help.syn" "$tmp/man.syn"; then
    echo "ok: SYNOPSIS of tcpsim(1) = the usage lines of --help, $(wc -l <"$tmp/help.syn") words"
else
    bad "SYNOPSIS and the usage lines differ (< --help, > man):"
    diff "$tmp/help.syn" "$tmp/man.syn" | head -10
fi

# the entries as such: as many option tags in the man page as option lines in --help
nh=$(grep -c '^  -' "$tmp/help")
nm=$(sed -n '/^OPTIONS$/,/^SCENARIO FILES$/p' "$tmp/man" | grep -c '^       -')
[ "$nh" -eq "$nm" ] || bad "$nh options in --help, $nm in the man page"
[ "$nh" -ge 50 ] || bad "only $nh options in --help"

long=$(awk 'length > 79' "$tmp/help" | head -3)
[ -z "$long" ] || bad "--help lines longer than 79 columns: $long"

# every long option --help shows is one getopt knows (a value that is wrong for it is fine:
# what must not come back is "unknown option")
grep -o '^  \(-[a-zA-Z], \)\{0,1\}--[a-z-]*' "$tmp/help" | sed 's/.*--/--/' | while read -r opt; do
    if "$tcpsim" "$opt" 2>&1 </dev/null | grep -q "unknown option"; then
        echo "FAIL: --help shows $opt, which tcpsim does not accept"
        exit 1
    fi
done || fail=1
[ $fail -eq 0 ] && echo "ok: $nh options, each in --help, in tcpsim(1) and accepted"
exit $fail
