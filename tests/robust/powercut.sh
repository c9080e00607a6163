#!/bin/bash
# Durability (ARCHITECTURE.md, Invariants): 30 power cuts, each at a random sync of the
# database, its WAL or their directory, under four concurrent writers.
# The shim (powercut.c, LD_PRELOAD) writes the disk as the cut left it,
# every unsynced write a random subset of its sectors; powercut.py puts
# that image in place, starts a fresh kindlogd on it and checks it with
# the sqlite3 CLI: every acknowledged entry there exactly once, an
# unacknowledged one whole or absent, integrity_check ok; the fresh daemon
# lists them all and takes an add.
# POWERCUT_SEED=N repeats a run's choices (printed as "seed").
. "$ROBUST_DIR/lib.sh"

: "${POWERCUT_SHIM:?POWERCUT_SHIM must name the powercut shim}"
command -v sqlite3 >/dev/null ||
	skip "the sqlite3 CLI is not installed (package sqlite3)"
D="$T/powercut"
mkdir -m 700 "$D"
cycles=${POWERCUT_CYCLES:-30}
R=$(timeout 220 "$PYTHON" "$ROBUST_DIR/powercut.py" "$KINDLOGD_BIN" \
    "$POWERCUT_SHIM" "$D" "$cycles" 4 2>&1)
grep '^#' <<<"$R"
note "$(grep -v '^#' <<<"$R" | tr '\n' ' ')"
assert_eq "all $cycles cycles ran" "$cycles" "$(val cycles)"
assert_eq "every cycle was cut and left a crash image" "$cycles" \
    "$(($(val cut_startup) + $(val cut_writing)))"
landed="$(val landed_sectors) of $(val unsynced_sectors)"
assert_true "cuts tore unsynced writes ($landed sectors landed)" \
    test "$(val landed_sectors)" -gt 0 -a \
    "$(val landed_sectors)" -lt "$(val unsynced_sectors)"
assert_true "writers got acknowledgements ($(val acked))" \
    test "$(val acked)" -gt 100
assert_eq "the daemon came up after every cut" 0 "$(val start_failures)"
assert_eq "no acknowledged entry lost" 0 "$(val lost)"
assert_eq "no acknowledged entry twice" 0 "$(val duplicated)"
assert_eq "no unacknowledged entry half there" 0 "$(val torn)"
assert_eq "integrity_check ok after every cut" 0 "$(val bad_integrity)"
assert_eq "day counts agree with entries after every cut" 0 \
    "$(val bad_counts)"
assert_eq "the recovered daemon listed every entry after every cut" 0 \
    "$(val bad_list)"
assert_eq "the recovered daemon took an add after every cut" 0 \
    "$(val probe_failures)"
finish
