#!/usr/bin/env bash
# Sync figures (scripts/bench sync; bench/README.md): a local change to its
# file in the folder, applying 10,000 peer operations, publishing 100,000
# existing entries and the folder's bytes per entry, and `kindlog add`
# with sync on against sync off (medians of interleaved runs, as a
# ratio). Measured, never asserted.
#
#   bench/sync.sh BUILD_DIR [SCALE]   SCALE divides the sizes (smoke: 100)
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/sync.sh BUILD_DIR [SCALE]}" && pwd)
SCALE=${2:-1}
KL=$BUILD/client/kindlog
KLD=$BUILD/daemon/kindlogd
W=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-bench-sync.XXXXXX")
PIDS=()
cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$W"
}
trap cleanup EXIT
export XDG_RUNTIME_DIR=$W/run XDG_DATA_HOME=$W/data XDG_STATE_HOME=$W/state
export XDG_CONFIG_HOME=$W/config HOME=$W/home NO_COLOR=1
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_STATE_HOME" \
    "$XDG_CONFIG_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"

now() { date +%s.%N; }
# since T0: seconds from T0 to now.
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.6f\n", a - b }'; }
# calc EXPR: an awk expression's value.
calc() { awk "BEGIN { printf \"%.3f\\n\", $1 }"; }
# start NAME [FOLDER]: a daemon of its own, syncing into FOLDER if given.
start() {
	mkdir -p "$W/$1"
	chmod 700 "$W/$1"
	if [ -n "${2:-}" ]; then
		printf '[reminders]\nenabled = false\n[sync]\ndir = %s\ndevice = %s\n' \
		    "$2" "$1" >"$W/$1/conf"
	else
		printf '[reminders]\nenabled = false\n' >"$W/$1/conf"
	fi
	"$KLD" --socket "$W/$1/sock" --db "$W/$1/db" --config "$W/$1/conf" \
	    2>>"$W/kindlogd.log" &
	PIDS+=($!)
	for _ in $(seq 200); do
		"$KL" --socket "$W/$1/sock" --no-autostart version >/dev/null 2>&1 &&
		    return
		sleep 0.05
	done
	echo "bench: kindlogd $1 did not start" >&2
	exit 1
}
k() { local n=$1; shift; "$KL" --socket "$W/$n/sock" --no-autostart "$@"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
row() { printf '%-44s %s\n' "$1" "$2"; }

# 1. A local change to its file in the folder (the debounce is 1 s).
mkdir -p "$W/folder"
start a "$W/folder"
k a sync now >/dev/null
own=$(ls -d "$W/folder/devices"/*)
for i in $(seq $((20 / (SCALE > 1 ? 4 : 1)))); do
	n=$(ls "$own" | wc -l)
	t0=$(now)
	k a add "bench change $i" >/dev/null
	while [ "$(ls "$own" | wc -l)" -le "$n" ]; do sleep 0.005; done
	since "$t0"
done | median >"$W/lag"
row "local change -> file in folder, median s" "$(cat "$W/lag")"

# 2. Applying 10,000 operations of a peer: one file, then sync now.
N=$((10000 / SCALE))
peer=01a235cc-0000-7000-8000-00000000beef
mkdir -p "$W/folder/devices/$peer"
python3 - "$W/folder/devices/$peer/.ops.tmp" "$peer" "$N" <<'PY'
import json, sys, uuid
path, dev, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
base = 1763000000000 << 16
with open(path, "w") as f:
    f.write(json.dumps({"kindlog": "kindlog-sync", "version": 1,
                        "device": dev, "name": "peer"}) + "\n")
    for i in range(n):
        f.write(json.dumps({"hlc": base + i, "op": "create",
            "entry": str(uuid.UUID(int=i + 1, version=4)),
            "at": "2025-11-13T10:00:00Z", "day": "2025-11-13",
            "text": "peer gesture %d" % i, "tags": ["peer"],
            "created_at": "2025-11-13T10:00:00Z", "thanked": None}) + "\n")
PY
t0=$(now)
mv "$W/folder/devices/$peer/.ops.tmp" "$W/folder/devices/$peer/ops-1.jsonl"
k a sync now >/dev/null
lap=$(since "$t0")
[ "$(k a --json status | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"])')" -ge "$N" ] ||
    { echo "bench: the peer's entries were not applied" >&2; exit 1; }
row "apply $N peer operations (sync now), s" "$lap"

# 3. Publishing 100,000 existing entries: import with sync off, turn it on.
N=$((100000 / SCALE))
start p
python3 - "$W/import.json" "$N" <<'PY'
import json, sys
n = int(sys.argv[2])
json.dump([{"day": "2024-%02d-%02d" % (1 + i % 12, 1 + i % 28),
            "text": "gesture number %d, noticed" % i,
            "tags": ["t%d" % (i % 7)]} for i in range(n)], open(sys.argv[1], "w"))
PY
k p import "$W/import.json" >/dev/null
printf '[reminders]\nenabled = false\n[sync]\ndir = %s\ndevice = p\n' \
    "$W/pfolder" >"$W/p/conf"
mkdir -p "$W/pfolder"
t0=$(now)
k p reload >/dev/null
k p sync now >/dev/null
row "publish $N existing entries, s" "$(since "$t0")"
bytes=$(du -sb "$W/pfolder" | cut -f1)
row "folder bytes per published entry" "$((bytes / N))"

# 4. kindlog add with sync on against sync off, interleaved.
start off
ROUNDS=$((200 / (SCALE > 1 ? 20 : 1)))
for i in $(seq "$ROUNDS"); do
	for side in a off; do
		t0=$(now)
		k $side add "latency $i" >/dev/null
		echo "$side $(since "$t0")"
	done
done >"$W/adds"
on=$(awk '$1 == "a" { print $2 }' "$W/adds" | median)
off=$(awk '$1 == "off" { print $2 }' "$W/adds" | median)
row "kindlog add, sync on, median ms" "$(calc "$on * 1000")"
row "kindlog add, sync off, median ms" "$(calc "$off * 1000")"
row "kindlog add, sync on / off" "$(calc "$on / $off")"
