#!/bin/sh
# quickstart.sh - the README's first command: installs what is missing, builds, and runs the
# main job, `tcpsim --scenario handshake`, printing the trace and writing handshake.png.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh build
./build/tcpsim --scenario handshake -o handshake.png
echo "wrote handshake.png" >&2
