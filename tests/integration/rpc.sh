#!/bin/bash
# The wire protocol by hand (doc/protocol.md): error codes,
# notifications, pipelining, the line limit and the idle timeout.
. "$TESTS_DIR/lib.sh"

DAEMON_ENV=(KINDLOGD_IDLE_TIMEOUT=1)
need_daemon

# The error object of a reply line as [id, code].
err_of() { jq_py "$1" '[d.get("id"), d["error"]["code"]]'; }

# One request line; its reply's [id, code] must be as given.
check_error() {	# DESC LINE EXPECTED-[ID,CODE]
	local reply
	reply=$(rpc "$SOCK" "$2")
	assert_eq "$1" "$3" "$(err_of "$reply")"
	assert_eq "$1: jsonrpc 2.0, no result" '["2.0",false]' \
	    "$(jq_py "$reply" '[d.get("jsonrpc"), "result" in d]')"
	assert_match "$1: has a message" '^.+$' \
	    "$(jq_py "$reply" 'd["error"]["message"]')"
}

# ------------------------------------------------------------- envelope

REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":1,"method":"version"}')
assert_eq "version by hand" \
    '{"id":1,"jsonrpc":"2.0","result":{"protocol":1,"version":"0.1.0"}}' \
    "$(json_canon "$REPLY")"
assert_eq "a reply is one line" 1 "$(count_lines "$REPLY")"

check_error "parse error → -32700, id null" \
    '{"jsonrpc":"2.0","id":1,"method":' '[null,-32700]'
check_error "not JSON at all → -32700" 'hello' '[null,-32700]'
check_error "invalid UTF-8 → -32700" \
    $'{"jsonrpc":"2.0","id":1,"method":"add","params":{"text":"\xff\xfe"}}' \
    '[null,-32700]'
check_error "unknown method → -32601" \
    '{"jsonrpc":"2.0","id":2,"method":"frobnicate"}' '[2,-32601]'
check_error "params as an array → -32602" \
    '{"jsonrpc":"2.0","id":3,"method":"add","params":["x"]}' '[3,-32602]'
check_error "unknown param → -32602" \
    '{"jsonrpc":"2.0","id":4,"method":"add","params":{"text":"x","colour":"red"}}' \
    '[4,-32602]'
check_error "param of the wrong type → -32602" \
    '{"jsonrpc":"2.0","id":5,"method":"get","params":{"id":"12"}}' '[5,-32602]'
check_error "text of the wrong type → -32602" \
    '{"jsonrpc":"2.0","id":6,"method":"add","params":{"text":42}}' '[6,-32602]'
check_error "missing required param → -32602" \
    '{"jsonrpc":"2.0","id":7,"method":"get","params":{}}' '[7,-32602]'
check_error "limit out of range → -32602" \
    '{"jsonrpc":"2.0","id":8,"method":"list","params":{"limit":-1}}' '[8,-32602]'
check_error "params to a method without params → -32602" \
    '{"jsonrpc":"2.0","id":9,"method":"version","params":{"x":1}}' '[9,-32602]'
check_error "batch → -32600" \
    '[{"jsonrpc":"2.0","id":1,"method":"version"}]' '[null,-32600]'
check_error "wrong jsonrpc version → -32600" \
    '{"jsonrpc":"1.0","id":10,"method":"version"}' '[10,-32600]'
check_error "method not a string → -32600" \
    '{"jsonrpc":"2.0","id":11,"method":7}' '[11,-32600]'
# Valid JSON that is not an object is an invalid request, not a parse
# error (JSON-RPC 2.0 §6 example "--> 1"; doc/protocol.md: -32700 is for
# lines that are not valid JSON).
check_error "a bare string (valid JSON, not an object) → -32600" '"version"' '[null,-32600]'
check_error "a bare number → -32600" '1' '[null,-32600]'
check_error "null → -32600" 'null' '[null,-32600]'
check_error "not found → application code 1" \
    '{"jsonrpc":"2.0","id":12,"method":"get","params":{"id":999}}' '[12,1]'
check_error "nothing to undo → 1" \
    '{"jsonrpc":"2.0","id":13,"method":"undo"}' '[13,1]'
check_error "future day → -32602" \
    '{"jsonrpc":"2.0","id":14,"method":"add","params":{"text":"x","day":"2999-01-01"}}' \
    '[14,-32602]'

REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":"abc-1","method":"version"}')
assert_eq "a string id is echoed" '"abc-1"' "$(jq_py "$REPLY" 'json.dumps(d["id"])')"
REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":"x","method":"nope"}')
assert_eq "a string id is echoed in errors" '["x",-32601]' "$(err_of "$REPLY")"
REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":9007199254740993,"method":"version"}')
assert_eq "a large integer id is echoed exactly" 9007199254740993 \
    "$(jq_py "$REPLY" 'd["id"]')"
REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":0,"method":"version"}')
assert_eq "id 0 is an id, not a notification" 0 "$(jq_py "$REPLY" 'd["id"]')"
REPLY=$(rpc "$SOCK" '{"method":"version","params":{},"id":5,"jsonrpc":"2.0"}')
assert_eq "members in any order" 5 "$(jq_py "$REPLY" 'd["id"]')"
REPLY=$(rpc "$SOCK" $'{"jsonrpc":"2.0","id":6,"method":"version"}\r')
assert_eq "a CRLF line end is accepted" 6 "$(jq_py "$REPLY" 'd["id"]')"

