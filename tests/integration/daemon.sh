#!/bin/bash
# kindlogd as a program (kindlogd(1) FILES; doc/protocol.md): persistence, one daemon per
# socket, stale sockets, signals, directory and socket modes, a corrupt or
# too-new database, options, config errors and reload.
. "$TESTS_DIR/lib.sh"

# Start kindlogd expecting it to refuse: it must exit non-zero within 10 s.
# Sets RC and ERR (its stderr).
start_refused() {	# DESC ARGS...
	local desc=$1 pid
	shift
	DAEMON_N=$((DAEMON_N + 1))
	DAEMON_LOG="$T/kindlogd.$DAEMON_N.log"
	env ${DAEMON_ENV[@]+"${DAEMON_ENV[@]}"} "$KINDLOGD_BIN" "$@" \
	    >"$DAEMON_LOG.out" 2>"$DAEMON_LOG" &
	pid=$!
	DAEMON_PIDS+=("$pid")
	wait_child "$pid" 10
	RC=$WAIT_RC
	ERR=$(cat "$DAEMON_LOG")
	OUT=$(cat "$DAEMON_LOG.out")
	if [ "$RC" == timeout ]; then
		fail "$desc: kindlogd refuses to start" "still running after 10 s" \
		    "stderr: $(show "$ERR")"
		kill -TERM "$pid"
		wait_child "$pid" 5
		return 1
	fi
	if [ "$RC" -ne 0 ]; then
		pass "$desc: kindlogd refuses to start (exit $RC)"
	else
		fail "$desc: kindlogd refuses to start" "it exited 0" \
		    "stderr: $(show "$ERR")"
	fi
	assert_match "$desc: a message on stderr" '^kindlogd: .+' "$ERR"
}

file_mode() { stat -c %a "$1"; }

# -------------------------------------------------------- options

run_capture "$KINDLOGD_BIN" --version
assert_rc "kindlogd --version exits 0" 0
assert_eq "kindlogd --version" "kindlogd 0.1.0" "$OUT"
run_capture "$KINDLOGD_BIN" --help
assert_rc "kindlogd --help exits 0" 0
assert_contains "kindlogd --help shows usage" "$OUT" "usage: kindlogd"
assert_contains "kindlogd --help lists --socket" "$OUT" "--socket PATH"
run_capture "$KINDLOGD_BIN" -h
assert_rc "kindlogd -h exits 0" 0
run_capture "$KINDLOGD_BIN" --frobnicate
assert_rc "kindlogd with an unknown option exits 2" 2
# In the client's style: the one word at fault, a hint, not the usage.
assert_eq "unknown option: named, with a hint" \
    "kindlogd: unknown option '--frobnicate'
Try 'kindlogd --help'." "$ERR"
run_capture "$KINDLOGD_BIN" --socket
assert_eq "option without its value" \
    "kindlogd: option '--socket' needs an argument" "${ERR%%$'\n'*}"
run_capture "$KINDLOGD_BIN" --version=2
assert_eq "flag with a value" \
    "kindlogd: option '--version' takes no argument" "${ERR%%$'\n'*}"
run_capture "$KINDLOGD_BIN" extra-argument
assert_rc "kindlogd with an operand exits 2" 2
assert_eq "operand: named" "kindlogd: unexpected argument 'extra-argument'" \
    "${ERR%%$'\n'*}"
assert_true "--version/--help created no socket directory" \
    test ! -e "$XDG_RUNTIME_DIR/kindlog"

# ---------------------------------------- paths, modes and persistence

need_daemon
assert_eq "socket directory is created 0700" 700 \
    "$(file_mode "$XDG_RUNTIME_DIR/kindlog")"
assert_true "the socket is a socket" test -S "$SOCK"
assert_eq "the socket has no group/other bits" 0 \
    "$(( 0$(file_mode "$SOCK") & 077 ))"
assert_true "database created under XDG_DATA_HOME" \
    test -f "$XDG_DATA_HOME/kindlog/kindlog.db"
assert_eq "database is 0600" 600 "$(file_mode "$XDG_DATA_HOME/kindlog/kindlog.db")"
assert_eq "the data directory is not open to others" 0 \
    "$(( 0$(file_mode "$XDG_DATA_HOME/kindlog") & 077 ))"
FIRST=$DAEMON_PID
run_capture kl --json add "survives a restart" -t persist
assert_ok "add before the restart"
UUID=$(jq_py "$OUT" 'd["entry"]["uuid"]')

# A second daemon on the same socket refuses; the first keeps serving.
# Its database is the first's too, and that lock is taken first
# (tests/robust/one-daemon.sh).
start_refused "second daemon on the same socket"
assert_contains "second daemon: names the running one" "$ERR" \
    "is in use by kindlogd (pid $FIRST, socket $SOCK)"
