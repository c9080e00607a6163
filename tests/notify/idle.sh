#!/usr/bin/env bash
# Zero wakeups: an idle daemon whose next reminder is far away, after a
# notification was shown (so the notifier thread and GDBus exist), makes
# no voluntary context switch on any thread over 5 s. (The 30 s version
# is in the benchmarks.)
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
write_config '[reminders]
times = 20:30
[recap]
weekly ='
fake_time Europe/Berlin '2026-03-10 12:00:00'
need_daemon
assert_eq "the next reminder is hours away" 2026-03-10T20:30:00+01:00 \
    "$(remind_field 'd["next"]')"
run_capture kl remind now
assert_ok "remind now"
wait_received 0 10
assert_eq "one notification shown" 1 "$(received_count)"
wait_for 5 eval '[ "$(remind_field "d[\"last_delivery\"][\"ok\"]")" = true ]'
threads=$(ls "/proc/$DAEMON_PID/task" | wc -l | tr -d ' ')
if [ "$threads" -ge 2 ]; then
	pass "the notifier thread exists ($threads threads)"
else
	fail "the notifier thread exists" "$threads threads"
fi

sleep 1	# let the last replies and the client's disconnect settle
before=$(ctxt_switches "$DAEMON_PID")
sleep 5
after=$(ctxt_switches "$DAEMON_PID")
if [ "$before" = "$after" ]; then
	pass "no voluntary context switches in 5 s"
else
	fail "no voluntary context switches in 5 s" "$before -> $after" \
	    "$(for f in /proc/"$DAEMON_PID"/task/*; do
		printf '%s %s; ' "$(cat "$f/comm")" \
		    "$(grep ^voluntary "$f/status")"; done)"
fi
stop_daemon

finish
