#!/bin/bash
# Every entry subcommand of kindlog, in human and --json form, against a
# real kindlogd: add, list/ls, show, edit, rm, undo, thank, version, status.
. "$TESTS_DIR/lib.sh"

need_daemon
MAIN_PID=$DAEMON_PID
D=$(daemon_today)
assert_match "status reports today as YYYY-MM-DD" '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' "$D"
Y=$(day_add "$D" -1)
D3=$(day_add "$D" -3)
TS='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
ESC=$'\033'
NL=$'\n'

# ------------------------------------------------------------------ empty

run_capture kl list
assert_ok "list on an empty log"
assert_eq "list on an empty log says how to start" \
    'No entries yet. Log one with: kindlog add "…"' "$OUT"
run_capture kl --json list
assert_eq "--json list on an empty log" '{"entries":[],"total":0}' \
    "$(json_canon "$OUT")"

# -------------------------------------------------------------------- add

run_capture kl --json add "  made me coffee before my exam  " -t Morning -t COFFEE -t morning
assert_ok "add with tags"
assert_eq "add: id 1" 1 "$(jq_py "$OUT" 'd["entry"]["id"]')"
assert_eq "add: text trimmed" "made me coffee before my exam" \
    "$(jq_py "$OUT" 'd["entry"]["text"]')"
assert_eq "add: tags lowercased, merged and sorted" '["coffee","morning"]' \
    "$(jq_py "$OUT" 'd["entry"]["tags"]')"
assert_eq "add: day defaults to today" "$D" "$(jq_py "$OUT" 'd["entry"]["day"]')"
assert_eq "add: not thanked" null "$(jq_py "$OUT" 'd["entry"]["thanked"]')"
assert_match "add: created_at is RFC 3339 UTC" "$TS" \
    "$(jq_py "$OUT" 'd["entry"]["created_at"]')"
assert_match "add: updated_at is RFC 3339 UTC" "$TS" \
    "$(jq_py "$OUT" 'd["entry"]["updated_at"]')"
assert_match "add: uuid" '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' \
    "$(jq_py "$OUT" 'd["entry"]["uuid"]')"
assert_eq "add: entry has exactly the documented keys" \
    '["created_at","day","id","tags","text","thanked","updated_at","uuid"]' \
    "$(jq_py "$OUT" 'sorted(d["entry"].keys())')"
assert_eq "add: result carries the streak" \
    "{\"at_risk\":false,\"best\":1,\"best_first\":\"$D\",\"best_last\":\"$D\",\"current\":1,\"days_noticed\":1,\"entries\":1,\"logged_today\":true,\"today\":\"$D\"}" \
    "$(jq_py "$OUT" 'd["streak"]')"
UUID1=$(jq_py "$OUT" 'd["entry"]["uuid"]')

run_capture kl add fixed the bike -d yesterday
assert_ok "add -d yesterday (human)"
assert_eq "add (human) confirms id, day and text; then the streak" \
    "Logged #2 for $Y: fixed the bike
Streak: 2 days" "$OUT"
assert_not_contains "add (human): no ANSI escapes when stdout is not a tty" \
    "$OUT" "$ESC"

run_capture kl --json add "new year breakfast" -d 2026-01-01 --thanked
assert_ok "add -d 2026-01-01 --thanked"
assert_eq "add -d ISO day" 2026-01-01 "$(jq_py "$OUT" 'd["entry"]["day"]')"
assert_eq "add --thanked means said" said \
    "$(jq_py "$OUT" 'd["entry"]["thanked"]["how"]')"
assert_match "add --thanked: thanked.at is RFC 3339 UTC" "$TS" \
    "$(jq_py "$OUT" 'd["entry"]["thanked"]["at"]')"

run_capture kl --json add "left me a note" -d "3 days ago" --thanked=wrote -t notes
assert_ok "add -d '3 days ago' --thanked=wrote"
assert_eq "add -d '3 days ago'" "$D3" "$(jq_py "$OUT" 'd["entry"]["day"]')"
assert_eq "add --thanked=wrote" wrote \
    "$(jq_py "$OUT" 'd["entry"]["thanked"]["how"]')"

run_capture kl --json add - <<<"  took the late shift
so I could rest

