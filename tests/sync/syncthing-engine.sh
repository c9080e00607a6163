#!/usr/bin/env bash
# The engine alone, with plain files: two Syncthing instances on 127.0.0.1
# share a folder; a file crosses each way, and 50 files written on each
# side at once end as 100 on both, with no conflict copy. The propagation
# time of one file is printed for the note, never asserted.
. "${SYNC_TESTS_DIR:-$(dirname "$0")}/lib-syncthing.sh"

st_require
st_start a b
st_connect 30
st_share kindlog-engine
A=$(st_folder a)
B=$(st_folder b)

# One file, A to B, then B to A (written under a dot-name and renamed, as
# kindlogd writes its files).
put() {	# DIR NAME TEXT
	printf '%s\n' "$3" >"$1/.$2.tmp" && mv "$1/.$2.tmp" "$1/$2"
}

# cross FROM TO: a file written in FROM's folder arrives in TO's.
cross() {
	local start
	start=$(st_now)
	put "$(st_folder "$1")" "one-from-$1" "hello from $1"
	if st_wait_file "$2" "one-from-$1" 30; then
		note "propagation $1->$2 of one file: $(st_since "$start") s"
		assert_eq "$1's file arrives on $2 with its content" \
		    "hello from $1" "$(cat "$(st_folder "$2")/one-from-$1")"
	else
		fail "$1's file arrives on $2 within 30 s"
	fi
}
cross a b
cross b a
rm -f "$A/one-from-a" "$A/one-from-b"
if st_wait_gone b one-from-a 30 && st_wait_gone b one-from-b 30; then
	pass "a's deletes cross to b"
else
	fail "a's deletes cross to b within 30 s"
fi

# 50 files on each side at once, in a subdirectory of each side's own
# (the shape of DIR/devices/ID/).
mkdir -p "$A/devices/a" "$B/devices/b"
burst() {	# DIR SIDE
	local i
	for ((i = 1; i <= 50; i++)); do
		put "$1/devices/$2" "$(printf 'op-%03d' "$i")" "$2 $i"
	done
}
start=$(st_now)
burst "$A" a &
burst_a=$!
burst "$B" b &
burst_b=$!
wait "$burst_a" "$burst_b"

count() {	# DIR
	find "$1/devices" -type f -name 'op-*' | wc -l | tr -d ' '
}
both_100() { [ "$(count "$A")" -eq 100 ] && [ "$(count "$B")" -eq 100 ]; }
if st_wait_until 60 both_100; then
	note "100 files (50 each side at once) on both: $(st_since "$start") s"
	pass "50 files from each side end as 100 on both"
else
	fail "50 files from each side end as 100 on both within 60 s" \
	    "a has $(count "$A"), b has $(count "$B")"
fi
if st_wait_sync 60; then
	pass "the folder is in sync on both (completion 100, nothing needed)"
else
	fail "the folder is in sync on both within 60 s"
fi
assert_eq "a and b hold the same files" \
    "$(cd "$A" && find devices -type f | sort | xargs cat | md5sum)" \
    "$(cd "$B" && find devices -type f | sort | xargs cat | md5sum)"
assert_eq "no *.sync-conflict-* file in either folder" "" "$(st_conflicts)"

finish
