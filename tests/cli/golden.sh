#!/bin/sh
# golden.sh TCPSIM GOLDEN_DIR NAME - runs built-in scenario NAME and compares its JSON trace with
# the stored golden trace GOLDEN_DIR/NAME.jsonl.  A difference fails the test and prints the
# first differing lines; tests/update-golden.sh rewrites the golden files after a reviewed change.
set -eu
tcpsim=$1 dir=$2 name=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$tcpsim" --scenario "$name" --json >"$out"
if ! cmp -s "$out" "$dir/$name.jsonl"; then
    echo "golden trace of scenario '$name' differs (< golden, > now):"
    diff "$dir/$name.jsonl" "$out" | head -20
    exit 1
fi
echo "scenario $name: $(wc -l <"$out") events match the golden trace"
