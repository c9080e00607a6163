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

run_capture kl remind --help
assert_contains "remind --help: what a DURATION is" "$OUT" \
    "a bare number is minutes (90 is 1h30m)"
assert_contains "remind --help: snooze's duration is optional" "$OUT" \
    "snooze [DURATION]"
assert_true "the man page agrees: snooze [DURATION]" grep -qF \
    '*snooze* [_DURATION_]' "$TESTS_DIR/../../doc/kindlog.1.scd"

# A socket directory others can reach: autostart refuses it, and the advice
# is about the directory, not "Start it with 'kindlogd'".
mkdir -m 755 "$T/open"
run_capture timeout 30 "$KINDLOG_BIN" --socket "$T/open/kindlogd.sock" add x
assert_rc "unsafe socket directory → exit 3" 3
assert_contains "unsafe socket directory: why" "$ERR" "unsafe permissions 755"
assert_contains "unsafe socket directory: what to do" "$ERR" "chmod 700"
assert_not_contains "unsafe socket directory: no 'Start it'" "$ERR" "Start it with"
assert_contains "unsafe socket directory: the entry was not stored" "$ERR" \
    "the entry was not stored"

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

# ------------------------------------------------------------------- days

# Every future day: the same refusal, the same exit code.
run_capture kl add x -d tomorrow
assert_rc "add -d tomorrow → exit 1" 1
assert_contains "add -d tomorrow: in the future" "$ERR" "is in the future"
assert_not_contains "add -d tomorrow: no 'day:' prefix" "$ERR" "day:"
run_capture kl add x -d 2030-01-01
assert_rc "add -d 2030-01-01 → exit 1" 1
assert_eq "add -d 2030-01-01: the message" \
    "kindlog: 2030-01-01 is in the future" "$ERR"
run_capture kl add x -d 2026-02-30
assert_rc "add -d 2026-02-30 → exit 2" 2
assert_contains "add -d 2026-02-30: no such date" "$ERR" "no such date '2026-02-30'"
run_capture kl list --since 2026-12-01 --until 2026-11-01
assert_rc "list with an empty range → exit 1" 1
assert_contains "empty range: says why" "$ERR" \
    "since 2026-12-01 is after until 2026-11-01"
run_capture kl stats --since 2026-12-01 --until 2026-11-01
assert_rc "stats with an empty range → exit 1" 1
assert_contains "stats empty range: the same words" "$ERR" "is after until"
run_capture kl list --help
assert_contains "list --help says what -n 0 means" "$OUT" "0: all"

# ------------------------------------------------------------- undo paths

run_capture kl --json add tagged -t morning -t hug
ID=$(jq_py "$OUT" 'd["entry"]["id"]')
run_capture kl edit "$ID" --no-tags
assert_rc "edit --no-tags → exit 0" 0
assert_contains "edit --no-tags: says so" "$OUT" "Tags: none"
run_capture kl --json show "$ID"
assert_eq "edit --no-tags clears them" "[]" "$(jq_py "$OUT" 'd["entry"]["tags"]')"
run_capture kl edit "$ID" --no-tags -t x
assert_rc "edit --no-tags -t → exit 2" 2

run_capture kl unthank "$ID"
assert_rc "unthank a never thanked entry → exit 1" 1
assert_contains "unthank: not thanked" "$ERR" "is not thanked"
run_capture kl thank "$ID"
assert_rc "thank → exit 0" 0
assert_not_contains "first thank: not 'already'" "$OUT" "already"
run_capture kl thank "$ID" --how wrote
assert_rc "thank again → exit 0" 0
assert_match "thank again: already thanked, when and how" \
    "It was already thanked today [0-9][0-9]:[0-9][0-9] \(said\)" "$OUT"
