#!/bin/bash
# completion.sh TCPSIM COMPLETION - the bash completion loads (with bash-completion, as bash
# loads it from its completions directory) and completes what it promises: the options --help
# shows (exactly those), the built-in scenario names that TCPSIM --list-scenarios prints, capture
# files by extension after -r, scenario files after --scenario-file, diagram files after -o,
# interfaces after -i, and an option's words after --profile.
set -u
tcpsim=$(realpath "$1") completion=$(realpath "$2")
fail=0
bad() { echo "FAIL: $*"; fail=1; }
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "FAIL: $bc missing (scripts/deps.sh test installs bash-completion)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash -n "$completion" || { bad "$completion is not valid bash"; exit 1; }

# complete WORDS...: what bash would offer for the last word of "tcpsim WORDS...", one per line
cat >"$tmp/run.bash" <<'EOS'
source "$BC" >/dev/null 2>&1
source "$COMPLETION" || exit 3
complete -p tcpsim >/dev/null 2>&1 || { echo "no completion registered for tcpsim"; exit 3; }
COMP_WORDS=("$TCPSIM" "$@")
COMP_CWORD=$#
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_tcpsim "$TCPSIM" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}" | sort
EOS
complete() { (cd "$tmp/files" && BC=$bc COMPLETION=$completion TCPSIM=$tcpsim bash "$tmp/run.bash" "$@"); }
expect() { # expect "WANTED LINES" WORDS...
    want=$1
    shift
    got=$(complete "$@" | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$want" ]; then
        echo "ok: tcpsim $* <TAB> -> $got"
    else
        bad "tcpsim $* <TAB> offers '$got', expected '$want'"
    fi
}
mkdir -p "$tmp/files/sub"
touch "$tmp/files/a.pcap" "$tmp/files/b.pcapng" "$tmp/files/c.txt" "$tmp/files/d.tcpsim" \
    "$tmp/files/e.png" "$tmp/files/f.svg" "$tmp/files/old.cap"

# options: exactly what --help shows
"$tcpsim" --help | grep '^  -' | sed 's/^  //; s/  .*//; s/ [^-][^ ]*$//; s/ [A-Z][^ ]*$//' |
    tr -d ',' | tr ' ' '\n' | grep '^-' | sort >"$tmp/help.opts"
complete - >"$tmp/comp.opts"
if [ -s "$tmp/help.opts" ] && cmp -s "$tmp/help.opts" "$tmp/comp.opts"; then
    echo "ok: tcpsim -<TAB> offers the $(wc -l <"$tmp/comp.opts") options of --help"
else
    bad "tcpsim -<TAB> and --help differ (< --help, > completion):"
    diff "$tmp/help.opts" "$tmp/comp.opts" | head
fi
expect "--pcap --pcap-link" --pca
expect "--scenario --scenario-file" --scen
expect "--verbose --version" --ver

# scenario names, from the binary being completed
expect "handshake" --scenario hands
expect "halfclose handshake" --scenario ha
names=$("$tcpsim" --list-scenarios | awk '{print $1}' | sort | tr '\n' ' ')
expect "$(printf '%s\n' $names all | sort | tr '\n' ' ' | sed 's/ $//')" --scenario ''
expect "all" -o out/ --scenario a

# files by extension (directories too, to walk into)
expect "a.pcap b.pcapng old.cap sub" -r ''
expect "a.pcap b.pcapng old.cap sub" --pcap ''
expect "a.pcap" -nr a
expect "a.pcap" -qnr a
expect "" -fr a
expect "a.pcap" --pcap=a
expect "d.tcpsim sub" --scenario-file ''
expect "e.png f.svg sub" --scenario loss -o ''
expect "a.pcap sub" --scenario loss -w ''

# words and interfaces
expect "linux rfc" --scenario loss --profile ''
expect "ladder tseq" --graph ''
expect "client server" --vantage ''
if complete -i '' | grep -qx lo; then
    echo "ok: tcpsim -i <TAB> offers lo"
else
    bad "tcpsim -i <TAB> does not offer lo"
fi
# a value with nothing to offer (a duration) offers nothing, not options
expect "" --rtt ''
# after a complete value, options again
expect "--summary" -r a.pcap --summ
exit $fail
