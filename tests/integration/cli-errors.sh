#!/bin/bash
# kindlog's exit codes and error messages (kindlog(1); doc/protocol.md): 2 for a
# malformed command line, 1 when the daemon refuses, 3 when it cannot be
# reached; errors are one line, "kindlog: …".
. "$TESTS_DIR/lib.sh"

# One line on stderr, starting "kindlog: " (no stack of prefixes).
assert_one_line_error() {	# DESC
	local first=${ERR%%$'\n'*}
	assert_eq "$1: one line on stderr" 1 "$(count_lines "$ERR")"
	assert_match "$1: message starts 'kindlog: ' once" '^kindlog: ' "$first"
	assert_not_contains "$1: no stacked prefixes" "${first#kindlog: }" "kindlog:"
}

# A usage error: exit 2, the message first, nothing on stdout.
check_usage() {	# DESC NEEDLE ARGS...
	local desc=$1 needle=$2
	shift 2
	run_capture kl "$@"
	assert_rc "$desc → exit 2" 2
	assert_match "$desc: message starts 'kindlog: '" '^kindlog: ' "$ERR"
	assert_contains "$desc: message" "$ERR" "$needle"
	assert_eq "$desc: nothing on stdout" "" "$OUT"
}

# A refusal by the daemon: exit 1 and one line on stderr.
check_refused() {	# DESC NEEDLE ARGS...
	local desc=$1 needle=$2
	shift 2
	run_capture kl "$@"
	assert_rc "$desc → exit 1" 1
	assert_one_line_error "$desc"
	assert_contains "$desc: message" "$ERR" "$needle"
	assert_eq "$desc: nothing on stdout" "" "$OUT"
}

# ------------------------------------------------------ no daemon at all

run_capture kl version
assert_rc "no daemon with --no-autostart → exit 3" 3
assert_contains "unreachable: names the socket" "$ERR" "$SOCK"
assert_contains "unreachable: says how to start it" "$ERR" "Start it with 'kindlogd'"
assert_match "unreachable: starts 'kindlog: '" '^kindlog: ' "$ERR"
assert_eq "no daemon was started" "" "$(our_daemons)"
assert_true "no socket appeared" test ! -e "$SOCK"

run_capture env KINDLOG_NO_AUTOSTART=1 "$KINDLOG_BIN" add "x"
assert_rc "KINDLOG_NO_AUTOSTART=1, no daemon → exit 3" 3

# Usage errors are found before connecting: exit 2 even without a daemon.
check_usage "unknown subcommand (no daemon)" "unknown command 'frobnicate'" frobnicate
check_usage "bad id (no daemon)" "invalid entry id 'abc'" show abc

# -------------------------------------------------------- usage errors

need_daemon

check_usage "unknown subcommand" "unknown command 'frobnicate'" frobnicate
check_usage "unknown global option" "unknown option '--frob'" --frob list
check_usage "unknown subcommand option" "unknown option '--frob'" list --frob
check_usage "unknown short option" "unknown option '-z'" add x -z
check_usage "missing argument (show)" "missing argument" show
check_usage "missing argument (add)" "missing argument" add
check_usage "missing argument (thank)" "missing argument" thank
check_usage "too many arguments (show)" "too many arguments" show 1 2
check_usage "option without its value" "needs an argument" add x -d
check_usage "bad id" "invalid entry id 'abc'" show abc
check_usage "id 0" "invalid entry id '0'" show 0
check_usage "negative id" "invalid entry id" rm -- -1
check_usage "bad id (edit)" "invalid entry id" edit x1 text
check_usage "bad day" "cannot understand day 'someday'" add x -d someday
check_usage "bad day (list --since)" "no such date '2026-02-30'" list --since 2026-02-30
check_usage "bad --how" "not 'loudly'" thank 1 --how loudly
check_usage "bad --thanked=HOW" "not 'loudly'" add x --thanked=loudly
check_usage "bad -n" "invalid number" list -n many
check_usage "edit with nothing to change" "nothing to change" edit 1
check_usage "--no-autostart takes no value" "takes no argument" --no-autostart=yes list
# A NUL would end the C string: everything after it would be lost.
run_capture kl add - < <(printf 'before\0after')
assert_rc "text with a NUL byte on stdin → exit 2" 2
assert_contains "NUL on stdin: message" "$ERR" "NUL byte"

run_capture kl --json list
assert_eq "usage errors sent nothing to the daemon" 0 "$(jq_py "$OUT" 'd["total"]')"

# ------------------------------------------------------ daemon refusals

check_refused "future day" "future" add x -d 2999-01-01
check_refused "tomorrow's date" "future" add x -d "$(day_add "$(daemon_today)" 1)"

run_capture kl show 999
assert_rc "show 999 → exit 1" 1
assert_eq "show 999: exact message" "kindlog: no entry #999" "$ERR"
assert_eq "show 999: nothing on stdout" "" "$OUT"
check_refused "edit of a missing entry" "no entry #999" edit 999 new
check_refused "thank of a missing entry" "no entry #999" thank 999
check_refused "rm of a missing entry" "no entry #999" rm 999

check_refused "empty text" "empty" add "   "
check_refused "empty text from stdin" "empty" add - </dev/null
check_refused "tag with a space" "tag" add x -t "two words"
check_refused "tag with invalid characters" "tag" add x -t "caf!"
check_refused "tag of 33 characters" "tag" add x -t "$(printf 'a%.0s' $(seq 33))"
TAGS=()
for i in $(seq 1 17); do TAGS+=(-t "t$i"); done
check_refused "17 tags" "16" add x "${TAGS[@]}"
LONG=$(printf 'x%.0s' $(seq 4001))
check_refused "text of 4001 bytes" "4000" add "$LONG"

run_capture kl --json list
assert_eq "refused adds stored nothing" 0 "$(jq_py "$OUT" 'd["total"]')"

# Limits are inclusive: 16 tags, 32-character tags and 4000 bytes are fine.
TAGS=()
for i in $(seq 1 16); do TAGS+=(-t "t$i"); done
run_capture kl --json add x "${TAGS[@]}" -t "$(printf 'b%.0s' $(seq 32))"
assert_rc "16 tags plus a 17th (32 characters) → exit 1" 1
run_capture kl --json add x "${TAGS[@]}"
assert_ok "16 tags are accepted"
run_capture kl --json add "$(printf 'y%.0s' $(seq 4000))" -t "$(printf 'b%.0s' $(seq 32))"
assert_ok "4000 bytes of text and a 32-character tag are accepted"
# Multibyte: 1000 × "é€" is 5000 bytes → refused although 2000 characters.
check_refused "text of 5000 bytes in 2000 characters" "4000" \
    add "$(printf 'é€%.0s' $(seq 1000))"

run_capture kl --json add "to delete"
ID=$(jq_py "$OUT" 'd["entry"]["id"]')
kl rm "$ID" >/dev/null
check_refused "rm of a deleted entry" "no entry #$ID" rm "$ID"
check_refused "show of a deleted entry" "no entry #$ID" show "$ID"
check_refused "thank of a deleted entry" "no entry #$ID" thank "$ID"
check_refused "edit of a deleted entry" "no entry #$ID" edit "$ID" x
kl undo >/dev/null
check_refused "undo with nothing deleted" "nothing to undo" undo

stop_daemon

# After the daemon is gone, a plain request → exit 3 again.
run_capture kl list
assert_rc "daemon stopped → exit 3" 3
assert_contains "daemon stopped: says how to start it" "$ERR" "kindlogd"
finish
