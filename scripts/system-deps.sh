#!/usr/bin/env bash
# Installs the system packages the tests need, only when they are missing:
# Debian's Chromium and fonts (real-browser tests) and PostgreSQL (gradebook tests).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)

if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: Chromium, fonts and PostgreSQL are already installed."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${need[*]}; run as root (or sudo apt-get install ${need[*]})." >&2
  echo "system-deps: the tests that need them will be skipped." >&2
  exit 0
fi
echo "system-deps: installing ${need[*]} …"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts a cluster on install; the tests start their own server, so stop it.
if command -v service >/dev/null 2>&1; then service postgresql stop >/dev/null 2>&1 || true; fi
echo "system-deps: done."