assert_true "the first daemon is still running" pid_alive "$FIRST"
run_capture kl --json status
assert_eq "the first daemon still serves" "$FIRST" "$(jq_py "$OUT" 'd["pid"]')"
start_refused "second daemon, other database, same socket" --db "$T/other.db"
assert_contains "second daemon (other db): already running" "$ERR" "already running"
assert_true "the socket is still there" test -S "$SOCK"

# SIGTERM: exit 0, socket gone; then the data is still there.
stop_daemon "$FIRST"
need_daemon
run_capture kl --json list
assert_eq "the entry survived the restart" "[\"$UUID\",\"survives a restart\",[\"persist\"]]" \
    "$(jq_py "$OUT" '[d["entries"][0]["uuid"], d["entries"][0]["text"], d["entries"][0]["tags"]]')"
assert_eq "exactly one entry after the restart" 1 "$(jq_py "$OUT" 'd["total"]')"

# SIGINT: the same.
kill -INT "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
assert_eq "kindlogd exits 0 on SIGINT" 0 "$WAIT_RC"
assert_true "socket removed after SIGINT" test ! -e "$SOCK"

# SIGTERM with a connection open still exits 0 promptly.
need_daemon
"$PYTHON" "$RPC" "$SOCK" --wait-close --timeout 30 >"$T/idle.out" &
IDLE_CLIENT=$!
two_connections() { [ "$(jq_py "$(kl --json status)" 'd["connections"]')" == 2 ]; }
assert_true "status counts the idle connection too" wait_for 5 two_connections
stop_daemon
wait_child "$IDLE_CLIENT" 10 || kill "$IDLE_CLIENT"
assert_eq "shutdown closes open connections" "#closed" "$(cat "$T/idle.out")"

# A stale socket (left by kill -9) is replaced at the next start.
need_daemon
kill -KILL "$DAEMON_PID"
wait_child "$DAEMON_PID" 10
assert_true "kill -9 leaves the socket file behind" test -S "$SOCK"
run_capture kl version
assert_rc "a stale socket: the client says unreachable (3)" 3
need_daemon
assert_true "a daemon started over a stale socket" pid_alive "$DAEMON_PID"
run_capture kl --json list
assert_eq "… and serves the same database" 1 "$(jq_py "$OUT" 'd["total"]')"
assert_contains "… and says it removed the stale socket" \
    "$(cat "$DAEMON_LOG")" "stale"
stop_daemon

# A non-socket file at the socket path is not removed.
mkdir -m 700 "$T/sockdir"
echo "precious" >"$T/sockdir/kindlogd.sock"
start_refused "a regular file at the socket path" --socket "$T/sockdir/kindlogd.sock"
assert_eq "the regular file is untouched" precious "$(cat "$T/sockdir/kindlogd.sock")"

# ---------------------------------------------- unsafe socket directory

mkdir -m 755 "$T/open"
start_refused "socket directory mode 0755" --socket "$T/open/kindlogd.sock"
assert_contains "0755 directory: the message names it" "$ERR" "$T/open"
assert_contains "0755 directory: says the permissions are unsafe" "$ERR" "permissions"
assert_true "no socket was created in the 0755 directory" test ! -e "$T/open/kindlogd.sock"
assert_eq "the directory's mode was not changed" 755 "$(file_mode "$T/open")"
mkdir -m 700 "$T/owned"
chown 65534 "$T/owned" 2>/dev/null && {
	start_refused "socket directory owned by another uid" --socket "$T/owned/kindlogd.sock"
	assert_contains "foreign directory: says who owns it" "$ERR" "owned by"
}

# A socket directory that does not exist yet is created 0700, parents too.
start_daemon --socket "$T/deep/er/kindlogd.sock" || finish
assert_eq "a new socket directory (with parents) is 0700" 700 \
    "$(file_mode "$T/deep/er")"
stop_daemon "$DAEMON_PID" "$T/deep/er/kindlogd.sock"

# ----------------------------------------------------- corrupt database

head -c 65536 /dev/urandom >"$T/corrupt.db"
SUM=$(sha256sum <"$T/corrupt.db")
start_refused "a corrupt database" --db "$T/corrupt.db"
assert_contains "corrupt database: the message names the file" "$ERR" "$T/corrupt.db"
assert_eq "corrupt database: one line on stderr" 1 "$(count_lines "$ERR")"
assert_eq "corrupt database: the file is untouched" "$SUM" "$(sha256sum <"$T/corrupt.db")"
assert_true "corrupt database: no socket left behind" test ! -e "$SOCK"
assert_true "corrupt database: no -wal/-shm files created" \
    test ! -e "$T/corrupt.db-wal" -a ! -e "$T/corrupt.db-shm"

# A SQLite header followed by garbage.
{ printf 'SQLite format 3\0'; head -c 8176 /dev/urandom; } >"$T/header.db"
SUM=$(sha256sum <"$T/header.db")
start_refused "a database with a SQLite header and garbage" --db "$T/header.db"
assert_eq "header + garbage: the file is untouched" "$SUM" "$(sha256sum <"$T/header.db")"

