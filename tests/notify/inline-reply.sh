#!/usr/bin/env bash
# A server that advertises inline-reply (as KDE Plasma does), played by
# fake-server.py: the reminder asks for a reply with the placeholder "What
# did Sam do?", and a NotificationReplied for it becomes today's entry at
# once, confirmed in the reminder's place. Replies to other ids, or sent
# by anyone but the server, are ignored; a refused text says why. The
# activation token of a click reaches the prompt. The weekly recap
# carries "Write it down…" only, and counts the same seven days as
# kindlog recap (on a Tuesday, not just Monday and Tuesday).
. "$NOTIFY_TESTS_DIR/lib.sh"

start_fake_server actions,body,inline-reply
make_prompt_stub
write_config "[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = false
[recap]
weekly =
[prompt]
command = $T/prompt-stub"
need_daemon -v	# ignored replies are debug messages

# Wait for more than N Notify calls.
fake_wait() {	# N
	wait_for 10 eval '[ "$(fake_count)" -gt '"$1"' ]'
}

run_capture kl remind now
assert_ok "remind now"
fake_wait 0
assert_eq "the reminder's actions" \
    "default|Write it down…|snooze|Snooze|not-today|Not today|inline-reply|Reply" \
    "$(fake_field '"|".join(d["actions"])')"
assert_eq "the reply field's placeholder" "What did Sam do?" \
    "$(fake_field 'd["hints"].get("x-kde-reply-placeholder-text")')"
id=$(fake_field 'd["id"]')
assert_eq "status: the server offers inline replies" true \
    "$(jq_py "$(kl --json status)" 'd["notifications"]["inline_reply"]')"

# Not ours: another id, and our id from a connection that is not the server.
fake_call Reply "uint32:$((id + 100))" "string:a reply to someone else"
fake_call ForeignReply "uint32:$id" "string:forged by another client"
fake_call Reply "uint32:$id" "string:brought me tea in bed #morning"
wait_for 10 eval '[ "$(entry_count)" -ge 1 ]'
entries=$(kl --json list --all)
assert_eq "only the server's reply to our id is stored" 1 \
    "$(jq_py "$entries" 'd["total"]')"
assert_eq "its text" "brought me tea in bed" \
    "$(jq_py "$entries" 'd["entries"][0]["text"]')"
assert_eq "its tag" '["morning"]' "$(jq_py "$entries" 'd["entries"][0]["tags"]')"
assert_contains "the other id was ignored" "$(cat "$DAEMON_LOG")" \
    "ignoring a reply to notification $((id + 100))"
fake_wait 1
assert_eq "a confirmation in the reminder's place" "$id" \
    "$(fake_field 'd["replaces_id"]')"
assert_eq "it says so" "Logged for today — streak 1 day" \
    "$(fake_field 'd["summary"]')"
assert_eq "it has no actions" "[]" "$(fake_field 'd["actions"]')"

# A refused text: the notification says why.
n=$(fake_count)
run_capture kl remind now
fake_wait "$n"
id=$(fake_field 'd["id"]')
fake_call Reply "uint32:$id" "string:$(head -c 4001 /dev/zero | tr '\0' a)"
fake_wait $((n + 1))
assert_eq "too long: not logged" "Not logged" "$(fake_field 'd["summary"]')"
assert_eq "and why" "text is longer than 4000 bytes" "$(fake_field 'd["body"]')"
assert_eq "nothing more stored" 1 "$(entry_count)"

# A click with an activation token: the prompt gets it.
printf 'say walked the dog at dawn\n' >"$T/prompt-mode"
n=$(fake_count)
run_capture kl remind now
fake_wait "$n"
fake_call Invoke "uint32:$(fake_field 'd["id"]')" string:default \
    string:kindlog-test-token-42
wait_for 10 eval '[ "$(entry_count)" = 2 ]'
assert_eq "the prompt's answer is stored" 2 "$(entry_count)"
assert_eq "the prompt got the activation token" kindlog-test-token-42 \
    "$(prompt_seen XDG_ACTIVATION_TOKEN)"
assert_eq "also as DESKTOP_STARTUP_ID" kindlog-test-token-42 \
    "$(prompt_seen DESKTOP_STARTUP_ID)"
stop_daemon

# --------------------------------------------------------- weekly recap
# Five gestures on five days, Wednesday to Sunday; the recap is due on
# Tuesday 2026-03-10 at 21:53. kindlog recap counts the seven days ending
# today, and so must the notification.
write_config '[partner]
name = Sam
[reminders]
enabled = false
[recap]
weekly = tue 21:53'
fake_time Europe/Berlin '2026-03-10 21:52:57'
rm -f "$XDG_DATA_HOME/kindlog/kindlog.db"*
need_daemon
for d in 2026-03-04 2026-03-05 2026-03-06 2026-03-07 2026-03-08; do
	run_capture kl add -d "$d" "a kind gesture on $d"
done
recap=$(kl --json recap)
n=$(fake_count)
if fake_wait "$n"; then
	pass "the weekly recap arrives"
else
	fail "the weekly recap arrives" "$(show "$(tail -n 5 "$DAEMON_LOG")")"
fi
assert_eq "kindlog recap: 5 gestures on 5 days" "5 5" \
    "$(jq_py "$recap" 'str(d["entries"]) + " " + str(d["days_noticed"])')"
assert_contains "the notification counts the same" "$(fake_field 'd["body"]')" \
    "noticed 5 gestures on 5 days"
assert_eq "the recap offers Write it down… only" "default|Write it down…" \
    "$(fake_field '"|".join(d["actions"])')"
stop_daemon

finish
