# Shared setup and helpers for the integration tests; sourced by each test.
#
# Every test runs the real kindlogd and the real kindlog in a private temp
# directory: HOME and every XDG directory point inside it, so nothing
# touches the real home directory or a real daemon's socket. Whatever
# daemon a test starts (itself or through the client's autostart) is
# ended by PID when the test exits.
#
# Environment (set by tests/integration/meson.build):
#   KINDLOG_BIN    the kindlog client
#   KINDLOGD_BIN   the kindlogd daemon
#   TESTS_DIR      this directory (for rpc.py)

set -u

: "${KINDLOG_BIN:?KINDLOG_BIN must name the kindlog client}"
: "${KINDLOGD_BIN:?KINDLOGD_BIN must name the kindlogd daemon}"
TESTS_DIR=${TESTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
RPC="$TESTS_DIR/rpc.py"
TEST_NAME=$(basename "$0" .sh)

# The real python3, not a per-user shim (the peer test runs it as nobody).
if [ -x /usr/bin/python3 ]; then
	PYTHON=/usr/bin/python3
else
	PYTHON=$(command -v python3)
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-it-$TEST_NAME.XXXXXX") || exit 1
chmod 700 "$T"
export HOME="$T/home"
export XDG_RUNTIME_DIR="$T/run"
export XDG_DATA_HOME="$T/data"
export XDG_CONFIG_HOME="$T/config"
export XDG_STATE_HOME="$T/state"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" \
    "$XDG_STATE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
unset KINDLOG_SOCKET NO_COLOR KINDLOG_NO_AUTOSTART COLUMNS \
    DBUS_SESSION_BUS_ADDRESS KINDLOGD_IDLE_TIMEOUT FAKETIME LD_PRELOAD
export LC_ALL=C.UTF-8
# The default socket path for this test's environment.
SOCK="$XDG_RUNTIME_DIR/kindlog/kindlogd.sock"

FAILS=0
CHECKS=0
DAEMON_PIDS=()		# daemons started by start_daemon (our children)
OTHER_PIDS=()		# autostarted daemons found later
DAEMON_PID=""		# the last one start_daemon started
DAEMON_LOG=""		# its stdout+stderr
DAEMON_N=0

# ---------------------------------------------------------------- reporting

note() { printf '# %s\n' "$*"; }

pass() {
	CHECKS=$((CHECKS + 1))
	printf 'ok   %s\n' "$1"
}

fail() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	printf 'FAIL %s\n' "$1"
	shift
	local line
	for line in "$@"; do
		printf '       %s\n' "$line"
	done
}

# Show a value on one line, escapes visible, and not too long.
show() {
	local s
	s=$(printf '%s' "$1" | cat -v | sed -e ':a' -e 'N' -e '$!ba' \
	    -e 's/\n/\\n/g')
	if [ "${#s}" -gt 600 ]; then
		s="${s:0:600}…(${#s} chars)"
	fi
	printf '%s' "$s"
}

assert_eq() {	# DESC EXPECTED ACTUAL
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $(show "$2")" "actual:   $(show "$3")"
	fi
}

