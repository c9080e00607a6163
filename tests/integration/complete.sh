#!/bin/bash
# What the shell completions ask: the tags method (doc/protocol.md) and
# `kindlog --complete ids|tags` (kindlog(1), COMPLETION), which never
# starts a daemon, gives up quickly on one that does not answer, and
# prints nothing at all when it fails.
. "$TESTS_DIR/lib.sh"

# --complete as the shells run it: no --no-autostart, so that a client
# that would start kindlogd shows it. A hang is killed (exit 124).
complete_ask() {	# WHAT [GLOBAL-OPTION...]
	local what=$1
	shift
	run_capture timeout -k 5 10 "$KINDLOG_BIN" "$@" --complete "$what"
}

# The last complete_ask failed with exit code RC and printed nothing.
assert_quiet_failure() {	# DESC RC
	assert_rc "$1: exit $2" "$2"
	assert_eq "$1: nothing on stdout" "" "$OUT"
	assert_eq "$1: nothing on stderr" "" "$ERR"
}

# ---------------------------------------------------------- no daemon

for what in ids tags; do
	complete_ask "$what"
	assert_quiet_failure "--complete $what without a daemon" 3
done
complete_ask ids --socket "$T/elsewhere/kindlogd.sock"
assert_quiet_failure "--complete ids with --socket and no daemon there" 3
assert_eq "no daemon was started" "" "$(our_daemons)"
assert_true "no socket appeared" test ! -e "$SOCK"
assert_true "nor one at the --socket path" test ! -e "$T/elsewhere"
assert_true "no daemon log was written" test ! -e "$XDG_STATE_HOME/kindlog"

complete_ask bogus
assert_quiet_failure "--complete of something unknown" 2
run_capture "$KINDLOG_BIN" --complete ids list
assert_quiet_failure "--complete with a command after it" 2

# ------------------------------------------------------- the tags method

need_daemon
REPLY=$(rpc_call tags)
assert_eq "tags of an empty log" '{"tags":[]}' \
    "$(jq_py "$REPLY" 'd["result"]')"
for params in '{"x":1}' '{"limit":5}' '["morning"]'; do
	REPLY=$(rpc_call tags "$params")
	assert_eq "tags refuses params $params (-32602)" -32602 \
	    "$(jq_py "$REPLY" 'd["error"]["code"]')"
done
REPLY=$(rpc_call tags '{}')
assert_eq "tags takes an empty params object" '{"tags":[]}' \
    "$(jq_py "$REPLY" 'd["result"]')"

complete_ask ids
assert_ok "--complete ids on an empty log"
assert_eq "… offers no id" "" "$OUT"
complete_ask tags
assert_ok "--complete tags on an empty log"
assert_eq "… offers no tag" "" "$OUT$ERR"

kl add -d 2026-11-20 -t morning -t coffee "made me coffee" >/dev/null
kl add -d 2026-11-21 -t morning "walked the dog: twice" >/dev/null
kl add -d 2026-11-21 -t Hug $'a long hug\tafter work\nand a second line' \
    >/dev/null
kl add -d 2026-11-22 -t gone "deleted later" >/dev/null
kl rm 4 >/dev/null

REPLY=$(rpc_call tags)
assert_eq "tags: every tag of the live entries, most used first" \
    '[{"count":2,"tag":"morning"},{"count":1,"tag":"coffee"},{"count":1,"tag":"hug"}]' \
    "$(jq_py "$REPLY" 'd["result"]["tags"]')"

# ------------------------------------------------------------ --complete

complete_ask tags
assert_ok "--complete tags"
assert_eq "--complete tags: TAG<TAB>count, most used first" \
    $'morning\t2 entries\ncoffee\t1 entry\nhug\t1 entry' "$OUT"
assert_eq "--complete tags: nothing on stderr" "" "$ERR"

complete_ask ids
assert_ok "--complete ids"
assert_eq "--complete ids: ID<TAB>DAY TEXT, newest first, deleted left out" \
    $'3\t2026-11-21 a long hug after work…\n2\t2026-11-21 walked the dog: twice\n1\t2026-11-20 made me coffee' \
    "$OUT"
KINDLOG_SOCKET=$SOCK complete_ask ids --socket "$T/nowhere.sock"
assert_quiet_failure "--socket wins over KINDLOG_SOCKET" 3
KINDLOG_SOCKET=$SOCK complete_ask tags
assert_ok "--complete follows KINDLOG_SOCKET"
ALT_OUT=$OUT
complete_ask tags --socket "$SOCK"
assert_eq "… and --socket before it" "$ALT_OUT" "$OUT"

# The 50 most recent only.
for i in $(seq 1 60); do
	printf '{"jsonrpc":"2.0","id":%d,"method":"add","params":{"text":"gesture %d"}}\n' \
	    "$i" "$i"
done >"$T/adds"
rpc "$SOCK" --stdin --expect 60 --timeout 20 <"$T/adds" >/dev/null
complete_ask ids
assert_ok "--complete ids over 63 entries"
assert_eq "… offers the 50 most recent" 50 "$(count_lines "$OUT")"
assert_eq "… the newest first" 64 "$(head -n1 <<<"$OUT" | cut -f1)"
assert_eq "… down to the 50th" 15 "$(tail -n1 <<<"$OUT" | cut -f1)"

# -------------------------------------------------- a daemon that hangs

kill -STOP "$DAEMON_PID"
complete_ask ids
assert_quiet_failure "--complete ids to a stopped daemon gives up" 3
complete_ask tags
assert_quiet_failure "--complete tags to a stopped daemon gives up" 3
kill -CONT "$DAEMON_PID"
complete_ask tags
assert_ok "--complete works again once it runs"
assert_eq "only the daemon we started runs" "$DAEMON_PID" "$(our_daemons)"

stop_daemon
finish
