#!/usr/bin/env bash
# The service's SystemCallFilter= cannot be tried without a running user
# manager, so check it against what kindlogd really calls: trace a daemon
# through a typical session (start, add, list, status, a SIGHUP reload,
# SIGTERM) and require every system call to be in the set the unit allows
# (@system-service minus @privileged and @resources). A call outside it
# would fail with EPERM under systemd.
. "$INSTALL_TESTS_DIR/lib.sh"

[ "$HAVE_SYSTEMD_UNITS" = 1 ] || skip "systemd units not installed (-Dsystemd=disabled): no unit to check"
command -v systemd-analyze >/dev/null || skip "systemd-analyze not installed"
command -v strace >/dev/null || skip "strace not installed (apt install strace)"
if ldd "$KINDLOGD_BIN" | grep -q libasan; then
	skip "sanitizer build: ASan's own calls are not kindlogd's"
fi

unit="$SOURCE_ROOT/systemd/kindlogd.service.in"
allow=$(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit")
deny=$(sed -n 's/^SystemCallFilter=~\(.*\)/\1/p' "$unit")
assert_eq "the unit allows @system-service" "@system-service" "$allow"

# Every system call name in the given sets, nested @groups expanded.
expand() {
	local item
	for item in "$@"; do
		case $item in
		@*) expand $(systemd-analyze syscall-filter "$item" 2>/dev/null |
		    sed -n '2,$s/^    \([@a-z_0-9-]*\)$/\1/p') ;;
		*) echo "$item" ;;
		esac
	done
}
allowed=$(comm -23 <(expand $allow | sort -u) <(expand $deny | sort -u))
[ -n "$allowed" ] || { fail "systemd-analyze lists the allowed calls"; finish; }

# strace stays the daemon's parent: start it by hand, find the daemon's pid
# from status, and signal the daemon itself.
strace -f -qq -o "$T/trace" "$KINDLOGD_BIN" >"$T/kindlogd.log" 2>&1 &
STRACE_PID=$!
DAEMON_PIDS+=("$STRACE_PID")
if ! wait_for 10 socket_live "$SOCK"; then
	fail "kindlogd starts under strace" "$(show "$(cat "$T/kindlogd.log")")"
	finish
fi
pid=$(track_autostarted)
kl add "brought soup when I was ill" >/dev/null
kl add "fixed my bike" -t weekend >/dev/null
kl list >/dev/null
kl status >/dev/null
kl thank 1 >/dev/null
kill -HUP "$pid"
wait_for 5 grep -q reloaded "$T/kindlogd.log"
kl streak >/dev/null
kill -TERM "$pid"
wait_child "$STRACE_PID" 15
assert_eq "kindlogd under strace exits 0" 0 "$WAIT_RC"

# strace's own exec of the daemon is the first line; skip its calls.
used=$(sed -n '/execve(/,$p' "$T/trace" | sed -n '2,$p' |
    sed -n 's/^[0-9]* *\([a-z_0-9]*\)(.*/\1/p' | sort -u)
[ -n "$used" ] || { fail "the trace shows system calls"; finish; }
note "kindlogd used $(wc -l <<<"$used") distinct system calls"
# As root SQLite hands its journal files to the database's owner (fchown);
# a user's daemon never does, and SQLite ignores the EPERM anyway.
if [ "$(id -u)" -eq 0 ]; then
	used=$(grep -vx fchown <<<"$used")
fi
outside=$(comm -23 <(printf '%s\n' "$used") <(printf '%s\n' "$allowed"))
assert_eq "every call kindlogd makes is allowed by SystemCallFilter=" "" \
    "$(printf '%s' "$outside" | tr '\n' ' ')"

finish
