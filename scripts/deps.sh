#!/bin/sh
# deps.sh - install what osmigrate needs to build, run its demo and its tests,
# from Debian packages, non-interactively.  Installs only what is missing.
#   scripts/deps.sh          build + demo + tests
# Needs root or sudo for apt-get; says so clearly otherwise.
set -eu

PACKAGES="
gcc make autoconf automake autoconf-archive pkg-config
libncurses-dev libpq-dev libcurl4-openssl-dev libinih-dev libcriterion-dev
postgresql postgresql-contrib nginx-light openssl ca-certificates
tmux mandoc python3 jq time valgrind clang procps iproute2 util-linux cmark-gfm
"

missing=
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -n "$missing" ] || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: these packages are missing:$missing" >&2
	echo "deps.sh: this is not a Debian-like system (no apt-get): install them with your package manager." >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
	SUDO=sudo
else
	echo "deps.sh: these Debian packages are missing:$missing" >&2
	echo "deps.sh: installing them needs root. Run as root, or with sudo rights, or ask an" >&2
	echo "deps.sh: administrator for: apt-get install$missing" >&2
	exit 1
fi

echo "deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql package creates and starts a cluster of its own; the
# demo and tests never use it (they start throwaway servers), so keep it off.
if [ ! -e /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster *= *false' /etc/postgresql-common/createcluster.conf 2>/dev/null; then
	$SUDO mkdir -p /etc/postgresql-common
	echo 'create_main_cluster = false' | $SUDO tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
# nginx-light starts a system nginx on port 80 on install; the demo runs its own.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	$SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
elif [ -x /etc/init.d/nginx ]; then
	$SUDO /etc/init.d/nginx stop >/dev/null 2>&1 || true
fi
echo "deps.sh: done"
