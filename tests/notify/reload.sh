#!/usr/bin/env bash
# SIGHUP (and kindlog reload) with a broken config keeps the old one; a
# good one replaces it and re-arms the reminder.
NOTIFY_BUS=0
. "$NOTIFY_TESTS_DIR/lib.sh"

write_config '[reminders]
times = 20:30
quiet_hours = 22:30-07:30'
fake_time Europe/Berlin '2026-03-10 12:00:00'
need_daemon
assert_eq "times from the config" '["20:30"]' "$(remind_field 'd["times"]')"

write_config '[reminders]
times = 25:99'
kill -HUP "$DAEMON_PID"
wait_for 5 grep -q "reload failed" "$DAEMON_LOG"
assert_contains "SIGHUP with a broken config: logged" "$(cat "$DAEMON_LOG")" \
    "reload failed, keeping the old config"
assert_contains "the message names the file" "$(cat "$DAEMON_LOG")" \
    "kindlog.conf"
assert_true "the daemon is still running" pid_alive "$DAEMON_PID"
assert_eq "times unchanged" '["20:30"]' "$(remind_field 'd["times"]')"
assert_eq "quiet hours unchanged" 22:30-07:30 "$(remind_field 'd["quiet_hours"]')"
assert_eq "next unchanged" 2026-03-10T20:30:00+01:00 "$(remind_field 'd["next"]')"
run_capture kl reload
assert_rc "kindlog reload with a broken config exits 1" 1
assert_contains "and names the key" "$ERR" "times"

write_config '[reminders]
times = 07:15, 12:45
quiet_hours ='
kill -HUP "$DAEMON_PID"
wait_for 5 eval '[ "$(remind_field "d[\"times\"]")" = "[\"07:15\",\"12:45\"]" ]'
assert_eq "SIGHUP with a good config: new times" '["07:15","12:45"]' \
    "$(remind_field 'd["times"]')"
assert_eq "no quiet hours" null "$(remind_field 'd["quiet_hours"]')"
assert_eq "next re-armed" 2026-03-10T12:45:00+01:00 "$(remind_field 'd["next"]')"

write_config '[reminders]
times = 18:00'
run_capture kl reload
assert_ok "kindlog reload with a good config"
assert_eq "next follows" 2026-03-10T18:00:00+01:00 "$(remind_field 'd["next"]')"
stop_daemon

finish
