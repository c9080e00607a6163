#!/bin/bash
# stats (method and command) against hand-computed numbers for the fixture
# in fixture.sh, with the daemon's clock fixed at 2026-11-27 12:00.
. "$TESTS_DIR/lib.sh" || exit 1
. "$INSIGHT_DIR/fixture.sh"

export TZ=Europe/Berlin
fake_time Europe/Berlin '2026-11-27 12:00:00'
need_daemon

run_capture kl --json stats
assert_ok "stats on an empty log"
assert_eq "empty log: zeros, nulls and empty lists" \
    '{"best":0,"best_first":null,"best_last":null,"by_month":[],"by_weekday":[0,0,0,0,0,0,0],"current":0,"days_noticed":0,"entries":0,"longest_gap":null,"routine":[],"thanked":0,"top_tags":[],"unthanked":0}' \
    "$(json_canon "$OUT")"

fixture_load

run_capture kl --json stats
assert_ok "stats over the fixture"
assert_eq "entries, days, streaks" '[12,8,4,4,"2026-11-24","2026-11-27"]' \
    "$(jq_py "$OUT" '[d["entries"], d["days_noticed"], d["current"], d["best"], d["best_first"], d["best_last"]]')"
assert_eq "thanked and unthanked" '[1,11]' \
    "$(jq_py "$OUT" '[d["thanked"], d["unthanked"]]')"
assert_eq "by weekday, Monday first" '[0,2,1,3,6,0,0]' \
    "$(jq_py "$OUT" 'd["by_weekday"]')"
assert_eq "by month, every month from first to last" \
    '[{"entries":1,"month":"2026-09"},{"entries":5,"month":"2026-10"},{"entries":6,"month":"2026-11"}]' \
    "$(jq_py "$OUT" 'd["by_month"]')"
assert_eq "top tags, most used first" \
    '[{"count":10,"tag":"morning"},{"count":1,"tag":"hug"}]' \
    "$(jq_py "$OUT" 'd["top_tags"]')"
assert_eq "longest gap: the empty days between two noticed days" \
    '{"days":48,"from":"2026-10-03","to":"2026-11-19"}' \
    "$(jq_py "$OUT" 'd["longest_gap"]')"
assert_eq "routine: near-identical texts grouped, then the repeated tag" \
    '[{"count":11,"key":"text:made me coffee","last_day":"2026-11-27","last_thanked":null},{"count":10,"key":"tag:morning","last_day":"2026-11-27","last_thanked":null}]' \
    "$(jq_py "$OUT" 'd["routine"]')"

# Thanking one of the routine gestures shows when it was last thanked.
ID=$(jq_py "$(kl --json list --since 2026-11-26 --until 2026-11-26 -n 1)" \
    'd["entries"][0]["id"]')
kl thank "$ID" >/dev/null
run_capture kl --json stats
assert_eq "routine: last_thanked after a thank-you" \
    '["2026-11-27T11:00:00Z","2026-11-27T11:00:00Z"]' \
    "$(jq_py "$OUT" '[g["last_thanked"][:14] + "00:00Z" for g in d["routine"]]')"

# A range: --since/--until limit every number.
run_capture kl --json stats --since 2026-11-20 --until 2026-11-26
assert_ok "stats with a range"
assert_eq "range: entries, days, by month, gap" \
    '[5,4,[{"entries":5,"month":"2026-11"}],{"days":3,"from":"2026-11-21","to":"2026-11-23"}]' \
    "$(jq_py "$OUT" '[d["entries"], d["days_noticed"], d["by_month"], d["longest_gap"]]')"
run_capture kl stats --since 2026-11-26 --until 2026-11-20
assert_rc "since after until is refused" 1

# Deleted entries do not count.
kl rm "$ID" >/dev/null
run_capture kl --json stats
assert_eq "a deleted entry leaves the counts" '[11,1]' \
    "$(jq_py "$OUT" '[d["entries"], d["by_weekday"][3] - 1]')"

# Human output: the parts a reader looks for.
run_capture kl stats
assert_ok "stats (human)"
assert_contains "human: totals" "$OUT" "Noticed:       11 entries on 8 days"
assert_contains "human: longest gap" "$OUT" \
    "Longest gap:   48 days (2026-10-03 – 2026-11-19)"
assert_contains "human: routine heading" "$OUT" \
    "Things they do again and again"
assert_match "human: routine line" \
    'made me coffee +10× +last 2026-11-27, not thanked yet' "$OUT"
run_capture kl stats --since nonsense
assert_rc "a bad DAY is a usage error" 2

finish
