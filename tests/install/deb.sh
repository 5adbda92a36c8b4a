#!/bin/sh
# deb.sh BUILD VERSION - `cpack -G DEB` makes tcpsim_VERSION_ARCH.deb from the build: dpkg-deb -c
# lists the binary, the man page, the completion, the scenario files and the samples, owned by
# root; dpkg-deb -I shows the project's version, a description, and the dependencies that
# dpkg-shlibdeps found (libc6, libpcap0.8, libcairo2, with versions; no -dev package); and the
# binary extracted from the package runs.  The package is built in a temporary directory, so the
# build directory keeps no package.
set -u
build=$1 version=$2
fail=0
bad() { echo "FAIL: $*"; fail=1; }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
    command -v $tool >/dev/null || { bad "$tool missing (scripts/deps.sh test installs dpkg-dev)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arch=$(dpkg --print-architecture)

if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/log" 2>&1; then
    cat "$tmp/log"
    bad "cpack -G DEB failed"
    exit 1
fi
deb=$tmp/pkg/tcpsim_${version}_$arch.deb
[ -f "$deb" ] || { bad "no $deb (made: $(ls "$tmp/pkg"))"; exit 1; }

dpkg-deb -c "$deb" >"$tmp/contents" || bad "dpkg-deb -c failed"
for f in ./usr/bin/tcpsim ./usr/share/man/man1/tcpsim.1.gz \
    ./usr/share/bash-completion/completions/tcpsim ./usr/share/doc/tcpsim/README.md \
    ./usr/share/tcpsim/scenarios/handshake.tcpsim ./usr/share/tcpsim/samples/loss.pcap; do
    grep -q " $f\$" "$tmp/contents" || bad "the package lacks $f"
done
grep -q '^-rwxr-xr-x root/root .* ./usr/bin/tcpsim$' "$tmp/contents" ||
    bad "usr/bin/tcpsim is not -rwxr-xr-x root/root: $(grep bin/tcpsim "$tmp/contents")"
others=$(awk '{print $2}' "$tmp/contents" | grep -v '^root/root$' | sort -u)
[ -z "$others" ] || bad "files not owned by root: $others"

dpkg-deb -I "$deb" >"$tmp/info" || bad "dpkg-deb -I failed"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = tcpsim ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version), expected $version"
[ "$(field Architecture)" = "$arch" ] || bad "Architecture: $(field Architecture)"
[ "$(field Section)" = net ] || bad "Section: $(field Section)"
field Description | head -1 | grep -q 'TCP state machine simulator' || bad "Description: $(field Description | head -1)"
[ "$(field Description | wc -l)" -ge 4 ] || bad "the description has no long text"
long=$(field Description | awk 'length > 80' | head -2)
[ -z "$long" ] || bad "description lines longer than 80 columns: $long"
deps=$(field Depends)
for lib in libc6 libpcap0.8 libcairo2; do
    echo "$deps" | grep -q "\\b$lib (>= [0-9]" || bad "Depends lacks $lib with a version: $deps"
done
case $deps in *-dev*) bad "Depends names a -dev package: $deps" ;; esac

# the packaged binary runs (dynamic libraries from the system), and its man page renders
dpkg-deb -x "$deb" "$tmp/root" || bad "dpkg-deb -x failed"
"$tmp/root/usr/bin/tcpsim" --version >"$tmp/version" 2>&1 || bad "packaged tcpsim --version failed"
grep -q "^tcpsim $version\$" "$tmp/version" || bad "packaged tcpsim says: $(head -1 "$tmp/version")"
"$tmp/root/usr/bin/tcpsim" --scenario handshake -q || bad "packaged tcpsim cannot run a scenario"
if command -v file >/dev/null; then
    file "$tmp/root/usr/bin/tcpsim" | grep -q ', stripped' || bad "the packaged binary is not stripped"
fi
[ $fail -eq 0 ] &&
    echo "ok: $(basename "$deb"), $(stat -c %s "$deb") bytes, $(wc -l <"$tmp/contents") entries; Depends: $deps"
exit $fail
