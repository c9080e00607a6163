#!/bin/bash
# Export → import into a fresh database reproduces every entry (uuid, day,
# text, tags, created/updated, thanked) for JSON and CSV; a second import
# adds nothing; --dry-run changes nothing; deleted entries stay out.
. "$TRANSFER_DIR/lib.sh"
FIXTURE="$TRANSFER_DIR/fixture.json"

start_db "$T/one.db"
run_capture kl --json import "$FIXTURE"
check "fixture imports" '0 {"added": 6, "dry_run": false, "records": 6, "reflections": {"added": 0, "skipped": 0}, "skipped": 0}' \
    "$RC $(py 'j[0]' /dev/stdin <<<"$OUT")"
kl add "logged here, then deleted" -d 2025-03-01 >/dev/null
ID=$(kl --json add "logged here" -t kept -d 2025-05-01 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["entry"]["id"])')
DEL=$(kl --json list --grep deleted | python3 -c \
    'import json,sys; print(json.load(sys.stdin)["entries"][0]["id"])')
kl rm "$DEL" >/dev/null
kl thank "$ID" --how wrote >/dev/null

kl export >"$T/a.json"
kl export --format csv >"$T/a.csv"
check "export: 7 live entries, the deleted one left out" 7 \
    "$(py 'len(j[0])' "$T/a.json")"
check "export: by day then id" \
    '["2025-01-05", "2025-02-14", "2025-03-01", "2025-03-01", "2025-04-10", "2025-04-10", "2025-05-01"]' \
    "$(py '[e["day"] for e in j[0]]' "$T/a.json")"
check "export: the fixture's fields come back exactly" \
    "$(py "sorted($NO_IDS, key=lambda e: e['uuid'])" "$FIXTURE")" \
    "$(py "sorted([e for e in $NO_IDS if e['uuid'] in {f['uuid'] for f in j[1]}], key=lambda e: e['uuid'])" "$T/a.json" "$FIXTURE")"
check "csv: header and CRLF" \
    'uuid,day,text,tags,created_at,updated_at,thanked_at,thanked_how\r' \
    "$(head -1 "$T/a.csv" | sed 's/\r/\\r/')"
check "csv: quotes doubled, commas quoted" 1 \
    "$(grep -c '^5abe915d-df7c-4e80-8bad-6c7f8091a2b3,2025-01-05,"a, b, ""c"", d — commas & quotes",x_1,' "$T/a.csv")"

# JSON into a fresh database.
start_db "$T/two.db"
run_capture kl --json import "$T/a.json"
check "json import into a fresh database" '0 [7, 0]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"]]' /dev/stdin <<<"$OUT")"
kl export >"$T/b.json"
check "json round trip: identical entries" \
    "$(py "$NO_IDS" "$T/a.json")" "$(py "$NO_IDS" "$T/b.json")"
run_capture kl import "$T/a.json"
check "second import adds nothing" \
    "0 Added 0 entries, skipped 7 already there." "$RC $OUT"
run_capture kl --json import "$T/a.csv" --dry-run
check "dry run of the same entries as CSV: nothing to add" '0 [0, 7, true]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"], j[0]["dry_run"]]' /dev/stdin <<<"$OUT")"

# CSV into a fresh database: commas, quotes, CR LF, newlines, emoji.
start_db "$T/three.db"
run_capture kl --json import "$T/a.csv" --dry-run
check "dry run on an empty database: would add all" '0 [7, 0]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"]]' /dev/stdin <<<"$OUT")"
check "dry run changed nothing" "[]" "$(kl export | tr -d '\n')"
run_capture kl import "$T/a.csv"
check "csv import" "0 Added 7 entries, skipped 0 already there." "$RC $OUT"
kl export >"$T/c.json"
check "csv round trip: identical entries" \
    "$(py "$NO_IDS" "$T/a.json")" "$(py "$NO_IDS" "$T/c.json")"
run_capture kl --json import - --format csv <"$T/a.csv"
check "csv again from stdin adds nothing" '0 [0, 7]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"]]' /dev/stdin <<<"$OUT")"
check "streak sees the imported days" 5 \
    "$(kl --json streak | python3 -c 'import json,sys; print(json.load(sys.stdin)["days_noticed"])')"
finish
