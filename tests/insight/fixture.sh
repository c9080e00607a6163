# The fixed data set of the insight tests, logged through the client with
# backdated days while the daemon believes it is 2026-11-27 (a Friday),
# 12:00 local time (faketime). Sourced after lib.sh and a running daemon.
#
#   day         weekday  entries
#   2026-09-15  Tue      1  made me coffee          #morning
#   2026-10-01  Thu      1  made me coffee          #morning
#   2026-10-02  Fri      4  made me coffee (4x)     #morning
#   2026-11-20  Fri      1  Made me coffee!         #morning
#   2026-11-24  Tue      1  hugged me               #hug, thanked
#   2026-11-25  Wed      1  "made me  coffee."      (no tag)
#   2026-11-26  Thu      2  made me coffee (2x)     #morning
#   2026-11-27  Fri      1  made me coffee          #morning
FIXTURE_TODAY=2026-11-27
fixture_add() {	# DAY TEXT [ARGS...]
	local day=$1 text=$2
	shift 2
	kl add "$text" -d "$day" "$@" >/dev/null ||
	    fail "fixture: add '$text' on $day"
}
fixture_load() {
	local i
	fixture_add 2026-09-15 "made me coffee" -t morning
	fixture_add 2026-10-01 "made me coffee" -t morning
	for i in 1 2 3 4; do
		fixture_add 2026-10-02 "made me coffee" -t morning
	done
	fixture_add 2026-11-20 "Made me coffee!" -t morning
	fixture_add 2026-11-24 "hugged me" -t hug --thanked=wrote
	fixture_add 2026-11-25 "made me  coffee."
	fixture_add 2026-11-26 "made me coffee" -t morning
	fixture_add 2026-11-26 "made me coffee" -t morning
	fixture_add 2026-11-27 "made me coffee" -t morning
}
