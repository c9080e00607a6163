#!/usr/bin/env bash
# A reminder at its scheduled time reaches a real notification server
# (dunst) with the partner's name, a prompt, "A year ago today" on the
# first reminder of the day and the unthanked count on the last; with
# today logged and skip_if_logged, none comes.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
write_config '[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = true
catch_up = 0
[recap]
weekly ='

# ---------------------------------------------------------- it arrives
# 2026-03-10 is a Tuesday; the daemon runs in Berlin, 2 s before 20:30.
fake_time Europe/Berlin '2026-03-10 20:29:58'
need_daemon
run_capture kl add -d 2025-03-10 "brought me soup when I had the flu"
assert_ok "an entry a year before"
run_capture kl add -d 2026-03-09 "walked the dog in the rain"
assert_ok "an unthanked entry this week (Monday)"
assert_eq "next is today 20:30 Berlin time" "2026-03-10T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"

if wait_received 0 10; then
	pass "a notification arrives at 20:30"
else
	fail "a notification arrives at 20:30" "log: $(show "$(cat "$DAEMON_LOG")")"
fi
got=$(last_received)
IFS='|' read -r app summary body <<<"$got"
assert_eq "app name" kindlog "$app"
assert_eq "summary names the partner" "Did Sam do something kind today?" \
    "$summary"
assert_contains "first of the day: an anniversary" "$body" \
    "A year ago today: brought me soup when I had the flu"
assert_contains "last of the day: this week's unthanked count" "$body" \
    "1 of this week's gestures is not thanked yet."
assert_eq "exactly one notification" 1 "$(received_count)"

status=$(kl --json remind status)
assert_eq "remind.status: last delivery ok" true \
    "$(jq_py "$status" 'd["last_delivery"]["ok"]')"
assert_eq "remind.status: next is tomorrow 20:30" "2026-03-11T20:30:00+01:00" \
    "$(jq_py "$status" 'd["next"]')"
assert_eq "status: notifications available" true \
    "$(jq_py "$(kl --json status)" 'd["notifications"]["available"]')"
assert_eq "status: the server offers actions" true \
    "$(jq_py "$(kl --json status)" 'd["notifications"]["actions"]')"
stop_daemon

# ------------------------------------------------ a prompt on other days
# No anniversary on 2026-03-11 and nothing unthanked there either once
# Monday's entry is thanked: the body is one of the reflection prompts.
fake_time Europe/Berlin '2026-03-11 20:29:58'
need_daemon
id=$(jq_py "$(kl --json list --all)" \
    '[e["id"] for e in d["entries"] if e["day"] == "2026-03-09"][0]')
run_capture kl thank "$id"
assert_ok "thank Monday's entry"
if wait_received 1 10; then
	pass "the next day's reminder arrives"
else
	fail "the next day's reminder arrives" "log: $(show "$(cat "$DAEMON_LOG")")"
fi
IFS='|' read -r app summary body <<<"$(last_received)"
assert_eq "summary again" "Did Sam do something kind today?" "$summary"
assert_match "body is a prompt" '^[A-Z].{15,}[?.]$' "$body"
assert_not_contains "no unthanked line when all are thanked" "$body" \
    "not thanked yet"
stop_daemon

# ------------------------------------------- today logged: no reminder
fake_time Europe/Berlin '2026-03-12 20:29:58'
need_daemon
run_capture kl add "made coffee before I woke up"
assert_ok "log something today"
assert_eq "with today logged, next is tomorrow" "2026-03-13T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
sleep 4	# past 20:30:00 on the fake clock
assert_eq "no reminder for a logged day" 2 "$(received_count)"
assert_eq "next is still tomorrow after 20:30" "2026-03-13T20:30:00+01:00" \
    "$(remind_field 'd["next"]')"
stop_daemon

finish
