#!/usr/bin/env bash
# Installs the system packages the tests need, only when they are missing:
# Debian's Chromium and fonts (real-browser tests), PostgreSQL (gradebook tests), for the hub
# Debian's python3-venv and npm, and for PDFs (CPD records, certificates, the printable guide
# and handouts) WeasyPrint's Pango, Noto fonts for every script (accents, Arabic, Chinese), and
# poppler-utils (pdftoppm renders PDF pages to PNG in the tests).
#
# `system-deps.sh pdf` checks only what making PDFs needs (Pango and the Noto fonts), for
# `make print`: a trainer printing handouts gets no browser, database or Node, and is told
# plainly when something is missing and they are not root.
set -euo pipefail

mode="${1:-tests}"
need=()
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done
if [ "$mode" != "pdf" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
  dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  # The room on JupyterHub: Debian's Python (every account can run it) and npm (the proxy).
  [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null \
    || need+=(python3 python3-venv)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  dpkg -s poppler-utils >/dev/null 2>&1 || need+=(poppler-utils)
fi

if [ ${#need[@]} -eq 0 ]; then
  [ "$mode" = "pdf" ] || echo "system-deps: Chromium, fonts, PostgreSQL, Pango and poppler are already installed."
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: missing ${need[*]}; run as root (or sudo apt-get install ${need[*]})." >&2
  if [ "$mode" = "pdf" ]; then exit 1; fi
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
