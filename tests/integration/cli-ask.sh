#!/usr/bin/env bash
# The text asked for instead of given: kindlog add without TEXT on a
# terminal (a pty made by script(1)) asks "What did Sam do?", kindlog
# add -e opens $VISUAL or $EDITOR, kindlog prompt runs the prompt program
# in the client's session; #tags at the end become tags. An empty answer,
# a cancelled prompt or a failed editor store nothing (exit 1).
. "$TESTS_DIR/lib.sh"

command -v script >/dev/null 2>&1 || skip "script (util-linux) is missing"

mkdir -p "$XDG_CONFIG_HOME/kindlog"
cat >"$T/prompt" <<EOF2
#!/bin/sh
printf '%s\n' "\$@" >"$T/prompt.args"
printf '%s\n' "\$DISPLAY" >"$T/prompt.display"
mode=\$(cat "$T/prompt.mode")
[ "\$mode" = cancel ] && exit 1
printf '%s\n' "\$mode"
EOF2
chmod +x "$T/prompt"
printf '[partner]\nname = Sam\n[prompt]\ncommand = %s --ask\n' "$T/prompt" \
    >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
need_daemon

# kindlog ARGS on a terminal, typing INPUT.
on_tty() {	# INPUT ARGS...
	local input=$1 cmd
	shift
	printf -v cmd '%q ' "$KINDLOG_BIN" --no-autostart "$@"
	run_capture script -qec "$cmd" /dev/null <<<"$input"
}

last_entry() {	# EXPR over the newest entry
	jq_py "$(kl --json list -n 1)" "d[\"entries\"][0]$1"
}

# ------------------------------------------------------------ terminal
on_tty "made pancakes for breakfast #Breakfast #weekend" add -t home
assert_ok "add on a terminal, no TEXT"
assert_contains "it asks with the partner's name" "$OUT" "What did Sam do? "
assert_contains "and logs it" "$OUT" "Logged #1 for"
assert_eq "the text" "made pancakes for breakfast" "$(last_entry '["text"]')"
assert_eq "-t and the typed #tags" '["breakfast","home","weekend"]' \
    "$(jq_py "$(kl --json list -n 1)" 'sorted(d["entries"][0]["tags"])')"

on_tty "" add
assert_rc "an empty line stores nothing" 1
assert_contains "and says so" "$OUT" "nothing logged: the text is empty"
assert_eq "still one entry" 1 "$(jq_py "$(kl --json list)" 'd["total"]')"

run_capture kl add </dev/null
assert_rc "no TEXT and no terminal: a usage error" 2
assert_contains "naming what is missing" "$ERR" "missing argument"

run_capture kl add -d someday </dev/null
assert_rc "options are checked before asking" 2

# -------------------------------------------------------------- editor
cat >"$T/editor" <<'EOF2'
#!/bin/sh
# An editor that writes $EDITOR_TEXT at the top of the file it is given
# (the last argument), keeping the rest, and records its arguments.
for last; do :; done
printf '%s\n' "$@" >"$EDITOR_ARGS"
{ printf '%s' "$EDITOR_TEXT"; cat "$last"; } >"$last.new" && mv "$last.new" "$last"
exit "${EDITOR_RC:-0}"
EOF2
chmod +x "$T/editor"
export TMPDIR="$T/tmp" EDITOR_ARGS="$T/editor.args"
mkdir -p "$TMPDIR"
EDITOR_TEXT=$'walked me home in the rain\nand held the umbrella #rain\n' \
    EDITOR="$T/editor" VISUAL= run_capture kl add -e </dev/null
assert_ok "add -e with \$EDITOR"
assert_eq "the editor's text, comments left out" \
    $'walked me home in the rain\nand held the umbrella' \
    "$(last_entry '["text"]')"
assert_eq "its #tag" '["rain"]' "$(last_entry '["tags"]')"
assert_eq "the temporary file is gone" "" "$(ls "$TMPDIR")"

EDITOR_TEXT="cooked dinner" VISUAL="$T/editor --wait" EDITOR=false \
    run_capture kl add -e </dev/null
assert_ok "\$VISUAL wins, with its arguments"
assert_eq "VISUAL's text" "cooked dinner" "$(last_entry '["text"]')"
assert_eq "it got its own argument first" "--wait" \
    "$(head -n 1 "$EDITOR_ARGS")"

EDITOR_TEXT="" EDITOR="$T/editor" VISUAL= run_capture kl add -e </dev/null
assert_rc "an empty file stores nothing" 1
assert_contains "and says so" "$ERR" "nothing logged"
EDITOR_TEXT="typed but quit" EDITOR_RC=1 EDITOR="$T/editor" VISUAL= \
    run_capture kl add -e </dev/null
assert_rc "an editor that fails stores nothing" 1
assert_eq "three entries so far" 3 "$(jq_py "$(kl --json list)" 'd["total"]')"
run_capture kl add -e "text too"
assert_rc "TEXT and -e: a usage error" 2

# ------------------------------------------------------- kindlog prompt
printf 'fixed my bike #repair\n' >"$T/prompt.mode"
DISPLAY=:42 run_capture kl prompt
assert_ok "kindlog prompt"
assert_contains "it logs like add" "$OUT" "Logged #4 for"
assert_eq "the configured command, then the question" \
    $'--ask\nWhat did Sam do?' "$(cat "$T/prompt.args")"
assert_eq "run in the client's session" ":42" "$(cat "$T/prompt.display")"
assert_eq "the prompt's text" "fixed my bike" "$(last_entry '["text"]')"
assert_eq "its tag" '["repair"]' "$(last_entry '["tags"]')"
printf 'brought me flowers\n' >"$T/prompt.mode"
run_capture kl --json prompt
assert_eq "kindlog --json prompt prints add's result" "brought me flowers" \
    "$(jq_py "$OUT" 'd["entry"]["text"]')"
printf 'cancel\n' >"$T/prompt.mode"
run_capture kl prompt
assert_rc "a cancelled prompt stores nothing" 1
assert_contains "and says so" "$ERR" "nothing logged: the prompt was cancelled"
printf '\n' >"$T/prompt.mode"
run_capture kl prompt
assert_rc "an empty answer stores nothing" 1
stop_daemon

# No [prompt] command, nothing installed that could ask, no display.
printf '[partner]\nname = Sam\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
need_daemon
run_capture env -u DISPLAY -u WAYLAND_DISPLAY PATH="$T/nothing" \
    "$KINDLOG_BIN" --no-autostart prompt
assert_rc "no prompt program: exit 1" 1
assert_contains "it says what to do" "$ERR" "no prompt program found"
assert_eq "five entries in all" 5 "$(jq_py "$(kl --json list)" 'd["total"]')"
stop_daemon

finish
