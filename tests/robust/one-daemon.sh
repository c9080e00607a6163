#!/bin/bash
# One daemon per database (kindlogd(1) DATABASE LOCK): a second
# kindlogd on the same database refuses whatever its socket, naming the
# first, and touches neither the database nor a socket; the first goes on
# serving. The lock of a daemon that died is taken over, a symlink to the
# database is the same database, a client autostarting on a mistyped
# socket gets the refusal in the daemon's log, and in a read-only
# directory (a tmpfs remounted read-only, so root only) the daemon still
# starts, creates nothing and still refuses a second one.
. "$ROBUST_DIR/lib.sh"

DB="$XDG_DATA_HOME/kindlog/kindlog.db"
OTHER="$T/other/kindlogd.sock"
mkdir -m 700 "$T/other"

# Start kindlogd expecting a refusal within 10 s; RC and ERR (stderr).
refused() {	# ARGS...
	local pid
	"$KINDLOGD_BIN" "$@" >"$T/refused.out" 2>"$T/refused.err" &
	pid=$!
	DAEMON_PIDS+=("$pid")
	if ! wait_child "$pid" 10; then
		kill -TERM "$pid"
		wait_child "$pid" 5
	fi
	RC=$WAIT_RC
	ERR=$(cat "$T/refused.err")
}

# The database, its WAL and its lock: names, sizes and contents. (Not the
# -shm: the first daemon's own reads may touch it.)
db_files() {
	local f
	for f in "$DB" "$DB-wal" "$DB.lock"; do
		[ -e "$f" ] && echo "$f $(stat -c %s "$f") $(sha256sum <"$f")"
	done
}

need_daemon
FIRST=$DAEMON_PID
run_capture kl --json add "before the second daemon"
assert_ok "the first daemon takes an add"
assert_eq "the lock file is 0600" 600 "$(stat -c %a "$DB.lock")"
assert_eq "… and names the daemon's pid and socket" "$FIRST $SOCK" \
    "$(tr '\n' ' ' <"$DB.lock" | sed 's/ $//')"
BEFORE=$(db_files)

# ------------------------------------- same database, another socket
refused --db "$DB" --socket "$OTHER"
assert_eq "a second daemon on the same database exits 1" 1 "$RC"
assert_eq "… with one line naming the database and the first daemon" \
    "kindlogd: $DB is in use by kindlogd (pid $FIRST, socket $SOCK)" "$ERR"
assert_eq "… binding no socket and making no file next to it" "" \
    "$(ls -A "$T/other")"
assert_eq "… leaving the database and its files untouched" "$BEFORE" \
    "$(db_files)"
assert_true "the first daemon is still running" pid_alive "$FIRST"
run_capture kl --json status
assert_eq "… and still serves" "$FIRST" "$(jq_py "$OUT" 'd["pid"]')"

# The same database by another name, and with the default socket too.
ln -s "$XDG_DATA_HOME/kindlog" "$T/data-link"
refused --db "$T/data-link/kindlog.db" --socket "$OTHER"
assert_eq "through a symlinked directory it is the same database" \
    "kindlogd: $T/data-link/kindlog.db is in use by kindlogd (pid $FIRST, socket $SOCK)" \
    "$ERR"
refused
assert_eq "the same socket too: the database is named first" \
    "kindlogd: $DB is in use by kindlogd (pid $FIRST, socket $SOCK)" "$ERR"
assert_true "the first daemon's socket is still there" test -S "$SOCK"

# A client autostarting on a mistyped socket starts a daemon that refuses
# into its log; no second daemon serves the database.
LOG="$XDG_STATE_HOME/kindlog/kindlogd.log"
run_capture "$KINDLOG_BIN" --socket "$XDG_RUNTIME_DIR/typo/kindlogd.sock" \
    add "through a mistyped socket"
assert_ne "a client autostarting on another socket fails" 0 "$RC"
assert_contains "… and shows the daemon's refusal itself" "$ERR" \
    "$DB is in use by kindlogd (pid $FIRST, socket $SOCK)"
assert_contains "… and says the entry was not stored" "$ERR" \
    "the entry was not stored"
assert_contains "the started daemon's refusal is in its log" \
    "$(cat "$LOG" 2>&1)" \
    "kindlogd: $DB is in use by kindlogd (pid $FIRST, socket $SOCK)"
assert_eq "… and nothing was added" 1 \
    "$(jq_py "$(kl --json list --all)" 'd["total"]')"
assert_eq "… and only the first daemon runs" "$FIRST" "$(our_daemons)"

# ------------------------------- after the first exits, or is killed
stop_daemon "$FIRST"
need_daemon --socket "$OTHER"
assert_eq "after SIGTERM a new daemon starts, on another socket" \
    "$DAEMON_PID $OTHER" "$(tr '\n' ' ' <"$DB.lock" | sed 's/ $//')"
kill -KILL "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
need_daemon --socket "$OTHER"
assert_true "after kill -9 the lock file left behind is taken over" \
    pid_alive "$DAEMON_PID"
run_capture kl --socket "$OTHER" --json list --all
assert_eq "… serving the same database" 1 "$(out_total)"
stop_daemon "$DAEMON_PID" "$OTHER"
assert_true "the lock file stays (it is locked, never removed)" \
    test -f "$DB.lock"

# ----------------------------------------------- read-only directory
if tmpfs_mount 1m; then
	cp "$DB" "$MNT/kindlog.db"
	mount -o remount,ro "$MNT"
	need_daemon --db "$MNT/kindlog.db"
	assert_contains "read-only, no lock file: the daemon starts read-only" \
	    "$(cat "$DAEMON_LOG")" "(read-only)"
	assert_contains "… saying it locks the database itself" \
	    "$(cat "$DAEMON_LOG")" "locking the database itself"
	assert_eq "… and serves reads" 1 \
	    "$(jq_py "$(kl --json list --all)" 'd["total"]')"
	refused --db "$MNT/kindlog.db" --socket "$OTHER"
	assert_eq "… a second daemon there still refuses" \
	    "kindlogd: $MNT/kindlog.db is in use by another kindlogd" "$ERR"
	assert_eq "… nothing was created in the directory" "kindlog.db" \
	    "$(ls -A "$MNT")"
	stop_daemon

	# A lock file made while it was writable is locked read-only; the
	# daemon before cannot be named, as its record is stale.
	mount -o remount,rw "$MNT"
	need_daemon --db "$MNT/kindlog.db"
	OLD=$DAEMON_PID
	stop_daemon
	mount -o remount,ro "$MNT"
	need_daemon --db "$MNT/kindlog.db"
	refused --db "$MNT/kindlog.db" --socket "$OTHER"
	assert_eq "read-only lock file: a second daemon refuses, not naming the one before (pid $OLD)" \
	    "kindlogd: $MNT/kindlog.db is in use by another kindlogd" "$ERR"
	stop_daemon
	tmpfs_unmount
else
	note "SKIP read-only directory: needs root and a tmpfs mount"
fi
finish
