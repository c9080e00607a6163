# Shared setup for the notification tests (ARCHITECTURE.md, Tests): a private session
# bus, Xvfb and dunst, all started here and stopped by PID, with dunst's
# script hook recording every notification it receives. Sourced after
# choosing a mode:
#   NOTIFY_BUS=1 (default)  re-exec under dbus-run-session with a bus
#                           config that has no service activation, so
#                           nothing but our dunst can own the name
#   NOTIFY_BUS=0            no session bus at all
#
# Environment (set by tests/notify/meson.build): KINDLOG_BIN, KINDLOGD_BIN,
# TESTS_DIR (tests/integration, for its lib.sh), NOTIFY_TESTS_DIR.

: "${NOTIFY_TESTS_DIR:?NOTIFY_TESTS_DIR must name tests/notify}"
: "${TESTS_DIR:?TESTS_DIR must name tests/integration}"

notify_need() {	# COMMAND...: skip the test unless all are installed
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1; then
			printf 'SKIP %s: %s is not installed\n' \
			    "$(basename "$0" .sh)" "$c"
			exit 77
		fi
	done
}

if [ "${NOTIFY_BUS:-1}" = 1 ] && [ -z "${KL_NOTIFY_IN_BUS:-}" ]; then
	notify_need dbus-run-session dbus-send Xvfb dunst dunstctl
	export KL_NOTIFY_IN_BUS=1
	exec dbus-run-session \
	    --config-file="$NOTIFY_TESTS_DIR/session-bus.conf" -- \
	    bash "$0" "$@"
fi

NOTIFY_SESSION_BUS=${DBUS_SESSION_BUS_ADDRESS:-}
# shellcheck source=../integration/lib.sh
. "$TESTS_DIR/lib.sh"
if [ "${NOTIFY_BUS:-1}" = 1 ]; then
	export DBUS_SESSION_BUS_ADDRESS=$NOTIFY_SESSION_BUS
fi
unset DISPLAY WAYLAND_DISPLAY

SERVER_PIDS=()		# Xvfb and dunst, ours to stop
XVFB_PID=""
DUNST_PID=""
RECORD="$T/received"	# one line per notification: app|summary|body

notify_cleanup() {
	local pid
	for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
		kill -CONT "$pid" 2>/dev/null
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
		wait_for 3 pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	done
}
trap 'rc=$?; notify_cleanup; (exit $rc); cleanup' EXIT

# True when someone owns org.freedesktop.Notifications on our bus.
notify_name_owned() {
	dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
	    org.freedesktop.DBus.NameHasOwner \
	    string:org.freedesktop.Notifications 2>/dev/null |
	    grep -q 'boolean true'
}

# Start Xvfb on a free display and export DISPLAY.
start_xvfb() {
	rm -f "$T/display"
	Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$T/display" \
	    >"$T/xvfb.log" 2>&1 &
	XVFB_PID=$!
	SERVER_PIDS+=("$XVFB_PID")
	wait_for 10 test -s "$T/display" || {
		fail "Xvfb starts" "$(show "$(cat "$T/xvfb.log")")"
		finish
	}
	export DISPLAY=":$(head -n 1 "$T/display")"
}

# Start Xvfb and dunst (recording to $RECORD, dmenu replaced by a script
# that picks the action named in $T/pick, DUNST_GLOBAL added to its
# [global] section) and wait until dunst owns the notifications name.
# Fails the whole test if that does not happen.
start_server() {
	local i
	cat >"$T/dunstrc" <<EOD
[global]
    dmenu = $T/fake-dmenu.sh
    stack_duplicates = false
    ${DUNST_GLOBAL:-}
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[record]
    appname = "*"
    script = $T/record.sh
EOD
	cat >"$T/record.sh" <<EOD
#!/bin/sh
# Newlines in the body become spaces: one line per notification.
line=\$(printf '%s|%s|%s' "\$DUNST_APP_NAME" "\$DUNST_SUMMARY" "\$DUNST_BODY" |
    tr '\n' ' ')
printf '%s\n' "\$line" >>"$RECORD"
EOD
	cat >"$T/fake-dmenu.sh" <<EOD
#!/bin/sh
cat >"$T/dmenu.tmp"
mv "$T/dmenu.tmp" "$T/dmenu.in"
grep "^#\$(cat "$T/pick") " "$T/dmenu.in" | head -n 1
EOD
	chmod +x "$T/record.sh" "$T/fake-dmenu.sh"
	: >"$RECORD"
	: >"$T/pick"
	start_xvfb
	dunst -config "$T/dunstrc" >"$T/dunst.log" 2>&1 &
	DUNST_PID=$!
	SERVER_PIDS+=("$DUNST_PID")
	wait_for 10 notify_name_owned || {
		fail "dunst owns org.freedesktop.Notifications" \
		    "$(show "$(cat "$T/dunst.log")")"
		finish
	}
}

# The number of notifications dunst has received.
received_count() {
	count_lines "$(cat "$RECORD")"
}

# Wait up to TIMEOUT s for more than N notifications; true if they came.
wait_received() {	# N TIMEOUT
	local n=$1
	wait_for "$2" eval '[ "$(received_count)" -gt '"$n"' ]'
}

# The last notification received (app|summary|body).
last_received() {
	tail -n 1 "$RECORD"
}

