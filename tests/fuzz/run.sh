#!/bin/bash
# usage: run.sh HARNESS CORPUS-DIR [FLAGS...]
# Run a fuzz harness over a corpus without writing into it: libFuzzer
# stores what it finds in the first directory it is given, so that is a
# scratch directory here. libFuzzer's last line ("Done N runs in S
# second(s)") gives the executions reached.
set -u
harness=$1 corpus=$2
shift 2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-fuzz-new.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
"$harness" "$@" "$scratch" "$corpus"
rc=$?
# libFuzzer reports a crash with exit 77, which meson would count as a
# skip: any failure is a failure here.
[ "$rc" -eq 0 ] || exit 1