"
assert_ok "add - reads the text from stdin"
assert_eq "add -: text trimmed, inner newline kept" \
    "took the late shift
so I could rest" "$(jq_py "$OUT" 'd["entry"]["text"]')"
assert_eq "add -: id 5" 5 "$(jq_py "$OUT" 'd["entry"]["id"]')"

run_capture kl --json add watered the plants while I was away -t home
assert_ok "add with TEXT in several words"
assert_eq "add joins the words of TEXT with spaces" \
    "watered the plants while I was away" "$(jq_py "$OUT" 'd["entry"]["text"]')"

# Entries now: 1 today (coffee, morning), 2 yesterday (bike), 3 2026-01-01
# (thanked said), 4 three days ago (notes, wrote), 5 today (stdin), 6 today
# (home).

# ------------------------------------------------------------------- list

RAW=$(rpc_call list '{"limit":0}')
RAW_RESULT=$(jq_py "$RAW" 'd["result"]')
run_capture kl --json list --all
assert_ok "list --all --json"
assert_eq "kindlog --json list --all is exactly the daemon's list result" \
    "$RAW_RESULT" "$(json_canon "$OUT")"
assert_eq "list: total 6" 6 "$(jq_py "$OUT" 'd["total"]')"
assert_eq "list: newest day first, newest first within a day" \
    '[6,5,1,2,4,3]' "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"

RAW=$(rpc_call list)
run_capture kl --json list
assert_eq "kindlog --json list is exactly the daemon's list result" \
    "$(jq_py "$RAW" 'd["result"]')" "$(json_canon "$OUT")"

run_capture kl --json list -n 2
assert_eq "list -n 2: two entries" '[6,5]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
assert_eq "list -n 2: total still counts every match" 6 \
    "$(jq_py "$OUT" 'd["total"]')"

run_capture kl list -n 2
assert_ok "list -n 2 (human)"
assert_contains "list (human) says how many are shown" "$OUT" "2 of 6 shown"
assert_not_contains "list (human): no ANSI escapes when not a tty" \
    "$OUT" "$ESC"

run_capture kl list
assert_ok "list (human)"
assert_eq "list (human): a header and 6 rows" 7 "$(count_lines "$OUT")"
assert_match "list (human): header" '^ID +DAY +THANKED +TEXT +TAGS' \
    "$(head -n1 <<<"$OUT")"
assert_match "list (human): row of entry 1" \
    "(^|$NL) *1  $D  +made me coffee before my exam +#coffee #morning" "$OUT"
assert_match "list (human): row of entry 3 is marked thanked" \
    "(^|$NL) *3  2026-01-01  yes +new year breakfast" "$OUT"
assert_contains "list (human): multi-line text shows its first line" \
    "$OUT" "took the late shift…"
assert_not_contains "list (human): all shown, no 'of N shown' line" \
    "$OUT" "shown"

run_capture kl ls -n 1
assert_ok "ls is an alias of list"
assert_match "ls -n 1 shows entry 6 only" \
    "^ID.*"$'\n'" *6  $D  +watered the plants" "$OUT"

# Default limit 20: add 20 more (old days), list shows 20 of 26.
for i in $(seq 1 20); do
	kl add "filler $i" -d "$(day_add "$D" $((-30 - i)))" >/dev/null ||
	    fail "add filler $i"
done
run_capture kl --json list
assert_eq "list: default limit 20" 20 "$(jq_py "$OUT" 'len(d["entries"])')"
assert_eq "list: total with the default limit" 26 "$(jq_py "$OUT" 'd["total"]')"
run_capture kl --json list --all
assert_eq "list --all lifts the limit" 26 "$(jq_py "$OUT" 'len(d["entries"])')"
run_capture kl list
assert_contains "list (human): 20 of 26 shown" "$OUT" "20 of 26 shown"
run_capture kl --json list -n 0
assert_eq "list -n 0 means no limit" 26 "$(jq_py "$OUT" 'len(d["entries"])')"

run_capture kl --json list --since "$D3" --until "$Y"
assert_ok "list --since --until"
assert_eq "list --since/--until (inclusive)" '[2,4]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl --json list --since yesterday
assert_eq "list --since yesterday" '[6,5,1,2]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl --json list --until 2026-01-01 -n 0
assert_eq "list --until 2026-01-01 includes that day" 3 \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"] if e["day"] == "2026-01-01"][0]')"