# ------------------------------------------------------- notifications

OUT=$(rpc "$SOCK" --expect 1 --linger 0.3 \
    '{"jsonrpc":"2.0","method":"add","params":{"text":"sent as a notification"}}' \
    '{"jsonrpc":"2.0","method":"nope"}' \
    '{"jsonrpc":"2.0","method":"add","params":["array"]}' \
    '{"jsonrpc":"2.0","id":1,"method":"list"}')
assert_eq "notifications (even failing ones) get no reply: one reply only" 1 \
    "$(count_lines "$OUT")"
assert_eq "the one reply is the request's" 1 "$(jq_py "$OUT" 'd["id"]')"
assert_eq "the notification's add took effect" '["sent as a notification"]' \
    "$(jq_py "$OUT" '[e["text"] for e in d["result"]["entries"]]')"

# --------------------------------------------------------- pipelining

LINES=()
for i in $(seq 1 100); do
	if ((i % 10 == 0)); then
		LINES+=("{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"add\",\"params\":{\"text\":\"pipelined $i\"}}")
	else
		LINES+=("{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"version\"}")
	fi
done
OUT=$(rpc "$SOCK" --timeout 20 "${LINES[@]}")
assert_eq "100 pipelined requests: 100 replies" 100 "$(count_lines "$OUT")"
IDS=$(printf '%s\n' "$OUT" | "$PYTHON" -c '
import json, sys
print(",".join(str(json.loads(l)["id"]) for l in sys.stdin))')
assert_eq "replies come in request order" "$(seq -s, 1 100)" "$IDS"
assert_eq "every pipelined request succeeded" 0 \
    "$(printf '%s\n' "$OUT" | grep -c '"error"')"
run_capture kl --json list --grep pipelined
assert_eq "the pipelined adds are stored" 10 "$(jq_py "$OUT" 'd["total"]')"

# Requests split across writes and several per write still frame right.
OUT=$(printf '%s' '{"jsonrpc":"2.0","id":1,"meth' |
    rpc "$SOCK" --stdin --expect 0 --timeout 0.2)
assert_eq "half a line gets no reply" "" "$OUT"

# ------------------------------------------------------ line length limit

OUT=$(rpc "$SOCK" --long 65536 --expect 1 --timeout 10)
assert_eq "a 65536-byte line is accepted (-32602 for the odd param, not -32600)" \
    '[1,-32602]' "$(err_of "$OUT")"

OUT=$(rpc "$SOCK" --long 70000 --expect 1 --wait-close --timeout 10)
REPLY=$(head -n1 <<<"$OUT")
assert_eq "a 70000-byte line → -32600" '[null,-32600]' "$(err_of "$REPLY")"
assert_contains "-32600 says the request is too long" \
    "$(jq_py "$REPLY" 'd["error"]["message"]')" "too long"
assert_eq "… and the connection is closed" "#closed" "$(tail -n1 <<<"$OUT")"

OUT=$(rpc "$SOCK" --long 200000 --no-lf --expect 1 --wait-close --timeout 10)
assert_eq "200000 bytes without any LF → -32600" '[null,-32600]' \
    "$(err_of "$(head -n1 <<<"$OUT")")"
assert_eq "… and the connection is closed" "#closed" "$(tail -n1 <<<"$OUT")"

OUT=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":1,"method":"version"}' --long 70000 \
    --expect 2 --wait-close --timeout 10)
assert_eq "a request before the long line is answered first" 1 \
    "$(jq_py "$(sed -n 1p <<<"$OUT")" 'd["id"]')"
assert_eq "then -32600 for the long line" '[null,-32600]' \
    "$(err_of "$(sed -n 2p <<<"$OUT")")"

REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":2,"method":"version"}')
assert_eq "the daemon still serves after over-long lines" 2 \
    "$(jq_py "$REPLY" 'd["id"]')"

# -------------------------------------------------------------- idle

OUT=$(rpc "$SOCK" --expect 0 --wait-close --timeout 8)
assert_eq "an idle connection is closed (KINDLOGD_IDLE_TIMEOUT=1)" "#closed" "$OUT"
OUT=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":1,"method":"version"}' --wait-close \
    --timeout 8)
assert_eq "a connection idle after a request is closed" "#closed" \
    "$(tail -n1 <<<"$OUT")"
assert_eq "… after its reply arrived" 1 "$(jq_py "$(head -n1 <<<"$OUT")" 'd["id"]')"
REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":3,"method":"version"}')
assert_eq "the daemon still serves after closing idle connections" 3 \
    "$(jq_py "$REPLY" 'd["id"]')"
stop_daemon

# Without the variable, a connection quiet for 2 s is still open.
DAEMON_ENV=()
need_daemon
OUT=$(rpc "$SOCK" --delay 2 '{"jsonrpc":"2.0","id":4,"method":"version"}' \
    --report-close)
assert_eq "default idle timeout is longer than 2 s" 4 \
    "$(jq_py "$(head -n1 <<<"$OUT")" 'd["id"]')"
stop_daemon
finish
