#!/bin/bash
# Faults (doc/security.md): a full disk, a read-only database, a damaged
# database at startup, missing directories.
#
# Disk full and read-only use a real size-limited tmpfs mounted for the
# test (ENOSPC and EROFS from the kernel, nothing simulated); that needs
# root, and without it those parts are skipped. Garbage, a SQLite header
# with garbage and a newer schema are refused in
# tests/integration/daemon.sh, as is a second daemon on the same socket;
# this adds a truncated file and the advice in the message.
. "$ROBUST_DIR/lib.sh"

# Error code of a raw add on $SOCK (the wire code, not the exit status).
add_code() {
	local reply
	reply=$(rpc_call add "{\"text\":\"$1\"}")
	jq_py "$reply" 'd["error"]["code"] if "error" in d else "ok"'
}

if tmpfs_mount 512k; then
	# ------------------------------------------------------ disk full
	need_daemon --db "$MNT/kindlog.db"
	assert_eq "a write works before the disk fills" ok "$(add_code before)"
	dd if=/dev/zero of="$MNT/filler" bs=4k status=none 2>/dev/null
	assert_eq "disk full: a write gets error 2" 2 "$(add_code "$(printf 'y%.0s' {1..3000})")"
	run_capture kl add "while full"
	assert_rc "disk full: kindlog add exits 1" 1
	assert_eq "disk full: the message says so" \
	    "kindlog: storage failure: database or disk is full" "$ERR"
	run_capture kl --json list
	assert_ok "disk full: reads keep working"
	assert_eq "disk full: what was there is listed" '["before"]' \
	    "$(jq_py "$OUT" '[e["text"] for e in d["entries"]]')"
	rm -f "$MNT/filler"
	assert_eq "space back: writes work again" ok "$(add_code after)"
	run_capture kl --json list
	assert_eq "space back: both entries, nothing half-written" \
	    '["after","before"]' \
	    "$(jq_py "$OUT" 'sorted(e["text"] for e in d["entries"])')"
	stop_daemon
	assert_eq "disk full: integrity_check afterwards" ok \
	    "$(sqlite3 "$MNT/kindlog.db" 'PRAGMA integrity_check')"

	# ------------------------------------- read-only file and directory
	mount -o remount,ro "$MNT"
	need_daemon --db "$MNT/kindlog.db"
	assert_contains "read-only: the daemon starts and says so" \
	    "$(cat "$DAEMON_LOG")" "(read-only)"
	run_capture kl --json list
	assert_eq "read-only: reads work" '["after","before"]' \
	    "$(jq_py "$OUT" 'sorted(e["text"] for e in d["entries"])')"
	assert_eq "read-only: a write gets error 2" 2 "$(add_code nope)"
	run_capture kl add nope
	assert_eq "read-only: the message says so" \
	    "kindlog: storage failure: database is read-only" "$ERR"
	stop_daemon
	tmpfs_unmount
else
	note "SKIP disk full and read-only: need root and a tmpfs mount"
fi

# ------------------------------------------------- damaged at startup
need_daemon --db "$T/good.db"
for i in $(seq 1 60); do
	rpc_call add "{\"text\":\"entry $i $(printf 'z%.0s' {1..400})\"}" >/dev/null
done
stop_daemon
size=$(stat -c %s "$T/good.db")
cp "$T/good.db" "$T/truncated.db"
truncate -s $((size / 2 / 4096 * 4096)) "$T/truncated.db"
SUM=$(sha256sum <"$T/truncated.db")
run_capture timeout 10 "$KINDLOGD_BIN" --db "$T/truncated.db"
assert_rc "a truncated database: kindlogd refuses to start" 1
assert_contains "… says what is wrong" "$ERR" "malformed"
assert_contains "… and what to do" "$ERR" "restore a backup"
assert_eq "… and leaves the file untouched" "$SUM" \
    "$(sha256sum <"$T/truncated.db")"
assert_true "… creating no -wal/-shm beside it" \
    test ! -e "$T/truncated.db-wal" -a ! -e "$T/truncated.db-shm"
head -c 8192 /dev/urandom >"$T/garbage.db"
run_capture timeout 10 "$KINDLOGD_BIN" --db "$T/garbage.db"
assert_contains "garbage: the message says what to do" "$ERR" \
    "restore a backup"

# ----------------------------------------------- missing directories
rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
mkdir -m 700 "$XDG_RUNTIME_DIR"
need_daemon
assert_eq "a missing data directory is created 0700" 700 \
    "$(stat -c %a "$XDG_DATA_HOME/kindlog")"
assert_eq "… the database in it 0600" 600 \
    "$(stat -c %a "$XDG_DATA_HOME/kindlog/kindlog.db")"
assert_eq "the socket directory 0700" 700 \
    "$(stat -c %a "$XDG_RUNTIME_DIR/kindlog")"
stop_daemon
finish