run_capture kl --json list -t MORNING
assert_ok "list -t (mixed case)"
assert_eq "list -t morning" '[1]' "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl --json list --grep "COFFEE exam"
assert_eq "list --grep: every word, case-insensitive" '[1]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl --json list --grep "coffee bike"
assert_eq "list --grep: all words must match" '[]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl list --grep "no such words"
assert_ok "list with no match (human)"
assert_eq "list (human) with no match" "No matching entries." "$OUT"
run_capture kl --json list --unthanked --since "$D3"
assert_eq "list --unthanked" '[6,5,1,2]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"

# ------------------------------------------------------------------- show

RAW=$(rpc_call get '{"id":1}')
run_capture kl --json show 1
assert_ok "show 1 --json"
assert_eq "kindlog --json show is exactly the daemon's get result" \
    "$(jq_py "$RAW" 'd["result"]')" "$(json_canon "$OUT")"
assert_eq "show: uuid is stable" "$UUID1" "$(jq_py "$OUT" 'd["entry"]["uuid"]')"

run_capture kl show 1
assert_ok "show 1 (human)"
assert_eq "show (human): first line" "#1  $D" "$(sed -n 1p <<<"$OUT")"
assert_eq "show (human): text" "made me coffee before my exam" \
    "$(sed -n 2p <<<"$OUT")"
assert_match "show (human): tags" $'\n''Tags: +#coffee #morning'$'\n' "$OUT"
assert_contains "show (human): not thanked yet" "$OUT" "not yet (kindlog thank 1)"
assert_not_contains "show (human): no ANSI escapes" "$OUT" "$ESC"
run_capture kl show '#5'
assert_ok "show accepts #ID"
assert_contains "show 5 (human): both lines of the text" "$OUT" \
    "took the late shift
so I could rest"

# ------------------------------------------------------------------- edit

run_capture kl --json edit 1 "made me coffee AND toast"
assert_ok "edit text"
assert_eq "edit: new text" "made me coffee AND toast" \
    "$(jq_py "$OUT" 'd["entry"]["text"]')"
assert_eq "edit text keeps the tags" '["coffee","morning"]' \
    "$(jq_py "$OUT" 'd["entry"]["tags"]')"
assert_eq "edit keeps the uuid" "$UUID1" "$(jq_py "$OUT" 'd["entry"]["uuid"]')"
assert_eq "edit result has the streak" "$D" "$(jq_py "$OUT" 'd["streak"]["today"]')"
run_capture kl --json edit 1 -t Breakfast
assert_ok "edit -t"
assert_eq "edit -t replaces the tag set" '["breakfast"]' \
    "$(jq_py "$OUT" 'd["entry"]["tags"]')"
assert_eq "edit -t keeps the text" "made me coffee AND toast" \
    "$(jq_py "$OUT" 'd["entry"]["text"]')"
run_capture kl --json edit 1 -d yesterday
assert_ok "edit -d"
assert_eq "edit -d moves it" "$Y" "$(jq_py "$OUT" 'd["entry"]["day"]')"
run_capture kl edit 1 -d today -t x -t y "coffee, toast"
assert_ok "edit text, tags and day (human)"
assert_eq "edit (human)" "Updated #1 for $D: coffee, toast
Tags: #x #y" "$OUT"
run_capture kl --json show 1
assert_eq "edit took effect" \
    "[\"$D\",\"coffee, toast\",[\"x\",\"y\"]]" \
    "$(jq_py "$OUT" '[d["entry"]["day"], d["entry"]["text"], d["entry"]["tags"]]')"

# ---------------------------------------------------------- rm and undo

run_capture kl rm 2
assert_ok "rm 2"
assert_eq "rm (human)" "Deleted #2 (kindlog undo brings it back)" "$OUT"
run_capture kl --json rm 4
assert_ok "rm 4 --json"
assert_eq "rm --json returns the entry as it was" 4 "$(jq_py "$OUT" 'd["entry"]["id"]')"
assert_eq "rm --json returns the streak" "$D" "$(jq_py "$OUT" 'd["streak"]["today"]')"
run_capture kl --json list --since "$D3"
assert_eq "deleted entries leave the list" '[6,5,1]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl show 2
assert_rc "show of a deleted entry fails" 1

