#!/bin/bash
# Reflection: reflect.questions rotates by the daemon's week (libfaketime
# over several days: the same all week, all three new the week after),
# names the partner, and shows the last 7 days; kindlog reflect saves
# answers from stdin and from a terminal (script(1) gives it a pty),
# empty answers save nothing, --list shows them, the recap of the month
# shows them, and the summary says so, once, when the last is over a
# week old (reflect.nudge).
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

# No reflection yet: a word about it once a week of days is noticed, once.
nudge() { jq_py "$(rpc_call reflect.nudge "${1:-{\}}")" 'd["result"]'; }
assert_eq "nudge: 3 days noticed, nothing to say" \
    '{"due":false,"last_day":null}' "$(nudge)"
for d in 18 19 20 21; do kl add "kind on the $d." -d "2026-11-$d" >/dev/null; done
assert_eq "nudge: 7 days noticed, a word (not marked)" \
    '{"due":true,"last_day":null}' "$(nudge '{"mark":false}')"
assert_eq "nudge: said once" '{"due":true,"last_day":null}' "$(nudge)"
assert_eq "nudge: not twice" '{"due":false,"last_day":null}' "$(nudge)"

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

# ------------------------------------------------------- kindlog reflect

# The reflections stored, as kindlog --json reflect --list --all has them.
reflections() {	# PYTHON-EXPR over d
	jq_py "$(kl --json reflect --list --all)" "$1"
}

daemon_at '2026-11-29 18:00:00'		# Sunday, the week of 23 Nov
Q=$(questions)
Q1=$(sed -n 1p <<<"$Q")
Q3=$(sed -n 3p <<<"$Q")

# Answers on stdin, one a line; the second left empty.
run_capture kl reflect <<<"$(printf '%s\n' 'The coffee. It is just there.' '' \
    'Not really, I never asked.')"
assert_ok "reflect with answers on stdin"
assert_contains "it shows the week's gestures" "$OUT" "  hugged me"
assert_not_contains "only the last 7 days" "$OUT" "made me coffee"
assert_not_contains "only the last 7 days (not 18 to 21 Nov)" "$OUT" \
    "kind on the"
assert_contains "it asks the first question" "$OUT" "1/3  $Q1"
assert_contains "and the third" "$OUT" "3/3  $Q3"
assert_not_contains "no prompt when stdin is not a terminal" "$OUT" "> "
assert_contains "it says what it kept" "$OUT" \
    "Saved 2 answers for Sun 29 Nov."
assert_eq "the answers are stored with their questions, the empty one not" \
    "$(printf '%s\n' "$Q1" 'The coffee. It is just there.' "$Q3" \
    'Not really, I never asked.')" \
    "$(reflections '"\n".join(a[k] for a in d["reflections"][0]["answers"] for k in ("question", "answer"))')"
assert_eq "on today, one reflection" '["2026-11-29",1]' \
    "$(reflections '[d["reflections"][0]["day"], d["total"]]')"

# Nothing answered: nothing saved.
run_capture kl reflect <<<"$(printf '\n   \n\n')"
assert_ok "reflect with only empty answers"
assert_contains "it says nothing was saved" "$OUT" "Nothing saved"
run_capture kl reflect </dev/null
assert_contains "no input at all: nothing saved" "$OUT" "Nothing saved"
assert_eq "still one reflection" 1 "$(reflections 'd["total"]')"

# --json: the saved reflection alone on stdout, nothing on stderr.
run_capture kl --json reflect <<<"only one answer"
assert_eq "--json reflect prints reflect.save's result" '["only one answer"]' \
    "$(jq_py "$OUT" '[a["answer"] for a in d["reflection"]["answers"]]')"
assert_eq "--json reflect without a terminal: no questions on stderr" "" "$ERR"

# On a terminal (script gives it a pty): a prompt per question.
run_capture timeout 30 script -qfec \
    "$KINDLOG_BIN --no-autostart reflect" /dev/null \
    <<<"$(printf '%s\n' 'asked on a terminal' '' 'and answered')"
assert_ok "reflect on a terminal"
assert_contains "a terminal is told how to skip" "$OUT" \
    "Three questions. Answer in a line, or press Enter to skip one."
assert_eq "a prompt for each question" 3 "$(grep -c '^> ' <<<"$OUT")"
assert_contains "what it kept" "$OUT" "Saved 2 answers"
assert_eq "the terminal's answers are stored" \
    '["asked on a terminal","and answered"]' \
    "$(reflections '[a["answer"] for a in d["reflections"][0]["answers"]]')"
run_capture timeout 30 script -qfec \
    "$KINDLOG_BIN --no-autostart reflect" /dev/null <<<"$(printf '\n\n\n')"
assert_contains "skipping every question on a terminal saves nothing" \
    "$OUT" "Nothing saved"
assert_eq "three reflections in all" 3 "$(reflections 'd["total"]')"

# --list: newest first, question and answer.
run_capture kl reflect --list -n 1
assert_ok "reflect --list -n 1"
assert_contains "--list: the day" "$OUT" "Sun 29 Nov 2026"
assert_contains "--list: the answer under its question" "$OUT" \
    "    and answered"
assert_contains "--list: the older ones are counted" "$OUT" "(2 older"
run_capture kl reflect -n 1
assert_rc "-n without --list is a usage error" 2

# The recap of the month shows them; the hand-over forms do not.
run_capture kl recap --month
assert_contains "recap --month: the reflections" "$OUT" "Your reflections"
assert_contains "recap --month: an answer" "$OUT" "The coffee. It is just there."
assert_eq "recap --json: the period's reflections, oldest first" \
    '["The coffee. It is just there.","only one answer","asked on a terminal"]' \
    "$(jq_py "$(kl --json recap --year)" '[r["answers"][0]["answer"] for r in d["reflections"]]')"
run_capture kl recap --month --markdown
assert_not_contains "recap --markdown leaves them out" "$OUT" "just there"

# The summary: nothing to say today; a gentle line nine days later.
run_capture kl
assert_not_contains "summary: no word the day of a reflection" "$OUT" \
    "Reflect:"
daemon_at '2026-12-08 09:00:00'
assert_eq "summary --json: a word is due, the last reflection's day" \
    '[true,"2026-11-29"]' \
    "$(jq_py "$(kl --json)" '[d["reflect_due"], d["last_reflection"]]')"
run_capture kl
assert_contains "summary: one gentle line after more than a week" "$OUT" \
    "Reflect:       9 days since you last looked back: kindlog reflect"
run_capture kl
assert_not_contains "summary: said once, not again" "$OUT" "Reflect:"
assert_eq "summary --json: no longer due" false \
    "$(jq_py "$(kl --json)" 'd["reflect_due"]')"
stop_daemon
DAEMON_PID=""

finish
