#!/usr/bin/env bash
# Socket activation end to end, with systemd-socket-activate standing in
# for systemd: kindlogd serves on the descriptor it is passed, the client
# works through it, and the socket file (not the daemon's) survives the
# daemon. A wrong or extra socket is a clear startup error.
. "$INSTALL_TESTS_DIR/lib.sh"

command -v systemd-socket-activate >/dev/null ||
    skip "systemd-socket-activate not installed (Debian: apt install systemd)"

# systemd-socket-activate passes only the variables named with -E.
activate_env=()
for var in HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME \
    XDG_STATE_HOME LC_ALL ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS \
    MSAN_OPTIONS; do
	[ -n "${!var+set}" ] && activate_env+=(-E "$var")
done

# Start kindlogd under systemd-socket-activate (extra arguments first, e.g.
# more -l); sets DAEMON_PID (the daemon: the tool execs it) and DAEMON_LOG.
activate() {
	DAEMON_N=$((DAEMON_N + 1))
	DAEMON_LOG="$T/activate.$DAEMON_N.log"
	systemd-socket-activate "${activate_env[@]}" "$@" -- \
	    "$KINDLOGD_BIN" -v >"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	DAEMON_PIDS+=("$DAEMON_PID")
	wait_for 5 grep -q "^Listening on" "$DAEMON_LOG"
}

# What systemd's DirectoryMode=0700 would have made.
mkdir -p "$XDG_RUNTIME_DIR/kindlog"
chmod 700 "$XDG_RUNTIME_DIR/kindlog"

activate -l "$SOCK"
run_capture kl add "made me coffee before my exam"
assert_rc "kindlog add through the activated socket" 0
assert_contains "the add is answered" "$OUT" "made me coffee"
assert_true "the daemon says it uses the passed socket" \
    grep -q "serving on the socket passed by systemd" "$DAEMON_LOG"
run_capture kl --json list
assert_contains "the entry is stored" "$OUT" "made me coffee before my exam"
run_capture kl --json status
assert_contains "status names the activated socket" "$OUT" "\"$SOCK\""

kill -TERM "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
assert_eq "kindlogd exits 0 on SIGTERM" 0 "$WAIT_RC"
assert_true "the socket it did not create is still there" test -S "$SOCK"
assert_true "no lock file was made next to it" \
    bash -c "[ \$(ls '$XDG_RUNTIME_DIR/kindlog' | wc -l) -eq 1 ]"

# A datagram socket is refused with a message saying what is wrong.
activate --datagram -l "$T/dgram.sock"
"$PYTHON" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"x", sys.argv[1])' "$T/dgram.sock"
wait_child "$DAEMON_PID" 10
assert_ne "kindlogd refuses a datagram socket" 0 "$WAIT_RC"
assert_true "and says it is not a listening Unix stream socket" \
    grep -q "not a listening Unix stream socket" "$DAEMON_LOG"

# So are two sockets.
activate -l "$T/one.sock" -l "$T/two.sock"
"$PYTHON" "$RPC" "$T/one.sock" --probe >/dev/null 2>&1
wait_child "$DAEMON_PID" 10
assert_ne "kindlogd refuses two sockets" 0 "$WAIT_RC"
assert_true "and says it wants exactly one" \
    grep -q "passed 2 sockets" "$DAEMON_LOG"

# LISTEN_FDS meant for another process is not ours: make our own socket.
rm -f "$SOCK"
DAEMON_ENV=(LISTEN_FDS=1 LISTEN_PID=1)
start_daemon
run_capture kl add "left a note on the mirror"
assert_rc "LISTEN_FDS for another pid is ignored" 0
stop_daemon

finish
