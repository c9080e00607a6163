#!/bin/bash
# jrnl's JSON export imports: day from date, text from title and body,
# tags without '@' and lowercased, created_at from date + time (local).
. "$TRANSFER_DIR/lib.sh"
export TZ=Europe/Berlin

start_db "$T/one.db"
run_capture kl import "$TRANSFER_DIR/jrnl-sample.json"
check "jrnl sample imports" "0 Added 4 entries, skipped 0 already there." \
    "$RC $OUT"
kl export >"$T/out.json"
check "days, texts and tags" \
    '[["2025-11-20", "Sam made me coffee before my exam.\nHe got up at six to do it, even though he had the late shift.\n\nI should tell him how much it helped.", ["coffee", "morning"]], ["2025-11-21", "Long hug when I came home.", ["hug"]], ["2025-11-24", "Packed my lunch, with a little note.", ["morning"]], ["2025-11-24", "Called my mum for her birthday because I forgot.\nSaved the day.", []]]' \
    "$(py '[[e["day"], e["text"], e["tags"]] for e in j[0]]' "$T/out.json")"
check "created_at from date and time in local time (CET)" \
    '["2025-11-20T06:15:00Z", "2025-11-21T17:40:00Z", "2025-11-24T07:00:00Z", "2025-11-24T20:05:00Z"]' \
    "$(py '[e["created_at"] for e in j[0]]' "$T/out.json")"
check "not thanked" '[null, null, null, null]' \
    "$(py '[e["thanked"] for e in j[0]]' "$T/out.json")"
run_capture kl import "$TRANSFER_DIR/jrnl-sample.json"
check "the same journal again adds nothing (uuids come from the content)" \
    "0 Added 0 entries, skipped 4 already there." "$RC $OUT"

cat >"$T/badtag.json" <<'J'
{"tags": {}, "entries": [
 {"title": "ok", "body": "", "date": "2025-11-01", "time": "09:00", "tags": [], "starred": false},
 {"title": "tagged", "body": "", "date": "2025-11-02", "time": "09:00", "tags": ["@not ok!"], "starred": false}]}
J
run_capture kl import "$T/badtag.json"
check "a jrnl tag we cannot keep is refused, naming the record" \
    "1 kindlog: $T/badtag.json: record 2: invalid tag 'not ok!': use 1 to 32 of a-z, 0-9, _ and -; nothing was imported" \
    "$RC $ERR"
finish
