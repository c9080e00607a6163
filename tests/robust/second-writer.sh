#!/bin/bash
# A second writer does no harm (issue 17): while four clients and the real
# `kindlog add` add entries, two sqlite3 CLI processes on the same database
# file read them, write a table of their own and run wal_checkpoint in
# every mode (second-writer.py). Every acknowledged add must be visible to
# them at once and in the file afterwards, their committed rows must be
# there and their rolled-back ones not, integrity_check ok, and kindlogd
# still serving, then starting again on the file.
. "$ROBUST_DIR/lib.sh"

command -v sqlite3 >/dev/null ||
    skip "the sqlite3 CLI is not installed (package sqlite3)"
DB="$XDG_DATA_HOME/kindlog/kindlog.db"
CLIENTS=4
ROUNDS=${SECOND_WRITER_ROUNDS:-24}

need_daemon
R=$(timeout 150 "$PYTHON" "$ROBUST_DIR/second-writer.py" "$SOCK" "$DB" \
    "$KINDLOG_BIN" "$CLIENTS" "$ROUNDS" "$T" 2>&1)
grep '^#' <<<"$R"
note "$(grep -v '^#' <<<"$R" | tr '\n' ' ')"
ACKED=$(val acked)
assert_eq "the sqlite3 CLI went all $ROUNDS rounds beside the adds" \
    "$ROUNDS" "$(val rounds)"
assert_true "the clients' adds were acknowledged ($ACKED)" \
    test "${ACKED:-0}" -ge $(((CLIENTS + 1) * 20))
assert_eq "no add failed beside the second writer" 0 "$(val add_errors)"
assert_eq "the sqlite3 CLI had no error" True "$(val outsider_ok)"
assert_eq "… and said nothing on stderr" "" "$(cat "$T/sqlite3.err")"
assert_eq "every acknowledged add was visible to it at once ($(val reads) reads)" \
    0 "$(val missing)"
for mode in PASSIVE FULL RESTART TRUNCATE; do
	assert_true "wal_checkpoint($mode) completed, at the latest once the adds stopped ($(val "checkpoints_$mode") times, busy $(val "busy_$mode"))" \
	    test "$(val "checkpoints_$mode")" -ge 1
done

# kindlogd is still serving, and nothing of it is lost.
run_capture kl --json add "after the second writer"
assert_ok "kindlogd still takes adds"
run_capture kl --json list --all
assert_eq "it lists every acknowledged add and the last one" \
    $((ACKED + 1)) "$(out_total)"
assert_eq "integrity_check with the daemon running" ok \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

# The file, after the daemon has closed it.
stop_daemon
sort -o "$T/acked" "$T/acked"
assert_eq "integrity_check after the daemon stopped" ok \
    "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
sqlite3 -separator "$(printf '\t')" "$DB" \
    "SELECT uuid, text FROM entries WHERE deleted_at IS NULL" |
    sort >"$T/stored"
assert_eq "every acknowledged add is in the file, text and all" "" \
    "$(comm -23 "$T/acked" "$T/stored" | head -n3)"
assert_eq "and nothing else but the last one" "after the second writer" \
    "$(comm -13 "$T/acked" "$T/stored" | cut -f2)"
assert_eq "the second writer's committed rows are all there" \
    "$(val outsider_rows)" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM outsider WHERE note <> 'rolled back'")"
assert_eq "… and its rolled-back ones are not" 0 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM outsider WHERE note = 'rolled back'")"
assert_eq "day counts agree with the entries" "" \
    "$(sqlite3 "$DB" "SELECT day FROM (SELECT day, count(*) AS n FROM
        entries WHERE deleted_at IS NULL GROUP BY day) e
        FULL JOIN day_counts c USING (day) WHERE e.n IS NOT c.n")"

need_daemon
run_capture kl --json list --all
assert_eq "a daemon started on the file serves all of it" \
    $((ACKED + 1)) "$(out_total)"
stop_daemon
finish
