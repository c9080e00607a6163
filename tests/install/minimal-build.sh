#!/usr/bin/env bash
# The optional features really are optional: configure a separate build
# with -Dsystemd=disabled -Dman-pages=disabled, build it, pass the unit
# tests there, and check that no units or man pages are installed and that
# the daemon still serves. Socket activation and readiness are built in
# every configuration (daemon/systemd.c), so that daemon still reports
# READY=1 to $NOTIFY_SOCKET.
. "$INSTALL_TESTS_DIR/lib.sh"

: "${SOURCE_ROOT:?}"
B="$T/build"
# A plain, unoptimised build: this is about configuration, not speed, and
# the machine running the suite may have two cores.
run_capture meson setup "$B" "$SOURCE_ROOT" -Dsystemd=disabled \
    -Dman-pages=disabled -Dwerror=true -Dbuildtype=plain
assert_rc "meson setup -Dsystemd=disabled -Dman-pages=disabled" 0
[ "$RC" -eq 0 ] || { note "$(tail -n 20 <<<"$OUT$ERR")"; finish; }

run_capture meson compile -C "$B"
assert_rc "it builds (with -Werror)" 0
[ "$RC" -eq 0 ] || { note "$(tail -n 30 <<<"$OUT")"; finish; }

run_capture meson test -C "$B" --suite unit --num-processes 2
assert_rc "its unit tests pass" 0
[ "$RC" -eq 0 ] || note "$(tail -n 30 <<<"$OUT")"

run_capture readelf -d "$B/daemon/kindlogd"
assert_not_contains "kindlogd does not link libsystemd" "$OUT" libsystemd

run_capture meson install -C "$B" --destdir "$T/dest" --no-rebuild --quiet
assert_rc "meson install" 0
run_capture find "$T/dest" -type f
assert_contains "the daemon is installed" "$OUT" "/bin/kindlogd"
assert_not_contains "no systemd units without systemd support" "$OUT" \
    "kindlogd.service"
assert_not_contains "no man pages with man-pages disabled" "$OUT" "/man/"

# It still works on its own socket (LISTEN_FDS for another process is not
# its), and still tells a service manager it is ready.
KINDLOGD_BIN="$B/daemon/kindlogd"
KINDLOG_BIN="$B/client/kindlog"
"$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
open(sys.argv[2], "w").write("bound\n")
open(sys.argv[2], "a").write(s.recv(4096).decode() + "\n")' \
    "$T/notify" "$T/notes" &
LISTENER=$!
DAEMON_PIDS+=("$LISTENER")
wait_for 5 grep -q bound "$T/notes"
DAEMON_ENV=(LISTEN_FDS=1 LISTEN_PID=1 NOTIFY_SOCKET="$T/notify")
if start_daemon; then
	run_capture kl add "walked the dog in the rain for me"
	assert_rc "kindlog add against the minimal daemon" 0
	wait_child "$LISTENER" 10
	assert_true "it sends READY=1 to NOTIFY_SOCKET" \
	    grep -qx "READY=1" "$T/notes"
	stop_daemon
fi

finish
