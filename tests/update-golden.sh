#!/bin/sh
# update-golden.sh [BUILD_DIR] - rewrites tests/golden/*.jsonl from the current build.  Run it
# only after reviewing why a golden trace changed, and commit the new files with that reason.
set -eu
cd "$(dirname "$0")/.."
tcpsim=${1:-build}/tcpsim
for name in $("$tcpsim" --list-scenarios | awk '{print $1}'); do
    "$tcpsim" --scenario "$name" --json >"tests/golden/$name.jsonl"
done
ls tests/golden
