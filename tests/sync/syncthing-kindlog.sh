#!/usr/bin/env bash
# kindlog through a real engine (design.md §14, issue 12): two Syncthing
# instances on 127.0.0.1 and two kindlogd, each with its own XDG
# directories, socket and database, and [sync] dir = its instance's folder.
# An add on a reaches b, an edit on b reaches a, a delete on a reaches b;
# 50 adds on each side at once end as 100 entries on both, the exports
# equal once the local ids are left out, and no *.sync-conflict-* file.
# The propagation times are printed for the note, never asserted.
. "${SYNC_TESTS_DIR:-$(dirname "$0")}/lib-syncthing.sh"

st_require
st_start a b
st_connect 30
st_share kindlog

# ------------------------------------------------------------ two devices

# The environment of device NAME: its own XDG directories, so its
# database, config and socket are its own.
side_env() {	# NAME → SIDE_ENV
	SIDE_ENV=(XDG_RUNTIME_DIR="$T/$1/run" XDG_DATA_HOME="$T/$1/data"
	    XDG_CONFIG_HOME="$T/$1/config" XDG_STATE_HOME="$T/$1/state")
}

sock_of() {	# NAME
	printf '%s' "$T/$1/run/kindlog/kindlogd.sock"
}

# start_side NAME: kindlogd of device NAME, with [sync] dir = NAME's
# Syncthing folder and device = NAME. Its PID goes to PID_OF[NAME].
declare -A PID_OF=()
start_side() {	# NAME
	local root="$T/$1"
	mkdir -p "$root/run" "$root/data" "$root/config/kindlog" "$root/state"
	chmod 700 "$root/run"
	printf '[sync]\ndir = %s\ndevice = %s\n' "$(st_folder "$1")" "$1" \
	    >"$root/config/kindlog/kindlog.conf"
	side_env "$1"
	DAEMON_ENV=("${SIDE_ENV[@]}")
	start_daemon --socket "$(sock_of "$1")" || finish
	DAEMON_ENV=()
	PID_OF[$1]=$DAEMON_PID
}

# on NAME ARGS...: the kindlog client of device NAME.
on() {	# NAME ARGS...
	local side=$1
	shift
	side_env "$side"
	env "${SIDE_ENV[@]}" timeout -k 5 "$KL_TIMEOUT" "$KINDLOG_BIN" \
	    --no-autostart --socket "$(sock_of "$side")" "$@"
}

# sync_now NAME: write out NAME's pending changes and rescan (§14).
sync_now() {	# NAME
	run_capture on "$1" sync now
	[ "$RC" -eq 0 ] || fail "kindlog sync now on $1" "exit $RC: $(show "$ERR")"
}

# export_of NAME: device NAME's entries as kindlog export --format json.
export_of() {	# NAME
	on "$1" export --format json
}

# field NAME UUID KEY: KEY of the entry UUID in NAME's export ("<absent>"
# when there is no such entry, "<error>" when the export is not JSON).
field() {	# NAME UUID KEY
	export_of "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
uuid, key = sys.argv[1], sys.argv[2]
try:
    entries = [e for e in json.load(sys.stdin) if isinstance(e, dict)]
except ValueError:
    print("<error>")
    sys.exit(0)
for e in entries:
    if e.get("uuid") == uuid:
        v = e.get(key)
        print(v if isinstance(v, str) else json.dumps(v))
        break
else:
    print("<absent>")' "$2" "$3"
}

# entries NAME: how many entries NAME's export holds.
entries() {	# NAME
	export_of "$1" 2>/dev/null | "$PYTHON" -c '
import json, sys
try:
    print(sum(1 for e in json.load(sys.stdin)
              if isinstance(e, dict) and "uuid" in e and "text" in e))
except ValueError:
    print(-1)'
}

field_is() { [ "$(field "$1" "$2" "$3")" == "$4" ]; }
entries_are() { [ "$(entries "$1")" == "$2" ]; }

start_side a
start_side b

run_capture on a sync
assert_ok "kindlog sync (status) answers on a"

# ------------------------------------------------- one change each way

