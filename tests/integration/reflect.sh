#!/bin/bash
# Reflection: reflect.questions rotates by the daemon's week (libfaketime
# over several days: the same all week, all three new the week after),
# names the partner, and shows the last 7 days; kindlog reflect saves
# answers from stdin and from a terminal, empty answers save nothing,
# and --list shows them.
. "$TESTS_DIR/lib.sh"

mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[partner]\nname = Sam\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"

# The three questions reflect.questions asks now, one a line.
questions() {
	jq_py "$(rpc_call reflect.questions)" \
	    '"\n".join(q["question"] for q in d["result"]["questions"])'
}

# Restart the daemon on the same database at a fake local time.
daemon_at() {	# 'YYYY-MM-DD hh:mm:ss'
	if [ -n "$DAEMON_PID" ] && pid_alive "$DAEMON_PID"; then
		stop_daemon
	fi
	fake_time Europe/Berlin "$1"
	need_daemon
}

# ------------------------------------------------------ rotation by week

daemon_at '2026-11-23 09:00:00'		# a Monday
kl add "made me coffee" -d 2026-11-15 >/dev/null	# 8 days before
kl add "fixed the bike" -d 2026-11-17 >/dev/null	# the 7th day back
kl add "hugged me" >/dev/null
R=$(rpc_call reflect.questions)
assert_eq "the last 7 days' gestures, oldest first" \
    '["fixed the bike","hugged me"]' \
    "$(jq_py "$R" '[e["text"] for e in d["result"]["entries"]]')"
assert_eq "from, to, partner" '["2026-11-17","2026-11-23","Sam"]' \
    "$(jq_py "$R" 'list(map(d["result"].get, ("from", "to", "partner")))')"
assert_eq "one question from each set" \
    '["noticing","their_view","expectations"]' \
    "$(jq_py "$R" '[q["set"] for q in d["result"]["questions"]]')"
MONDAY=$(questions)
assert_not_contains "no placeholder left" "$MONDAY" "{name}"

daemon_at '2026-11-29 21:30:00'		# the Sunday of the same week
assert_eq "the same questions all week" "$MONDAY" "$(questions)"

daemon_at '2026-11-30 08:00:00'		# the next Monday
NEXT=$(questions)
for i in 1 2 3; do
	assert_ne "next week: question $i is new" \
	    "$(sed -n "${i}p" <<<"$MONDAY")" "$(sed -n "${i}p" <<<"$NEXT")"
done

# Ten weeks on: every week differs from the one before, in every set.
prev=$NEXT
same=0
for week in 1 2 3 4 5 6 7 8 9 10; do
	day=$(date -u -d "2026-11-30 + $((7 * week)) days" +%F)
	daemon_at "$day 12:00:00"
	cur=$(questions)
	for i in 1 2 3; do
		if [ "$(sed -n "${i}p" <<<"$prev")" == \
		    "$(sed -n "${i}p" <<<"$cur")" ]; then
			same=$((same + 1))
		fi
	done
	prev=$cur
done
assert_eq "ten weeks, no question asked two weeks running" 0 "$same"
assert_contains "the partner's name in a question" \
    "$MONDAY$NEXT$prev" "Sam"
stop_daemon
DAEMON_PID=""

finish
