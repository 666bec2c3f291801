#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the newest whose engines.node is 20) and Debian's
# chromium, so that the integration suite and the UI test can run in a real VS Code workbench on a
# machine that reaches only the npm registry and Debian's archive. Safe to run again: it does
# nothing when everything is already in place.
#
# Installs into $SEQLENS_CODE_SERVER_DIR (default ~/.cache/seqlens-code-server), never into the repo.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The ripgrep package pinned inside code-server's lib/vscode, and the archive name its postinstall looks for.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
INSTALL_DIR="${SEQLENS_CODE_SERVER_DIR:-$HOME/.cache/seqlens-code-server}"
BIN="$INSTALL_DIR/node_modules/.bin/code-server"
APT_PACKAGES=(libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config python3 make g++ ripgrep chromium)

log() { printf '[install-code-server] %s\n' "$*"; }

missing_apt_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

mapfile -t missing < <(missing_apt_packages)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# code-server writes under ~/.config and ~/.local/share even for --version.
export XDG_CONFIG_HOME="$INSTALL_DIR/xdg/config" XDG_DATA_HOME="$INSTALL_DIR/xdg/data"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"

installed_version() { "$BIN" --version 2>/dev/null | grep -oE '^[0-9]+\.[0-9]+\.[0-9]+ [0-9a-f]+ with Code [0-9.]+' | head -n1; }

if [ -x "$BIN" ] && installed_version | grep -q "^$CODE_SERVER_VERSION "; then
  log "code-server $CODE_SERVER_VERSION already installed in $INSTALL_DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads from GitHub, which is unreachable; it first looks for a
# cached archive under $TMPDIR, so seed that cache with Debian's rg and keep TMPDIR for the install.
export TMPDIR="$INSTALL_DIR/tmp"
cache="$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
mkdir -p "$cache"
if [ ! -s "$cache/$RIPGREP_ARCHIVE" ]; then
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$cache/$RIPGREP_ARCHIVE" -C "$staging" rg
  rm -rf "$staging"
fi

log "installing code-server@$CODE_SERVER_VERSION into $INSTALL_DIR (about a minute)"
[ -f "$INSTALL_DIR/package.json" ] || printf '{ "name": "seqlens-code-server", "private": true }\n' > "$INSTALL_DIR/package.json"
# unsafe_perm: its postinstall refuses root otherwise; yes: node-pty's postinstall runs `npx node-gyp`;
# nodedir: node-gyp builds against the local Node headers instead of downloading them.
(
  cd "$INSTALL_DIR"
  npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
)

log "installed: code-server $(installed_version)"
