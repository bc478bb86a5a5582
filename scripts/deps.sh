#!/bin/sh
# deps.sh — install what ties needs to build and test, from Debian's packages.
#
#   sh scripts/deps.sh            build and run: compiler, libraries, dictionaries
#   sh scripts/deps.sh --test     also the tools the tests drive (raptor, rasqal,
#                                 virtuoso, graphviz, chromium, clang, valgrind, ...)
#
# As root, missing packages are installed with apt-get (non-interactively, so it
# also works in CI without a terminal). As another user, the missing packages are
# listed with the command that installs them, and the script fails.
set -eu

BUILD_PKGS="gcc make pkg-config libc6-dev libpcre2-dev libhunspell-dev hunspell-en-us libjansson-dev
hunspell-en-gb libstemmer-dev libutf8proc-dev nettle-dev libsqlite3-dev iso-codes
python3 ca-certificates"
TEST_PKGS="libcmocka-dev valgrind raptor2-utils rasqal-utils virtuoso-opensource
graphviz chromium clang libclang-rt-14-dev parallel sqlite3 hyperfine procps curl"

want="$BUILD_PKGS"
if [ "${1:-}" = "--test" ]; then
  want="$BUILD_PKGS $TEST_PKGS"
fi

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# Node.js may come from outside Debian (nodesource): only the commands matter.
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing nodejs npm"
fi

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ties: missing Debian packages:$missing" >&2
  echo "ties: install them with: sudo apt-get install$missing" >&2
  exit 1
fi

echo "ties: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# virtuoso asks for a DBA password through debconf: take the default quietly.
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections 2>/dev/null || true
echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections 2>/dev/null || true
apt_quiet() {
  apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >/tmp/ties-apt.log 2>&1
}
if ! apt_quiet install --no-install-recommends $missing; then
  apt_quiet update || { tail -20 /tmp/ties-apt.log >&2; exit 1; }
  apt_quiet install --no-install-recommends $missing || { tail -20 /tmp/ties-apt.log >&2; exit 1; }
fi
# a virtuoso service started by the package is not ours: the tests start their own
if command -v service >/dev/null 2>&1; then
  service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi
exit 0
