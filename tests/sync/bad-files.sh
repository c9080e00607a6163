#!/bin/bash
# Peers' files that cannot be read whole are skipped, named in status,
# and tried again when they change; engine temp files, dot-files and
# conflict copies are left alone and counted. A folder that goes away is
# reported and sync resumes when it is back. A folder inside the data
# directory is refused.
. "$SYNC_DIR/lib.sh"

dev_start a
dev_start b
k a add "made tea" >/dev/null
k a sync now >/dev/null
id=$(dev_id a)
peer="$T/folders/b/devices/$id"
mkdir -p "$peer"
printf 'garbage, not JSON\n' >"$peer/garbage.jsonl"
# A good file cut in the middle of its last line.
good=$(ls "$T/folders/a/devices/$id"/*.jsonl | head -1)
head -c $(($(wc -c <"$good") - 5)) "$good" >"$peer/cut.jsonl"
cp "$good" "$peer/$(basename "$good" .jsonl).sync-conflict-20261127-101010-ABCDEFG.jsonl"
cp "$good" "$peer/.hidden.jsonl"
cp "$good" "$peer/.syncthing.x.jsonl.tmp"
cp "$good" "$peer/~syncthing~y.jsonl.tmp"
run_capture k b sync now
assert_ok "sync now with bad files"
status=$(k b --json sync)
assert_eq "the two bad files are named" "cut.jsonl garbage.jsonl" \
    "$(jq_py "$status" '" ".join(sorted(f["file"] for f in d["skipped"]))')"
assert_contains "the garbage says why" \
    "$(jq_py "$status" '[f["error"] for f in d["skipped"] if f["file"] == "garbage.jsonl"][0]')" \
    "not a kindlog sync file"
assert_contains "the cut file says why" \
    "$(jq_py "$status" '[f["error"] for f in d["skipped"] if f["file"] == "cut.jsonl"][0]')" \
    "cut short"
assert_eq "four files left alone" 4 "$(jq_py "$status" 'd["ignored"]')"
assert_eq "nothing of them was applied" "" "$(texts b)"
run_capture k b sync
assert_contains "kindlog sync shows the skipped file" "$OUT" "garbage.jsonl"
# The cut file is completed: it is read again.
cp "$good" "$peer/cut.jsonl"
k b sync now >/dev/null
assert_eq "a file that changed is tried again" "made tea" "$(texts b)"
assert_eq "one file still skipped" 1 \
    "$(jq_py "$(k b --json sync)" 'len(d["skipped"])')"

# The folder goes away (unmounted) and comes back.
mv "$T/folders/a" "$T/folders/a.away"
k a add "walked the dog" >/dev/null
k a sync now >/dev/null
status=$(k a --json sync)
assert_eq "a missing folder is reported" missing \
    "$(jq_py "$status" 'd["folder"]')"
assert_eq "the change waits" 1 "$(jq_py "$status" 'd["pending"]')"
mv "$T/folders/a.away" "$T/folders/a"
k a sync now >/dev/null
status=$(k a --json sync)
assert_eq "back: the folder is ok" ok "$(jq_py "$status" 'd["folder"]')"
assert_eq "back: nothing waits" 0 "$(jq_py "$status" 'd["pending"]')"

# A folder inside the data directory: refused on reload, and at start.
printf '[sync]\ndir = %s/inside\n' "$T/c" >"$T/b/kindlog.conf"
mkdir -p "$T/c"
cp "$T/b/kindlog.conf" "$T/c/kindlog.conf"
printf '[sync]\ndir = %s/synced\n' "$T/b" >"$T/b/kindlog.conf"
run_capture k b reload
assert_rc "reload refuses a folder inside the data directory" 1
assert_contains "and says why" "$ERR" "inside kindlog's data directory"
run_capture "$KINDLOGD_BIN" --socket "$T/c/sock" --db "$T/c/kindlog.db" \
    --config "$T/c/kindlog.conf"
assert_rc "kindlogd refuses to start with it" 1
assert_contains "naming the key" "$ERR" "[sync] dir"
finish
