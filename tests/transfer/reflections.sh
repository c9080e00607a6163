#!/bin/bash
# Reflections travel with the entries: the JSON export holds them after
# the entries and a fresh database imported from it exports the same
# file (ids aside); a second import adds nothing; the CSV of reflections
# round-trips on its own; Markdown puts them under their day; a bad
# reflection refuses the whole file, entries too; a CSV of entries says
# it left them out.
. "$TRANSFER_DIR/lib.sh"

start_db "$T/one.db"
kl add "made me coffee" -t morning -d 2025-03-01 >/dev/null
kl add "fixed the bike" -d 2025-03-02 --thanked >/dev/null
printf '%s\n' 'The coffee, "every" morning, with commas' '' \
    'Line one, then a tab:	here' | kl reflect >/dev/null
printf 'only the second\n' | kl reflect >/dev/null
check "two reflections to carry" 2 \
    "$(jq_py "$(kl --json reflect --list)" 'd["total"]')"

kl export >"$T/a.json"
check "json export: 2 entries, then 2 reflections" \
    '[false, false, true, true]' \
    "$(py '["answers" in e for e in j[0]]' "$T/a.json")"
run_capture kl export -o "$T/out.json"
check "export -o counts both" \
    "0 Exported 2 entries and 2 reflections to $T/out.json." "$RC $OUT"

# Into a fresh database: the same log comes back, exactly.
start_db "$T/two.db"
run_capture kl --json import "$T/a.json"
check "json import: entries and reflections added" \
    '0 [2, 0, {"added": 2, "skipped": 0}]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"], j[0]["reflections"]]' /dev/stdin <<<"$OUT")"
kl export >"$T/b.json"
check "json round trip: identical entries and reflections" \
    "$(py "$NO_IDS" "$T/a.json")" "$(py "$NO_IDS" "$T/b.json")"
run_capture kl import "$T/a.json"
check "a second import adds nothing" \
    "0 Added 0 entries, skipped 2 already there; added 0 reflections, skipped 2." \
    "$RC $OUT"

# The CSV of reflections, on its own, into a third database.
run_capture kl export --format csv
check "a CSV of entries says the reflections are not in it" \
    "kindlog: the reflections are not in this CSV; kindlog export --format csv --reflections writes them" \
    "$ERR"
kl export --format csv --reflections >"$T/r.csv"
check "csv of reflections: header, a row per answer" \
    "uuid,day,created_at,question,answer 3" \
    "$(head -1 "$T/r.csv" | tr -d '\r') $(($(wc -l <"$T/r.csv") - 1))"
run_capture kl export --format markdown --reflections
check "--reflections goes with csv only" 2 "$RC"
start_db "$T/three.db"
run_capture kl import "$T/r.csv"
check "csv import of reflections" \
    "0 Added 0 entries, skipped 0 already there; added 2 reflections, skipped 0." \
    "$RC $OUT"
check "csv round trip: the reflections exactly" \
    "$(py '[{k: v for k, v in e.items() if k != "id"} for e in j[0] if "answers" in e]' "$T/a.json")" \
    "$(kl export | py '[{k: v for k, v in e.items() if k != "id"} for e in j[0]]' /dev/stdin)"

# Markdown: each reflection under its day, after the day's gestures.
start_db "$T/two.db"
kl export --format markdown >"$T/a.md"
check "markdown: the day of the reflections is one section" 1 \
    "$(grep -c "^## $(jq_py "$(kl --json reflect --list)" 'd["reflections"][0]["day"]')$" "$T/a.md")"
check "markdown: the reflections with their questions in bold" 2 \
    "$(grep -c '^### Reflection$' "$T/a.md")"
assert_contains "markdown: an answer" "$(cat "$T/a.md")" \
    'The coffee, "every" morning, with commas'

# A bad reflection refuses the whole file: its entries are not added.
start_db "$T/four.db"
python3 -c '
import json, sys
log = json.load(open(sys.argv[1]))
log[-1]["answers"] = []
json.dump(log, open(sys.argv[2], "w"))' "$T/a.json" "$T/bad.json"
run_capture kl import "$T/bad.json"
check "a reflection without answers: refused, numbered" \
    "1 kindlog: $T/bad.json: record 4: a reflection needs at least one answer; nothing was imported" \
    "$RC $ERR"
check "nothing was imported, entries included" "[]" \
    "$(kl export | tr -d '\n')"
finish
