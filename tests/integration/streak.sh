#!/bin/bash
# Streaks (ARCHITECTURE.md, Invariants): runs of counted days built from backdated entries,
# at_risk, deleted entries, day_starts_at (under libfaketime) and DST days
# in a zone that has them.
. "$TESTS_DIR/lib.sh"

# Compare `kindlog --json streak` with every field given.
streak_is() {	# DESC CURRENT BEST FIRST LAST TODAY LOGGED AT_RISK DAYS ENTRIES
	local first=\"$4\" last=\"$5\" got
	[ "$4" == null ] && first=null
	[ "$5" == null ] && last=null
	got=$(kl --json streak)
	assert_eq "$1" \
	    "{\"at_risk\":$8,\"best\":$3,\"best_first\":$first,\"best_last\":$last,\"current\":$2,\"days_noticed\":$9,\"entries\":${10},\"logged_today\":$7,\"today\":\"$6\"}" \
	    "$(json_canon "$got")"
}

# Add an entry on a day; prints its id.
add_on() {	# DAY [TEXT]
	local out
	out=$(kl --json add "${2:-kind on $1}" -d "$1") ||
	    fail "add on $1" "$out"
	jq_py "$out" 'd["entry"]["id"]'
}

need_daemon
MAIN_PID=$DAEMON_PID
D=$(daemon_today)
d() { day_add "$D" "-$1"; }	# d N: N days before today

streak_is "empty log: all zero, best days null" \
    0 0 null null "$D" false false 0 0

# A run of 4 (D-20..D-17), a run of 2 (D-10, D-9), a lone day D-6.
for n in 20 19 18 17 10 9 6; do add_on "$(d $n)" >/dev/null; done
add_on "$(d 19)" "second entry on the same day" >/dev/null
streak_is "old runs only: current 0, best 4" \
    0 4 "$(d 20)" "$(d 17)" "$D" false false 7 8

# Yesterday and the day before: the run is alive but at risk.
add_on "$(d 2)" >/dev/null
add_on "$(d 1)" >/dev/null
streak_is "logged up to yesterday: current 2, at risk" \
    2 4 "$(d 20)" "$(d 17)" "$D" false true 9 10
run_capture kl streak
assert_contains "streak (human) says log something today" "$OUT" \
    "log something today to keep it"

# Only yesterday logged after a gap: current 1, at risk.
# (checked through a second daemon on its own database below)

# Today: the run is 3, no longer at risk.
TODAY_ID=$(add_on "$D")
streak_is "logged today: current 3, not at risk" \
    3 4 "$(d 20)" "$(d 17)" "$D" true false 10 11

# D-4 and then D-3 join the run: D-4..D is 5, the new best.
add_on "$(d 4)" >/dev/null
streak_is "D-4 leaves a gap at D-3: current still 3" \
    3 4 "$(d 20)" "$(d 17)" "$D" true false 11 12
ID3=$(add_on "$(d 3)")
streak_is "D-3 closes the gap: current 5 = best, ending today" \
    5 5 "$(d 4)" "$D" "$D" true false 12 13
run_capture kl --json add "one more today"
assert_eq "add returns the same streak as streak" \
    "$(json_canon "$(kl --json streak)")" "$(jq_py "$OUT" 'd["streak"]')"
EXTRA_TODAY=$(jq_py "$OUT" 'd["entry"]["id"]')
streak_is "a second entry today counts the day once" \
    5 5 "$(d 4)" "$D" "$D" true false 12 14

# A deleted entry stops counting its day.
run_capture kl --json rm "$ID3"
assert_ok "rm the only entry of D-3"
assert_eq "rm returns the streak without D-3" 3 "$(jq_py "$OUT" 'd["streak"]["current"]')"
streak_is "D-3 deleted: current 3 again, best back to 4" \
    3 4 "$(d 20)" "$(d 17)" "$D" true false 11 13
kl undo >/dev/null
streak_is "undo brings D-3 back" \
    5 5 "$(d 4)" "$D" "$D" true false 12 14

# D-5 joins the lone D-6 to the run: D-6..D is 7.
add_on "$(d 5)" >/dev/null
streak_is "D-5 links D-6 into the run: current 7" \
    7 7 "$(d 6)" "$D" "$D" true false 13 15

# Deleting both of today's entries: yesterday's run is alive, at risk.
kl rm "$TODAY_ID" >/dev/null
streak_is "one of today's two entries deleted: today still counts" \
    7 7 "$(d 6)" "$D" "$D" true false 13 14
kl rm "$EXTRA_TODAY" >/dev/null
streak_is "today's entries deleted: run ends yesterday, at risk (never 0)" \
    6 6 "$(d 6)" "$(d 1)" "$D" false true 12 13

# Moving an entry with edit -d moves its day.
ID1=$(jq_py "$(kl --json list --since "$(d 1)" --until "$(d 1)")" 'd["entries"][0]["id"]')
run_capture kl --json edit "$ID1" -d "$(d 30)"
assert_eq "edit -d moves yesterday's only entry" "$(d 30)" \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
streak_is "yesterday's only entry moved away: current 0, best D-6..D-2" \
    0 5 "$(d 6)" "$(d 2)" "$D" false false 12 13

# Future days are refused and change nothing.
run_capture kl add "tomorrow" -d "$(day_add "$D" 1)"
assert_rc "a future day is refused" 1
streak_is "the refused add changed nothing" \
    0 5 "$(d 6)" "$(d 2)" "$D" false false 12 13
stop_daemon "$MAIN_PID"

