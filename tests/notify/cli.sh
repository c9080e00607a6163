#!/usr/bin/env bash
# kindlog remind now delivers to the server; snooze, pause and resume
# through the CLI move `next` as documented and survive a restart.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
write_config '[partner]
name = Sam
[reminders]
times = 20:30
[recap]
weekly ='

epoch() { date -d "$1" +%s; }
# Seconds from the last delivery (the daemon's clock) to an RFC 3339 time.
since_delivery() { echo $(( $(epoch "$1") - $(epoch "$shown_at") )); }
in_range() {	# DESC VALUE LO HI
	if [ "$2" -ge "$3" ] && [ "$2" -le "$4" ]; then
		pass "$1 ($2 s)"
	else
		fail "$1" "$2 s is not within [$3, $4]"
	fi
}

export TZ=Europe/Berlin	# the client shows local times too
fake_time Europe/Berlin '2026-03-10 12:00:00'
need_daemon
run_capture kl remind now
assert_ok "kindlog remind now exits 0"
assert_contains "it says so" "$OUT" "Sent a reminder"
assert_contains "and when the next one is" "$OUT" " 20:30"
if wait_received 0 10; then pass "remind now reaches the server"; else
	fail "remind now reaches the server" "$(show "$(cat "$DAEMON_LOG")")"; fi
assert_match "with the partner's name" '^kindlog\|Did Sam do something kind today\?\|.+' \
    "$(last_received)"
wait_for 5 eval '[ "$(remind_field "d[\"last_delivery\"][\"ok\"]")" = true ]'
shown_at=$(remind_field 'd["last_delivery"]["at"]')
run_capture kl remind status
assert_contains "remind status shows the delivery" "$OUT" ", shown"

run_capture kl remind snooze 2h
assert_ok "remind snooze 2h"
next=$(remind_field 'd["next"]')
assert_eq "snoozed: next is the snooze" "$(remind_field 'd["snoozed_until"]')" "$next"
in_range "snooze 2h counts from now" "$(since_delivery "$next")" 7195 7230

run_capture kl remind snooze
assert_ok "remind snooze (the configured default, 1h)"
in_range "default snooze is 1h" "$(since_delivery "$(remind_field 'd["next"]')")" 3595 3630

run_capture kl remind pause 1d
assert_ok "remind pause 1d"
assert_eq "paused a day: next is tomorrow's time" "2026-03-11T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
assert_eq "paused flag" true "$(remind_field 'd["paused"]')"

stop_daemon
need_daemon
assert_eq "pause survives a restart" "2026-03-11T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
assert_ne "snooze survives a restart" null "$(remind_field 'd["snoozed_until"]')"

run_capture kl remind pause
assert_ok "remind pause (until resume)"
assert_eq "paused until resume: no next" null "$(remind_field 'd["next"]')"
run_capture kl remind next
assert_contains "remind next explains" "$OUT" "paused until 'kindlog remind resume'"
stop_daemon
need_daemon
assert_eq "pause until resume survives a restart" null \
    "$(remind_field 'd["next"]')"

run_capture kl remind resume
assert_ok "remind resume"
assert_eq "resumed: next is today 20:30" "2026-03-10T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
assert_eq "resume clears the snooze" null "$(remind_field 'd["snoozed_until"]')"
stop_daemon
need_daemon
assert_eq "resume survives a restart" "2026-03-10T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"

# Malformed command lines are exit 2 and never reach the daemon.
run_capture kl remind snooze soon
assert_rc "remind snooze with a bad duration exits 2" 2
run_capture kl remind frobnicate
assert_rc "unknown remind action exits 2" 2
run_capture kl remind now extra
assert_rc "remind now takes no argument" 2
run_capture rpc_call remind.snooze '{"duration":"-5m"}'
assert_contains "remind.snooze with a bad duration: -32602" "$OUT" '"code":-32602'
stop_daemon

finish
