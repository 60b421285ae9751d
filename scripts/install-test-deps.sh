#!/usr/bin/env bash
# Installs what the test suite starts or drives (Dovecot, Redis, PostgreSQL, Chromium) when it is missing; safe to rerun.
#
# Only installs: the pytest fixtures (tests/server_fixtures.py) start private servers on free
# loopback ports with their own config, so a system Dovecot or Redis the packages may start
# (ports 143/993, 6379) is neither used nor in the way.
set -euo pipefail

# Daemons live in sbin, which is not on every user's PATH.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# binary -> Debian package providing it
binaries=(dovecot redis-server chromium)
declare -A package_for=(
    [dovecot]=dovecot-imapd
    [redis-server]=redis-server
    [chromium]=chromium
)

missing=()
for binary in "${binaries[@]}"; do
    if command -v "$binary" >/dev/null 2>&1; then
        echo "ok: $binary ($(command -v "$binary"))"
    else
        echo "missing: $binary (package ${package_for[$binary]})"
        missing+=("${package_for[$binary]}")
    fi
done

# PostgreSQL's server binaries live outside PATH, one folder per major version.
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "ok: initdb ($(compgen -G "/usr/lib/postgresql/*/bin/initdb" | tail -n 1))"
else
    echo "missing: initdb (package postgresql)"
    missing+=(postgresql)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    echo "Nothing to install."
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Not root: cannot install ${missing[*]}." >&2
    echo "Run: sudo $0   (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"

for binary in "${binaries[@]}"; do
    command -v "$binary" >/dev/null 2>&1 || { echo "still missing after install: $binary" >&2; exit 1; }
done
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "still missing after install: initdb" >&2; exit 1; }
echo "Installed: ${missing[*]}"
