# Helpers for the transfer tests, sourced by each one. Every test runs the
# real kindlogd and kindlog in a private temp directory (HOME and every XDG
# directory inside it, the runtime directory 0700) and never autostarts:
# the daemons it starts are its children, ended by PID on exit.
#
# Environment (from meson.build): KINDLOG_BIN, KINDLOGD_BIN, TRANSFER_DIR.

set -u
: "${KINDLOG_BIN:?}" "${KINDLOGD_BIN:?}" "${TRANSFER_DIR:?}"

T=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-transfer.XXXXXX") || exit 1
chmod 700 "$T"
export HOME="$T/home" XDG_RUNTIME_DIR="$T/run" XDG_DATA_HOME="$T/data"
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" \
    "$XDG_STATE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
unset KINDLOG_SOCKET NO_COLOR COLUMNS DBUS_SESSION_BUS_ADDRESS
export LC_ALL=C.UTF-8
SOCK="$XDG_RUNTIME_DIR/kindlog/kindlogd.sock"
DAEMON_PID=""
FAILS=0

cleanup() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

pass() { printf 'ok   %s\n' "$1"; }
fail() {
	FAILS=$((FAILS + 1))
	printf 'FAIL %s\n' "$1"
	shift
	printf '       %s\n' "$@"
}
# check NAME EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $2" "actual:   $3"
	fi
}
finish() {
	[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; exit 1; }
	exit 0
}

# start_daemon DB: a kindlogd on its own database; waits for the socket.
start_daemon() {
	local i
	stop_daemon
	"$KINDLOGD_BIN" --db "$1" >>"$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	for i in $(seq 200); do
		[ -S "$SOCK" ] && return 0
		sleep 0.025
	done
	echo "kindlogd did not start:"; cat "$T/daemon.log"
	exit 1
}
stop_daemon() {
	[ -n "$DAEMON_PID" ] || return 0
	kill "$DAEMON_PID"
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
}

kl() { "$KINDLOG_BIN" --no-autostart "$@"; }

# run_capture CMD...: OUT, ERR and RC of one command.
run_capture() {
	OUT=$("$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# py EXPR FILE...: a Python expression over the JSON files j[0], j[1]...
py() {
	local expr=$1
	shift
	python3 -c "
import json, sys
j = [json.load(open(f)) for f in sys.argv[1:]]
print(json.dumps($expr, sort_keys=True, ensure_ascii=False))" "$@"
}
# The entries of an export without their ids (ids are assigned fresh).
NO_IDS='[{k: v for k, v in e.items() if k != "id"} for e in j[0]]'