# A schema newer than this kindlogd knows.
if command -v sqlite3 >/dev/null 2>&1; then
	start_daemon --db "$T/future.db" || finish
	kl add "from the past" >/dev/null
	stop_daemon
	sqlite3 "$T/future.db" 'PRAGMA user_version = 999;'
	SUM=$(sha256sum <"$T/future.db")
	start_refused "a database from a newer kindlogd" --db "$T/future.db"
	assert_contains "newer schema: says so" "$ERR" "999"
	assert_eq "newer schema: the file is untouched" "$SUM" "$(sha256sum <"$T/future.db")"
else
	note "sqlite3 missing: newer schema not checked"
fi

# ------------------------------------------------------------- config

printf '[partner]\nname = Sam\n[days]\nbogus_key = 1\n' >"$T/bad.conf"
start_refused "a config file with an unknown key" --config "$T/bad.conf"
assert_contains "bad config: the message names file and line" "$ERR" "$T/bad.conf:4:"
assert_contains "bad config: the message names the key" "$ERR" "bogus_key"
printf '[days]\nday_starts_at = 25:00\n' >"$T/bad2.conf"
start_refused "a config file with a bad value" --config "$T/bad2.conf"
assert_contains "bad value: file and line" "$ERR" "$T/bad2.conf:2:"
printf '[nonsense]\nx = 1\n' >"$T/bad3.conf"
start_refused "a config file with an unknown section" --config "$T/bad3.conf"
assert_contains "unknown section: file and line" "$ERR" "$T/bad3.conf:1:"
start_refused "--config naming a missing file" --config "$T/missing.conf"
assert_contains "missing --config file: named" "$ERR" "$T/missing.conf"

# The default config file is optional; when present it is read.
mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[partner]\nname = Robin\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
need_daemon
run_capture kl --json status
assert_eq "the default config file is read" Robin "$(jq_py "$OUT" 'd["partner"]')"
stop_daemon
rm "$XDG_CONFIG_HOME/kindlog/kindlog.conf"

# reload and SIGHUP: a broken config keeps the old one in force.
CONF="$T/reload.conf"
printf '[partner]\nname = Sam\n' >"$CONF"
need_daemon --config "$CONF"
assert_eq "partner from --config" Sam "$(jq_py "$(kl --json status)" 'd["partner"]')"

printf '[partner]\nname = Alex\n[days]\nday_starts_at = never\n' >"$CONF"
REPLY=$(rpc_call reload)
assert_eq "reload with a broken config → -32602" -32602 \
    "$(jq_py "$REPLY" 'd["error"]["code"]')"
assert_contains "reload error names file and line" \
    "$(jq_py "$REPLY" 'd["error"]["message"]')" "$CONF:4:"
assert_eq "after a failed reload the old config stays" Sam \
    "$(jq_py "$(kl --json status)" 'd["partner"]')"
run_capture kl reload
assert_rc "kindlog reload with a broken config → exit 1" 1
assert_match "kindlog reload: one line naming file and line" \
    "^kindlog: .*$CONF:4:" "$ERR"
assert_eq "kindlog reload: the old config stays" Sam \
    "$(jq_py "$(kl --json status)" 'd["partner"]')"

kill -HUP "$DAEMON_PID"
hup_logged() { grep -q "keeping the old config" "$DAEMON_LOG"; }
assert_true "SIGHUP with a broken config is logged (old config kept)" \
    wait_for 5 hup_logged
assert_contains "… with the file and line" "$(cat "$DAEMON_LOG")" "$CONF:4:"
assert_true "SIGHUP with a broken config: still running" pid_alive "$DAEMON_PID"
assert_eq "SIGHUP with a broken config: old config, still serving" Sam \
    "$(jq_py "$(kl --json status)" 'd["partner"]')"

printf '[partner]\nname = Alex\n[days]\nday_starts_at = 00:00\n' >"$CONF"
REPLY=$(rpc_call reload)
assert_eq "reload with a good config" "{\"config\":\"$CONF\"}" \
    "$(jq_py "$REPLY" 'd["result"]')"
assert_eq "the reloaded config is in force" Alex \
    "$(jq_py "$(kl --json status)" 'd["partner"]')"
printf '[partner]\nname = Jo\n' >"$CONF"
run_capture kl --json reload
assert_ok "kindlog reload with a good config"
assert_eq "kindlog --json reload prints the daemon's result" "{\"config\":\"$CONF\"}" \
    "$(json_canon "$OUT")"
assert_eq "kindlog reload: the new config is in force" Jo \
    "$(jq_py "$(kl --json status)" 'd["partner"]')"

printf '[partner]\nname = Kim\n' >"$CONF"
kill -HUP "$DAEMON_PID"
partner_is_kim() { [ "$(jq_py "$(kl --json status)" 'd["partner"]')" == Kim ]; }
if wait_for 5 partner_is_kim; then
	pass "SIGHUP with a good config reloads it"
else
	fail "SIGHUP with a good config reloads it" \
	    "partner: $(jq_py "$(kl --json status)" 'd["partner"]')"
fi
stop_daemon

finish