# Add on a, seen on b.
run_capture on a --json add "made coffee before I woke up" -t morning
assert_ok "add on a"
uuid=$(jq_py "$OUT" 'd["entry"]["uuid"]')
start=$(st_now)
sync_now a
if st_wait_until 30 field_is b "$uuid" text "made coffee before I woke up"
then
	note "propagation of an add a->b: $(st_since "$start") s"
	pass "a's add appears on b"
	assert_eq "with its tags" '["morning"]' "$(field b "$uuid" tags)"
else
	fail "a's add appears on b within 30 s" \
	    "b's export: $(show "$(export_of b)")"
fi

# Edit on b (b's own local id), seen on a.
id_b=$(field b "$uuid" id)
run_capture on b edit "$id_b" "made coffee and toast before I woke up"
assert_ok "edit on b (its id $id_b)"
start=$(st_now)
sync_now b
if st_wait_until 30 field_is a "$uuid" text \
    "made coffee and toast before I woke up"; then
	note "propagation of an edit b->a: $(st_since "$start") s"
	pass "b's edit appears on a"
else
	fail "b's edit appears on a within 30 s" \
	    "a's export: $(show "$(export_of a)")"
fi

# Delete on a, gone on b.
id_a=$(field a "$uuid" id)
run_capture on a rm "$id_a"
assert_ok "rm on a (its id $id_a)"
start=$(st_now)
sync_now a
if st_wait_until 30 field_is b "$uuid" uuid "<absent>"; then
	note "propagation of a delete a->b: $(st_since "$start") s"
	pass "a's delete disappears on b"
else
	fail "a's delete disappears on b within 30 s" \
	    "b's export: $(show "$(export_of b)")"
fi

# ------------------------------------------------ 50 adds on each side

burst() {	# NAME
	local i
	for ((i = 1; i <= 50; i++)); do
		on "$1" add "$1 noticed gesture $i" -t burst >/dev/null ||
		    echo "add $i on $1 failed" >&2
	done
}
burst a 2>"$T/burst-a.err" &
burst_a=$!
burst b 2>"$T/burst-b.err" &
burst_b=$!
wait "$burst_a" "$burst_b"
start=$(st_now)
assert_eq "the 50 adds on a succeed" "" "$(cat "$T/burst-a.err")"
assert_eq "the 50 adds on b succeed" "" "$(cat "$T/burst-b.err")"
sync_now a
sync_now b
both_100() { entries_are a 100 && entries_are b 100; }
if st_wait_until 60 both_100; then
	note "from the last of 100 adds to 100 entries on both: $(st_since "$start") s"
	pass "50 adds on each side end as 100 entries on both"
else
	fail "50 adds on each side end as 100 entries on both within 60 s" \
	    "a has $(entries a), b has $(entries b)"
fi

# Quiet folder, then the same log on both and no conflict copy anywhere.
sync_now a
sync_now b
if st_wait_sync 60; then
	pass "the folder is in sync on both instances"
else
	fail "the folder is in sync on both instances within 60 s"
fi
export_of a >"$T/export-a.json"
export_of b >"$T/export-b.json"
same=$("$PYTHON" - "$T/export-a.json" "$T/export-b.json" <<'EOF'
import json, sys

def without_ids(path):
    with open(path) as f:
        doc = json.load(f)
    rows = [{k: v for k, v in e.items() if k != "id"}
            for e in doc if isinstance(e, dict)]
    return sorted(rows, key=lambda e: json.dumps(e, sort_keys=True))

a, b = (without_ids(p) for p in sys.argv[1:3])
if a == b:
    print("equal")
else:
    only_a = [e for e in a if e not in b]
    only_b = [e for e in b if e not in a]
    print("differ: %d entries on a, %d on b; only on a: %s; only on b: %s"
          % (len(a), len(b), json.dumps(only_a[:3]), json.dumps(only_b[:3])))
EOF
)
assert_eq "the exports of a and b are equal once ids are left out" equal \
    "$same"
assert_eq "no *.sync-conflict-* file in either folder" "" "$(st_conflicts)"
for side in a b; do
	assert_eq "$side's folder has one directory per device" 2 \
	    "$(find "$(st_folder "$side")/devices" -mindepth 1 -maxdepth 1 \
	        -type d 2>/dev/null | wc -l | tr -d ' ')"
done
run_capture on b sync
assert_ok "kindlog sync (status) on b after the burst"

stop_daemon "${PID_OF[a]}" "$(sock_of a)"
stop_daemon "${PID_OF[b]}" "$(sock_of b)"
finish
