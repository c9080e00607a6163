#!/usr/bin/env bash
# The installed completions parse in their shells and offer every
# subcommand of the client's table (`kindlog --list-commands`), the global
# options and export's --format values. bash and fish are asked for real
# candidates; zsh, which completes only inside its line editor, is checked
# on the command list of _kindlog.
#
# Then the candidates only the daemon knows: entry ids after show, edit,
# rm, thank and unthank, tags after -t and --tag. With no daemon each
# shell offers none, says nothing and starts no daemon (the installed
# kindlogd sits next to the installed kindlog, where autostart would find
# it); with one (private socket and XDG directories), each shell offers
# its ids and tags. zsh is driven through its line editor in a pty
# (complete.zsh).
. "$INSTALL_TESTS_DIR/lib.sh"

install_tree
commands=$(client_commands)
[ -n "$commands" ] || { fail "kindlog --list-commands lists commands"; finish; }

# Commands the completions offer before the client has them: planned in the
# design (§10). Anything else offered but unknown to the client is a bug.
planned="stats calendar recap export import remind reload"
check_offered() {	# SHELL OFFERED-LIST
	local shell=$1 offered=$2 cmd
	for cmd in $commands; do
		if grep -qx -- "$cmd" <<<"$offered"; then
			pass "$shell completes '$cmd'"
		else
			fail "$shell completes '$cmd'" "offered: $(show "$offered")"
		fi
	done
	for cmd in $offered; do
		grep -qx -- "$cmd" <<<"$commands" && continue
		[ "$cmd" = ls ] && continue	# list's alias
		case " $planned " in
		*" $cmd "*) note "$shell offers '$cmd', not in the client yet" ;;
		*) fail "$shell offers only commands the client knows" \
		    "'$cmd' is not in kindlog --list-commands" ;;
		esac
	done
}

# ------------------------------------------------------------------ bash
if [ -n "$BASH_COMPLETION_DIR" ]; then
	bashfile="$DEST$BASH_COMPLETION_DIR/kindlog"
	assert_true "bash -n $BASH_COMPLETION_DIR/kindlog" bash -n "$bashfile"
	if [ -r /usr/share/bash-completion/bash_completion ]; then
		cat >"$T/complete.bash" <<'SH'
# usage: complete.bash FILE WORD... (the last word is being completed)
. /usr/share/bash-completion/bash_completion
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_kindlog kindlog "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
printf '%s\n' "${COMPREPLY[@]}"
SH
		bcomp() {
			PATH="$DEST$BINDIR:$PATH" timeout -k 5 20 \
			    bash "$T/complete.bash" "$bashfile" "$@"
		}
		have_bcomp=1
		check_offered bash "$(bcomp kindlog '')"
		assert_eq "bash completes --format values" \
		    "json csv markdown" "$(bcomp kindlog export --format '' |
		    tr '\n' ' ' | sed 's/ $//')"
		run_capture bcomp kindlog --
		for opt in --socket --json --no-color --no-autostart --version \
		    --help; do
			assert_contains "bash completes global $opt" "$OUT" "$opt"
		done
		assert_eq "bash completes thank --how values" \
		    "said wrote showed other" "$(bcomp kindlog thank 3 --how '' |
		    tr '\n' ' ' | sed 's/ $//')"
	else
		note "bash-completion not installed: only bash -n checked"
	fi
fi

