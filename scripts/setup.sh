# Sourced by scripts/run and scripts/test: installs what is missing, skips what is there.
# Nothing here downloads a prebuilt binary: Rust tools come from crates.io, browser
# tooling from npm, Chromium from Debian.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must never try a download: the tools below are what it uses.
export TRUNK_OFFLINE=true

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "wasm32 target: present"
  else
    say "wasm32 target: installing"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if command -v trunk >/dev/null && trunk --version | grep -q " $TRUNK_VERSION"; then
    say "trunk $TRUNK_VERSION: present"
  else
    say "trunk $TRUNK_VERSION: installing from crates.io (about 8 minutes)"
    cargo install --locked "trunk@$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local version
  version="$(wasm_bindgen_version)"
  if ! grep -q "wasm_bindgen = \"$version\"" "$ROOT/Trunk.toml"; then
    echo "Trunk.toml's [tools] wasm_bindgen must be \"$version\", as in Cargo.lock" >&2
    exit 1
  fi
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version)" = "wasm-bindgen $version" ]; then
    say "wasm-bindgen CLI $version: present"
  else
    # Without --locked: a dependency version pinned in its lock file is gone from the registry.
    say "wasm-bindgen CLI $version: installing from crates.io (about 2 minutes)"
    cargo install --force "wasm-bindgen-cli@$version"
  fi
}

ensure_node_modules() {
  if [ -x "$ROOT/node_modules/.bin/wasm-opt" ] && [ -d "$ROOT/node_modules/playwright-core" ]; then
    say "npm packages (binaryen's wasm-opt, playwright-core): present"
  else
    say "npm packages: installing"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "chromium and chromedriver: present"
    return
  fi
  say "chromium and chromedriver: installing from Debian (about 1 minute)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_modules
}
