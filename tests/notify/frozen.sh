#!/usr/bin/env bash
# A hung notification server (dunst stopped with SIGSTOP) while a reminder
# fires: the daemon keeps answering, the reminder arrives once the server
# resumes, and SIGTERM during a hang still ends the daemon promptly.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
write_config '[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = false
[recap]
weekly ='

# Every add must answer within 2 s while the server hangs.
adds_answer() {	# N DESC
	local i bad=0
	for ((i = 0; i < $1; i++)); do
		if ! KL_TIMEOUT=2 kl add "gesture $i during $2" >/dev/null 2>&1
		then
			bad=$((bad + 1))
		fi
		sleep 0.2
	done
	assert_eq "every add answers within 2 s $2" 0 "$bad"
}

kill -STOP "$DUNST_PID"
fake_time Europe/Berlin '2026-03-10 20:29:58'
need_daemon
adds_answer 25 "while the reminder fires into a hung server"
assert_eq "the hung server has shown nothing" 0 "$(received_count)"
KL_TIMEOUT=2 run_capture kl remind now
assert_ok "remind now answers at once during the hang"
KL_TIMEOUT=2 run_capture kl --json status
assert_ok "status answers during the hang"
kill -CONT "$DUNST_PID"
if wait_received 0 15; then
	pass "the reminder arrives once the server resumes"
else
	fail "the reminder arrives once the server resumes" \
	    "$(show "$(cat "$DAEMON_LOG")")"
fi
assert_contains "it is the scheduled one" "$(head -n 1 "$RECORD")" \
    "|Did Sam do something kind today?|"
wait_for 10 eval '[ "$(received_count)" -ge 2 ]'
assert_eq "and remind now's too" 2 "$(received_count)"
assert_eq "last delivery ok" true "$(remind_field 'd["last_delivery"]["ok"]')"

# SIGTERM while the notifier thread is stuck in a D-Bus call.
kill -STOP "$DUNST_PID"
KL_TIMEOUT=2 run_capture kl remind now
assert_ok "remind now into a hung server"
sleep 0.5
start=$(date +%s%N)
kill -TERM "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq "SIGTERM during a hang: exit 0" 0 "$WAIT_RC"
if [ "$elapsed" -lt 6000 ]; then
	pass "SIGTERM during a hang: gone in $elapsed ms (notifier wait is 2 s)"
else
	fail "SIGTERM during a hang: gone within 6 s" "took $elapsed ms"
fi
assert_contains "it says why it did not wait" "$(cat "$DAEMON_LOG")" \
    "not answering"
assert_true "socket removed" test ! -e "$SOCK"
kill -CONT "$DUNST_PID"

finish