# ------------------------------------------------------------------- zsh
if [ -n "$ZSH_COMPLETION_DIR" ]; then
	zshfile="$DEST$ZSH_COMPLETION_DIR/_kindlog"
	if command -v zsh >/dev/null; then
		assert_true "zsh -n $ZSH_COMPLETION_DIR/_kindlog" zsh -n "$zshfile"
	else
		note "zsh not installed: zsh -n skipped"
	fi
	assert_true "_kindlog is a #compdef for kindlog" \
	    grep -qx '#compdef kindlog' "$zshfile"
	# The names in _kindlog_commands's commands=( 'name:description' ... ).
	offered=$(sed -n '/^ *commands=(/,/^ *)/p' "$zshfile" |
	    sed -n "s/^ *'\([a-z-]*\):.*/\1/p")
	check_offered zsh "$offered"
	assert_true "zsh completes --format values" \
	    grep -q -- "--format=.*(json csv markdown)" "$zshfile"
	for opt in --socket --json --no-color --no-autostart --version --help; do
		assert_true "zsh completes global $opt" grep -q -- "$opt" "$zshfile"
	done
	if command -v zsh >/dev/null && zsh -c 'zmodload zsh/zpty' 2>/dev/null
	then
		# The candidates of LINE<TAB>, "WORD<TAB>DISPLAY" a line; what
		# the terminal showed is in $T/zsh.out.pty.
		zcomp() {
			PATH="$DEST$BINDIR:$PATH" timeout -k 5 20 \
			    zsh "$INSTALL_TESTS_DIR/complete.zsh" \
			    "$DEST$ZSH_COMPLETION_DIR" "$T/zsh.out" "$1" &&
			    cat "$T/zsh.out"
		}
		have_zcomp=1
	else
		note "zsh or its zpty module missing: zsh not asked for ids and tags"
	fi
fi

# ------------------------------------------------------------------ fish
if [ -n "$FISH_COMPLETION_DIR" ]; then
	if command -v fish >/dev/null; then
		fishfile="$DEST$FISH_COMPLETION_DIR/kindlog.fish"
		assert_true "fish -n $FISH_COMPLETION_DIR/kindlog.fish" \
		    fish -n "$fishfile"
		# fish autoloads it from the installed vendor directory for the
		# installed kindlog, as it would for a user. Not --no-config:
		# that also skips the vendor paths (HOME is private anyway).
		# The candidates of LINE<TAB>, with their descriptions.
		fcomp_all() {
			PATH="$DEST$BINDIR:$PATH" \
			    XDG_DATA_DIRS="$DEST${FISH_COMPLETION_DIR%/fish/*}:${XDG_DATA_DIRS:-/usr/share}" \
			    timeout -k 5 20 fish -c "complete -C '$1'"
		}
		fcomp() { fcomp_all "$1" | cut -f1; }
		have_fcomp=1
		check_offered fish "$(fcomp 'kindlog ')"
		assert_eq "fish completes --format values" "csv json markdown" \
		    "$(fcomp 'kindlog export --format ' | sort | tr '\n' ' ' |
		    sed 's/ $//')"
		run_capture fcomp 'kindlog --'
		for opt in --socket --json --no-color --no-autostart --version \
		    --help; do
			assert_true "fish completes global $opt" \
			    grep -qx -- "$opt" <<<"$OUT"
		done
	else
		note "fish not installed: fish completion not checked"
	fi
fi

# -------------------------------------------------- ids and tags, no daemon

# One line of the words $1 holds (sorted when asked), for comparing.
one_line() {	# TEXT [sort]
	if [ "${2-}" = sort ]; then
		printf '%s\n' "$1" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
	else
		printf '%s\n' "$1" | sed '/^$/d' | tr '\n' ' ' | sed 's/ $//'
	fi
}

# Each shell's candidates for ids (after CMD) and tags (after OPTION of
# CMD): shell, what, then the words before the one being completed.
ask_shells() {	# CALLBACK
	local cmd
	for cmd in show edit rm thank unthank; do
		"$1" ids "$cmd"
	done
	"$1" tags add -t
	"$1" tags edit 3 -t
	"$1" tags list --tag
}

# Run the completion of WORDS in SHELL; OUT, ERR and RC as run_capture.
shell_complete() {	# SHELL WORD...
	local shell=$1 line
	shift
	case $shell in
	bash) run_capture bcomp kindlog "$@" '' ;;
	zsh)
		line="kindlog $* "
		run_capture zcomp "${line/--tag /--tag=}"
		OUT=$(cut -f1 <<<"$OUT")
		# zsh's stderr is the terminal it draws on.
		ERR=$(grep -ao 'kindlog[d]*:.*' "$T/zsh.out.pty") ;;
	fish)
		line="kindlog $* "
		run_capture fcomp "${line/--tag /--tag=}"
		OUT=$(sed 's/^--tag=//' <<<"$OUT") ;;
	esac
}

