// Times the placement benchmark compiled to WebAssembly (V8, as in Chromium).
// Build first:
//   cargo build --release --example wasm_bench --target wasm32-unknown-unknown
// then: node crates/ecs-engine/benches/wasm-bench.mjs
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const path = fileURLToPath(new URL(
  "../../../target/wasm32-unknown-unknown/release/examples/wasm_bench.wasm", import.meta.url));
const { instance } = await WebAssembly.instantiate(readFileSync(path), {});
const w = instance.exports;

function best(times, f) {
  let best = Infinity;
  let result;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    result = f();
    best = Math.min(best, performance.now() - t);
  }
  return [best, result];
}

console.log(`wasm placement benchmark (${(readFileSync(path).length / 1024).toFixed(0)} KiB module, best of 5)`);
for (const size of [50, 500, 5000]) {
  w.bench_cluster(size);
  const [copy] = best(5, () => w.bench_copy());
  const [total, placed] = best(5, () => w.bench_place(size));
  console.log(`  ${String(size).padStart(5)} instances: ${(total - copy).toFixed(2)} ms building the placer and placing ${placed} tasks (cluster copy ${copy.toFixed(2)} ms excluded)`);
}
w.bench_cluster(5000);
w.bench_fill(2500);
const [build] = best(5, () => w.bench_build());
const [explain, candidates] = best(5, () => w.bench_explain());
console.log(`  one full trace at 5,000 instances after 2,500 placements: ${(explain - build).toFixed(2)} ms (${candidates} candidates; building the placer ${build.toFixed(2)} ms excluded)`);
