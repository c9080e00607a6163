#!/usr/bin/env bash
# scripts/package builds a .deb that lintian finds no error in, and the
# package holds what a Debian user needs where Debian looks for it: both
# programs (linked dynamically, so shlibs track their libraries), the user
# units with the socket enabled for every user, the man pages, and the
# completions in the shells' vendor directories. The programs it ships run.
. "$INSTALL_TESTS_DIR/lib.sh"

: "${SOURCE_ROOT:?}"
# The package is built from the source tree with Debian's flags, whatever
# this build directory's options: a sanitizer build would only repeat it.
[ "${B_SANITIZE:-none}" = none ] || skip "built once, in the build without sanitizers"
git -C "$SOURCE_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
	skip "the source tree is not a git checkout (scripts/package needs one)"

# One job, as everything in the suite (the machine may have two cores).
export DEB_BUILD_OPTIONS="parallel=1${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}"
OUTDIR="$T/out"
run_capture timeout 840 "$SOURCE_ROOT/scripts/package" "$OUTDIR"
assert_rc "scripts/package builds and lintian reports no error" 0
[ "$RC" -eq 0 ] || { note "$(tail -n 40 <<<"$OUT$ERR")"; finish; }
note "$(grep "^built in" <<<"$OUT" | tr -d :)"

# lintian's own report, apart from its exit status.
run_capture grep -E '^E: ' "$OUTDIR/lintian.txt"
assert_eq "no lintian error tags in lintian.txt" "" "$OUT"
[ -s "$OUTDIR/lintian.txt" ] && note "lintian: $(show "$(cat "$OUTDIR/lintian.txt")")"

version=$(dpkg-parsechangelog -l "$SOURCE_ROOT/debian/changelog" -S Version)
deb="$OUTDIR/kindlog_${version}_$(dpkg-architecture -q DEB_HOST_ARCH).deb"
assert_true "the .deb is in the output directory" test -s "$deb"
[ -s "$deb" ] || finish

# What it holds, by path.
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
expect=(/usr/bin/kindlog /usr/bin/kindlogd
    /usr/lib/systemd/user/kindlogd.service /usr/lib/systemd/user/kindlogd.socket
    /usr/share/man/man1/kindlog.1.gz /usr/share/man/man1/kindlogd.1.gz
    /usr/share/man/man5/kindlog.conf.5.gz
    /usr/share/bash-completion/completions/kindlog
    /usr/share/zsh/vendor-completions/_kindlog
    /usr/share/fish/vendor_completions.d/kindlog.fish
    /usr/share/doc/kindlog/copyright /usr/share/doc/kindlog/changelog.gz
    /usr/share/doc/kindlog/kindlog.conf.example)
for f in "${expect[@]}"; do
	assert_true "the package has $f" grep -qxF "$f" <<<"$files"
done
# Nothing in a place Debian would not look for it (/usr/local,
# zsh's site-functions, /etc, another unit directory).
stray=$(grep -vE '^/usr/(bin/|lib/systemd/user/|share/(man/man[15]/|doc/kindlog/|bash-completion/completions/|zsh/vendor-completions/|fish/vendor_completions\.d/))' \
    <<<"$files")
assert_eq "every file is in a Debian directory" "" "$stray"

# The programs run from the unpacked package.
root="$T/root"
assert_true "dpkg-deb -x unpacks it" dpkg-deb -x "$deb" "$root"
for prog in kindlog kindlogd; do
	run_capture "$root/usr/bin/$prog" --version
	assert_rc "the packaged $prog --version runs" 0
	assert_eq "the packaged $prog is version $version" "$prog $version" "$OUT"
done

# Dynamic, so dpkg-shlibdeps saw every library (debian/rules says why).
run_capture readelf -d "$root/usr/bin/kindlog"
assert_contains "the packaged client links libjansson dynamically" "$OUT" \
    "libjansson.so"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libjansson4 libevent-core libsqlite3-0 libnotify4 libglib2.0-0; do
	assert_contains "Depends names $lib (from shlibs)" "$depends" "$lib"
done
assert_eq "no notification server is required" "dunst | notification-daemon" \
    "$(dpkg-deb -f "$deb" Suggests)"

# The units start the packaged daemon; only the socket is enabled for
# every user at install, and purge cleans up after it.
assert_contains "the service runs /usr/bin/kindlogd" \
    "$(cat "$root/usr/lib/systemd/user/kindlogd.service")" \
    "ExecStart=/usr/bin/kindlogd"
ctrl="$T/control"
dpkg-deb -e "$deb" "$ctrl"
postinst=$(cat "$ctrl/postinst" 2>/dev/null)
assert_contains "postinst enables kindlogd.socket for every user" "$postinst" \
    "deb-systemd-helper --user enable 'kindlogd.socket'"
assert_not_contains "postinst leaves kindlogd.service to each user" \
    "$postinst" "kindlogd.service"
assert_contains "postrm purges the socket's enablement" \
    "$(cat "$ctrl/postrm" 2>/dev/null)" \
    "deb-systemd-helper --user purge 'kindlogd.socket'"

finish
