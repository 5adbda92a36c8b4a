#!/bin/sh
# test.sh - the README's second command: installs what is missing, builds, and runs every test.
#   scripts/test.sh             normal build in ./build
#   scripts/test.sh --sanitize  AddressSanitizer + UndefinedBehaviorSanitizer build in ./build-asan
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test
if [ "${1:-}" = "--sanitize" ]; then
    dir=build-asan
    scripts/build.sh "$dir" -DTCPSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp"
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
    dir=build
    scripts/build.sh "$dir"
fi
cd "$dir"
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