# Every shell we can drive offers nothing for ids and tags, and says so
# nowhere, with no daemon running.
shells=()
[ -n "${have_bcomp-}" ] && shells+=(bash)
[ -n "${have_zcomp-}" ] && shells+=(zsh)
[ -n "${have_fcomp-}" ] && shells+=(fish)
no_daemon_check() {	# WHAT WORD...
	local what=$1 shell
	shift
	for shell in "${shells[@]}"; do
		shell_complete "$shell" "$@"
		assert_rc "$shell: kindlog $* <TAB> with no daemon returns" 0
		assert_eq "$shell: … offers no $what" "" "$OUT"
		assert_eq "$shell: … prints nothing on stderr" "" "$ERR"
	done
}
if [ "${#shells[@]}" -gt 0 ]; then
	ask_shells no_daemon_check
	assert_eq "no completion started a daemon" "" "$(our_daemons)"
	assert_true "no socket appeared" test ! -e "$SOCK"
	assert_true "no daemon log was written" test ! -e "$XDG_STATE_HOME/kindlog"
fi

# ------------------------------------------------ ids and tags, a daemon

if [ "${#shells[@]}" -gt 0 ] && start_daemon; then
	kl add -t morning -t coffee "made me coffee" >/dev/null
	kl add -t hug "a long hug" >/dev/null
	kl add -t morning "walked the dog" >/dev/null
	daemon_check() {	# WHAT WORD...
		local what=$1 shell want
		shift
		if [ "$what" = ids ]; then
			want="1 2 3"
		else
			want="coffee hug morning"
		fi
		for shell in "${shells[@]}"; do
			shell_complete "$shell" "$@"
			assert_eq "$shell: kindlog $* <TAB> offers the $what" \
			    "$want" "$(one_line "$OUT" sort)"
			assert_eq "$shell: … and nothing on stderr" "" "$ERR"
		done
	}
	ask_shells daemon_check
	if [ -n "${have_bcomp-}" ]; then
		assert_eq "bash: ids newest first" "3 2 1" \
		    "$(one_line "$(bcomp kindlog show '')")"
		assert_eq "bash: no id when none starts with what is typed" "" \
		    "$(one_line "$(bcomp kindlog show 4)")"
		assert_eq "bash: --tag=m completes the tag" "morning" \
		    "$(one_line "$(bcomp kindlog list --tag=m)")"
		assert_eq "bash: after the id, edit's text gets no ids" "" \
		    "$(one_line "$(bcomp kindlog edit 1 '')")"
		assert_eq "bash: --socket on the line is asked" "3 2 1" \
		    "$(one_line "$(bcomp kindlog --socket "$SOCK" rm '')")"
		assert_eq "bash: … a --socket with no daemon gives nothing" "" \
		    "$(one_line "$(bcomp kindlog --socket "$T/none.sock" rm '')")"
	fi
	if [ -n "${have_zcomp-}" ]; then
		run_capture zcomp 'kindlog show '
		assert_match "zsh: an id is described by its day and text" \
		    $'(^|\n)1\t1 +-- [0-9]{4}-[0-9]{2}-[0-9]{2} made me coffee' "$OUT"
		run_capture zcomp 'kindlog add -t '
		assert_match "zsh: a tag by how many entries carry it" \
		    $'(^|\n)morning\tmorning +-- 2 entries' "$OUT"
	fi
	if [ -n "${have_fcomp-}" ]; then
		run_capture fcomp_all 'kindlog thank '
		assert_match "fish: an id is described by its day and text" \
		    $'(^|\n)1\t[0-9]{4}-[0-9]{2}-[0-9]{2} made me coffee' "$OUT"
		assert_eq "fish: ids newest first" "3 2 1" \
		    "$(one_line "$(cut -f1 <<<"$OUT")")"
		run_capture fcomp_all 'kindlog edit 2 -t '
		assert_match "fish: a tag by how many entries carry it" \
		    $'(^|\n)morning\t2 entries' "$OUT"
	fi
	stop_daemon
fi

finish
