#!/usr/bin/env bash
# Runs every test and check: formatting, clippy (native and wasm32), native
# tests, the release build and its sizes, wasm tests in headless Chromium, and
# end-to-end tests in Chromium driven by Playwright. Installs what is missing
# first. .ci/run calls this.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mkdir -p artifacts
TIMINGS="artifacts/timings.tsv"; : > "$TIMINGS"
PASSED=0

step() { # step NAME CMD...: runs, times and counts one check
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n\033[1m::: %s\033[0m\n' "$name"
  "$@"
  printf '%s\t%ss\t%s free\n' "$name" "$(( $(date +%s) - t0 ))" "$(df -h --output=avail . | tail -1 | tr -d ' ')" | tee -a "$TIMINGS"
  PASSED=$((PASSED + 1))
}

# A clean clone builds everything once: incremental caches only cost disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
echo "disk before: $(df -h --output=avail . | tail -1) free"

step setup scripts/setup.sh
source scripts/env.sh
echo "tools: $(rustc --version) | $(trunk --version) | $(wasm-bindgen --version) | wasm-opt $(wasm-opt --version) | $(chromium --version 2>/dev/null) | node $(node --version)"

step fmt cargo fmt --all --check
step engine-has-no-web-deps scripts/check-engine-deps.sh
step clippy-native cargo clippy --workspace --all-targets --locked -- -D warnings
step clippy-wasm32 cargo clippy --workspace --all-targets --locked --target wasm32-unknown-unknown -- -D warnings
step native-tests cargo test --workspace --exclude ecs-playground-web --locked
# cfn-lint (from .venv) against every corpus definition and rule fixture, exported to CloudFormation.
step cfn-lint-differential cargo test -p ecs-engine --locked --test cfn_lint -- --nocapture
# The local ECS endpoint driven by the real AWS CLI and boto3 from .venv.
step endpoint-clients cargo test -p ecs-server --features real-clients --locked --test clients -- --nocapture
# The aws ecs console's table against the real AWS CLI (.venv from setup.sh):
# the native tests compare the engine with the table, this with the CLI.
step aws-cli-oracle .venv/bin/python scripts/aws-cli-oracle.py --check
# wasm-bindgen leaves behind JS snippets the code no longer imports, and trunk
# would ship (and the size report count) them: build from a clean snippet dir.
rm -rf target/wasm-bindgen
step release-build trunk build --release --offline
# The run page is its own wasm under dist/run/, built after the authoring page.
step release-build-run trunk build run.html --release --offline --dist dist/run
step sdk-build scripts/build-sdk.sh
step workbench-build scripts/build-workbench.sh
step large-editor-build scripts/build-large-editor.sh
# The run page's console module (dist/chunks/), loaded on demand.
step run-chunks-build scripts/build-run-chunks.sh
step sizes node scripts/size-report.mjs dist --enforce
step wasm-tests-chromium cargo test --target wasm32-unknown-unknown -p ecs-playground-web --locked --test web
step wasm-bench-chromium cargo test --release --target wasm32-unknown-unknown -p ecs-playground-web --locked --test bench -- --nocapture
step run-bench-chromium env WASM_BINDGEN_TEST_TIMEOUT=900 cargo test --release --target wasm32-unknown-unknown -p ecs-playground-web --locked --test run_bench -- --nocapture
step sdk-bench-chromium cargo test --release --target wasm32-unknown-unknown -p ecs-js --locked --test bench -- --nocapture
step native-bench cargo bench -p ecs-engine --locked --bench placement --bench import --bench simulation --bench run_task
step endpoint-bench cargo run --profile server -p ecs-server --locked --example load
step e2e-chromium bash -c "cd tests/e2e && ARTIFACTS='$ROOT/artifacts' npm test"

echo; echo "timings:"; cat "$TIMINGS"
echo "checks: $PASSED passed, 0 failed"