run_capture kl --json undo
assert_ok "undo"
assert_eq "undo restores the most recent delete first" 4 \
    "$(jq_py "$OUT" 'd["entry"]["id"]')"
run_capture kl undo
assert_ok "undo again (human)"
assert_eq "undo again restores the one before" "Restored #2: fixed the bike" "$OUT"
run_capture kl --json list --since "$D3"
assert_eq "both are back" '[6,5,1,2,4]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"
run_capture kl undo
assert_rc "a third undo has nothing to restore" 1

# ------------------------------------------------------------------ thank

run_capture kl --json thank 6
assert_ok "thank"
assert_eq "thank defaults to said" said "$(jq_py "$OUT" 'd["entry"]["thanked"]["how"]')"
T1=$(jq_py "$OUT" 'd["entry"]["thanked"]["at"]')
assert_match "thank: at is RFC 3339 UTC" "$TS" "$T1"
run_capture kl thank 6 --how showed
assert_ok "thank again --how showed (human)"
assert_eq "thank (human)" "Thanked #6 (showed): watered the plants while I was away" "${OUT%%$'\n'*}"
assert_contains "thank again (human): already thanked" "$OUT" "It was already thanked"
run_capture kl --json show 6
assert_eq "thanking again updates how" showed \
    "$(jq_py "$OUT" 'd["entry"]["thanked"]["how"]')"
run_capture kl show 6
assert_match "show (human) of a thanked entry" $'\n''Thanked: +showed, [0-9]{4}-' "$OUT"
run_capture kl --json list --unthanked --since "$D3"
assert_eq "thanked entries leave --unthanked" '[5,1,2]' \
    "$(jq_py "$OUT" '[e["id"] for e in d["entries"]]')"

# ------------------------------------------------------ version and status

run_capture kl version
assert_ok "version"
assert_eq "version (human) shows both versions" "kindlog 0.1.0
kindlogd 0.1.0 (protocol 1)" "$OUT"
run_capture kl --json version
assert_eq "version --json is the daemon's result" \
    "$(jq_py "$(rpc_call version)" 'd["result"]')" "$(json_canon "$OUT")"
assert_eq "version --json" '{"protocol":1,"version":"0.1.0"}' "$(json_canon "$OUT")"
run_capture "$KINDLOG_BIN" --version
assert_eq "kindlog --version needs no daemon" "kindlog 0.1.0" "$OUT"

run_capture kl --json status
assert_ok "status --json"
RAW=$(jq_py "$(rpc_call status)" 'd["result"]')
assert_eq "status --json has the daemon's keys" \
    "$(jq_py "$RAW" 'sorted(d.keys())')" "$(jq_py "$OUT" 'sorted(d.keys())')"
assert_eq "status --json equals the daemon's result (but uptime/connections)" \
    "$(jq_py "$RAW" '{k: v for k, v in d.items() if k not in ("uptime", "connections")}')" \
    "$(jq_py "$OUT" '{k: v for k, v in d.items() if k not in ("uptime", "connections")}')"
assert_eq "status: pid is the daemon's" "$MAIN_PID" "$(jq_py "$OUT" 'd["pid"]')"
assert_eq "status: socket" "$SOCK" "$(jq_py "$OUT" 'd["socket"]')"
assert_eq "status: database under XDG_DATA_HOME" \
    "$XDG_DATA_HOME/kindlog/kindlog.db" "$(jq_py "$OUT" 'd["database"]')"
assert_eq "status: entries" 26 "$(jq_py "$OUT" 'd["entries"]')"
assert_eq "status: partner null without config" null "$(jq_py "$OUT" 'd["partner"]')"
assert_eq "status: day_starts_at" "00:00" "$(jq_py "$OUT" 'd["day_starts_at"]')"
assert_eq "status: connections counts this one" 1 "$(jq_py "$OUT" 'd["connections"]')"
run_capture kl status
assert_ok "status (human)"
assert_match "status (human): first line" \
    "^kindlogd 0\.1\.0 \(protocol 1\), pid $MAIN_PID, up " "$OUT"
