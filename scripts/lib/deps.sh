# Install the Debian packages kindlog needs that are missing, with one
# 'apt-get update' at most. Sourced by scripts/test, scripts/run, scripts/bench,
# scripts/package.

# Packages to build and run kindlogd and kindlog.
KINDLOG_BUILD_PACKAGES="gcc pkg-config meson ninja-build libevent-dev libsqlite3-dev
  libjansson-dev libglib2.0-dev libnotify-dev
  scdoc"  # optional: man pages
# Extra packages the test suite uses.
KINDLOG_TEST_PACKAGES="libcmocka-dev socat sqlite3 python3 procps faketime
  systemd strace man-db bash-completion zsh fish
  dbus-daemon dbus-bin xvfb dunst
  mako-notifier sway notification-daemon xdotool python3-gi
  clang libclang-rt-14-dev
  syncthing"
# libclang-rt-14-dev: libFuzzer for the fuzz smoke (the runtime is only a
# Recommends of clang). syncthing: the real engine of tests/sync.
# Extra packages scripts/package needs to build the .deb and check it
# (debhelper has the meson build system built in). libcmocka-dev is in
# debian/control's Build-Depends: meson configures the unit tests.
KINDLOG_PACKAGE_PACKAGES="build-essential dpkg-dev debhelper lintian
  libcmocka-dev"

# Print the packages of "$@" that dpkg does not have installed.
deps_missing() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Install whatever of "$@" is missing (as root, or through sudo).
deps_install() {
  local missing sudo=""
  # shellcheck disable=SC2046
  missing=$(deps_missing "$@" | tr '\n' ' ')
  [ -n "${missing// /}" ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "missing packages: $missing (run as root or install them)" >&2
      return 1
    fi
  fi
  echo "installing: $missing"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Wait for the dpkg lock rather than fail while another apt holds it.
  # shellcheck disable=SC2086
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing >/dev/null
}
