#!/usr/bin/env bash
# The reminder bugs a new user found, each as it happened (the weekly
# recap's count is in inline-reply.sh, where the fake server also shows
# its actions):
# - a snooze must hold back every reminder due before it ends;
# - a snooze that ends in quiet hours brings nothing, and says so;
#   after "Not today" no snooze is listed as pending;
# - a first start ever does not catch up a reminder it never missed;
# - the prompts name the partner, as the summary does.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server

# ------------------------------------- snooze 10m at 22:02, times 22:02, 22:04
write_config '[partner]
name = Sam
[reminders]
times = 22:02, 22:04
skip_if_logged = false
[recap]
weekly ='
# Thursday 2026-03-05: the day's first prompt is "Did … check in on you?"
fake_time Europe/Berlin '2026-03-05 22:01:58'
need_daemon
wait_received 0 10
IFS='|' read -r app summary body <<<"$(last_received)"
assert_eq "summary" "Did Sam do something kind today?" "$summary"
assert_eq "the prompt names Sam too, not 'they'" \
    "Did Sam check in on you? How did that feel?" "$body"
run_capture kl --json remind snooze 10m
assert_ok "remind snooze 10m"
next=$(jq_py "$OUT" 'd["next"]')
assert_match "next is the snooze's end, 22:12" '^2026-03-05T22:12:0[0-9]\+01:00$' \
    "$next"
assert_eq "the snooze is shown" "$next" "$(jq_py "$OUT" 'd["snoozed_until"]')"
assert_eq "no note: this snooze brings a reminder" None \
    "$(jq_py "$OUT" 'str(d.get("snooze_note"))')"
stop_daemon

# ------------------------------------- snooze 1h at 22:00, quiet from 22:30
write_config '[partner]
name = Sam
[reminders]
times = 22:00
quiet_hours = 22:30-07:30
snooze = 1h
skip_if_logged = false
[recap]
weekly ='
fake_time Europe/Berlin '2026-03-06 21:59:58'
need_daemon
n=$(received_count)
wait_received "$n" 10
n=$(received_count)
pick_action Snooze
wait_received "$n" 10
IFS='|' read -r app summary body <<<"$(last_received)"
assert_eq "Snooze into quiet hours: a word about it" "Snoozed" "$summary"
assert_eq "saying no reminder comes" \
    "Snoozed until 23:00, which is in quiet hours (22:30-07:30): no reminder comes then." \
    "$body"
run_capture kl --json remind snooze
assert_contains "remind snooze's reply says so too" \
    "$(jq_py "$OUT" 'd["snooze_note"]')" "in quiet hours (22:30-07:30)"
assert_eq "next is tomorrow's 22:00" "2026-03-07T22:00:00+01:00" \
    "$(jq_py "$OUT" 'd["next"]')"
run_capture kl remind snooze
assert_contains "kindlog remind snooze says so" "$OUT" \
    "which is in quiet hours (22:30-07:30): no reminder comes then."
run_capture kl remind status
assert_contains "remind status shows the note" "$OUT" "Note:"

# A snooze that ends today, then "Not today": no snooze listed any more.
run_capture kl remind snooze 10m
assert_ok "remind snooze 10m"
n=$(received_count)
run_capture kl remind now
wait_received "$n" 10
pick_action "Not today"
wait_for 5 eval '[ "$(remind_field "d[\"not_today\"]")" = true ]'
assert_eq "after Not today: no pending snooze" null \
    "$(remind_field 'd["snoozed_until"]')"
run_capture kl remind status
assert_not_contains "remind lists no 'Snoozed until'" "$OUT" "Snoozed until"
assert_contains "it says not today" "$OUT" "no more reminders today"
stop_daemon

# ---------------------------------------- first start ever: no catch-up
write_config '[reminders]
times = 20:30
catch_up = 2h
[recap]
weekly ='
rm -f "$XDG_DATA_HOME/kindlog/kindlog.db"*
fake_time Europe/Berlin '2026-03-11 21:00:00'
n=$(received_count)
need_daemon
run_capture kl remind now
wait_received "$n" 10
assert_eq "first start at 21:00: only remind now's notification" \
    $((n + 1)) "$(received_count)"
assert_not_contains "nothing was caught up" "$(cat "$DAEMON_LOG")" \
    "catching up"
stop_daemon
# The next day it was not running at 20:30: that one was missed.
fake_time Europe/Berlin '2026-03-12 21:00:00'
n=$(received_count)
need_daemon
if wait_received "$n" 10; then
	pass "a restart catches up a reminder it did miss"
else
	fail "a restart catches up a reminder it did miss" \
	    "$(show "$(cat "$DAEMON_LOG")")"
fi
assert_contains "the daemon says so" "$(cat "$DAEMON_LOG")" "catching up"
stop_daemon

finish
