# Helpers for the install tests, on top of the integration tests' lib.sh
# (private HOME and XDG directories, pass/fail, daemons ended by PID).
# Environment: see tests/install/meson.build.

# shellcheck source=../integration/lib.sh
. "$TESTS_DIR/lib.sh"

: "${BUILD_ROOT:?}" "${PREFIX:?}" "${BINDIR:?}"

# Install the build into $T/dest with `meson install --destdir`; sets DEST.
# A test that cannot get an installed tree cannot check anything else.
install_tree() {
	DEST="$T/dest"
	if ! meson install -C "$BUILD_ROOT" --destdir "$DEST" --no-rebuild \
	    --quiet >"$T/install.log" 2>&1; then
		fail "meson install --destdir $DEST" \
		    "$(show "$(tail -n 20 "$T/install.log")")"
		finish
	fi
	pass "meson install --destdir"
}

# The subcommands the client's table knows, one a line.
client_commands() {
	"$KINDLOG_BIN" --list-commands
}

# Fail unless "$@" (a command) prints nothing and exits 0.
assert_silent() {	# DESC COMMAND...
	local desc=$1
	shift
	run_capture "$@"
	if [ "$RC" -eq 0 ] && [ -z "$OUT$ERR" ]; then
		pass "$desc"
	else
		fail "$desc" "exit $RC" "stdout: $(show "$OUT")" \
		    "stderr: $(show "$ERR")"
	fi
}
