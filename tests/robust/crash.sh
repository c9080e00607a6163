#!/bin/bash
# Durability (ARCHITECTURE.md, Invariants): 30 cycles of start, four concurrent writers,
# kill -9 at a random moment. Every acknowledged entry must be on disk,
# PRAGMA integrity_check ok, and an unacknowledged entry either whole or
# absent (crash.py checks each cycle with the sqlite3 CLI). Then a daemon
# started on the survivor serves all of it.
. "$ROBUST_DIR/lib.sh"

command -v sqlite3 >/dev/null || skip "the sqlite3 CLI is not installed (package sqlite3)"
D="$T/crash"
mkdir -m 700 "$D"
R=$(timeout 150 "$PYTHON" "$ROBUST_DIR/crash.py" "$KINDLOGD_BIN" "$D" \
    "${CRASH_CYCLES:-30}" 4 2>&1)
grep '^#' <<<"$R"
note "$(grep -v '^#' <<<"$R" | tr '\n' ' ')"
assert_eq "all ${CRASH_CYCLES:-30} kill -9 cycles ran" "${CRASH_CYCLES:-30}" \
    "$(val cycles)"
assert_eq "the daemon came up after every crash" 0 "$(val start_failures)"
assert_true "writers got acknowledgements ($(val acked))" \
    test "$(val acked)" -gt 100
assert_eq "no acknowledged entry lost" 0 "$(val lost)"
assert_eq "no unacknowledged entry half there" 0 "$(val torn)"
assert_eq "integrity_check ok after every crash" 0 "$(val bad_integrity)"
assert_eq "day counts agree with entries after every crash" 0 \
    "$(val bad_counts)"

rows=$(sqlite3 "$D/kindlog.db" \
    "SELECT count(*) FROM entries WHERE deleted_at IS NULL")
need_daemon --socket "$D/kindlogd.sock" --db "$D/kindlog.db"
run_capture kl --socket "$D/kindlogd.sock" --json list --all
assert_ok "list --all on the survivor"
assert_eq "a restarted daemon lists every surviving entry ($rows)" "$rows" \
    "$(out_total)"
stop_daemon "$DAEMON_PID" "$D/kindlogd.sock"
finish
