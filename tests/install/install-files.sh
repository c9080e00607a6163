#!/usr/bin/env bash
# `meson install --destdir` puts every file where a user (and systemd,
# man, the shells) will look for it, and what it installs is usable: the
# units point at the installed daemon, the man pages render and cover every
# subcommand, and the example config is accepted by the daemon.
. "$INSTALL_TESTS_DIR/lib.sh"

install_tree

expect=("$BINDIR/kindlog" "$BINDIR/kindlogd" "$DOCDIR/kindlog.conf.example"
    "$DOCDIR/protocol.md" "$DOCDIR/security.md")
[ -n "$BASH_COMPLETION_DIR" ] && expect+=("$BASH_COMPLETION_DIR/kindlog")
[ -n "$ZSH_COMPLETION_DIR" ] && expect+=("$ZSH_COMPLETION_DIR/_kindlog")
[ -n "$FISH_COMPLETION_DIR" ] && expect+=("$FISH_COMPLETION_DIR/kindlog.fish")
if [ "$HAVE_SYSTEMD_UNITS" = 1 ]; then
	expect+=("$UNIT_DIR/kindlogd.service" "$UNIT_DIR/kindlogd.socket")
fi
if [ "$HAVE_MAN_PAGES" = 1 ]; then
	expect+=("$MANDIR/man1/kindlog.1" "$MANDIR/man1/kindlogd.1"
	    "$MANDIR/man5/kindlog.conf.5")
fi
for f in "${expect[@]}"; do
	if [ -s "$DEST$f" ]; then
		pass "installed $f"
	else
		fail "installed $f" "missing or empty under $DEST"
	fi
done
for f in "$BINDIR/kindlog" "$BINDIR/kindlogd"; do
	assert_true "$f is executable" test -x "$DEST$f"
done

# Nothing unexpected: a stray file would be installed on every system.
run_capture bash -c "cd '$DEST' && find . -type f | sed 's|^\.||' | sort"
extra=$(comm -23 <(printf '%s\n' "$OUT") \
    <(printf '%s\n' "${expect[@]}" | sort))
assert_eq "no files beyond the expected ones" "" "$extra"

# The directories are the ones the shells' and systemd's pkg-config files
# name, rebased onto our prefix (so /usr/local stays under /usr/local).
pc_dir() {	# PACKAGE VARIABLE DEFINE
	pkg-config --variable="$2" --define-variable="$3" "$1" 2>/dev/null
}
if [ -n "$BASH_COMPLETION_DIR" ] && pkg-config --exists bash-completion; then
	assert_eq "bash completion dir is bash-completion.pc's completionsdir" \
	    "$(pc_dir bash-completion completionsdir "datadir=$PREFIX/share")" \
	    "$BASH_COMPLETION_DIR"
fi
if [ -n "$FISH_COMPLETION_DIR" ] && pkg-config --exists fish; then
	assert_eq "fish completion dir is fish.pc's completionsdir" \
	    "$(pc_dir fish completionsdir "datadir=$PREFIX/share")" \
	    "$FISH_COMPLETION_DIR"
fi
if [ "$HAVE_SYSTEMD_UNITS" = 1 ] && pkg-config --exists systemd &&
    [ "$UNIT_DIR" != "" ]; then
	want=$(pc_dir systemd systemduserunitdir "prefix=$PREFIX")
	case $UNIT_DIR in
	"$want") pass "unit dir is systemd.pc's systemduserunitdir" ;;
	*) note "unit dir $UNIT_DIR overridden (systemd.pc: $want)" ;;
	esac
fi

# The units start the daemon that was installed next to them.
if [ "$HAVE_SYSTEMD_UNITS" = 1 ]; then
	unit=$(cat "$DEST$UNIT_DIR/kindlogd.service")
	assert_contains "service runs the installed kindlogd" "$unit" \
	    "ExecStart=$BINDIR/kindlogd"
	assert_true "no unsubstituted @variables@ in the units" \
	    bash -c "! grep -E '@[a-z_]+@' '$DEST$UNIT_DIR'/kindlogd.*"
fi

# Man pages render without warnings and document every subcommand and
# exit code, so the page cannot fall behind the client's table.
if [ "$HAVE_MAN_PAGES" = 1 ]; then
	for page in man1/kindlog.1 man1/kindlogd.1 man5/kindlog.conf.5; do
		run_capture env MANWIDTH=80 man --warnings -l "$DEST$MANDIR/$page"
		if [ "$RC" -eq 0 ] && [ -n "$OUT" ] && [ -z "$ERR" ]; then
			pass "man -l $page renders cleanly"
		else
			fail "man -l $page renders cleanly" "exit $RC" \
			    "stderr: $(show "$ERR")"
		fi
	done
	page=$(MANWIDTH=200 man -l "$DEST$MANDIR/man1/kindlog.1" 2>/dev/null)
	for cmd in $(client_commands); do
		assert_match "kindlog(1) documents '$cmd'" \
		    "(^|[[:space:],])$cmd([[:space:],]|$)" "$page"
	done
	for code in 0 1 2 3; do
		assert_true "kindlog(1) documents exit status $code" \
		    grep -qE "^ +$code\$" <<<"$page"
	done
	conf=$(MANWIDTH=200 man -l "$DEST$MANDIR/man5/kindlog.conf.5" 2>/dev/null)
	for key in name day_starts_at enabled times days skip_if_logged \
	    quiet_hours catch_up snooze weekly backups backups_dir command; do
		assert_match "kindlog.conf(5) documents $key" \
		    "(^|[[:space:]])$key = " "$conf"
	done
fi

# The example config is valid for the daemon that reads it: start the
# installed kindlogd on it and ask for the partner's name it sets.
example="$DEST$DOCDIR/kindlog.conf.example"
KINDLOGD_BIN="$DEST$BINDIR/kindlogd"
if start_daemon --config "$example"; then
	run_capture kl --json status
	assert_rc "status with the example config" 0
	assert_contains "the example's [partner] name is in effect" "$OUT" \
	    '"Sam"'
	stop_daemon
fi

finish
