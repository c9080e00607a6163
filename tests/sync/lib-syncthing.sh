# Real Syncthing instances for the sync tests; sourced by each test.
#
# Brings in the integration harness (tests/integration/lib.sh: a private
# temp directory T with HOME and every XDG directory inside it, assertions,
# kindlogd started and ended by PID), then runs Syncthing 1.19 instances on
# 127.0.0.1 only, each with its own home under T: discovery, relays, NAT,
# usage and crash reports and upgrades off in config.xml before the first
# start. Every instance this file starts is stopped by its PID at exit,
# before T is removed.
#
#   st_require                  skip (77) when syncthing is not installed
#   st_start NAME...            generate, patch and start one instance each
#   st_connect [TIMEOUT]        every instance knows and reaches every other
#   st_share FOLDER-ID          one sendreceive folder shared by all
#   st_folder NAME              that folder's path on instance NAME
#   st_wait_sync [TIMEOUT]      the folder is complete on every instance
#   st_wait_file NAME REL [T]   REL exists in NAME's folder
#   st_wait_gone NAME REL [T]   REL no longer exists in NAME's folder
#   st_wait_until TIMEOUT CMD…  CMD succeeds, polled every 0.1 s
#   st_conflicts                the *.sync-conflict-* files of every folder
#   st_now / st_since START     wall-clock seconds, for printed figures only
#
# Environment (from tests/meson.build): SYNC_TESTS_DIR (this directory),
# TESTS_DIR (tests/integration), KINDLOG_BIN and KINDLOGD_BIN.

