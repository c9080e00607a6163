#!/bin/bash
# The client starts kindlogd when none is running (design §10, §12): the
# daemon detaches, logs to $XDG_STATE_HOME/kindlog/kindlogd.log, and racing
# clients from a cold start end up with exactly one daemon. A daemon that
# cannot start has its own error shown by the client that started it.
. "$TESTS_DIR/lib.sh"

LOG="$XDG_STATE_HOME/kindlog/kindlogd.log"

# Stop an autostarted daemon (not our child) by PID and check it went.
stop_autostarted() {	# PID [SOCKET]
	local pid=$1 sock=${2:-$SOCK}
	kill -TERM "$pid" 2>/dev/null
	if wait_for 10 pid_gone "$pid"; then
		pass "autostarted kindlogd (pid $pid) exits on SIGTERM"
	else
		fail "autostarted kindlogd (pid $pid) exits on SIGTERM"
	fi
	assert_true "its socket is removed" wait_for 5 test ! -e "$sock"
}

# The number of daemons running with our environment.
count_daemons() { our_daemons | wc -l | tr -d ' '; }

# ------------------------------------------------------------ one client

assert_eq "no daemon at the start" 0 "$(count_daemons)"
run_capture "$KINDLOG_BIN" --json add "the client started the daemon"
assert_ok "kindlog add with no daemon running (autostart)"
assert_eq "the add went through" "the client started the daemon" \
    "$(jq_py "$OUT" 'd["entry"]["text"]')"
assert_true "the socket appeared" test -S "$SOCK"
assert_eq "exactly one daemon runs" 1 "$(count_daemons)"
PID=$(track_autostarted)
assert_match "status gives its pid" '^[0-9]+$' "$PID"
assert_eq "status pid is the daemon found by environment" "$(our_daemons)" "$PID"
assert_true "the daemon log exists in XDG_STATE_HOME" test -f "$LOG"
assert_contains "the daemon logs there" "$(cat "$LOG" 2>/dev/null)" "kindlogd 0.1.0"
assert_eq "its stdin is /dev/null" /dev/null "$(readlink "/proc/$PID/fd/0")"
assert_eq "its stderr is the log" "$LOG" "$(readlink "/proc/$PID/fd/2")"
assert_ne "it runs in its own session (setsid)" \
    "$(ps -o sid= -p $$ | tr -d ' ')" "$(ps -o sid= -p "$PID" | tr -d ' ')"
assert_ne "it is not the test's child" "$$" "$(ps -o ppid= -p "$PID" | tr -d ' ')"
assert_contains "it was given --socket" \
    "$(tr '\0' ' ' <"/proc/$PID/cmdline")" "--socket $SOCK"
run_capture kl --json list
assert_eq "a later client uses the same daemon" 1 "$(jq_py "$OUT" 'd["total"]')"
run_capture "$KINDLOG_BIN" --json add "second"
assert_eq "a second autostart-enabled client starts nothing new" 1 "$(count_daemons)"
stop_autostarted "$PID"

# The database persisted: a new autostart finds the entries.
run_capture "$KINDLOG_BIN" --json list
assert_ok "autostart for a read"
assert_eq "the new daemon serves the same database" 2 "$(jq_py "$OUT" 'd["total"]')"
PID=$(track_autostarted)
stop_autostarted "$PID"

# A --socket elsewhere: the daemon is started for that socket.
ALT="$T/alt/sub/kl.sock"
run_capture "$KINDLOG_BIN" --socket "$ALT" --json status
assert_ok "autostart for --socket PATH"
assert_eq "the daemon listens on the given socket" "$ALT" "$(jq_py "$OUT" 'd["socket"]')"
assert_eq "its directory is 0700" 700 "$(stat -c %a "$T/alt/sub")"
PID=$(track_autostarted "$ALT")
stop_autostarted "$PID" "$ALT"

# ------------------------------------------------------------- races

race() {	# N
	local n=$1 i pids=() rc ok=0 out
	for ((i = 1; i <= n; i++)); do
		"$KINDLOG_BIN" --json add "race $n client $i" >"$T/race.$i.out" \
		    2>"$T/race.$i.err" &
		pids+=($!)
	done
	for ((i = 1; i <= n; i++)); do
		wait "${pids[i - 1]}"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			ok=$((ok + 1))
		else
			fail "race of $n: client $i exits 0" "exit $rc" \
			    "stderr: $(show "$(cat "$T/race.$i.err")")"
		fi
	done
	assert_eq "race of $n clients from a cold start: all adds succeed" "$n" "$ok"
	assert_eq "race of $n clients: exactly one daemon" 1 "$(count_daemons)"
	out=$(kl --json list --grep "race $n client" -n 0)
	assert_eq "race of $n clients: $n entries stored" "$n" \
	    "$(jq_py "$out" 'd["total"]')"
	assert_eq "race of $n clients: distinct ids" "$n" \
	    "$(jq_py "$out" 'len(set(e["id"] for e in d["entries"]))')"
	PID=$(track_autostarted)
	stop_autostarted "$PID"
	assert_eq "race of $n: no daemon left" 0 "$(count_daemons)"
}

race 2
race 8

# ------------------------------------------------ a daemon that cannot start

# kindlogd exits at once on a broken config. The client that started it
# says why in the daemon's own words, instead of waiting out the start-up
# time, and says that the entry it was given was not stored.
CONF="$XDG_CONFIG_HOME/kindlog/kindlog.conf"
mkdir -p "${CONF%/*}"
printf '[reminders]\ntimes = 8pm\n' >"$CONF"
run_capture "$KINDLOG_BIN" add "lost to a broken config"
assert_rc "add, the daemon cannot start → exit 3" 3
assert_contains "the daemon's own error is shown" "$ERR" \
    "kindlog.conf:2: [reminders] times: '8pm' is not a time (HH:MM)"
assert_match "it names kindlogd once, after kindlog's prefix" \
    "^kindlog: kindlogd could not start: $CONF:2: " "$ERR"
assert_contains "it says the entry was not stored" "$ERR" \
    "the entry was not stored"
assert_not_contains "not the start-up timeout" "$ERR" "did not answer"
assert_eq "one line on stderr" 1 "$(count_lines "$ERR")"
assert_eq "nothing on stdout" "" "$OUT"
assert_eq "no daemon is left running" 0 "$(count_daemons)"
assert_true "no socket is left" test ! -e "$SOCK"

run_capture "$KINDLOG_BIN" --json list
assert_rc "a read, the daemon cannot start → exit 3" 3
assert_contains "a read shows the daemon's error too" "$ERR" \
    "'8pm' is not a time"
assert_not_contains "a read has nothing to lose" "$ERR" "not stored"

rm "$CONF"
run_capture "$KINDLOG_BIN" --json list --grep "lost to a broken config"
assert_ok "with the config fixed, autostart works again"
assert_eq "the entry is indeed not there" 0 "$(jq_py "$OUT" 'd["total"]')"
PID=$(track_autostarted)
stop_autostarted "$PID"

finish
