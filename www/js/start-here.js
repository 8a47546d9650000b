// A first visit's "start here" (index.html): the first lesson, the gallery
// and the editor, shown until dismissed, which this browser remembers. A
// script rather than a component: the first load's wasm has no room for one;
// scripts/extract-inline-loader.mjs puts it in the loader.
const key = "ecs-playground.start-here";
const box = document.getElementById("start-here");
try {
  // Not in embeds, not once dismissed, and not where storage is unavailable
  // (it could not be remembered).
  if (!/[?&]embed\b/.test(location.search) && localStorage.getItem(key) === null) {
    box.hidden = false;
    box.querySelector("button").onclick = () => {
      box.remove();
      try {
        localStorage.setItem(key, "1");
      } catch {
        // Storage full: it shows again next time.
      }
    };
  }
} catch {
  // Storage refused (a sandboxed frame): stays hidden.
}
