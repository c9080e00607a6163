#!/bin/bash
# Backups (kindlogd(1) BACKUPS): the daily one at startup,
# kindlog backup, keeping the newest N, and the documented restore
# procedure bringing a deleted or damaged database back.
. "$ROBUST_DIR/lib.sh"

command -v sqlite3 >/dev/null || skip "the sqlite3 CLI is not installed (package sqlite3)"
DATA="$XDG_DATA_HOME/kindlog"
BK="$DATA/backups"
mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[storage]\nbackups = 2\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"

need_daemon
TODAY=$(daemon_today)
wait_for 5 test -e "$BK/kindlog-$TODAY.db"
assert_true "the daily backup is made at startup" test -e "$BK/kindlog-$TODAY.db"
assert_eq "… mode 0600" 600 "$(stat -c %a "$BK/kindlog-$TODAY.db")"
assert_eq "… in a 0700 directory" 700 "$(stat -c %a "$BK")"
assert_contains "… logged" "$(cat "$DAEMON_LOG")" "backup $BK/kindlog-$TODAY.db"

for i in 1 2 3 4 5; do kl add "kept safe $i" >/dev/null; done
run_capture kl backup
assert_ok "kindlog backup"
assert_eq "… prints where" "Backed up to $BK/kindlog-$TODAY.db" "$OUT"
run_capture kl --json backup
assert_eq "--json gives the path" "$BK/kindlog-$TODAY.db" \
    "$(jq_py "$OUT" 'd["path"]')"
assert_eq "the backup holds the entries" 5 \
    "$(sqlite3 "$BK/kindlog-$TODAY.db" 'SELECT count(*) FROM entries')"
assert_eq "the backup passes integrity_check" ok \
    "$(sqlite3 "$BK/kindlog-$TODAY.db" 'PRAGMA integrity_check')"
assert_true "no temporary file is left" test ! -e "$BK/kindlog-$TODAY.db.tmp"

# Keep the newest 2: older files go, others' files stay.
for d in 2020-01-01 2020-01-02 2020-01-03; do
	cp "$BK/kindlog-$TODAY.db" "$BK/kindlog-$d.db"
done
touch "$BK/notes.txt"
kl backup >/dev/null
assert_eq "backups = 2 keeps the newest two" \
    "kindlog-2020-01-03.db kindlog-$TODAY.db notes.txt" \
    "$(cd "$BK" && ls | sort | tr '\n' ' ' | sed 's/ $//')"

# Restore, as kindlogd(1) says: the database is damaged, the daemon
# refuses it; stop, move it aside, drop -wal/-shm, copy the backup in.
stop_daemon
kl_count() { sqlite3 "$DATA/kindlog.db" 'SELECT count(*) FROM entries'; }
head -c 20000 /dev/urandom >"$DATA/kindlog.db"
run_capture timeout 10 "$KINDLOGD_BIN"
assert_rc "a damaged database is refused" 1
mv "$DATA/kindlog.db" "$DATA/kindlog.db.broken"
rm -f "$DATA/kindlog.db-wal" "$DATA/kindlog.db-shm"
cp "$BK/kindlog-$TODAY.db" "$DATA/kindlog.db"
chmod 600 "$DATA/kindlog.db"
need_daemon
run_capture kl --json list --all
assert_eq "after the restore the entries are back" 5 "$(out_total)"
run_capture kl add "after the restore"
assert_ok "and the restored database takes writes"
stop_daemon

# A deleted database comes back the same way.
rm -f "$DATA"/kindlog.db*
cp "$BK/kindlog-$TODAY.db" "$DATA/kindlog.db"
need_daemon
run_capture kl --json list --all
assert_eq "a deleted database restored from the backup" 5 "$(out_total)"
stop_daemon

# backups = 0: none made.
printf '[storage]\nbackups = 0\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
rm -rf "$BK"
need_daemon
sleep 0.5
assert_true "backups = 0: no daily backup" test ! -e "$BK/kindlog-$TODAY.db"
stop_daemon
finish
