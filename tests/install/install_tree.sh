#!/bin/sh
# install_tree.sh BUILD SOURCE BINDIR MANDIR DATADIR DOCDIR - installs the build twice, with
# `cmake --install BUILD --prefix /usr/local` into a temporary DESTDIR and with --prefix set to a
# temporary directory, and checks that both trees hold exactly the files cmake/install.cmake
# promises, in the GNUInstallDirs directories given (relative: bin, share/man, share,
# share/doc/tcpsim); then runs the installed binary on an installed scenario file and an
# installed capture.
set -u
build=$1 src=$2 bindir=$3 mandir=$4 datadir=$5 docdir=$6
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

DESTDIR=$tmp/dest cmake --install "$build" --prefix /usr/local >"$tmp/log1" 2>&1 ||
    { cat "$tmp/log1"; bad "cmake --install with DESTDIR failed"; exit 1; }
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/log2" 2>&1 ||
    { cat "$tmp/log2"; bad "cmake --install --prefix failed"; exit 1; }

# what must be there, relative to the prefix
{
    echo "$bindir/tcpsim"
    echo "$mandir/man1/tcpsim.1.gz"
    echo "$datadir/bash-completion/completions/tcpsim"
    echo "$docdir/README.md"
    for f in "$src"/docs/*.md; do echo "$docdir/docs/${f##*/}"; done
    for f in handshake loss close; do echo "$docdir/docs/diagrams/$f.png"; done
    echo "$datadir/tcpsim/scenarios/README.md"
    "$build/tcpsim" --list-scenarios | while read -r name _; do
        echo "$datadir/tcpsim/scenarios/$name.tcpsim"
    done
    for f in "$src"/samples/scenarios/examples/*.tcpsim; do
        echo "$datadir/tcpsim/scenarios/examples/${f##*/}"
    done
    echo "$datadir/tcpsim/samples/README.md"
    for f in "$src"/samples/*.pcap "$src"/samples/*.nstat "$src"/samples/*.ss; do
        echo "$datadir/tcpsim/samples/${f##*/}"
    done
} | sort >"$tmp/want"
[ "$(grep -c '\.pcap$' "$tmp/want")" -ge 10 ] || bad "fewer than 10 sample captures expected"
[ "$(grep -c 'scenarios/[a-z-]*\.tcpsim$' "$tmp/want")" -eq 24 ] ||
    bad "expected the 24 built-in scenario files"

for root in "$tmp/dest/usr/local" "$tmp/prefix"; do
    (cd "$root" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$tmp/got"
    if ! cmp -s "$tmp/want" "$tmp/got"; then
        bad "installed files under $root differ (< promised, > installed):"
        diff "$tmp/want" "$tmp/got" | grep '^[<>]' | head -20
    else
        echo "ok: $(wc -l <"$tmp/got") files under ${root#"$tmp"/}, each where promised"
    fi
done
[ -d "$tmp/dest/usr/local" ] && [ "$(ls "$tmp/dest")" = usr ] ||
    bad "DESTDIR holds something besides usr/local"

p=$tmp/dest/usr/local
[ -x "$p/$bindir/tcpsim" ] || bad "$bindir/tcpsim is not executable"
for f in "$p/$mandir/man1/tcpsim.1.gz" "$p/$datadir/bash-completion/completions/tcpsim" \
    "$p/$docdir/README.md"; do
    perms=$(stat -c %a "$f")
    [ "$perms" = 644 ] || bad "$f has mode $perms, expected 644"
done
gzip -t "$p/$mandir/man1/tcpsim.1.gz" || bad "the man page is not a valid gzip file"
"$p/$bindir/tcpsim" --version | grep -q '^tcpsim [0-9]' || bad "the installed tcpsim does not run"
# an installed scenario file plays the same as the built-in it is the source of
for name in handshake loss; do
    "$p/$bindir/tcpsim" --scenario "$name" --json >"$tmp/builtin.jsonl"
    "$p/$bindir/tcpsim" --scenario-file "$p/$datadir/tcpsim/scenarios/$name.tcpsim" --json \
        >"$tmp/file.jsonl" 2>"$tmp/err" || bad "installed $name.tcpsim does not run: $(cat "$tmp/err")"
    cmp -s "$tmp/builtin.jsonl" "$tmp/file.jsonl" ||
        bad "installed $name.tcpsim plays differently from --scenario $name"
done
"$p/$bindir/tcpsim" -r "$p/$datadir/tcpsim/samples/loss.pcap" --summary >"$tmp/sum" ||
    bad "the installed loss.pcap does not replay"
grep -q '^capture: 209 packets' "$tmp/sum" || bad "installed loss.pcap: $(tail -1 "$tmp/sum")"
[ $fail -eq 0 ] && echo "ok: installed tcpsim runs its installed scenario files and captures"
exit $fail
