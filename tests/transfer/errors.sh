#!/bin/bash
# One bad record: nothing is imported, exit 1, and the message names the
# record (and the CSV line); numbering runs across batches.
. "$TRANSFER_DIR/lib.sh"

start_db "$T/one.db"
kl add "already here" -d 2025-01-01 >/dev/null
kl export >"$T/before.json"

printf '%s\r\n' 'uuid,day,text,tags,created_at,updated_at,thanked_at,thanked_how' \
    ',2025-02-01,first,,,,,' ',2025-02-02,"second,' 'on two lines",a;b,,,,' \
    ',2025-13-40,third,,,,,' ',2025-02-04,fourth,,,,,' >"$T/bad-day.csv"
run_capture kl import "$T/bad-day.csv"
check "bad day in record 3: exit 1" 1 "$RC"
check "bad day in record 3: the message names record and line" \
    "kindlog: $T/bad-day.csv: record 3 (line 5): day '2025-13-40' is not a date YYYY-MM-DD; nothing was imported" \
    "$ERR"
check "bad day: nothing imported" "$(cat "$T/before.json")" "$(kl export)"

cat >"$T/bad.json" <<'J'
[{"day":"2025-02-01","text":"one"},
 {"day":"2025-02-02","text":"two","tags":["ok"]},
 {"day":"2025-02-03","text":"three","thanked":{"at":"2025-02-03T10:00:00Z","how":"hugged"}},
 {"day":"2025-02-04","text":"four"}]
J
run_capture kl import "$T/bad.json"
check "bad thanked.how in record 3: exit 1 and named" \
    "1 kindlog: $T/bad.json: record 3: thanked.how must be said, wrote, showed or other; nothing was imported" \
    "$RC $ERR"

bad_record() {	# NAME JSON-OF-RECORD-2 EXPECTED-MESSAGE
	printf '[{"day":"2025-02-01","text":"ok"},%s]' "$2" >"$T/r.json"
	run_capture kl import "$T/r.json"
	check "$1" "1 kindlog: $T/r.json: record 2: $3; nothing was imported" \
	    "$RC $ERR"
}
bad_record "future day" '{"day":"2999-01-01","text":"x"}' \
    "day 2999-01-01 is in the future"
bad_record "day not in YYYY-MM-DD" '{"day":"yesterday","text":"x"}' \
    "day 'yesterday' is not a date YYYY-MM-DD"
bad_record "empty text" '{"day":"2025-01-01","text":"  "}' \
    "text must not be empty"
bad_record "bad uuid" '{"uuid":"nope","day":"2025-01-01","text":"x"}' \
    "uuid 'nope' is not a UUID"
bad_record "bad tag" '{"day":"2025-01-01","text":"x","tags":["no spaces"]}' \
    "invalid tag 'no spaces': use 1 to 32 of a-z, 0-9, _ and -"
bad_record "bad time" '{"day":"2025-01-01","text":"x","created_at":"noon"}' \
    "created_at must be an RFC 3339 time like 2026-11-27T07:41:05Z"
bad_record "unknown field" '{"day":"2025-01-01","text":"x","mood":"ok"}' \
    "unknown param 'mood'"
bad_record "not an object" '"text"' "not an entry object"
check "after all of that: still nothing imported" \
    "$(cat "$T/before.json")" "$(kl export)"

# 3000 records take several batches; record 2500 is bad.
python3 - "$T/big.json" <<'P'
import json, sys
recs = [{"day": "2025-03-%02d" % (i % 28 + 1), "text": "gesture %d" % i}
        for i in range(1, 3001)]
recs[2499]["day"] = "2025-02-30"
json.dump(recs, open(sys.argv[1], "w"))
P
run_capture kl import "$T/big.json"
check "record 2500 of 3000 (a later batch) is named" \
    "1 kindlog: $T/big.json: record 2500: day '2025-02-30' is not a date YYYY-MM-DD; nothing was imported" \
    "$RC $ERR"
check "big import: nothing imported" "$(cat "$T/before.json")" "$(kl export)"
python3 -c "
import json; r = json.load(open('$T/big.json')); r[2499]['day'] = '2025-02-28'
json.dump(r, open('$T/big.json', 'w'))"
run_capture kl import "$T/big.json"
check "the fixed file imports whole" \
    "0 Added 3000 entries, skipped 0 already there." "$RC $OUT"

# CSV syntax errors name the line too.
printf 'day,text\n2025-01-01,"never closed\n' >"$T/open.csv"
run_capture kl import "$T/open.csv"
check "unterminated quote" \
    "1 kindlog: $T/open.csv: record 1: line 2: quoted field never ends; nothing was imported" \
    "$RC $ERR"
printf 'day,text,mood\n' >"$T/col.csv"
run_capture kl import "$T/col.csv"
check "unknown column" 1 "$RC"

# The session protocol by hand: a bad batch ends the session.
python3 - "$SOCK" >"$T/rpc.out" <<'P'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw")
def call(i, method, params):
    f.write(json.dumps({"jsonrpc": "2.0", "id": i, "method": method,
                        "params": params}) + "\n"); f.flush()
    r = json.loads(f.readline())
    return r.get("result", r.get("error"))
sid = call(1, "import.begin", {})["session"]
print(call(2, "import.add", {"session": sid, "entries": [
    {"day": "2025-06-01", "text": "a"}]}))
print(call(3, "import.add", {"session": sid, "entries": [
    {"day": "2025-06-02", "text": "b"}, {"day": "bad", "text": "c"}]}))
print(call(4, "import.commit", {"session": sid})["code"])
P
check "protocol: records counted across batches; a bad batch ends the session" \
    "{'records': 1}
{'code': -32602, 'message': \"record 3: day 'bad' is not a date YYYY-MM-DD\"}
1" "$(cat "$T/rpc.out")"
finish
