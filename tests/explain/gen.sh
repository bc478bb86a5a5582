#!/bin/sh
# gen.sh — run one explain case: sh tests/explain/gen.sh NAME
set -e
args=tests/explain/$1.args
set --
while IFS= read -r a; do set -- "$@" "$a"; done <"$args"
exec ${TIES:-build/ties} explain --no-color "$@"
