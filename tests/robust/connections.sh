#!/bin/bash
# Connections as a weapon (doc/protocol.md): a half-sent line that stalls,
# hundreds of idle connections, the connection limit (where a new
# connection evicts the one idle longest), and a flood up to
# the descriptor limit, during which accept must back off on EMFILE
# instead of spinning. Another uid is refused (SO_PEERCRED) and cannot
# reach the socket directory: tests/integration/peer.sh.
. "$ROBUST_DIR/lib.sh"

need_daemon

abuse stall
assert_eq "another client is served while a line is half-sent" True \
    "$(val other_served)"
note "… in $(val other_seconds) s"
assert_eq "… and still a second later" True "$(val other_again)"
assert_eq "the stalled request is answered once its line completes" True \
    "$(val staller_answered)"

abuse idle 250 256
assert_eq "250 idle connections are held (each served once)" 250 \
    "$(val held)"
worst=$(val new_client_worst_seconds)
note "a new client beside 250 idle ones: worst of 5 took $worst s"
assert_true "… while a new client is served within 0.5 s ($worst s)" \
    "$PYTHON" -c "import sys; sys.exit(not float('$worst') < 0.5)"
assert_eq "the daemon holds 256 connections" 256 "$(val filled)"
assert_eq "the 257th is served" ok "$(val over_limit)"
assert_eq "… in place of the connection idle longest" True \
    "$(val oldest_evicted)"
assert_eq "… and only that one" True "$(val second_oldest_kept)"
assert_eq "with a request under way on all 256, the next is closed" closed \
    "$(val all_busy_next)"
assert_eq "… and every request under way is answered" 256 \
    "$(val busy_answered)"
assert_eq "once one leaves, a new client is served" ok \
    "$(val after_one_left)"
rss=$(rss_kib "$DAEMON_PID")
assert_true "memory bounded after 256 connections ($rss KiB)" \
    test "$rss" -lt "$RSS_LIMIT_KIB"
stop_daemon

# A leak of 500 idle connections beside two busy ones (a request half
# sent; three big replies not yet read) does not lock out `kindlog add`.
need_daemon
abuse evict 500 "$KINDLOG_BIN"
assert_eq "kindlog add succeeds beside 500 idle connections" 0 "$(val add_rc)"
note "… in $(val add_seconds) s"
assert_eq "the daemon holds its limit, 256 connections" 256 \
    "$(val connections)"
kept=$((500 - $(val evicted)))
assert_true "the daemon closed idle ones to make room ($kept of 500 kept)" \
    test "$kept" -ge 252 -a "$kept" -le 253
assert_eq "… the longest idle first" True "$(val oldest_first)"
assert_eq "the newest idle connection is still served" True \
    "$(val newest_served)"
assert_eq "the half-sent request was not evicted: it is answered" True \
    "$(val half_answered)"
assert_eq "the connection with queued replies was not evicted" 3 \
    "$(val queued_replies)"
stop_daemon

# The flood: 64 descriptors, a few hundred connections. kindlogd must
# pause accepting (1 s) rather than wake up for the same EMFILE forever.
(ulimit -n 64 && exec "$KINDLOGD_BIN" >"$T/flood.log" 2>&1) &
DAEMON_PID=$!
DAEMON_PIDS+=("$DAEMON_PID")
wait_for 5 socket_live "$SOCK"
abuse flood 400 "$DAEMON_PID"
note "flood: $(val connections) connections, daemon CPU $(val cpu_seconds) s in $(val wall_seconds) s"
assert_true "the flood reaches past the descriptor limit ($(val connections) connections)" \
    test "$(val connections)" -gt 64
assert_true "accept backs off: daemon CPU under 0.5 s in 3 s of flood" \
    "$PYTHON" -c "import sys; sys.exit(not float('$(val cpu_seconds)') < 0.5)"
assert_contains "the daemon says it is pausing accept" \
    "$(cat "$T/flood.log")" "accept (pausing for a second): Too many open files"
assert_eq "after the flood clears, it serves again" True "$(val served_after)"
rss=$(rss_kib "$DAEMON_PID")
assert_true "memory bounded after the flood ($rss KiB)" \
    test "$rss" -lt "$RSS_LIMIT_KIB"
stop_daemon
finish
