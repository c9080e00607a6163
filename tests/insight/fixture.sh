# The fixed data set of the insight tests, logged through the client with
# backdated days while the daemon believes it is 2026-11-27 (a Friday),
# 12:00 local time (faketime). Sourced after lib.sh and a running daemon.
# Also golden(), the golden-file check calendar.sh and recap.sh share.
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

# golden NAME COMMAND...: compare the output with golden/NAME
# (UPDATE_GOLDEN=1 rewrites the file first).
golden() {
	local name=$1 file="$INSIGHT_DIR/golden/$1"
	shift
	run_capture "$@"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		printf '%s\n' "$OUT" >"$file"
	fi
	assert_ok "$name runs"
	assert_eq "$name matches golden/$name" "$(cat "$file")" "$OUT"
}
