#!/bin/bash
# calendar: the method's per-day counts, and the heatmap compared with
# golden files at 80 and 200 columns, plain and in colour. The daemon's
# clock is fixed (faketime) so "today" and the weeks shown never move.
# Regenerate the golden files with UPDATE_GOLDEN=1 after checking them.
. "$TESTS_DIR/lib.sh" || exit 1
. "$INSIGHT_DIR/fixture.sh"

export TZ=Europe/Berlin
fake_time Europe/Berlin '2026-11-27 12:00:00'
need_daemon
fixture_load

run_capture kl --json calendar --weeks 2
assert_ok "calendar --weeks 2"
assert_eq "two weeks: from the Monday a week before, only days with entries" \
    '{"days":[{"count":1,"day":"2026-11-20"},{"count":1,"day":"2026-11-24"},{"count":1,"day":"2026-11-25"},{"count":2,"day":"2026-11-26"},{"count":1,"day":"2026-11-27"}],"from":"2026-11-16","to":"2026-11-27","today":"2026-11-27"}' \
    "$(json_canon "$OUT")"
run_capture kl --json calendar --weeks 1 --until 2026-10-04
assert_eq "--until ends the calendar on that day" \
    '["2026-09-28","2026-10-04",5]' \
    "$(jq_py "$OUT" '[d["from"], d["to"], sum(x["count"] for x in d["days"])]')"
run_capture kl calendar --weeks 0
assert_rc "--weeks 0 is a usage error" 2
run_capture kl calendar --weeks many
assert_rc "--weeks many is a usage error" 2

golden calendar-80-plain env COLUMNS=80 "$KINDLOG_BIN" --no-autostart calendar
golden calendar-200-plain env COLUMNS=200 "$KINDLOG_BIN" --no-autostart calendar
golden calendar-80-color env COLUMNS=80 KINDLOG_COLOR=always \
    "$KINDLOG_BIN" --no-autostart calendar
golden calendar-200-color env COLUMNS=200 KINDLOG_COLOR=always \
    "$KINDLOG_BIN" --no-autostart calendar
golden calendar-40-weeks-10 env COLUMNS=40 "$KINDLOG_BIN" --no-autostart \
    calendar --weeks 10

# Not a tty and no forcing: plain characters; NO_COLOR beats a tty.
run_capture env COLUMNS=80 "$KINDLOG_BIN" --no-autostart calendar
assert_not_contains "no escape sequences when not a tty" "$OUT" $'\033'
run_capture env COLUMNS=60 "$KINDLOG_BIN" --no-autostart calendar
assert_eq "narrow terminal: no line wider than 60 columns" 0 \
    "$(printf '%s\n' "$OUT" | awk 'length($0) > 60' | wc -l | tr -d ' ')"

finish