# Invoke action LABEL ("Snooze", "Not today") of the newest notification
# through dunst's context menu, as a user would.
pick_action() {	# LABEL
	printf '%s\n' "$1" >"$T/pick"
	rm -f "$T/dmenu.in"
	dunstctl context
	wait_for 5 test -e "$T/dmenu.in"
}

# A remind.status field from the daemon (python expression over d).
remind_field() {	# EXPR
	jq_py "$(kl --json remind status)" "$1"
}

# Write the config file the daemon reads by default.
write_config() {	# TEXT
	mkdir -p "$XDG_CONFIG_HOME/kindlog"
	printf '%s\n' "$1" >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
}

# Sum of voluntary context switches over every thread of PID.
ctxt_switches() {	# PID
	cat /proc/"$1"/task/*/status 2>/dev/null |
	    awk '/^voluntary_ctxt_switches/ { n += $2 } END { print n + 0 }'
}

# A stand-in prompt program, $T/prompt-stub: each run appends what it was
# given to $T/prompt.runs (a "run pid=N" line, then "arg=…" lines, the
# display and activation variables, its stdin), then does what the file
# $T/prompt-mode says: "say TEXT" prints TEXT, "cancel" exits 1, "empty"
# prints an empty line, "hang" writes its pid to $T/prompt.pid and sleeps.
make_prompt_stub() {
	cat >"$T/prompt-stub" <<EOD
#!/bin/sh
# The daemon may run with a PATH of prompt stubs only.
PATH=/usr/local/bin:/usr/bin:/bin
{
	printf 'run pid=%s\n' "\$\$"
	printf 'prog=%s\n' "\$(basename "\$0")"
	for a in "\$@"; do printf 'arg=%s\n' "\$a"; done
	printf 'DISPLAY=%s\n' "\${DISPLAY:-}"
	printf 'WAYLAND_DISPLAY=%s\n' "\${WAYLAND_DISPLAY:-}"
	printf 'XDG_ACTIVATION_TOKEN=%s\n' "\${XDG_ACTIVATION_TOKEN:-}"
	printf 'DESKTOP_STARTUP_ID=%s\n' "\${DESKTOP_STARTUP_ID:-}"
	printf 'stdin=%s\n' "\$(readlink /proc/self/fd/0)"
} >>"$T/prompt.runs"
mode=\$(cat "$T/prompt-mode")
case \$mode in
say\ *) printf '%s\n' "\${mode#say }" ;;
cancel) exit 1 ;;
empty) echo ;;
hang) echo \$\$ >"$T/prompt.pid"; exec sleep 30 ;;
esac
EOD
	chmod +x "$T/prompt-stub"
	: >"$T/prompt.runs"
}

# How many times the prompt stub has run.
prompt_runs() {
	grep -c '^run ' "$T/prompt.runs"
}

# The last value the stub recorded for KEY (arg for its last argument).
prompt_seen() {	# KEY
	grep "^$1=" "$T/prompt.runs" | tail -n 1 | cut -d= -f2-
}

# The number of live entries.
entry_count() {
	jq_py "$(kl --json list --all)" 'd["total"]'
}

FAKE_RECORD="$T/fake.jsonl"	# one JSON object per Notify the fake got

# Start fake-server.py (instead of dunst) advertising CAPS and wait until
# it owns the notifications name.
start_fake_server() {	# CAPS (comma-separated)
	"$PYTHON" -c 'from gi.repository import Gio' 2>/dev/null ||
	    skip "python3-gi is not installed"
	: >"$FAKE_RECORD"
	rm -f "$T/fake.ready"
	"$PYTHON" "$NOTIFY_TESTS_DIR/fake-server.py" "$FAKE_RECORD" \
	    "$T/fake.ready" "$1" >"$T/fake.log" 2>&1 &
	SERVER_PIDS+=("$!")
	wait_for 10 test -e "$T/fake.ready" || {
		fail "the fake server owns org.freedesktop.Notifications" \
		    "$(show "$(cat "$T/fake.log")")"
		finish
	}
}

# The number of Notify calls the fake server got.
fake_count() {
	count_lines "$(cat "$FAKE_RECORD")"
}

# A field of the Nth (1-based; default the last) Notify (python over d).
fake_field() {	# EXPR [N]
	local line
	if [ -n "${2:-}" ]; then
		line=$(sed -n "${2}p" "$FAKE_RECORD")
	else
		line=$(tail -n 1 "$FAKE_RECORD")
	fi
	jq_py "$line" "$1"
}

# Call a control method of the fake server (org.kindlog.Test).
fake_call() {	# METHOD ARGS...
	local method=$1
	shift
	dbus-send --session --print-reply --dest=org.freedesktop.Notifications \
	    /org/freedesktop/Notifications "org.kindlog.Test.$method" "$@" \
	    >/dev/null
}

# Record every Notify call on our bus (whoever the server is) in
# $T/monitor.log, as dbus-monitor prints them.
start_bus_monitor() {
	dbus-monitor --session \
	    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
	    >"$T/monitor.log" 2>&1 &
	SERVER_PIDS+=("$!")
	wait_for 5 grep -q 'member=NameAcquired' "$T/monitor.log"
}

# True once a Notify with summary or body TEXT went over the bus.
monitor_saw() {	# TEXT
	grep -qF "string \"$1\"" "$T/monitor.log"
}

# Make the prompt stub the prompt program NAME on a PATH of its own,
# $T/fakebin, for the daemon to find by itself.
stub_as() {	# NAME
	mkdir -p "$T/fakebin"
	ln -sf "$T/prompt-stub" "$T/fakebin/$1"
}
