#!/usr/bin/env bash
# The engine must stay free of web dependencies, directly and transitively.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
forbidden='^(yew|web-sys|wasm-bindgen|js-sys|gloo|gloo-[a-z-]+|wasm-bindgen-futures)$'
found=$(cargo tree -p ecs-engine -e normal,build --target wasm32-unknown-unknown --prefix none --format '{p}' | awk '{print $1}' | sort -u | grep -E "$forbidden" || true)
if [ -n "$found" ]; then
  echo "ecs-engine depends on web crates: $found" >&2
  exit 1
fi
echo "ecs-engine has no web dependencies"
