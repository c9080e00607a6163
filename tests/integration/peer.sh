#!/bin/bash
# Another uid cannot use the daemon (kindlogd(1) FILES; doc/protocol.md): the 0700 socket
# directory keeps it out, and even with the directory and socket opened up
# the daemon closes its connection without a reply. Needs root (to switch
# to uid 65534) and setpriv.
. "$TESTS_DIR/lib.sh"

if [ "$(id -u)" -ne 0 ]; then
	skip "not root: cannot connect as another uid"
fi
if ! command -v setpriv >/dev/null 2>&1; then
	skip "setpriv (util-linux) is missing"
fi
NOBODY=65534
as_nobody() {
	setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"
}
# nobody runs copies of the programs and rpc.py: the build tree may sit
# where it cannot reach (a checkout under /root, mode 0700), and skipping
# then would leave this check out exactly on CI. $T becomes 0711 so nobody
# can reach $T/bin; XDG_RUNTIME_DIR stays 0700.
mkdir -m 755 "$T/bin"
cp "$KINDLOG_BIN" "$T/bin/kindlog"
cp "$KINDLOGD_BIN" "$T/bin/kindlogd"	# what nobody's autostart would find
cp "$RPC" "$T/bin/rpc.py"
chmod 755 "$T/bin/kindlog" "$T/bin/kindlogd" "$T/bin/rpc.py"
chmod 711 "$T"
NOBODY_BIN="$T/bin/kindlog"
NOBODY_RPC="$T/bin/rpc.py"
if ! as_nobody test -x "$NOBODY_BIN"; then
	fail "uid $NOBODY can run $NOBODY_BIN"
	finish
fi

need_daemon

# With the 0700 directory, nobody cannot even reach the socket.
run_capture as_nobody "$NOBODY_BIN" --no-autostart --socket "$SOCK" version
assert_rc "another uid, socket directory 0700 → exit 3" 3
assert_contains "another uid: says it cannot reach kindlogd" "$ERR" "cannot reach kindlogd"
run_capture as_nobody "$NOBODY_BIN" --socket "$SOCK" version
assert_ne "another uid with autostart does not get through" 0 "$RC"
assert_eq "… and starts no daemon of its own" 1 "$(our_daemons | wc -l | tr -d ' ')"

# Open every directory on the way and the socket itself.
chmod 711 "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/kindlog"
chmod 666 "$SOCK"
assert_true "uid $NOBODY can now connect() (python probe)" \
    as_nobody "$PYTHON" "$NOBODY_RPC" "$SOCK" --probe

OUT=$(as_nobody "$PYTHON" "$NOBODY_RPC" "$SOCK" --count --wait-close --timeout 5 \
    '{"jsonrpc":"2.0","id":1,"method":"version"}')
assert_eq "another uid: closed without a single byte of reply" "0
#closed" "$OUT"

OUT=$(as_nobody "$PYTHON" "$NOBODY_RPC" "$SOCK" --count --wait-close --timeout 5 \
    '{"jsonrpc":"2.0","id":1,"method":"add","params":{"text":"intruder"}}')
assert_eq "another uid's add: closed without a reply" "0
#closed" "$OUT"

run_capture as_nobody "$NOBODY_BIN" --no-autostart --socket "$SOCK" version
assert_rc "kindlog as another uid → exit 3" 3
assert_contains "kindlog as another uid: connection lost" "$ERR" "kindlogd"

# Root (the daemon's uid) is still served, and nothing was added.
run_capture kl --json list
assert_ok "the daemon's own uid is still served"
assert_eq "the other uid's add did not happen" 0 "$(jq_py "$OUT" 'd["total"]')"
REPLY=$(rpc "$SOCK" '{"jsonrpc":"2.0","id":7,"method":"version"}')
assert_eq "raw requests of our uid still work" 7 "$(jq_py "$REPLY" 'd["id"]')"
assert_true "the daemon logged the refusal" \
    grep -q "refused a connection from uid $NOBODY" "$DAEMON_LOG"
run_capture kl --json status
assert_eq "refused connections are not kept" 1 "$(jq_py "$OUT" 'd["connections"]')"

# Many refused connections do not use up the daemon.
for i in $(seq 1 20); do
	as_nobody "$PYTHON" "$NOBODY_RPC" "$SOCK" --probe
done
run_capture kl --json status
assert_ok "still serving after 20 refused connections"
assert_eq "… holding only our connection" 1 "$(jq_py "$OUT" 'd["connections"]')"

chmod 700 "$XDG_RUNTIME_DIR/kindlog"
stop_daemon
finish
