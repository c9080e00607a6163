#!/bin/bash
# What a new user types first (issue 14): help, typos, global options
# after the subcommand, days, undo paths, long texts.
. "$TESTS_DIR/lib.sh"

# ------------------------------------------------------------ help, typos

run_capture kl help
assert_rc "kindlog help → exit 0" 0
assert_contains "kindlog help: the overview" "$OUT" "Commands:"
run_capture kl help add
assert_rc "kindlog help add → exit 0" 0
assert_contains "kindlog help add: add's usage" "$OUT" "Usage: kindlog add"
run_capture kl help ls
assert_contains "kindlog help ls: by alias" "$OUT" "Usage: kindlog list"
run_capture kl help frob
assert_rc "kindlog help frob → exit 2" 2
assert_contains "kindlog help frob: names it" "$ERR" "unknown command 'frob'"

run_capture kl lsit
assert_rc "typo lsit → exit 2" 2
assert_contains "typo lsit: did you mean" "$ERR" "did you mean 'list'?"
run_capture kl ad x
assert_contains "typo ad: did you mean" "$ERR" "did you mean 'add'?"
run_capture kl frobnicate
assert_not_contains "no suggestion for a word far from all" "$ERR" "did you mean"

# Global options after the subcommand, as taskwarrior and mpc take them.
need_daemon
run_capture kl streak --json
assert_rc "streak --json → exit 0" 0
assert_match "streak --json prints JSON" '^\{' "$OUT"
run_capture "$KINDLOG_BIN" version --no-autostart --socket "$SOCK"
assert_rc "version --no-autostart --socket → exit 0" 0
assert_contains "version: the daemon's too" "$OUT" "kindlogd"
run_capture kl add --json x
assert_rc "add --json → exit 0" 0
assert_contains "add --json: JSON" "$OUT" '"id"'

finish
