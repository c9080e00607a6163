#!/usr/bin/env bash
# sd_notify readiness, as systemd would see it: NOTIFY_SOCKET names a
# datagram socket this test owns. READY=1 must come only once the socket
# accepts (Type=notify orders clients after it), RELOADING=1 then READY=1
# around SIGHUP, and STOPPING=1 on SIGTERM. kindlogd speaks the protocol
# itself (daemon/systemd.c), in every build, without libsystemd.
. "$INSTALL_TESTS_DIR/lib.sh"

run_capture readelf -d "$KINDLOGD_BIN"
assert_not_contains "kindlogd does not link libsystemd" "$OUT" libsystemd


# The listener: binds the notify socket, and the moment READY=1 arrives
# checks (before anything else) that kindlogd's socket answers a request.
cat >"$T/listen.py" <<'PY'
import json, socket, sys
notify_path, kindlog_sock, out_path = sys.argv[1:4]
n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
n.bind(notify_path)
n.settimeout(20)
out = open(out_path, "w", buffering=1)
print("bound", file=out)
def answers():
    try:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect(kindlog_sock)
        c.sendall(b'{"jsonrpc":"2.0","id":1,"method":"version"}\n')
        reply = c.makefile().readline()
        return "ok" if "result" in json.loads(reply) else "error"
    except Exception as e:
        return "no (%s)" % e
readies = 0
while True:
    try:
        msg = n.recv(4096).decode()
    except socket.timeout:
        print("timeout", file=out)
        break
    for line in msg.split("\n"):
        if line == "READY=1":
            readies += 1
            if readies == 1:
                print("READY=1 socket-answers=" + answers(), file=out)
                continue
        if line.startswith("MONOTONIC_USEC="):
            continue
        print(line, file=out)
    if "STOPPING=1" in msg.split("\n"):
        break
PY

"$PYTHON" "$T/listen.py" "$T/notify" "$SOCK" "$T/notes" &
LISTENER=$!
wait_for 5 grep -q bound "$T/notes"

DAEMON_ENV=(NOTIFY_SOCKET="$T/notify")
start_daemon
wait_for 5 grep -q "^READY=1" "$T/notes"
assert_eq "READY=1 arrives, and the socket answers by then" \
    "READY=1 socket-answers=ok" "$(grep '^READY=1' "$T/notes")"

kill -HUP "$DAEMON_PID"
wait_for 5 grep -qx "READY=1" "$T/notes"
assert_eq "SIGHUP: RELOADING=1, then READY=1" "RELOADING=1 READY=1" \
    "$(grep -x -e RELOADING=1 -e READY=1 "$T/notes" | tr '\n' ' ' |
    sed 's/ $//')"
run_capture kl version
assert_rc "still serving after the reload" 0

kill -TERM "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
assert_eq "kindlogd exits 0 on SIGTERM" 0 "$WAIT_RC"
wait_child "$LISTENER" 10
assert_true "STOPPING=1 on SIGTERM" grep -qx "STOPPING=1" "$T/notes"
assert_true "nothing unexpected was sent" bash -c \
    "! grep -vx -e bound -e 'READY=1.*' -e RELOADING=1 -e STOPPING=1 '$T/notes'"

finish
