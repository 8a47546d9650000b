// Raw deflate for share links, by the browser's own CompressionStream and
// DecompressionStream ("deflate-raw"), so that the page's WebAssembly carries
// no deflate code. Imported by src/workspace/share_link.rs through
// wasm-bindgen, which copies this module beside the app's own script.

// The bytes may be a view into the WebAssembly memory, valid only during the
// call: the Blob copies them at once.
const streamOf = (bytes) => new Blob([bytes]).stream();

/** Raw deflate of `bytes`. */
export async function deflateRaw(bytes) {
  const compressed = streamOf(bytes).pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(compressed).arrayBuffer());
}

/**
 * Inflates raw deflate `bytes`; rejects on damaged or incomplete data, and as
 * soon as the output passes `limit` bytes (a deflate bomb), before it is all
 * in memory.
 */
export async function inflateRaw(bytes, limit) {
  const reader = streamOf(bytes).pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) throw new RangeError(`the data inflates to more than ${limit} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const inflated = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    inflated.set(chunk, at);
    at += chunk.byteLength;
  }
  return inflated;
}
