#!/usr/bin/env bash
# The installed units pass `systemd-analyze verify` without a word (it
# exits 0 even on unknown keys, so silence is the check) and the service's
# sandbox scores at most 2.0 in `systemd-analyze security --offline`, while
# still granting what the daemon needs.
. "$INSTALL_TESTS_DIR/lib.sh"

[ "$HAVE_SYSTEMD_UNITS" = 1 ] || skip "systemd units not installed (-Dsystemd=disabled)"
command -v systemd-analyze >/dev/null ||
    skip "systemd-analyze not installed (Debian: apt install systemd)"

install_tree
units="$DEST$UNIT_DIR"

# verify checks that ExecStart exists; the installed path only exists inside
# DESTDIR, so check a copy whose ExecStart names the same binary there.
# Nothing else may differ from what was installed.
mkdir -p "$T/units"
sed "s|^ExecStart=$BINDIR/kindlogd|ExecStart=$DEST$BINDIR/kindlogd|" \
    "$units/kindlogd.service" >"$T/units/kindlogd.service"
cp "$units/kindlogd.socket" "$T/units/kindlogd.socket"
run_capture diff "$units/kindlogd.service" "$T/units/kindlogd.service"
assert_eq "only ExecStart differs in the copy" 2 \
    "$(grep -c '^[<>] ExecStart=' <<<"$OUT")"

# Judge kindlog's units alone, not the machine's: with two notification
# servers installed (dunst and mako, say) verify reports their shared bus
# name. The units are looked up in our copy and, for the targets they
# name, in systemd's own targets only.
mkdir -p "$T/targets"
for target in /usr/lib/systemd/user/*.target /lib/systemd/user/*.target; do
	[ -e "$target" ] && ln -sf "$target" "$T/targets/"
done
verify_alone() {	# UNIT...
	SYSTEMD_UNIT_PATH="$T/units:$T/targets" \
	    systemd-analyze verify --user --man=no "$@"
}
assert_true "systemd's own targets are there" test -e \
    "$T/targets/graphical-session.target"

cd "$T/units" || exit 1
assert_silent "systemd-analyze verify prints nothing" \
    verify_alone kindlogd.socket kindlogd.service

# The check can fail: an unknown key is reported (while the exit is 0).
sed 's/^Restart=on-failure/Restart=on-failure\nRestartt=always/' \
    kindlogd.service >"$T/typo.service"
run_capture verify_alone "$T/typo.service"
assert_contains "verify reports an unknown key (so silence means something)" \
    "$OUT$ERR" "Restartt"

run_capture systemd-analyze security --offline=true --user --threshold=20 \
    kindlogd.service
score=$(grep -o 'Overall exposure level for kindlogd.service: [0-9.]*' \
    <<<"$OUT" | grep -o '[0-9.]*$')
note "exposure score: ${score:-?} (threshold 2.0)"
assert_rc "systemd-analyze security --threshold=20 passes" 0
# And the threshold is enforced: the bare service does not pass.
printf '[Service]\nType=notify\nExecStart=%s\n' "$DEST$BINDIR/kindlogd" \
    >"$T/bare.service"
run_capture systemd-analyze security --offline=true --user --threshold=20 \
    "$T/bare.service"
assert_ne "an unhardened service fails the same threshold" 0 "$RC"

# What the daemon needs survives the sandbox.
svc=$(cat kindlogd.service)
sock=$(cat kindlogd.socket)
assert_contains "socket path" "$sock" "ListenStream=%t/kindlog/kindlogd.sock"
assert_contains "socket is 0600" "$sock" "SocketMode=0600"
assert_contains "socket directory is 0700" "$sock" "DirectoryMode=0700"
assert_contains "socket starts at login" "$sock" "WantedBy=sockets.target"
assert_contains "readiness is notified" "$svc" "Type=notify"
assert_contains "reload sends SIGHUP" "$svc" 'ExecReload=kill -HUP $MAINPID'
assert_contains "restarted on failure" "$svc" "Restart=on-failure"
assert_contains "starts with the graphical session" "$svc" \
    "WantedBy=graphical-session.target"
assert_contains "stops with the graphical session" "$svc" \
    "PartOf=graphical-session.target"
assert_match "the data and state directories are writable" \
    'ReadWritePaths=%h/.local/share/kindlog %h/.local/state/kindlog' "$svc"
assert_match "Unix sockets (session bus, our socket) stay allowed" \
    'RestrictAddressFamilies=AF_UNIX' "$svc"
assert_not_contains "the runtime dir (session bus) is not hidden" "$svc" \
    "ProtectHome=yes"
assert_not_contains "nor replaced by an empty tmpfs" "$svc" \
    "ProtectHome=tmpfs"

finish
