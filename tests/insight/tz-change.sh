#!/bin/bash
# Days never move (ARCHITECTURE.md, Invariants): entries logged under America/New_York
# on both DST change days keep their day, and stats and calendar keep
# their counts, after the daemon restarts under Asia/Tokyo, 13 or 14
# hours ahead, where "now" is already the next day.
. "$TESTS_DIR/lib.sh" || exit 1

# log_at TZ 'YYYY-MM-DD hh:mm:ss' TEXT: start a daemon at that local
# time, log TEXT for "today", stop it.
log_at() {
	fake_time "$1" "$2"
	need_daemon
	kl add "$3" >/dev/null || fail "add '$3' at $2 in $1"
	stop_daemon
}

export TZ=America/New_York
# Just after the spring-forward gap (02:00 → 03:00), in the repeated hour
# of the fall-back day, and late on that 25-hour day.
log_at America/New_York '2026-03-08 03:30:00' "spring forward"
log_at America/New_York '2026-11-01 01:30:00' "fall back, first 01:30"
log_at America/New_York '2026-11-01 23:30:00' "late on the long day"

fake_time America/New_York '2026-11-01 23:40:00'
need_daemon
kl add "backdated to the gap day" -d 2026-03-08 >/dev/null
kl add "the day before" -d 2026-10-31 >/dev/null
run_capture kl --json list --all
assert_eq "New York: every entry on its local day" \
    '[["backdated to the gap day","2026-03-08"],["fall back, first 01:30","2026-11-01"],["late on the long day","2026-11-01"],["spring forward","2026-03-08"],["the day before","2026-10-31"]]' \
    "$(jq_py "$OUT" 'sorted([e["text"], e["day"]] for e in d["entries"])')"
LIST_NY=$(jq_py "$OUT" 'sorted([e["id"], e["day"]] for e in d["entries"])')
STATS_EXPR='[d["entries"], d["days_noticed"], d["by_weekday"], d["by_month"], d["best"], d["best_first"], d["best_last"], d["longest_gap"]]'
STATS_NY=$(jq_py "$(kl --json stats)" "$STATS_EXPR")
assert_eq "New York: stats by hand" \
    '[5,3,[0,0,0,0,0,1,4],[{"entries":2,"month":"2026-03"},{"entries":0,"month":"2026-04"},{"entries":0,"month":"2026-05"},{"entries":0,"month":"2026-06"},{"entries":0,"month":"2026-07"},{"entries":0,"month":"2026-08"},{"entries":0,"month":"2026-09"},{"entries":1,"month":"2026-10"},{"entries":2,"month":"2026-11"}],2,"2026-10-31","2026-11-01",{"days":236,"from":"2026-03-09","to":"2026-10-30"}]' \
    "$STATS_NY"
CAL_EXPR='[d["from"], d["to"], d["days"]]'
CAL_NY=$(jq_py "$(kl --json calendar --weeks 40 --until 2026-11-01)" "$CAL_EXPR")
assert_eq "New York: calendar counts" \
    '[["2026-03-08",2],["2026-10-31",1],["2026-11-01",2]]' \
    "$(jq_py "$CAL_NY" '[[x["day"], x["count"]] for x in d[2]]')"
run_capture kl --json streak
assert_eq "New York: today is the long day, a 2-day streak" \
    '["2026-11-01",2]' "$(jq_py "$OUT" '[d["today"], d["current"]]')"
stop_daemon

# The same instant in Tokyo is already Monday 2 November.
export TZ=Asia/Tokyo
fake_time Asia/Tokyo '2026-11-02 13:40:00'
need_daemon
run_capture kl --json streak
assert_eq "Tokyo: today has moved on, the streak is at risk, not lost" \
    '["2026-11-02",2,true]' \
    "$(jq_py "$OUT" '[d["today"], d["current"], d["at_risk"]]')"
assert_eq "Tokyo: no entry changed its day" "$LIST_NY" \
    "$(jq_py "$(kl --json list --all)" 'sorted([e["id"], e["day"]] for e in d["entries"])')"
assert_eq "Tokyo: stats unchanged" "$STATS_NY" \
    "$(jq_py "$(kl --json stats)" "$STATS_EXPR")"
assert_eq "Tokyo: calendar unchanged" "$CAL_NY" \
    "$(jq_py "$(kl --json calendar --weeks 40 --until 2026-11-01)" "$CAL_EXPR")"
kl add "first in Tokyo" >/dev/null
assert_eq "Tokyo: a new entry gets Tokyo's today, the old ones stay" \
    '[["2026-03-08",2],["2026-10-31",1],["2026-11-01",2],["2026-11-02",1]]' \
    "$(jq_py "$(kl --json calendar --weeks 40)" '[[x["day"], x["count"]] for x in d["days"]]')"

finish