run_capture kl unthank "$ID"
assert_rc "unthank → exit 0" 0
assert_contains "unthank: says so" "$OUT" "Took back the thank-you for #$ID"
run_capture kl --json show "$ID"
assert_eq "unthank: thanked is null again" "None" \
    "$(jq_py "$OUT" 'repr(d["entry"]["thanked"])')"

# ----------------------------------------------------------------- status

run_capture env COLUMNS=200 "$KINDLOG_BIN" --no-autostart status
assert_rc "status → exit 0" 0
assert_match "status: the config path, none there" \
    "Config: +$XDG_CONFIG_HOME/kindlog/kindlog.conf \(none: the defaults are in use\)" "$OUT"
assert_match "status: the next reminder" "Reminder: +(today|tomorrow|[A-Z][a-z][a-z]) " "$OUT"
mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[reminders]\nenabled = false\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
kl reload >/dev/null
run_capture env COLUMNS=200 "$KINDLOG_BIN" --no-autostart status
assert_match "status: a config that exists" \
    "Config: +$XDG_CONFIG_HOME/kindlog/kindlog.conf\$" "$(grep Config <<<"$OUT")"
assert_match "status: reminders off" "Reminder: +off" "$OUT"
run_capture kl --json status
assert_eq "status --json: config" "$XDG_CONFIG_HOME/kindlog/kindlog.conf" \
    "$(jq_py "$OUT" 'd["config"]')"

# --------------------------------------------------------- narrow terminals

# The widest line, in characters (every one here is one column wide).
widest() { "$PYTHON" -c 'import sys; print(max([len(l) for l in sys.stdin.read().split("\n")] + [0]))'; }
for i in 1 2 3; do
	kl add "brought me a cup of coffee in bed before the alarm" \
	    -t morning -t coffee -t "long-tag-number-$i" -d "$i days ago" >/dev/null
done
run_capture kl --json add "$(printf 'a gesture with many words %.0s' $(seq 8))" -t hug
LONG_ID=$(jq_py "$OUT" 'd["entry"]["id"]')
for cols in 40 50 80; do
	for cmd in list stats "show $LONG_ID" ""; do
		run_capture env COLUMNS=$cols "$KINDLOG_BIN" --no-autostart $cmd
		assert_rc "COLUMNS=$cols kindlog $cmd → exit 0" 0
		w=$(widest <<<"$OUT")
		assert_true "COLUMNS=$cols kindlog $cmd: no line past the edge ($w)" \
		    test "$w" -le "$cols"
	done
done
run_capture env COLUMNS=40 "$KINDLOG_BIN" --no-autostart list
assert_contains "list at 40: TEXT keeps 8 columns" "$OUT" "brought…"
run_capture env COLUMNS=40 "$KINDLOG_BIN" --no-autostart show "$LONG_ID"
assert_contains "show at 40: wrapped at a word boundary" "$OUT" \
    $'\na gesture with many words a gesture with\nmany words a'

# ------------------------------------------------------- too long a text

# One message and one exit code, wherever the text came from and however
# long it is (past the 64 KiB request line, past the 1 MiB stdin cap).
check_too_long() {	# DESC [ARGS...] (stdin passed through)
	local desc=$1
	shift
	run_capture kl add "$@"
	assert_rc "$desc → exit 1" 1
	assert_eq "$desc: the one message" \
	    "kindlog: text is longer than 4000 bytes" "$ERR"
}
check_too_long "5000 bytes as an argument" "$(head -c 5000 /dev/zero | tr '\0' x)"
check_too_long "70000 bytes as an argument" "$(head -c 70000 /dev/zero | tr '\0' x)"
check_too_long "5000 bytes on stdin" - < <(head -c 5000 /dev/zero | tr '\0' x)
check_too_long "2 MiB on stdin" - < <(head -c 2097152 /dev/zero | tr '\0' x)
run_capture kl add - < <(head -c 4000 /dev/zero | tr '\0' y; printf '\n\n  ')
assert_rc "4000 bytes and trailing space on stdin are fine" 0

finish