assert_match "status (human): socket" $'\n''Socket: +'"$SOCK"$'\n' "$OUT"
assert_match "status (human): entries" $'\n''Entries: +26'$'\n' "$OUT"
assert_not_contains "status (human): no ANSI escapes" "$OUT" "$ESC"

# --------------------------------------------------------------- streak

run_capture kl --json streak
assert_ok "streak --json"
assert_eq "kindlog --json streak is exactly the daemon's result" \
    "$(jq_py "$(rpc_call streak)" 'd["result"]')" "$(json_canon "$OUT")"
run_capture kl streak
assert_ok "streak (human)"
assert_match "streak (human): current" '^Current: +2 days' "$OUT"

# -------------------------------------------------------------- summary

run_capture kl
assert_ok "kindlog without a command shows the summary"
assert_contains "summary: today" "$OUT" "$D, logged"
assert_contains "summary: a recent entry" "$OUT" "watered the plants"

# The summary method's parts are what the parts' own methods answer.
S=$(rpc_call summary '{"mark":false}')
part() { jq_py "$S" "d['result']['$1']"; }
assert_eq "summary method: the streak" \
    "$(jq_py "$(rpc_call streak)" 'd["result"]')" "$(part streak)"
assert_eq "summary method: the 3 newest entries" \
    "$(jq_py "$(rpc_call list '{"limit":3}')" 'd["result"]["entries"]')" \
    "$(part recent)"
assert_eq "summary method: the count still to thank" \
    "$(jq_py "$(rpc_call list '{"unthanked":true}')" 'd["result"]["total"]')" \
    "$(part unthanked)"
assert_eq "summary method: the partner" \
    "$(jq_py "$(rpc_call status)" 'd["result"]["partner"]')" \
    "$(jq_py "$S" 'd["result"]["partner"]')"
assert_eq "summary method: the reminders" \
    "$(jq_py "$(rpc_call remind.status)" 'd["result"]')" "$(part reminders)"
# (a random one here: only its reason is the same each time)
assert_eq "summary method: the past gesture" \
    "$(jq_py "$(rpc_call resurface)" 'd["result"]["reason"]')" \
    "$(jq_py "$S" 'd["result"]["resurfaced"]["reason"]')"
assert_eq "summary method: the reflection nudge" \
    "$(jq_py "$(rpc_call reflect.nudge '{"mark":false}')" 'd["result"]')" \
    "$(part reflect)"
assert_eq "summary method: recent 0 is none" '[]' \
    "$(jq_py "$(rpc_call summary '{"recent":0}')" 'd["result"]["recent"]')"
assert_eq "summary method: recent over 20 refused" -32602 \
    "$(jq_py "$(rpc_call summary '{"recent":21}')" 'd["error"]["code"]')"

# The bare kindlog asks in one request; a daemon without the summary
# method gets one request per part, and the same summary comes out.
PROXY_LOG=$T/proxy.log
start_proxy() {	# SOCKET [REFUSE...]
	local sock=$1
	shift
	: >"$PROXY_LOG"
	"$PYTHON" "$TESTS_DIR/proxy.py" "$sock" "$SOCK" "$PROXY_LOG" "$@" &
	PROXY_PID=$!
	wait_for 10 test -S "$sock"
}
stop_proxy() { kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null; }
# (less the past gesture, picked at random each time)
not_random() { printf '%s\n' "$1" | grep -v '^From '; }
run_capture kl
DIRECT=$(not_random "$OUT")
start_proxy "$T/new.sock"
run_capture kl --socket "$T/new.sock"
stop_proxy
assert_eq "summary: one request" summary "$(cat "$PROXY_LOG")"
assert_eq "summary through one request, as printed directly" "$DIRECT" \
    "$(not_random "$OUT")"
start_proxy "$T/old.sock" summary
run_capture kl --socket "$T/old.sock"
stop_proxy
assert_eq "summary, older daemon: the summary method, then each part" \
    "summary streak status list list remind.status resurface reflect.nudge" \
    "$(tr '\n' ' ' <"$PROXY_LOG" | sed 's/ $//')"