SYNC_TESTS_DIR=${SYNC_TESTS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
TESTS_DIR=${TESTS_DIR:-$SYNC_TESTS_DIR/../integration}
if ! declare -F finish >/dev/null; then
	. "$TESTS_DIR/lib.sh"
fi
STREST="$SYNC_TESTS_DIR/strest.py"

ST_ROOT="$T/syncthing"
ST_FOLDER_ID=""
ST_NAMES=()
declare -A ST_HOME=() ST_URL=() ST_KEY=() ST_ID=() ST_PID=() ST_PORT=() \
    ST_LOG=() ST_DIR=()

# Syncthing reads nothing of the real home: its home is --home, and HOME
# and the XDG directories are the harness's temp ones.
case $HOME in
"$T"/*) ;;
*)
	echo "lib-syncthing.sh: HOME ($HOME) is not inside $T" >&2
	exit 1
	;;
esac

st_require() {
	command -v syncthing >/dev/null 2>&1 ||
	    skip "syncthing is not installed (package syncthing)"
}

# N free TCP ports on 127.0.0.1, all held open at once so they differ.
st_free_ports() {	# N
	"$PYTHON" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# The instance as strest.py names it: URL,APIKEY,DEVICE-ID.
st_inst() {	# NAME
	printf '%s,%s,%s' "${ST_URL[$1]}" "${ST_KEY[$1]}" "${ST_ID[$1]}"
}

st_insts() {
	local n
	for n in "${ST_NAMES[@]}"; do
		st_inst "$n"
		echo
	done
}

# One REST call on instance NAME; prints the JSON reply.
st_rest() {	# NAME METHOD PATH [BODY]
	local n=$1
	shift
	"$PYTHON" "$STREST" call "$(st_inst "$n")" "$@"
}

st_dump_logs() {
	local n
	for n in ${ST_NAMES[@]+"${ST_NAMES[@]}"}; do
		echo "# ---- syncthing $n (${ST_LOG[$n]}), last lines:"
		tail -n 25 "${ST_LOG[$n]}" 2>/dev/null | sed 's/^/#   /'
	done
}

# Generate, patch and start one instance per NAME, and wait until each
# answers /rest/system/ping (1.19 has no /rest/noauth/health).
st_start() {	# NAME...
	local n ports home key
	st_require
	for n in "$@"; do
		home="$ST_ROOT/home-$n"
		mkdir -p "$ST_ROOT"
		# shellcheck disable=SC2207
		ports=($(st_free_ports 2))
		key=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(16))')
		if ! syncthing generate --home="$home" --no-default-folder \
		    --skip-port-probing >"$ST_ROOT/generate-$n.log" 2>&1; then
			fail "syncthing generate for $n" \
			    "$(show "$(cat "$ST_ROOT/generate-$n.log")")"
			finish
		fi
		"$PYTHON" "$STREST" patch-config "$home" "${ports[0]}" \
		    "${ports[1]}" "$key" || {
			fail "patch $home/config.xml"
			finish
		}
		ST_NAMES+=("$n")
		ST_HOME[$n]=$home
		ST_PORT[$n]=${ports[0]}
		ST_URL[$n]="http://127.0.0.1:${ports[1]}"
		ST_KEY[$n]=$key
		ST_LOG[$n]="$ST_ROOT/serve-$n.log"
		ST_ID[$n]=$(syncthing serve --home="$home" --device-id 2>/dev/null |
		    grep -oE '[A-Z0-9]{7}(-[A-Z0-9]{7}){7}' | head -n 1)
		[ -n "${ST_ID[$n]}" ] || {
			fail "device id of $n"
			finish
		}
		STNORESTART=1 STNOUPGRADE=1 STNODEFAULTFOLDER=1 \
		    syncthing serve --home="$home" --no-browser --no-restart \
		    --no-upgrade --gui-address="${ST_URL[$n]}" \
		    --gui-apikey="$key" >"${ST_LOG[$n]}" 2>&1 &
		ST_PID[$n]=$!
	done
	for n in "$@"; do
		if ! "$PYTHON" "$STREST" wait-ping 30 "$(st_inst "$n")"; then
			fail "syncthing $n answers /rest/system/ping"
			finish
		fi
	done
	pass "syncthing $* up on 127.0.0.1"
}

# Stop our instances, by PID: SIGTERM, then SIGKILL after 5 s.
st_stop_all() {
	local n pid
	for n in ${ST_NAMES[@]+"${ST_NAMES[@]}"}; do
		pid=${ST_PID[$n]:-}
		[ -n "$pid" ] && pid_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for n in ${ST_NAMES[@]+"${ST_NAMES[@]}"}; do
		pid=${ST_PID[$n]:-}
		[ -n "$pid" ] || continue
		if ! wait_for 5 pid_gone "$pid"; then
			echo "# syncthing $n (pid $pid) ignored SIGTERM, killing it"
			kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
		ST_PID[$n]=""
	done
}

# At exit: the logs when the test failed, our instances stopped, then the
# harness's cleanup (kindlogd, T) with the test's exit status.
st__exit() {
	local rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		st_dump_logs
	fi
	st_stop_all
	(exit "$rc")
	cleanup
}
trap st__exit EXIT

# Every instance adds every other (tcp://127.0.0.1:PORT only), then waits
# until all of them are connected.
st_connect() {	# [TIMEOUT]
	local a b body
	for a in "${ST_NAMES[@]}"; do
		for b in "${ST_NAMES[@]}"; do
			[ "$a" != "$b" ] || continue
			body=$(printf '{"deviceID":"%s","name":"%s","addresses":["tcp://127.0.0.1:%s"],"autoAcceptFolders":false}' \
			    "${ST_ID[$b]}" "$b" "${ST_PORT[$b]}")
			st_rest "$a" POST /rest/config/devices "$body" >/dev/null || {
				fail "syncthing $a adds device $b"
				finish
			}
		done
	done
	# shellcheck disable=SC2046
	if "$PYTHON" "$STREST" wait-connected "${1:-30}" $(st_insts); then
		pass "syncthing ${ST_NAMES[*]} connected"
	else
		fail "syncthing ${ST_NAMES[*]} connected"
		finish
	fi
}

# A sendreceive folder FOLDER-ID shared by every instance, each with its
# own path (st_folder), watched with a 1 s delay and rescanned every 10 s.
st_share() {	# FOLDER-ID
	local a b devs body
	ST_FOLDER_ID=$1
	devs=""
	for b in "${ST_NAMES[@]}"; do
		devs+="${devs:+,}{\"deviceID\":\"${ST_ID[$b]}\"}"
	done
	for a in "${ST_NAMES[@]}"; do
		ST_DIR[$a]="$ST_ROOT/folder-$a"
		mkdir -p "${ST_DIR[$a]}"
		body=$(printf '{"id":"%s","label":"%s","path":"%s","type":"sendreceive","devices":[%s],"fsWatcherEnabled":true,"fsWatcherDelayS":1,"rescanIntervalS":10}' \
		    "$1" "$1" "${ST_DIR[$a]}" "$devs")
		st_rest "$a" POST /rest/config/folders "$body" >/dev/null || {
			fail "syncthing $a shares folder $1"
			finish
		}
	done
	# shellcheck disable=SC2046
	if "$PYTHON" "$STREST" wait-idle "$1" 30 $(st_insts); then
		pass "folder $1 shared and idle on ${ST_NAMES[*]}"
	else
		fail "folder $1 shared and idle on ${ST_NAMES[*]}"
		finish
	fi
}

st_folder() {	# NAME
	printf '%s' "${ST_DIR[$1]}"
}

# The shared folder complete on every instance: completion 100 for every
# remote device, nothing needed, the same global view, twice in a row.
st_wait_sync() {	# [TIMEOUT]
	# shellcheck disable=SC2046
	"$PYTHON" "$STREST" wait-sync "$ST_FOLDER_ID" "${1:-60}" $(st_insts)
}

# Run CMD every 0.1 s until it succeeds (0) or TIMEOUT seconds pass (1).
st_wait_until() {	# TIMEOUT CMD...
	local deadline now
	deadline=$(st_add "$(st_now)" "$1")
	shift
	while :; do
		"$@" && return 0
		now=$(st_now)
		[ "${now/./}" -lt "${deadline/./}" ] || break
		sleep 0.1
	done
	"$@"
}

st__exists() { [ -e "$1" ]; }
st__absent() { [ ! -e "$1" ]; }

st_wait_file() {	# NAME REL [TIMEOUT]
	st_wait_until "${3:-30}" st__exists "${ST_DIR[$1]}/$2"
}

st_wait_gone() {	# NAME REL [TIMEOUT]
	st_wait_until "${3:-30}" st__absent "${ST_DIR[$1]}/$2"
}

# The conflict copies Syncthing made in any folder, one path a line.
st_conflicts() {
	local n
	for n in "${ST_NAMES[@]}"; do
		find "${ST_DIR[$n]}" -name '*.sync-conflict-*' 2>/dev/null
	done
}

# Wall-clock time as seconds with 6 decimals (EPOCHREALTIME), for the
# figures a test prints; nothing is asserted on them.
st_now() {
	printf '%s' "$EPOCHREALTIME"
}

st_add() {	# SECONDS SECONDS
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a + b }'
}

st_since() {	# START → seconds since START, 2 decimals
	awk -v a="$1" -v b="$(st_now)" 'BEGIN { printf "%.2f", b - a }'
}
