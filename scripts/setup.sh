#!/usr/bin/env bash
# Installs everything the playground needs to build and test, idempotently:
# each step is skipped when the tool is already there at the right version.
# Only package registries are used (crates, npm, Debian); nothing is downloaded
# from release pages, which this kind of machine cannot reach.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14" # trunk 0.22 needs rustc 1.96.1; the machines have 1.95.
source "$ROOT/scripts/env.sh"

note() { printf '\033[1m==> %s\033[0m\n' "$*"; }

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  note "Installing ${need_apt[*]} from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  # Debian's binaryen (108) cannot read current wasm: wasm-opt comes from npm instead.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  note "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  note "Installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must equal the wasm-bindgen version in Cargo.lock exactly.
WB_VERSION=$(cd "$ROOT" && cargo pkgid -p wasm-bindgen | sed 's/.*@//')
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]; then
  note "Installing wasm-bindgen-cli $WB_VERSION (a few minutes, once)"
  # --locked fails on this registry (a locked dependency is newer than the index has).
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked || cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

if [ ! -x "$ROOT/tests/e2e/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ] \
   || [ ! -x "$ROOT/tests/e2e/node_modules/.bin/esbuild" ] \
   || [ "$ROOT/tests/e2e/package-lock.json" -nt "$ROOT/tests/e2e/node_modules/.package-lock.json" ]; then
  note "Installing npm packages (wasm-opt from binaryen, esbuild, playwright-core)"
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The real clients the tests compare against (the AWS CLI, boto3, cfn-lint,
# moto's server for the endpoint's load comparison), in the project's own venv.
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ] || [ "$ROOT/scripts/python-requirements.txt" -nt "$VENV/.installed" ]; then
  note "Installing the AWS CLI, boto3, cfn-lint and moto into .venv (PyPI)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/scripts/python-requirements.txt"
  touch "$VENV/.installed"
fi