assert_ne() {	# DESC UNEXPECTED ACTUAL
	if [ "$2" != "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected anything but: $(show "$2")"
	fi
}

assert_contains() {	# DESC HAYSTACK NEEDLE
	if [[ "$2" == *"$3"* ]]; then
		pass "$1"
	else
		fail "$1" "expected to contain: $(show "$3")" \
		    "actual: $(show "$2")"
	fi
}

assert_not_contains() {	# DESC HAYSTACK NEEDLE
	if [[ "$2" != *"$3"* ]]; then
		pass "$1"
	else
		fail "$1" "expected not to contain: $(show "$3")" \
		    "actual: $(show "$2")"
	fi
}

assert_match() {	# DESC EXTENDED-REGEX ACTUAL
	if [[ "$3" =~ $2 ]]; then
		pass "$1"
	else
		fail "$1" "expected to match: $2" "actual: $(show "$3")"
	fi
}

assert_true() {	# DESC COMMAND...
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		fail "$desc" "command failed: $*"
	fi
}

# Exit code of the last run_capture, with its stderr shown on failure.
assert_rc() {	# DESC EXPECTED
	if [ "$RC" == "$2" ]; then
		pass "$1"
	else
		fail "$1" "expected exit $2, got $RC" \
		    "stdout: $(show "$OUT")" "stderr: $(show "$ERR")"
	fi
}

# Exit 0 and stdout/stderr of the last run_capture shown on failure.
assert_ok() {	# DESC
	assert_rc "$1" 0
}

# The number of lines in a string (0 for an empty string).
count_lines() {
	if [ -z "$1" ]; then
		echo 0
	else
		printf '%s\n' "$1" | wc -l | tr -d ' '
	fi
}

finish() {
	if [ "$FAILS" -gt 0 ]; then
		printf '%s: %d of %d checks FAILED\n' "$TEST_NAME" "$FAILS" \
		    "$CHECKS"
		exit 1
	fi
	printf '%s: all %d checks passed\n' "$TEST_NAME" "$CHECKS"
	exit 0
}

skip() {
	printf 'SKIP %s: %s\n' "$TEST_NAME" "$*"
	exit 77
}

# ------------------------------------------------------------------ running

# Run a command; its stdout, stderr and exit code go to OUT, ERR and RC.
# Stdin is passed through.
run_capture() {
	"$@" >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
}

# The client, never starting a daemon by itself. A client that hangs is
# killed after KL_TIMEOUT seconds (exit 124) so a stuck daemon fails the
# check instead of the whole test timing out.
KL_TIMEOUT=${KL_TIMEOUT:-30}
kl() {
	timeout -k 5 "$KL_TIMEOUT" "$KINDLOG_BIN" --no-autostart "$@"
}

# rpc.py with the given socket and arguments.
rpc() {
	"$PYTHON" "$RPC" "$@"
}

# Evaluate a Python expression over JSON: d is the parsed $1.
# Strings print raw, everything else as compact JSON; "<error: …>" if $1
# is not JSON.
jq_py() {	# JSON EXPR
	"$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
try:
    d = json.loads(sys.argv[1])
except ValueError as e:
    print("<error: not JSON: %s>" % e)
    sys.exit(0)
try:
    v = eval(sys.argv[2], {"json": json}, {"d": d})
except Exception as e:
    print("<error: %s: %s>" % (type(e).__name__, e))
    sys.exit(0)
if isinstance(v, str):
    print(v)
else:
    print(json.dumps(v, separators=(",", ":"), sort_keys=True))
EOF
}

# JSON canonical form (sorted keys, compact), or "<error …>".
json_canon() {
	jq_py "$1" 'd'
}

# One JSON-RPC call over the default socket (or $RPC_SOCK); prints the
# raw reply line.
rpc_call() {	# METHOD [PARAMS-JSON]
	local req
	if [ $# -ge 2 ]; then
		req="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}"
	else
		req="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\"}"
	fi
	rpc "${RPC_SOCK:-$SOCK}" "$req"
}

# ------------------------------------------------------------------ waiting

# Poll a command every 50 ms until it succeeds or TIMEOUT seconds pass.
wait_for() {	# TIMEOUT COMMAND...
	local timeout=$1 i
	shift
	for ((i = 0; i < timeout * 20; i++)); do
		if "$@"; then
			return 0
		fi
		sleep 0.05
	done
	"$@"
}

# True when something accepts connections on the socket.
socket_live() {	# PATH
	[ -S "$1" ] && rpc "$1" --probe
}

# True while PID is a running (not zombie) process.
pid_alive() {	# PID
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

pid_gone() { ! pid_alive "$1"; }

# --------------------------------------------------------------- daemons

# The --socket argument in "$@", or the default socket.
socket_of_args() {
	local sock=$SOCK
	while [ $# -gt 0 ]; do
		case $1 in
		--socket) sock=$2; shift ;;
		--socket=*) sock=${1#--socket=} ;;
		esac
		shift
	done
	printf '%s' "$sock"
}

# Start kindlogd in the background with the given arguments (and any
# environment the caller exports or puts in DAEMON_ENV, an array) and wait
# up to 5 s for its socket to accept connections. Sets DAEMON_PID and
# DAEMON_LOG. Returns 1 (after a FAIL line) if it did not come up.
DAEMON_ENV=()
start_daemon() {
	local sock i
	sock=$(socket_of_args "$@")
	DAEMON_N=$((DAEMON_N + 1))
	DAEMON_LOG="$T/kindlogd.$DAEMON_N.log"
	# env execs kindlogd, so $! is the daemon itself (a wrapper that
	# stays the parent, like faketime(1), would take our signals instead).
	env ${DAEMON_ENV[@]+"${DAEMON_ENV[@]}"} \
	    "$KINDLOGD_BIN" "$@" >"$DAEMON_LOG" 2>&1 &
	DAEMON_PID=$!
	DAEMON_PIDS+=("$DAEMON_PID")
	for ((i = 0; i < 100; i++)); do
		if socket_live "$sock"; then
			return 0
		fi
		if ! pid_alive "$DAEMON_PID"; then
			break
		fi
		sleep 0.05
	done
	fail "kindlogd $* came up on $sock" \
	    "log: $(show "$(cat "$DAEMON_LOG")")"
	return 1
}

# Wait (up to TIMEOUT s) for our child PID to exit; its status goes to
# WAIT_RC (or "timeout").
wait_child() {	# PID [TIMEOUT]
	local pid=$1 timeout=${2:-10}
	if ! wait_for "$timeout" pid_gone "$pid"; then
		WAIT_RC=timeout
		return 1
	fi
	wait "$pid" 2>/dev/null
	WAIT_RC=$?
	return 0
}

# SIGTERM the daemon (default: the last started), wait, and check that it
# exited 0 and removed its socket.
stop_daemon() {	# [PID [SOCKET]]
	local pid=${1:-$DAEMON_PID} sock=${2:-$SOCK}
	kill -TERM "$pid" 2>/dev/null
	wait_child "$pid" 10
	assert_eq "kindlogd (pid $pid) exits 0 on SIGTERM" 0 "$WAIT_RC"
	if [ -e "$sock" ]; then
		fail "kindlogd removes its socket on exit" "$sock still exists"
	else
		pass "kindlogd removes its socket on exit"
	fi
}

# libfaketime, preloaded straight into kindlogd: the faketime(1) wrapper
# would stay the daemon's parent and take the signals meant for it.
FAKETIME_LIB=""
for lib in /usr/lib/*/faketime/libfaketime.so.1 \
    /usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1
do
	if [ -f "$lib" ]; then
		FAKETIME_LIB=$lib
		break
	fi
done

# Run the daemons started from here on at a fake local time in zone TZ,
# running forward at the normal rate (timerfd needs an offset with a rate).
fake_time() {	# TZ 'YYYY-MM-DD hh:mm:ss'
	[ -n "$FAKETIME_LIB" ] || skip "libfaketime is not installed (package faketime)"
	DAEMON_ENV=(TZ="$1" LD_PRELOAD="$FAKETIME_LIB" FAKETIME="@$2 x1"
	    FAKETIME_DONT_FAKE_MONOTONIC=1)
}

# Start a daemon on the default socket or fail the whole test.
need_daemon() {
	start_daemon "$@" || {
		fail "cannot go on without a daemon"
		finish
	}
}

# The PIDs of kindlogd processes started with this test's environment
# (their environ names our temp dir), whoever started them.
our_daemons() {
	local p
	for p in /proc/[0-9]*; do
		p=${p#/proc/}
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" == kindlogd ] || continue
		pid_alive "$p" || continue
		if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
		    grep -qxF "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; then
			echo "$p"
		fi
	done
}

# Remember an autostarted daemon's PID (from status) for cleanup.
track_autostarted() {	# [SOCKET]
	local pid
	pid=$(jq_py "$("$KINDLOG_BIN" --no-autostart --socket "${1:-$SOCK}" \
	    --json status 2>/dev/null)" 'd["pid"]')
	case $pid in
	'' | *[!0-9]*) return 1 ;;
	esac
	OTHER_PIDS+=("$pid")
	echo "$pid"
}

cleanup() {
	local rc=$? pid
	trap - EXIT
	# Daemons the client started: ask them, and look for our environment.
	if [ -S "$SOCK" ]; then
		track_autostarted >/dev/null 2>&1
	fi
	for pid in $(our_daemons); do
		OTHER_PIDS+=("$pid")
	done
	for pid in ${DAEMON_PIDS[@]+"${DAEMON_PIDS[@]}"} \
	    ${OTHER_PIDS[@]+"${OTHER_PIDS[@]}"}; do
		if pid_alive "$pid"; then
			kill -TERM "$pid" 2>/dev/null
		fi
	done
	for pid in ${DAEMON_PIDS[@]+"${DAEMON_PIDS[@]}"} \
	    ${OTHER_PIDS[@]+"${OTHER_PIDS[@]}"}; do
		if ! wait_for 3 pid_gone "$pid"; then
			echo "# cleanup: pid $pid ignored SIGTERM, killing it"
			kill -KILL "$pid" 2>/dev/null
		fi
	done
	wait 2>/dev/null
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "# kept $T"
	else
		chmod -R u+rwX "$T" 2>/dev/null
		rm -rf "$T"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Today as the daemon sees it (from status), and days relative to it.
daemon_today() {
	jq_py "$(kl --json status)" 'd["today"]'
}

day_add() {	# DAY N  → DAY + N days
	date -u -d "$1 + $2 days" +%F
}
