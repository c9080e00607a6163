#!/usr/bin/env bash
# No session bus at all: the daemon starts and serves, status says
# notifications are unavailable and why, remind now fails with that reason
# (exit 1, error 5), and a DISPLAY does not make GLib autolaunch a bus.
NOTIFY_BUS=0
. "$NOTIFY_TESTS_DIR/lib.sh"

# Stand-ins for the programs GLib's X11 autolaunch would run: they only
# leave a mark.
mkdir -p "$T/bin"
for prog in dbus-launch dbus-daemon; do
	printf '#!/bin/sh\necho "$0 $*" >>"%s/autolaunched"\nexit 1\n' "$T" \
	    >"$T/bin/$prog"
	chmod +x "$T/bin/$prog"
done
write_config '[partner]
name = Sam
[reminders]
times = 20:30'

# ------------------------------------------------- no bus, no display
DAEMON_ENV=(-u DBUS_SESSION_BUS_ADDRESS -u DISPLAY)
need_daemon
assert_true "no bus socket in XDG_RUNTIME_DIR" test ! -e "$XDG_RUNTIME_DIR/bus"
run_capture kl add "left a note on the mirror"
assert_ok "the daemon serves without a bus"
status=$(kl --json status)
assert_eq "status: notifications unavailable" false \
    "$(jq_py "$status" 'd["notifications"]["available"]')"
assert_contains "status: the reason" \
    "$(jq_py "$status" 'd["notifications"]["reason"]')" "no session bus"
run_capture kl status
assert_contains "kindlog status says so" "$OUT" "unavailable: no session bus"
run_capture kl remind now
assert_rc "kindlog remind now exits 1" 1
assert_contains "with the reason" "$ERR" "no session bus"
run_capture rpc_call remind.now
assert_contains "remind.now: error 5 (unavailable)" "$OUT" '"code":5'
status=$(kl --json remind status)
assert_eq "remind.status: the failed delivery is recorded" false \
    "$(jq_py "$status" 'd["last_delivery"]["ok"]')"
assert_ne "remind.status: a next time is still computed" null \
    "$(jq_py "$status" 'd["next"]')"
stop_daemon

# ------------------------------------------- DISPLAY set, still no bus
DAEMON_ENV=(-u DBUS_SESSION_BUS_ADDRESS DISPLAY=:97 PATH="$T/bin:$PATH")
need_daemon
run_capture kl remind now
assert_rc "with DISPLAY: remind now still exits 1" 1
sleep 0.5
assert_eq "no dbus-launch or dbus-daemon child" "" \
    "$(cat "/proc/$DAEMON_PID"/task/*/children 2>/dev/null | tr -d ' ')"
assert_true "nothing tried to autolaunch a bus" test ! -e "$T/autolaunched"
assert_eq "the daemon started no notifier thread" 1 \
    "$(ls "/proc/$DAEMON_PID/task" | wc -l | tr -d ' ')"
stop_daemon

finish