assert_eq "summary, older daemon: the same summary" "$DIRECT" \
    "$(not_random "$OUT")"
start_proxy "$T/json.sock"
run_capture kl --socket "$T/json.sock" --json
stop_proxy
assert_eq "summary --json: one request per part (all of status)" \
    "streak status list list remind.status resurface reflect.nudge" \
    "$(tr '\n' ' ' <"$PROXY_LOG" | sed 's/ $//')"

# ------------------------------------------------- fitting to the width

# Wide characters take two columns: a line must fit COLUMNS as displayed,
# cut with an ellipsis; plain ASCII is measured without loading a locale.
display_width() {	# the widest line of stdin, in terminal columns
	python3 -c '
import sys, unicodedata
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(max([cols(l) for l in sys.stdin.read().splitlines()] + [0]))'
}
WIDE="花を買ってくれた、とても嬉しかった 🌸 and a long tail of plain words"
run_capture env LANG=C.UTF-8 COLUMNS=50 "$KINDLOG_BIN" --no-autostart add "$WIDE"
assert_ok "add wide text at 50 columns"
assert_contains "add at 50 columns: the text starts" "$OUT" "花を買"
assert_true "add at 50 columns: the confirmation fits, cut" \
    test "$(printf '%s\n' "$OUT" | display_width)" -le 50
kl add "cleaned the whole kitchen while I was on the phone with mum" >/dev/null
run_capture env LANG=C.UTF-8 COLUMNS=40 "$KINDLOG_BIN" --no-autostart list -n 2
assert_ok "list -n 2 at 40 columns"
assert_true "list at 40 columns: no line wider than 40" \
    test "$(printf '%s\n' "$OUT" | display_width)" -le 40
assert_match "list at 40 columns: wide text cut with an ellipsis" \
    '花を買[^ ]*…' "$OUT"
assert_match "list at 40 columns: ASCII text cut with an ellipsis" \
    'cleaned[^ ]*…' "$OUT"

# ------------------------------------------------------------ colour

if command -v script >/dev/null 2>&1; then
	TTY_OUT=$(COLUMNS=100 script -qec "'$KINDLOG_BIN' --no-autostart list -n 3" /dev/null 2>&1)
	assert_contains "on a tty, list uses colour" "$TTY_OUT" "$ESC["
	TTY_OUT=$(NO_COLOR=1 COLUMNS=100 script -qec "'$KINDLOG_BIN' --no-autostart list -n 3" /dev/null 2>&1)
	assert_not_contains "NO_COLOR turns colour off on a tty" "$TTY_OUT" "$ESC"
	assert_contains "NO_COLOR: still lists" "$TTY_OUT" "watered the plants"
	TTY_OUT=$(COLUMNS=100 script -qec "'$KINDLOG_BIN' --no-autostart --no-color list -n 3" /dev/null 2>&1)
	assert_not_contains "--no-color turns colour off on a tty" "$TTY_OUT" "$ESC"
else
	note "script(1) missing: colour on a tty not checked"
fi

# --------------------------------------------- socket by option and env

ALT="$T/alt/kl.sock"
mkdir -m 700 "$T/alt"
start_daemon --socket "$ALT" --db "$T/alt/alt.db"
ALT_PID=$DAEMON_PID
run_capture kl --socket "$ALT" --json add "on the other daemon"
assert_ok "--socket PATH reaches that daemon"
assert_eq "the other daemon has its own database" 1 "$(jq_py "$OUT" 'd["entry"]["id"]')"
run_capture env KINDLOG_SOCKET="$ALT" "$KINDLOG_BIN" --no-autostart --json status
assert_eq "KINDLOG_SOCKET reaches that daemon" "$ALT_PID" "$(jq_py "$OUT" 'd["pid"]')"
run_capture env KINDLOG_SOCKET="$ALT" "$KINDLOG_BIN" --no-autostart --socket "$SOCK" --json status
assert_eq "--socket wins over KINDLOG_SOCKET" "$(jq_py "$(rpc_call status)" 'd["result"]["pid"]')" \
    "$(jq_py "$OUT" 'd["pid"]')"
stop_daemon "$ALT_PID" "$ALT"

stop_daemon "$MAIN_PID"
finish
