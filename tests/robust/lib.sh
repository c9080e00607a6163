# Shared by the robustness tests: the integration helpers (a private
# daemon in temp XDG directories, assertions) plus abuse.py's hostile
# clients and a look at the daemon's memory.
# Environment (from meson.build): KINDLOG_BIN, KINDLOGD_BIN, TESTS_DIR
# (tests/integration, for lib.sh and rpc.py) and ROBUST_DIR (this one).
: "${ROBUST_DIR:?ROBUST_DIR must name tests/robust}"
. "$TESTS_DIR/lib.sh"
ABUSE="$ROBUST_DIR/abuse.py"

# Run an abuse.py scenario against $SOCK; its key=value lines go to R.
abuse() {	# SCENARIO [ARG...]
	R=$(timeout 120 "$PYTHON" "$ABUSE" "$SOCK" "$@" 2>&1)
}

# The value of key in R.
val() {	# KEY
	sed -n "s/^$1=//p" <<<"$R"
}

# Resident memory of PID in KiB.
rss_kib() {	# PID
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"
}

# A generous bound for the daemon's RSS after abuse: 64 MiB, or 512 MiB
# in a sanitizer build (shadow memory and ASan's quarantine, which holds
# up to 256 MiB of freed memory on purpose; leaks are LeakSanitizer's job
# there, at exit).
if grep -q __asan_init "$KINDLOGD_BIN" 2>/dev/null; then
	RSS_LIMIT_KIB=$((512 * 1024))
else
	RSS_LIMIT_KIB=$((64 * 1024))
fi

# d["total"] of the JSON in OUT, read from stdin (jq_py passes its JSON
# as an argument, and a big list is over the kernel's 128 KiB limit).
out_total() {
	"$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["total"])' \
	    <<<"$OUT" 2>&1 | tail -n1
}

# A small tmpfs of the test's own at MNT, for the faults only a real file
# system gives (ENOSPC, EROFS from the kernel, nothing simulated); it is
# unmounted at exit. Mounting needs root: false without it.
MNT="$T/mnt"
TMPFS_MOUNTED=""
tmpfs_mount() {	# SIZE
	[ "$(id -u)" -eq 0 ] || return 1
	mkdir -p "$MNT"
	mount -t tmpfs -o "size=$1,mode=700" tmpfs "$MNT" 2>/dev/null ||
	    return 1
	TMPFS_MOUNTED=yes
	trap 'tmpfs_unmount; cleanup' EXIT
}

tmpfs_unmount() {
	[ -n "$TMPFS_MOUNTED" ] && umount "$MNT" 2>/dev/null
	TMPFS_MOUNTED=""
}
