#!/usr/bin/env bash
# A real click on the reminder's body, with xdotool under Xvfb, on two X
# servers: dunst with mouse_left_click = do_action, close_current (as the
# README says to set it) and notification-daemon, which invokes the
# default action on a body click. No [prompt] command: the daemon finds
# the prompt program itself, here a stub called rofi (on X, after zenity
# and kdialog), and the answer becomes an entry.
. "$NOTIFY_TESTS_DIR/lib.sh"

ND=/usr/lib/notification-daemon/notification-daemon
notify_need xdotool dbus-monitor

make_prompt_stub
stub_as rofi
write_config '[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = false
[recap]
weekly ='
DUNST_GLOBAL="mouse_left_click = do_action, close_current"

# Click the middle of the first visible window called NAME (a regex).
click_window() {	# NAME
	local w X Y WIDTH HEIGHT SCREEN WINDOW
	w=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1)
	[ -n "$w" ] || return 1
	eval "$(xdotool getwindowgeometry --shell "$w")"
	xdotool mousemove $((X + WIDTH / 2)) $((Y + HEIGHT / 2)) click 1
}

# Send a reminder, click its body, and check what came of it.
click_and_log() {	# SERVER WINDOW-NAME TEXT
	local server=$1 name=$2 text=$3 runs
	printf 'say %s #clicked\n' "$text" >"$T/prompt-mode"
	runs=$(prompt_runs)
	run_capture kl remind now
	assert_ok "$server: remind now"
	if wait_for 10 click_window "$name"; then
		pass "$server: clicked the notification's body"
	else
		fail "$server: clicked the notification's body" \
		    "no window '$name' on $DISPLAY"
		return
	fi
	wait_for 10 eval '[ "$(prompt_runs)" -gt '"$runs"' ]'
	assert_eq "$server: the click opened the prompt" $((runs + 1)) \
	    "$(prompt_runs)"
	assert_eq "$server: rofi was asked, on X" rofi "$(prompt_seen prog)"
	assert_eq "$server: with the question" "What did Sam do?" \
	    "$(prompt_seen arg)"
	wait_for 10 eval '[ "$(jq_py "$(kl --json list -n 1)" "d[\"entries\"][0][\"text\"]")" = "$text" ]'
	assert_eq "$server: the entry" "$text" \
	    "$(jq_py "$(kl --json list -n 1)" 'd["entries"][0]["text"]')"
	if wait_for 10 monitor_saw "$text"; then
		pass "$server: the confirmation was shown"
	else
		fail "$server: the confirmation was shown" \
		    "$(show "$(tail -n 20 "$T/monitor.log")")"
	fi
}

# ----------------------------------------------------------------- dunst
start_server
start_bus_monitor
DAEMON_ENV=(PATH="$T/fakebin")
need_daemon
click_and_log dunst '^Dunst$' "held the umbrella over me"
assert_eq "dunst: rofi in dmenu mode" -dmenu \
    "$(grep '^arg=' "$T/prompt.runs" | head -n 1 | cut -d= -f2-)"

# ------------------------------------------------- notification-daemon
if [ ! -x "$ND" ]; then
	note "notification-daemon is not installed; skipping that part"
	stop_daemon
	finish
fi
kill -TERM "$DUNST_PID"
wait_for 5 pid_gone "$DUNST_PID"
wait_for 5 eval '! notify_name_owned'
"$ND" >"$T/notification-daemon.log" 2>&1 &
SERVER_PIDS+=("$!")
wait_for 10 notify_name_owned || {
	fail "notification-daemon owns the name" \
	    "$(show "$(cat "$T/notification-daemon.log")")"
	finish
}
click_and_log notification-daemon '^Notification$' "fixed my bike light"
stop_daemon

finish
