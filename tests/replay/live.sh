#!/bin/sh
# live.sh REPLAY_CHECK SAMPLES_DIR - makes fresh captures of the real Linux TCP stack with
# samples/make-samples.sh (network namespaces, nftables drops) and checks that the replay agrees
# with the kernel's counters and TIME-WAIT table for each.  Needs root and network namespaces;
# without them it says why and exits 77 (skipped).
set -u
check=$1 samples=$2
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: the live kernel test needs root (network namespaces, tcpdump, nftables)"
    exit 77
fi
for tool in ip ethtool tcpdump tshark nft nstat ss capinfos taskset cc; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "skipped: '$tool' is not installed"
        exit 77
    fi
done
probe=tcpsim-probe-$$
if ! ip netns add "$probe" 2>/dev/null; then
    echo "skipped: cannot create a network namespace here"
    exit 77
fi
ip netns del "$probe"
out=$(mktemp -d /tmp/tcpsim-live.XXXXXX)
trap 'rm -rf "$out"' EXIT
names="clean loss synloss refused serverclose halfclose ipv6 concurrent finloss lastackloss zerowindow"
# shellcheck disable=SC2086
if ! "$samples/make-samples.sh" "$out" $names >"$out/make.log" 2>&1; then
    echo "make-samples.sh failed:"
    tail -20 "$out/make.log"
    exit 1
fi
# shellcheck disable=SC2086
if ! "$check" "$out" $names; then
    # keep the captures that the replay got wrong, to be looked at (and kept as samples)
    kept=$(mktemp -d /tmp/tcpsim-live-failed.XXXXXX)
    cp "$out"/*.pcap "$out"/*.nstat "$out"/*.ss "$kept"/
    echo "the captures are kept in $kept"
    exit 1
fi
