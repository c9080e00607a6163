# Helpers for the sync tests without an engine: the integration suite's
# harness (private temp XDG directories, daemons ended by PID,
# assertions), plus devices -- each a kindlogd with its own database,
# socket and config under $T/NAME and its sync folder $T/folders/NAME --
# and the copying a file-sync engine would do between their folders.
#
# Environment (from meson.build): KINDLOG_BIN, KINDLOGD_BIN, SYNC_DIR.

: "${SYNC_DIR:?}"
TESTS_DIR="$SYNC_DIR/../integration"
. "$TESTS_DIR/lib.sh"

declare -A DEV_PID

# dev_start NAME [FOLDER]: start device NAME syncing into FOLDER (default
# $T/folders/NAME), writing its config the first time.
dev_start() {
	local n=$1 folder=${2:-$T/folders/$1}
	mkdir -p "$T/$n" "$folder"
	chmod 700 "$T/$n"
	if [ ! -f "$T/$n/kindlog.conf" ]; then
		printf '[sync]\ndir = %s\ndevice = %s\n' "$folder" "$n" \
		    >"$T/$n/kindlog.conf"
	fi
	start_daemon --socket "$T/$n/sock" --db "$T/$n/kindlog.db" \
	    --config "$T/$n/kindlog.conf" || finish
	DEV_PID[$n]=$DAEMON_PID
}

# dev_stop NAME: stop device NAME (it must exit 0).
dev_stop() {
	stop_daemon "${DEV_PID[$1]}" "$T/$1/sock"
}

# k NAME ARGS...: the client, talking to device NAME.
k() {
	local n=$1
	shift
	kl --socket "$T/$n/sock" "$@"
}

# dev_id NAME: the device id of NAME.
dev_id() {
	jq_py "$(k "$1" --json sync)" 'd["device"]["id"]'
}

# engine_copy FROM TO: what an engine does, FROM's own folder into TO's
# sync folder, each file under a temporary name first.
engine_copy() {
	local id src dst f
	id=$(dev_id "$1")
	src="$T/folders/$1/devices/$id"
	dst="$T/folders/$2/devices/$id"
	mkdir -p "$dst"
	for f in "$src"/*; do
		[ -f "$f" ] || continue
		cp -p "$f" "$dst/.syncthing.$(basename "$f").tmp"
		mv "$dst/.syncthing.$(basename "$f").tmp" "$dst/$(basename "$f")"
	done
}

# entries NAME: NAME's export without ids, by uuid (canonical JSON).
entries() {
	k "$1" export --format json | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(json.dumps(sorted(({k: v for k, v in x.items() if k != "id"}
    for x in e), key=lambda x: x["uuid"]), sort_keys=True))'
}

# texts NAME: the texts of NAME's entries, sorted, one line.
texts() {
	k "$1" export --format json | python3 -c '
import json, sys
print(" | ".join(sorted(x["text"] for x in json.load(sys.stdin))))'
}

# id_of NAME TEXT: the local id of NAME's entry with that text.
id_of() {
	k "$1" --json list --all | python3 -c '
import json, sys
print([e["id"] for e in json.load(sys.stdin)["entries"]
    if e["text"] == sys.argv[1]][0])' "$2"
}
