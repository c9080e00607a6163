#!/usr/bin/env bash
# The notification's actions, picked through dunst's context menu as a
# user would: "Snooze" moves the next reminder to now + snooze, "Not
# today" to the next day, even while a snooze is pending.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
write_config '[partner]
name = Sam
[reminders]
times = 20:30
snooze = 30m
[recap]
weekly ='

# Seconds since the epoch of an RFC 3339 time.
epoch() { date -d "$1" +%s; }

fake_time Europe/Berlin '2026-03-10 12:00:00'
need_daemon
assert_eq "next is today 20:30" "2026-03-10T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"

run_capture kl remind now
assert_ok "remind now"
wait_received 0 10
assert_eq "it arrived" 1 "$(received_count)"
shown_at=$(remind_field 'd["last_delivery"]["at"]')

pick_action Snooze
assert_contains "dunst offered Snooze" "$(cat "$T/dmenu.in" 2>/dev/null)" \
    "#Snooze "
assert_contains "dunst offered Not today" "$(cat "$T/dmenu.in" 2>/dev/null)" \
    "#Not today "
wait_for 5 eval '[ "$(remind_field "d[\"snoozed_until\"]")" != null ]'
status=$(kl --json remind status)
snoozed=$(jq_py "$status" 'd["snoozed_until"]')
next=$(jq_py "$status" 'd["next"]')
assert_eq "Snooze: next is the snooze" "$snoozed" "$next"
delta=$(( $(epoch "$next") - $(epoch "$shown_at") ))
if [ "$delta" -ge 1795 ] && [ "$delta" -le 1830 ]; then
	pass "Snooze: next is about 30 min from now ($delta s)"
else
	fail "Snooze: next is about 30 min from now" "delta $delta s, next $next"
fi
assert_contains "the daemon logged the action" "$(cat "$DAEMON_LOG")" \
    "notification action: snooze"

run_capture kl remind now
wait_received 1 10
assert_eq "a second one arrived" 2 "$(received_count)"
pick_action "Not today"
wait_for 5 eval '[ "$(remind_field "d[\"not_today\"]")" = true ]'
status=$(kl --json remind status)
assert_eq "Not today: flagged" true "$(jq_py "$status" 'd["not_today"]')"
assert_eq "Not today: next is tomorrow 20:30, not the pending snooze" \
    "2026-03-11T20:30:00+01:00" "$(jq_py "$status" 'd["next"]')"
run_capture kl remind status
assert_contains "remind status says not today" "$OUT" "no more reminders today"

# Survives a restart (the state is in the database).
stop_daemon
need_daemon
assert_eq "Not today survives a restart" "2026-03-11T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
run_capture kl remind resume
assert_ok "resume"
assert_eq "resume clears Not today and the snooze" \
    "2026-03-10T20:30:00+01:00" "$(remind_field 'd["next"]')"
stop_daemon

finish
