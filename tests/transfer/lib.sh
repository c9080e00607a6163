# Helpers for the transfer tests: the integration suite's harness (private
# temp XDG directories, daemons ended by PID, assertions, a daemon's exit
# status checked on stop), plus what export and import need.
#
# Environment (from meson.build): KINDLOG_BIN, KINDLOGD_BIN, TRANSFER_DIR.

: "${TRANSFER_DIR:?}"
TESTS_DIR="$TRANSFER_DIR/../integration"
. "$TESTS_DIR/lib.sh"

# check NAME EXPECTED ACTUAL
check() { assert_eq "$@"; }

# start_db DB: (re)start kindlogd on its own database.
start_db() {
	if [ -n "$DAEMON_PID" ] && pid_alive "$DAEMON_PID"; then
		stop_daemon
	fi
	start_daemon --db "$1" || finish
}

# py EXPR FILE...: a Python expression over the JSON files j[0], j[1]...
py() {
	local expr=$1
	shift
	python3 -c "
import json, sys
j = [json.load(open(f)) for f in sys.argv[1:]]
print(json.dumps($expr, sort_keys=True, ensure_ascii=False))" "$@"
}
# The entries of an export without their ids (ids are assigned fresh).
NO_IDS='[{k: v for k, v in e.items() if k != "id"} for e in j[0]]'
