#!/bin/bash
# Manual check (not in the suite): export and import N entries (default
# 200000) and report the peak RSS of kindlog and kindlogd, to show that
# export streams. Usage: bench/transfer-memory.sh BUILD_DIR [N]
set -eu
B=$(cd "${1:?usage: $0 BUILD_DIR [N]}" && pwd)
N=${2:-200000}
T=$(mktemp -d "${TMPDIR:-/tmp}/kindlog-mem.XXXXXX")
export HOME=$T XDG_RUNTIME_DIR=$T/run XDG_DATA_HOME=$T/data \
    XDG_CONFIG_HOME=$T/config XDG_STATE_HOME=$T/state
mkdir -m 700 "$T/run"
trap 'kill $D 2>/dev/null; wait $D 2>/dev/null; rm -rf "$T"' EXIT
start() {
	"$B/daemon/kindlogd" --db "$1" 2>/dev/null &
	D=$!
	while [ ! -S "$T/run/kindlog/kindlogd.sock" ]; do sleep 0.05; done
}
# The daemon's peak RSS (VmHWM) since it started, then stop it.
stop() {
	echo "kindlogd peak RSS: $(awk '/VmHWM/ {print $2}' /proc/$D/status) KiB"
	kill "$D"
	wait "$D" || true
}
python3 - "$T/gen.csv" "$N" <<'P'
import sys, uuid, datetime
n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("uuid,day,text,tags,created_at,updated_at,thanked_at,thanked_how\r\n")
    d0 = datetime.date(2000, 1, 1)
    for i in range(n):
        day = d0 + datetime.timedelta(days=i % 9000)
        f.write(f'{uuid.uuid4()},{day},"gesture {i}: made me coffee, ""again""",morning;coffee,2020-01-01T00:00:00Z,2020-01-01T00:00:00Z,,\r\n')
P
K="$B/client/kindlog --no-autostart"
start "$T/a.db"
echo "import of $N entries (CSV, $(du -h "$T/gen.csv" | cut -f1)):"
/usr/bin/time -f "kindlog import peak RSS: %M KiB, %e s" $K import "$T/gen.csv"
stop
start "$T/a.db"
echo "export of $N entries:"
/usr/bin/time -f "kindlog export (json) peak RSS: %M KiB, %e s" $K export -o "$T/out.json"
/usr/bin/time -f "kindlog export (csv) peak RSS: %M KiB, %e s" $K export --format csv -o "$T/out.csv"
stop
ls -l "$T/out.json" "$T/out.csv" | awk '{print $5, $9}'
