#!/usr/bin/env bash
# "Write it down…" on a reminder (dunst: dunstctl action, what a click does
# with mouse_left_click = do_action) runs the prompt program — here a stub
# set as [prompt] command — and its line becomes today's entry with its
# #tags, confirmed by a notification. Cancel and an empty line store
# nothing; a prompt that hangs neither slows kindlog add nor lets a second
# click start another, and is ended at its time limit. Without any prompt
# program the click says how to log with kindlog add.
. "$NOTIFY_TESTS_DIR/lib.sh"

start_server
make_prompt_stub
write_config "[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = false
[recap]
weekly =
[prompt]
command = $T/prompt-stub --from-kindlog"
# The ten minutes, shortened: a hung prompt is ended after 8 s.
export KINDLOGD_PROMPT_TIMEOUT=8
need_daemon

# Show a fresh reminder, alone on screen; wait until dunst has it.
fresh_reminder() {
	local n
	dunstctl close-all
	n=$(received_count)
	run_capture kl remind now
	wait_received "$n" 10
}

# Invoke the default action, as a click on the body would.
click() {
	dunstctl action 0
}

# ------------------------------------------------ what dunst is offered
printf 'say made soup when I was tired #dinner #Care\n' >"$T/prompt-mode"
fresh_reminder
assert_eq "the reminder arrived" 1 "$(received_count)"
pick_action "(none)"
menu=$(cat "$T/dmenu.in" 2>/dev/null)
assert_contains "dunst offers Write it down…" "$menu" "#Write it down… "
assert_contains "and Snooze" "$menu" "#Snooze "
assert_not_contains "no inline reply: dunst does not advertise it" "$menu" \
    "Reply"

# ------------------------------------------------------- a typed answer
click
wait_for 10 eval '[ "$(entry_count)" = 1 ]'
assert_eq "the prompt ran once" 1 "$(prompt_runs)"
assert_eq "its first argument is the configured one" "--from-kindlog" \
    "$(grep '^arg=' "$T/prompt.runs" | head -n 1 | cut -d= -f2-)"
assert_eq "the question comes last" "What did Sam do?" "$(prompt_seen arg)"
assert_eq "it sees the session's display" "$DISPLAY" "$(prompt_seen DISPLAY)"
assert_eq "its stdin is /dev/null" /dev/null "$(prompt_seen stdin)"
entry=$(kl --json list --all)
assert_eq "the entry's text" "made soup when I was tired" \
    "$(jq_py "$entry" 'd["entries"][0]["text"]')"
assert_eq "its #tags became tags" '["care","dinner"]' \
    "$(jq_py "$entry" 'sorted(d["entries"][0]["tags"])')"
assert_eq "for today" "$(daemon_today)" \
    "$(jq_py "$entry" 'd["entries"][0]["day"]')"
wait_for 10 eval '[ "$(received_count)" -ge 2 ]'
IFS='|' read -r app summary body <<<"$(last_received)"
assert_eq "a confirmation" "Logged for today — streak 1 day" "$summary"
assert_eq "naming the entry" "made soup when I was tired" "$body"

# ------------------------------------------------ cancel, empty: nothing
for mode in cancel empty; do
	printf '%s\n' "$mode" >"$T/prompt-mode"
	runs=$(prompt_runs)
	fresh_reminder
	click
	wait_for 10 eval '[ "$(prompt_runs)" -gt '"$runs"' ]'
	case $mode in
	cancel) why="prompt: cancelled; nothing logged" ;;
	empty) why="prompt: nothing was typed; nothing logged" ;;
	esac
	wait_for 5 grep -qF "$why" "$DAEMON_LOG"
	assert_contains "$mode: the daemon says why" "$(cat "$DAEMON_LOG")" "$why"
	assert_eq "$mode: nothing stored" 1 "$(entry_count)"
done

# --------------------------------------------- a prompt that hangs 30 s
printf 'hang\n' >"$T/prompt-mode"
rm -f "$T/prompt.pid"
runs=$(prompt_runs)
fresh_reminder
click
wait_for 10 test -s "$T/prompt.pid"
hung=$(cat "$T/prompt.pid")
run_capture kl add "fixed the gate while the prompt was open"
assert_ok "kindlog add answers while the prompt is open"
assert_true "the prompt is still open after the add" pid_alive "$hung"
fresh_reminder
click
wait_for 5 grep -qF "no prompt: a prompt is already open" "$DAEMON_LOG"
assert_contains "a second click is refused" "$(cat "$DAEMON_LOG")" \
    "no prompt: a prompt is already open"
reply=$(rpc_call prompt.run)
assert_eq "prompt.run: not started" false \
    "$(jq_py "$reply" 'd["result"]["started"]')"
assert_eq "prompt.run: why" "a prompt is already open" \
    "$(jq_py "$reply" 'd["result"]["why"]')"
assert_eq "no second prompt ran" $((runs + 1)) "$(prompt_runs)"
if wait_for 15 pid_gone "$hung"; then
	pass "the hung prompt is ended at its time limit"
else
	fail "the hung prompt is ended at its time limit" \
	    "$(show "$(tail -n 5 "$DAEMON_LOG")")"
fi
assert_contains "the daemon says so" "$(cat "$DAEMON_LOG")" "ending it"
assert_eq "only the add stored" 2 "$(entry_count)"

# ---------------------------------------- prompt.run when none is open
printf 'say left the porch light on for me\n' >"$T/prompt-mode"
n=$(received_count)
reply=$(rpc_call prompt.run)
assert_eq "prompt.run: started" '{"started":true,"why":null}' \
    "$(jq_py "$reply" 'd["result"]')"
wait_for 10 eval '[ "$(entry_count)" = 3 ]'
assert_eq "prompt.run's answer is stored" "left the porch light on for me" \
    "$(jq_py "$(kl --json list -n 1)" 'd["entries"][0]["text"]')"
wait_received "$n" 10
assert_contains "and confirmed" "$(last_received)" "|Logged for today — streak"
stop_daemon

# ------------------------------------------------ no prompt program
write_config '[partner]
name = Sam
[recap]
weekly ='
mkdir -p "$T/nobin"
DAEMON_ENV=(PATH="$T/nobin")
need_daemon
fresh_reminder
n=$(received_count)
click
wait_received "$n" 10
IFS='|' read -r app summary body <<<"$(last_received)"
assert_eq "no prompt program: it says so" "Write it down" "$summary"
assert_contains "and how to log instead" "$body" 'kindlog add "what Sam did"'
reply=$(rpc_call prompt.run)
assert_eq "prompt.run: not started" false \
    "$(jq_py "$reply" 'd["result"]["started"]')"
assert_contains "prompt.run: no program" \
    "$(jq_py "$reply" 'd["result"]["why"]')" "no prompt program found"
stop_daemon

finish
