#!/usr/bin/env bash
# The installed completions parse in their shells and offer every
# subcommand of the client's table (`kindlog --list-commands`), the global
# options and export's --format values. bash and fish are asked for real
# candidates; zsh, which completes only inside its line editor, is checked
# on the command list of _kindlog.
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
		bcomp() { bash "$T/complete.bash" "$bashfile" "$@"; }
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
		fcomp() {
			PATH="$DEST$BINDIR:$PATH" \
			    XDG_DATA_DIRS="$DEST${FISH_COMPLETION_DIR%/fish/*}:${XDG_DATA_DIRS:-/usr/share}" \
			    fish -c "complete -C '$1'" | cut -f1
		}
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

finish
