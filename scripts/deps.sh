#!/bin/sh
# deps.sh - installs the Debian 12 packages tcpsim needs that are missing.
#   scripts/deps.sh build   packages to build and run tcpsim
#   scripts/deps.sh test    the above plus what the test suite and CI use
# Runs apt-get as root, or through sudo when not root.  Installs nothing that is already there.
set -eu

BUILD_PKGS="gcc make cmake pkg-config libpcap-dev libcairo2-dev libcmocka-dev"
TEST_PKGS="$BUILD_PKGS tcpdump tshark nftables iproute2 ethtool poppler-utils valgrind clang libclang-rt-14-dev jq"
# tests/install: man -l, the completion's helpers, cpack's dpkg-shlibdeps (dpkg-dev) and file
TEST_PKGS="$TEST_PKGS man-db bash-completion dpkg-dev file"
# tests/browser: the explorer page in Debian's chromium, driven by playwright-core from npm
# (node and npm: Debian's nodejs and npm, unless a node with its npm is installed already)
TEST_PKGS="$TEST_PKGS chromium"

case "${1:-build}" in
build) want=$BUILD_PKGS ;;
test) want=$TEST_PKGS ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    echo "installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
fi

# playwright-core for tests/browser, as pinned by its package-lock.json (npm registry; it
# downloads no browser: the test drives Debian's chromium)
browser_dir=$(dirname "$0")/../tests/browser
if [ "${1:-build}" = test ] && [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
    echo "installing: playwright-core (npm ci in tests/browser)" >&2
    (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) >&2
fi
