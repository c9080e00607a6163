#!/usr/bin/env bash
# mako, the Wayland notification server, under a headless sway
# (WLR_BACKENDS=headless, WLR_RENDERER=pixman): what it advertises, what
# the reminder offers it, and makoctl invoke (what a left click does)
# opening the prompt program — found by the daemon itself, here a stub
# called fuzzel, which it asks for on Wayland — whose answer is stored
# and confirmed. sway refuses to run as root: as root, the test runs
# itself as a throwaway user, removed afterwards.
: "${NOTIFY_TESTS_DIR:?NOTIFY_TESTS_DIR must name tests/notify}"
: "${TESTS_DIR:?TESTS_DIR must name tests/integration}"

for c in sway mako makoctl; do
	if ! command -v "$c" >/dev/null 2>&1; then
		echo "SKIP mako: $c is not installed"
		exit 77
	fi
done

if [ "$(id -u)" = 0 ] && [ -z "${KL_MAKO_AS_USER:-}" ]; then
	for c in useradd userdel runuser; do
		command -v "$c" >/dev/null 2>&1 ||
		    { echo "SKIP mako: $c is missing"; exit 77; }
	done
	user="kl-mako-$$"
	home=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-mako.XXXXXX") || exit 1
	useradd --no-create-home --home-dir "$home" --shell /bin/sh \
	    --user-group "$user" || exit 1
	trap 'userdel "$user" 2>/dev/null; rm -rf "$home"' EXIT
	# Copies: the build tree may sit where the user cannot read it.
	mkdir "$home/bin"
	cp "$KINDLOG_BIN" "$KINDLOGD_BIN" "$home/bin/"
	cp -r "$NOTIFY_TESTS_DIR" "$home/notify"
	cp -r "$TESTS_DIR" "$home/integration"
	chown -R "$user:$user" "$home"
	chmod 700 "$home"
	runuser -u "$user" -- env KL_MAKO_AS_USER=1 TMPDIR="$home" \
	    PATH="$PATH" KINDLOG_BIN="$home/bin/kindlog" \
	    KINDLOGD_BIN="$home/bin/kindlogd" TESTS_DIR="$home/integration" \
	    NOTIFY_TESTS_DIR="$home/notify" bash "$home/notify/mako.sh"
	exit $?
fi

. "$NOTIFY_TESTS_DIR/lib.sh"

# Start a headless sway and mako inside it; wait for the name.
start_mako() {
	local socket
	printf '' >"$T/sway.conf"
	WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
	    sway --config "$T/sway.conf" >"$T/sway.log" 2>&1 &
	SERVER_PIDS+=("$!")
	wait_for 10 eval 'ls "$XDG_RUNTIME_DIR"/wayland-[0-9] >/dev/null 2>&1' || {
		fail "sway starts" "$(show "$(tail -n 5 "$T/sway.log")")"
		finish
	}
	socket=$(ls "$XDG_RUNTIME_DIR"/wayland-[0-9] | head -n 1)
	export WAYLAND_DISPLAY=${socket##*/}
	mako >"$T/mako.log" 2>&1 &
	SERVER_PIDS+=("$!")
	wait_for 10 notify_name_owned || {
		fail "mako owns org.freedesktop.Notifications" \
		    "$(show "$(cat "$T/mako.log")")"
		finish
	}
}

# The notifications mako shows now, as "id|summary|actions" lines.
mako_list() {
	"$PYTHON" -c '
import json, sys
for n in json.load(sys.stdin)["data"][0]:
    acts = ",".join(sorted(n.get("actions", {}).get("data", {})))
    print("%s|%s|%s" % (n["id"]["data"], n["summary"]["data"], acts))
' < <(makoctl list)
}

start_mako
caps=$(dbus-send --session --print-reply --dest=org.freedesktop.Notifications \
    /org/freedesktop/Notifications org.freedesktop.Notifications.GetCapabilities)
assert_contains "mako advertises actions" "$caps" '"actions"'
assert_not_contains "but no inline replies" "$caps" '"inline-reply"'

make_prompt_stub
stub_as fuzzel
printf 'say kept dinner warm for me #dinner\n' >"$T/prompt-mode"
write_config '[partner]
name = Sam
[reminders]
times = 20:30
skip_if_logged = false
[recap]
weekly ='
DAEMON_ENV=(PATH="$T/fakebin")
need_daemon
run_capture kl remind now
assert_ok "remind now"
wait_for 10 eval '[ -n "$(mako_list)" ]'
IFS='|' read -r id summary actions <<<"$(mako_list | head -n 1)"
assert_eq "mako shows the reminder" "Did Sam do something kind today?" "$summary"
assert_eq "with its actions, and no inline reply" "default,not-today,snooze" \
    "$actions"
status=$(kl --json status)
assert_eq "status: actions" true "$(jq_py "$status" 'd["notifications"]["actions"]')"
assert_eq "status: no inline reply" false \
    "$(jq_py "$status" 'd["notifications"]["inline_reply"]')"

run_capture makoctl invoke
assert_ok "makoctl invoke (the default action)"
wait_for 10 eval '[ "$(entry_count)" = 1 ]'
assert_eq "fuzzel was asked, on Wayland" fuzzel "$(prompt_seen prog)"
assert_eq "in dmenu mode" --dmenu \
    "$(grep '^arg=' "$T/prompt.runs" | head -n 1 | cut -d= -f2-)"
assert_eq "with the question as its prompt" "What did Sam do? " \
    "$(prompt_seen arg)"
assert_eq "on the session's Wayland display" "$WAYLAND_DISPLAY" \
    "$(prompt_seen WAYLAND_DISPLAY)"
entries=$(kl --json list --all)
assert_eq "the entry" "kept dinner warm for me" \
    "$(jq_py "$entries" 'd["entries"][0]["text"]')"
assert_eq "its tag" '["dinner"]' "$(jq_py "$entries" 'd["entries"][0]["tags"]')"
wait_for 10 eval 'mako_list | grep -q "|Logged for today"'
assert_contains "mako shows the confirmation" "$(mako_list)" \
    "|Logged for today — streak 1 day|"
stop_daemon

finish
