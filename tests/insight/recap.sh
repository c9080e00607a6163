#!/bin/bash
# recap and resurface against hand-computed expectations for the fixture
# in fixture.sh (clock fixed at Fri 2026-11-27 12:00, partner "Sam"), the
# Markdown and terminal forms against golden files, and the still-to-thank
# list shrinking after a thank-you. Regenerate the golden files with
# UPDATE_GOLDEN=1 after checking them.
. "$TESTS_DIR/lib.sh" || exit 1
. "$INSIGHT_DIR/fixture.sh"

export TZ=Europe/Berlin
mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[partner]\nname = Sam\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
fake_time Europe/Berlin '2026-11-27 12:00:00'
need_daemon

# An empty log: nothing to resurface, an empty recap.
run_capture rpc_call resurface
assert_eq "resurface: nothing yet" '{"entry":null,"reason":null}' \
    "$(jq_py "$OUT" 'd["result"]')"
run_capture kl --json recap
assert_eq "empty recap: the week, zeros, empty lists" \
    '["week","2026-11-21","2026-11-27","Sam",0,0,[],[],[],[]]' \
    "$(jq_py "$OUT" '[d["period"], d["from"], d["to"], d["partner"], d["entries"], d["unthanked"], d["days"], d["top_tags"], d["routine"], d["still_to_thank"]]')"

fixture_load

# The week: Sat 21 – Fri 27 Nov holds ids 8 (hug, thanked), 9, 10, 11, 12.
run_capture kl --json recap
assert_ok "recap (default week)"
assert_eq "week: period, counts" \
    '["week","2026-11-21","2026-11-27","2026-11-27",5,4,1,4,false]' \
    "$(jq_py "$OUT" '[d["period"], d["from"], d["to"], d["today"], d["entries"], d["days_noticed"], d["thanked"], d["unthanked"], d["truncated"]]')"
assert_eq "week: gestures by day, oldest day first, ids in order" \
    '[["2026-11-24",[8]],["2026-11-25",[9]],["2026-11-26",[10,11]],["2026-11-27",[12]]]' \
    "$(jq_py "$OUT" '[[g["day"], [e["id"] for e in g["entries"]]] for g in d["days"]]')"
assert_eq "week: top tags" \
    '[{"count":3,"tag":"morning"},{"count":1,"tag":"hug"}]' \
    "$(jq_py "$OUT" 'd["top_tags"]')"
assert_eq "week: routine groups counted in the week" \
    '[{"count":4,"key":"text:made me coffee","last_day":"2026-11-27","last_thanked":null},{"count":3,"key":"tag:morning","last_day":"2026-11-27","last_thanked":null}]' \
    "$(jq_py "$OUT" 'd["routine"]')"
assert_eq "week: still to thank, oldest first" '[9,10,11,12]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["still_to_thank"]]')"
assert_eq "week: the streak comes along" '[4,true]' \
    "$(jq_py "$OUT" '[d["streak"]["current"], d["streak"]["logged_today"]]')"

run_capture kl --json recap --month
assert_eq "month: the last 30 days (adds 20 Nov)" \
    '["month","2026-10-29",6,5,[5,4],[7,9,10,11,12]]' \
    "$(jq_py "$OUT" '[d["period"], d["from"], d["entries"], d["days_noticed"], [g["count"] for g in d["routine"]], [e["id"] for e in d["still_to_thank"]]]')"
run_capture kl --json recap --year
assert_eq "year: the last 365 days hold the whole fixture" \
    '["year","2025-11-28",12,8,11]' \
    "$(jq_py "$OUT" '[d["period"], d["from"], d["entries"], d["days_noticed"], d["unthanked"]]')"
run_capture kl recap --week --year
assert_rc "two periods are a usage error" 2
run_capture rpc_call recap '{"period":"fortnight"}'
assert_contains "an unknown period is refused" "$OUT" "period must be"

golden recap-week-markdown kl recap --markdown
golden recap-week-80-plain env COLUMNS=80 "$KINDLOG_BIN" --no-autostart recap

# Thanking a gesture takes it off the list, and a routine group's
# last_thanked is the latest thank-you in the whole log: #2 is from
# October, outside the week, and still counts.
kl thank 10 >/dev/null
kl thank 2 >/dev/null
run_capture kl --json recap
assert_eq "after thank: still to thank shrinks" '[3,[9,11,12],2]' \
    "$(jq_py "$OUT" '[d["unthanked"], [e["id"] for e in d["still_to_thank"]], d["thanked"]]')"
assert_eq "after thank: routine groups know when they were thanked" \
    '["2026-11-27","2026-11-27"]' \
    "$(jq_py "$OUT" '[(g["last_thanked"] or "null")[:10] for g in d["routine"]]')"
run_capture kl recap
assert_not_contains "human: a thanked id is off the list" "$OUT" "#10 "
assert_contains "human: the routine line names the thank-you" "$OUT" \
    "last thanked Fri 27 Nov 2026"
run_capture kl recap --markdown
assert_not_contains "markdown: no commands to type, it is to hand over" \
    "$OUT" "kindlog"
assert_eq "markdown: still to thank lists the 3 left, with their days" \
    "$(printf '%s\n' '- made me  coffee. (Wed 25 Nov)' \
    '- made me coffee (Thu 26 Nov)' '- made me coffee (Fri 27 Nov)')" \
    "$(sed -n '/^## Still to thank/,$p' <<<"$OUT" | grep '^- ')"

# Markdown escapes what would otherwise be markup.
kl add '*starred* [link] <b>' -d 2026-11-23 >/dev/null
run_capture kl recap --markdown
assert_contains "markdown: markup characters escaped" "$OUT" \
    '- \*starred\* \[link\] \<b\>'

# resurface: no anniversary in the fixture, so a random entry older than
# 7 days (15 Sep, 1 Oct or 2 Oct).
for i in 1 2 3 4 5; do
	run_capture rpc_call resurface
	assert_match "resurface: a random older entry ($i)" \
	    '^\["random","2026-(09-15|10-01|10-02)"\]$' \
	    "$(jq_py "$OUT" '[d["result"]["reason"], d["result"]["entry"]["day"]]')"
done
# With entries on 27 Nov of earlier years, the most recent one wins.
kl add "wrote me a letter" -d 2024-11-27 >/dev/null
kl add "brought me soup when I was ill" -d 2025-11-27 >/dev/null
run_capture rpc_call resurface
assert_eq "resurface: the anniversary a year ago" \
    '["anniversary","2025-11-27","brought me soup when I was ill"]' \
    "$(jq_py "$OUT" '[d["result"]["reason"], d["result"]["entry"]["day"], d["result"]["entry"]["text"]]')"
run_capture kl
assert_contains "summary: a year ago today" "$OUT" \
    "A year ago today: brought me soup when I was ill"
run_capture kl --json
assert_eq "summary --json carries the resurfaced gesture" anniversary \
    "$(jq_py "$OUT" 'd["resurfaced"]["reason"]')"
kl rm "$(jq_py "$(kl --json list --since 2025-11-27 --until 2025-11-27)" \
    'd["entries"][0]["id"]')" >/dev/null
run_capture kl
assert_contains "summary: two years ago today" "$OUT" \
    "2 years ago today: wrote me a letter"

finish
