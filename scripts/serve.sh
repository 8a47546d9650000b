#!/usr/bin/env bash
# Builds the playground (release), the SDK (dist/sdk/), the workbench (dist/workbench/), the editor of large
# documents (dist/large-editor/) and the run page's console module (dist/chunks/), and serves it at
# http://127.0.0.1:PORT/.
#   scripts/serve.sh [PORT]      (default 8080)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
source "$ROOT/scripts/env.sh"
cd "$ROOT"
# wasm-bindgen leaves behind JS snippets the code no longer imports, and trunk
# would ship them: build from a clean snippet dir, as scripts/test-all.sh does.
rm -rf target/wasm-bindgen
trunk build --release --offline
trunk build run.html --release --offline --dist dist/run
scripts/build-sdk.sh
scripts/build-workbench.sh
scripts/build-large-editor.sh
scripts/build-run-chunks.sh
exec node scripts/serve.mjs --dir dist --port "${1:-8080}"
