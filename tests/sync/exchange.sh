#!/bin/bash
# Two devices, files copied between their folders as an engine would: in
# both orders, twice, with a restart in the middle; the same entries on
# both, and the streak counting what the other logged.
. "$SYNC_DIR/lib.sh"

dev_start a
dev_start b
k a add "made tea" -t home -d yesterday >/dev/null
k a add "walked the dog" >/dev/null
k b add "fixed the bike" -t garage >/dev/null
run_capture k a sync now
assert_ok "sync now on a"
assert_match "sync now says what it wrote" 'Synced: [0-9]+ change' "$OUT"
k b sync now >/dev/null
assert_eq "a's folder has one file of its own" 1 \
    "$(ls "$T/folders/a/devices/$(dev_id a)" | wc -l | tr -d ' ')"

engine_copy a b
k b sync now >/dev/null
engine_copy b a
k a sync now >/dev/null
assert_eq "both hold the same entries" "$(entries a)" "$(entries b)"
assert_eq "b has a's entries and its own" \
    "fixed the bike | made tea | walked the dog" "$(texts b)"
assert_eq "b's streak counts a's backdated day" 2 \
    "$(jq_py "$(k b --json streak)" 'd["current"]')"

# Concurrent edits, then the files cross the other way first.
k a edit "$(id_of a "made tea")" "made green tea" >/dev/null
k b thank "$(id_of b "made tea")" --how wrote >/dev/null
k b rm "$(id_of b "walked the dog")" >/dev/null
k a sync now >/dev/null
k b sync now >/dev/null
engine_copy b a
k a sync now >/dev/null

# b restarts before it hears of a's edit.
dev_stop b
dev_start b
engine_copy a b
k b sync now >/dev/null
# And everything a second time: nothing changes.
engine_copy a b
engine_copy b a
k a sync now >/dev/null
k b sync now >/dev/null
assert_eq "after crossing both ways twice: the same entries" \
    "$(entries a)" "$(entries b)"
assert_eq "the edit and the delete both landed" \
    "fixed the bike | made green tea" "$(texts a)"
assert_eq "the thank-you crossed with the edit" wrote \
    "$(k a --json list --all | python3 -c 'import json,sys
print([e for e in json.load(sys.stdin)["entries"] if e["text"] == "made green tea"][0]["thanked"]["how"])')"
run_capture k a sync
assert_ok "kindlog sync"
assert_contains "status names the peer" "$OUT" "b ($(dev_id b))"
assert_contains "status: nothing pending" "$OUT" "0 changes"
assert_eq "sync --json: the peer's name" b \
    "$(jq_py "$(k a --json sync)" 'd["peers"][0]["name"]')"
# Without sync now: a change is in the folder within 2 s by itself.
before=$(ls "$T/folders/a/devices/$(dev_id a)" | wc -l)
k a add "brought flowers" >/dev/null
wait_for 3 test "$(ls "$T/folders/a/devices/$(dev_id a)" | wc -l)" -gt "$before"
assert_true "a change reaches the folder within 2 s" \
    test "$(ls "$T/folders/a/devices/$(dev_id a)" | wc -l)" -gt "$before"
engine_copy a b
wait_for 3 test "$(texts b | grep -c flowers)" -eq 1
assert_contains "a peer's file is applied on its own (inotify)" \
    "$(texts b)" "brought flowers"
finish