# Only yesterday logged, nothing before: current 1, at risk.
start_daemon --db "$T/yesterday.db" || finish
run_capture kl --json add "only yesterday" -d yesterday
assert_eq "only yesterday: add's streak" \
    "{\"at_risk\":true,\"best\":1,\"best_first\":\"$(d 1)\",\"best_last\":\"$(d 1)\",\"current\":1,\"days_noticed\":1,\"entries\":1,\"logged_today\":false,\"today\":\"$D\"}" \
    "$(jq_py "$OUT" 'd["streak"]')"
stop_daemon

# ------------------------------------------------------------ day_starts_at

if [ -z "$FAKETIME_LIB" ]; then
	note "libfaketime is not installed (package faketime): day_starts_at and DST not checked"
	finish
fi

mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[days]\nday_starts_at = 03:00\n' >"$T/early.conf"

# 01:30 with days starting at 03:00: still the 26th.
fake_time UTC '2026-11-27 01:30:00'
start_daemon --config "$T/early.conf" --db "$T/early.db" || finish
run_capture kl --json status
assert_eq "day_starts_at 03:00, 01:30: today is the previous day" \
    2026-11-26 "$(jq_py "$OUT" 'd["today"]')"
assert_eq "status shows day_starts_at" 03:00 "$(jq_py "$OUT" 'd["day_starts_at"]')"
run_capture kl --json add "late night tea"
assert_eq "an entry at 01:30 belongs to the previous day" 2026-11-26 \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
run_capture kl --json add "yesterday, seen from 01:30" -d yesterday
assert_eq "'yesterday' at 01:30 with 03:00 is the 25th" 2026-11-25 \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
run_capture kl add "x" -d 2026-11-27
assert_rc "the calendar date 2026-11-27 is still in the future at 01:30" 1
streak_is "streak with day_starts_at 03:00" \
    2 2 2026-11-25 2026-11-26 2026-11-26 true false 2 2
stop_daemon

# The same moment with the default 00:00 is the 27th.
start_daemon --db "$T/midnight.db" || finish
run_capture kl --json status
assert_eq "day_starts_at 00:00, 01:30: today is the calendar date" \
    2026-11-27 "$(jq_py "$OUT" 'd["today"]')"
run_capture kl --json add "late night tea"
assert_eq "an entry at 01:30 belongs to that date by default" 2026-11-27 \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
stop_daemon

# 03:30 with days starting at 03:00: the new day has begun.
fake_time UTC '2026-11-27 03:30:00'
start_daemon --config "$T/early.conf" --db "$T/early.db" || finish
run_capture kl --json streak
assert_eq "03:30 with 03:00: today is the 27th" 2026-11-27 \
    "$(jq_py "$OUT" 'd["today"]')"
streak_is "the day before's run is at risk after 03:00" \
    2 2 2026-11-25 2026-11-26 2026-11-27 false true 2 2
stop_daemon

# ---------------------------------------------------------------- DST days

# America/New_York: DST ends 2026-11-01 (a 25-hour day) and starts
# 2026-03-08 (23 hours). Days are calendar dates: each still counts as one.
fake_time America/New_York '2026-11-01 23:30:00'
start_daemon --db "$T/dst-nov.db" || finish
run_capture kl --json status
assert_eq "New York, 2026-11-01 23:30 local (04:30 UTC on the 2nd): today is the 1st" \
    2026-11-01 "$(jq_py "$OUT" 'd["today"]')"
for day in 2026-10-30 2026-10-31 2026-11-01; do add_on "$day" >/dev/null; done
run_capture kl --json add "two days ago, across the change" -d "2 days ago"
assert_eq "'2 days ago' across the DST end" 2026-10-30 \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
streak_is "run across the DST end (Oct 30 – Nov 1) is 3 days" \
    3 3 2026-10-30 2026-11-01 2026-11-01 true false 3 4
stop_daemon

fake_time America/New_York '2026-11-02 08:00:00'
start_daemon --db "$T/dst-nov.db" || finish
streak_is "the next morning: run is at risk, not broken" \
    3 3 2026-10-30 2026-11-01 2026-11-02 false true 3 4
add_on 2026-11-02 >/dev/null
streak_is "logging on Nov 2 extends it to 4" \
    4 4 2026-10-30 2026-11-02 2026-11-02 true false 4 5
stop_daemon

fake_time America/New_York '2026-03-09 00:30:00'
start_daemon --db "$T/dst-mar.db" || finish
for day in 2026-03-07 2026-03-08 2026-03-09; do add_on "$day" >/dev/null; done
run_capture kl --json add "yesterday across the change" -d yesterday
assert_eq "'yesterday' right after the 23-hour day" 2026-03-08 \
    "$(jq_py "$OUT" 'd["entry"]["day"]')"
streak_is "run across the DST start (Mar 7 – 9) is 3 days" \
    3 3 2026-03-07 2026-03-09 2026-03-09 true false 3 4
stop_daemon

# 01:30 on the day DST starts, with days starting at 03:00 (02:00–03:00
# does not exist that night): still March 7th.
fake_time America/New_York '2026-03-08 01:30:00'
start_daemon --config "$T/early.conf" --db "$T/dst-early.db" || finish
run_capture kl --json status
assert_eq "New York 2026-03-08 01:30 with 03:00: today is the 7th" \
    2026-03-07 "$(jq_py "$OUT" 'd["today"]')"
stop_daemon
fake_time America/New_York '2026-03-08 03:30:00'
start_daemon --config "$T/early.conf" --db "$T/dst-early.db" || finish
run_capture kl --json status
assert_eq "New York 2026-03-08 03:30 (EDT) with 03:00: today is the 8th" \
    2026-03-08 "$(jq_py "$OUT" 'd["today"]')"
stop_daemon

finish
