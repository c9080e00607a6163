#!/bin/bash
# Bad input (doc/protocol.md and doc/security.md): every malformed request gets a
# JSON-RPC error or a closed connection, the same connection keeps
# working where the protocol says it does, nothing is stored, and the
# daemon's memory stays bounded. Over-long lines, invalid JSON and the
# idle timeout are in tests/integration/rpc.sh; another uid is refused in
# tests/integration/peer.sh.
. "$ROBUST_DIR/lib.sh"

need_daemon

abuse badinput
note "replies: $(tr '\n' ' ' <<<"$R")"
for k in invalid_utf8 overlong_utf8 surrogate_escape raw_nul escaped_nul \
    nul_in_method deep_array deep_object id_huge not_json truncated \
    duplicate_keys; do
	assert_eq "$k → parse error -32700" -32700 "$(val "$k")"
done
for k in params_string method_number request_id_object jsonrpc_1 batch \
    empty_object; do
	assert_eq "$k → invalid request -32600" -32600 "$(val "$k")"
done
for k in unknown_method empty_method; do
	assert_eq "$k → unknown method -32601" -32601 "$(val "$k")"
done
for k in tags_15000 text_as_number text_as_array tags_as_string \
    tag_as_number id_as_string_param id_negative id_float params_array \
    unknown_param day_garbage day_far_past day_future text_4001 text_blank
do
	assert_eq "$k → invalid params -32602" -32602 "$(val "$k")"
done
assert_eq "the connection still answers after 35 bad requests" ok \
    "$(val after)"
assert_eq "100000 tags (a 500 KB line) → -32600" -32600 "$(val tags_100000)"
assert_eq "… and the connection is closed" closed "$(val tags_100000_then)"
run_capture kl --json list --all
assert_eq "none of the bad requests stored anything" 0 \
    "$(out_total)"

abuse pipeline 5000
assert_eq "5000 pipelined requests: 5000 replies" 5000 "$(val replies)"
assert_eq "… in request order" True "$(val in_order)"
assert_eq "… none failed" 0 "$(val errors)"
note "5000 pipelined requests answered in $(val seconds) s"
run_capture kl --json list --all
assert_eq "the 500 pipelined adds are stored" 500 \
    "$(out_total)"

# One reply bigger than the 1 MiB queue limit, to a client that reads it:
# not a client that stopped reading (regression: it was dropped).
abuse bigreply 400
assert_eq "a 1.6 MB list reply arrives whole" 900 "$(val listed)"
run_capture kl --json list --all
assert_ok "kindlog list --all of 900 entries (1.6 MB)"
assert_eq "… lists them all" 900 "$(out_total)"

abuse noreader 200000
assert_eq "a client that never reads its replies is dropped" True \
    "$(val dropped)"

rss=$(rss_kib "$DAEMON_PID")
note "daemon RSS after the abuse: $rss KiB (limit $RSS_LIMIT_KIB KiB)"
assert_true "daemon memory stays bounded ($rss KiB)" \
    test "$rss" -lt "$RSS_LIMIT_KIB"
run_capture kl --json version
assert_ok "the daemon still serves"
stop_daemon
finish
