#!/bin/bash
# Large imports: the client keeps batches in flight while the daemon
# stages earlier ones, and the daemon settles duplicate uuids at commit.
# A bad record in a late batch is still named with its line and nothing
# is imported; one daemon takes several imports in a row.
. "$TRANSFER_DIR/lib.sh"

# gen FILE N [BAD-RECORD [KIND]]: N CSV records over 2025, uuids from the
# record number; KIND "day" gives the bad record a day the daemon refuses,
# "fields" a field too many (the client refuses it).
gen() {
	python3 - "$@" <<'P'
import sys
path, n = sys.argv[1], int(sys.argv[2])
bad = int(sys.argv[3]) if len(sys.argv) > 3 else 0
kind = sys.argv[4] if len(sys.argv) > 4 else "day"
with open(path, "w", newline="") as f:
    f.write("uuid,day,text,tags,created_at,updated_at,thanked_at,thanked_how\r\n")
    for i in range(1, n + 1):
        day = "2025-%02d-%02d" % (i % 12 + 1, i % 28 + 1)
        row = "%08x-0000-4000-8000-%012x,%s,gesture %d,t%d;both,,,,\r\n" % (
            i, i, day, i, i % 5)
        if i == bad and kind == "day":
            row = row.replace(day, "2025-02-30")
        if i == bad and kind == "fields":
            row = row.replace("\r\n", ",extra\r\n")
        f.write(row)
P
}

start_db "$T/one.db"
kl add "already here" -d 2025-01-01 >/dev/null
kl export >"$T/before.json"

# 12000 records of ~80 bytes: about 20 batches of 48 KiB.
gen "$T/late.csv" 12000 11000
run_capture kl import "$T/late.csv"
check "bad day in record 11000 of 12000: named with its line" \
    "1 kindlog: $T/late.csv: record 11000 (line 11001): day '2025-02-30' is not a date YYYY-MM-DD; nothing was imported" \
    "$RC $ERR"
check "late bad record: nothing imported" "$(cat "$T/before.json")" \
    "$(kl export)"

# The daemon refuses record 10000, in a batch sent while the client reads
# on, and the client refuses record 10700 (a batch later) itself: the
# earlier record is the one reported, as when each batch was answered
# before the next was read.
gen "$T/both.csv" 12000 10000
python3 - "$T/both.csv" <<'P'
import sys
lines = open(sys.argv[1], newline="").read().split("\r\n")
lines[10700] += ",extra"
open(sys.argv[1], "w", newline="").write("\r\n".join(lines))
P
run_capture kl import "$T/both.csv"
check "daemon's refusal of an earlier record wins over the client's" \
    "1 kindlog: $T/both.csv: record 10000 (line 10001): day '2025-02-30' is not a date YYYY-MM-DD; nothing was imported" \
    "$RC $ERR"
gen "$T/fields.csv" 12000 11500 fields
run_capture kl import "$T/fields.csv"
check "the client's own refusal in a late record" \
    "1 kindlog: $T/fields.csv: record 11500 (line 11501): 9 fields, the header has 8; nothing was imported" \
    "$RC $ERR"
check "after the refusals: nothing imported" "$(cat "$T/before.json")" \
    "$(kl export)"

# Several imports in one daemon, with duplicates inside one import: the
# first record of a uuid wins (its text and tags), later ones are skipped.
gen "$T/good.csv" 12000
run_capture kl import "$T/good.csv"
check "12000 records in one daemon" \
    "0 Added 12000 entries, skipped 0 already there." "$RC $OUT"
run_capture kl import "$T/good.csv"
check "the same again in the same daemon: all skipped" \
    "0 Added 0 entries, skipped 12000 already there." "$RC $OUT"
python3 - "$T/dup.csv" <<'P'
import sys
with open(sys.argv[1], "w", newline="") as f:
    f.write("uuid,day,text,tags\r\n")
    for i in range(1, 6001):
        f.write("%08x-0000-4000-8000-%012x,2025-06-01,new %d,first\r\n"
                % (100000 + i, i, i))
    f.write("%08x-0000-4000-8000-%012x,2025-06-01,new 3 again,second\r\n"
            % (100003, 3))
    f.write("%08x-0000-4000-8000-%012x,2025-06-01,old one again,second\r\n"
            % (7, 7))
P
run_capture kl --json import --dry-run "$T/dup.csv"
check "dry run counts a uuid staged twice once" '0 [6000, 2]' \
    "$RC $(py '[j[0]["added"], j[0]["skipped"]]' /dev/stdin <<<"$OUT")"
run_capture kl import "$T/dup.csv"
check "a uuid twice in one import: the first wins" \
    "0 Added 6000 entries, skipped 2 already there." "$RC $OUT"
kl export >"$T/after.json"
check "the first record's text and tags, not the later one's" \
    '[["new 3", ["first"]], ["gesture 7", ["both", "t2"]]]' \
    "$(py '[[e["text"], sorted(e["tags"])] for e in j[0] if e["uuid"] in ("000186a3-0000-4000-8000-000000000003", "00000007-0000-4000-8000-000000000007")]' "$T/after.json")"
check "every record once" 18001 "$(py 'len(j[0])' "$T/after.json")"
check "ids in record order" '[12002, 18001]' \
    "$(py '[e["id"] for e in j[0] if e["text"] in ("new 1", "new 6000")]' "$T/after.json")"
finish
