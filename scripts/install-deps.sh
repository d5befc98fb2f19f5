#!/usr/bin/env bash
# Installs the Debian packages Dynamos needs, once: quiet and quick when they are already there.
set -euo pipefail
packages=(python3 rabbitmq-server librabbitmq-dev libsqlite3-dev protobuf-compiler libprotobuf-dev libssl-dev libcairo2-dev fonts-dejavu-core
    openssl pkg-config)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
$sudo apt-get update -qq
# The package's service scripts must not start a system node here; the Makefile runs its own.
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" > /dev/null
    $sudo chmod +x "$policy"
fi
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
[ -n "$policy" ] && $sudo rm -f "$policy"
exit 0
