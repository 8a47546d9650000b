// The editor of large documents (www/js/page.js loads it on demand, when the
// open document reaches the size src/editor/large.rs sets): CodeMirror 6,
// which keeps only the lines in view in the DOM, so a key press costs the
// same in a 5 MB document as in a small one (a textarea holding 5 MB costs
// the browser more than half a second of layout per key press by itself).
// Bundled by esbuild into dist/large-editor/ (scripts/build-large-editor.sh).
//
// The text reaches the workspace (and its storage) when typing pauses, and
// at once when the page is hidden or the editor closed: copying megabytes
// out of the editor, into the page's WebAssembly and into localStorage on
// every key press is what made key presses slow. The engine's analysis of a
// large document runs in a Web Worker (analysis-worker.js, the workbench's
// build of the same engine); its findings come back as the engine's JSON:
// underlined here and listed in the lint panel under the text (this editor's
// Problems panel: Enter on one goes to it, F8 to the next, the engine's fix
// is its action), and counted in the page's status.
import { Annotation, EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json } from "@codemirror/lang-json";
import { syntaxHighlighting, HighlightStyle, bracketMatching } from "@codemirror/language";
import { linter, setDiagnostics, lintKeymap } from "@codemirror/lint";
import { tags } from "@lezer/highlight";

/** How long typing pauses before the text goes to the workspace. */
const SYNC_AFTER_MS = 400;
/** Marks the edits the page makes (they come from the workspace: not sent back). */
const fromPage = Annotation.define();

// The page's own colours (styles.css), so both editors look alike in both themes.
const theme = EditorView.theme({
  "&": { height: "460px", border: "1px solid var(--panel-border)", borderRadius: "6px", background: "var(--code-bg)", color: "var(--text)" },
  "&.cm-focused": { outline: "none", borderColor: "var(--focus)", boxShadow: "0 0 0 1px var(--focus)" },
  ".cm-scroller": { font: "var(--code-size)/var(--code-line-height) var(--code-font)" },
  ".cm-content": { padding: "8px 0", caretColor: "var(--text)" },
  ".cm-gutters": { background: "var(--gutter-bg)", color: "var(--muted)", borderRight: "1px solid var(--panel-border)" },
  ".cm-activeLine, .cm-activeLineGutter": { background: "var(--selection)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { background: "var(--selection)" },
  ".cm-cursor": { borderLeftColor: "var(--text)" },
  "&.cm-focused .cm-matchingBracket": { background: "var(--bracket-match)", outline: "1px solid var(--bracket-outline)" },
  ".cm-tooltip": { background: "var(--panel)", color: "var(--text)", border: "1px solid var(--panel-border)" },
});
const highlight = HighlightStyle.define([
  { tag: tags.propertyName, color: "var(--tok-key)" },
  { tag: tags.string, color: "var(--tok-string)" },
  { tag: tags.number, color: "var(--tok-number)" },
  { tag: [tags.bool, tags.null], color: "var(--tok-literal)" },
  { tag: tags.separator, color: "var(--tok-punct)" },
  { tag: tags.invalid, color: "var(--tok-invalid)" },
]);

// The editor open on the page (one at a time): its host, document and handle.
let open = null;

/**
 * Shows document `id` (its `text`) in `host`: mounts the editor there (closing
 * one open elsewhere or on another document), or gives it the text; then has
 * the worker analyse it in the saved workspace `saved`, shows the findings
 * and calls `onCounts(id, errors, warnings)`. `onText(id, text)` receives the
 * text when typing pauses. src/editor/large.rs calls it on every change of
 * the workspace while a large document is open.
 */
export function show(host, saved, id, text, label, onText, onCounts) {
  if (open && (open.host !== host || open.id !== id)) close();
  if (open) {
    open.editor.setText(text);
  } else {
    // In a shadow root: CodeMirror's styles then go into a constructed
    // style sheet of its own, which the page's Content-Security-Policy
    // (style-src 'self') allows, where in the document they would be an
    // inline <style> element, which it refuses. The page's colours (custom
    // properties) still reach it: they inherit into shadow trees.
    host.replaceChildren();
    host.removeAttribute("role");
    const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
    root.replaceChildren();
    open = { host, id, editor: mount(root, text, label, (text) => onText(id, text)) };
  }
  const shown = open;
  analyze(saved, id).then(
    (found) => {
      if (!found) return;
      if (open === shown) shown.editor.showFindings(found);
      onCounts(id, found.errors, found.warnings);
    },
    (error) => {
      const message = Object.assign(document.createElement("p"), { textContent: error.message });
      message.style.color = "var(--error)";
      message.setAttribute("role", "alert");
      shown.host.shadowRoot.append(message);
    },
  );
}

/**
 * Sends what was typed in the open editor and not yet sent, at once (the
 * page does this first when it is hidden, so that the save it starts then
 * holds the latest text).
 */
export function flush() {
  open?.editor.flush();
}

/** Closes the open editor: what was typed in it and not yet sent is sent first. */
export function close() {
  const closing = open;
  open = null;
  closing?.editor.destroy();
}

/**
 * Mounts the editor in `root` (a shadow root) with `text`; `label` is its accessible name,
 * `onChange(text)` receives the whole text when typing pauses. Returns the
 * page's handle (src/editor/large.rs).
 */
function mount(root, text, label, onChange) {
  let timer;
  // The text the page last had from here or gave (the one it analyses next):
  // findings are exact for it, and its fixes apply to it only.
  let synced;
  let syncedText = text;
  const sync = () => {
    clearTimeout(timer);
    timer = undefined;
    synced = view.state.doc;
    syncedText = synced.toString();
    onChange(syncedText);
  };
  const flush = () => timer !== undefined && sync();
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(), bracketMatching(),
        json(), syntaxHighlighting(highlight), theme,
        // No linting source of its own: the findings come from the engine; the panel opens when there are some.
        linter(null, { autoPanel: true }),
        keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        // tabindex: the text is in the tab order as any contenteditable is;
        // said explicitly, checkers see that its scrolling box is reachable by keyboard.
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0", spellcheck: "false", autocapitalize: "off", autocorrect: "off" }),
        EditorView.updateListener.of((update) => {
          // Only the user's edits go back: setText's come from the page.
          if (update.docChanged && !update.transactions.every((t) => t.annotation(fromPage))) {
            clearTimeout(timer);
            timer = setTimeout(sync, SYNC_AFTER_MS);
          }
        }),
      ],
    }),
  });
  synced = view.state.doc;
  const onHidden = () => document.visibilityState === "hidden" && flush();
  addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", onHidden);
  return {
    /** Sends what was typed and not yet sent. */
    flush,
    /** The text as the user sees it now. */
    text: () => view.state.doc.toString(),
    /**
     * Replaces the text with the page's when it is not what the page last
     * had from here (an undo): what was typed since is not overwritten.
     */
    setText(text) {
      if (text === syncedText) return;
      syncedText = text;
      if (text !== view.state.doc.toString()) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromPage.of(true) });
      }
      synced = view.state.doc;
    },
    /** One edit made by the page (a quick fix), undoable in the editor; offsets in UTF-16 units. */
    change(from, to, insert) {
      view.dispatch({ changes: { from, to, insert }, scrollIntoView: true });
    },
    /** Selects a range (UTF-16 offsets) and shows it. */
    select(from, to) {
      const length = view.state.doc.length;
      view.dispatch({ selection: { anchor: Math.min(from, length), head: Math.min(to, length) }, scrollIntoView: true });
      view.focus();
    },
    /**
     * Shows the engine's findings (`analyze`'s result) for the text last
     * synced: underlined, listed in the panel, each fix an action. A fix
     * applies only to the text analysed (typing since brings new findings).
     */
    showFindings({ diagnostics }) {
      const length = view.state.doc.length;
      const analysed = synced;
      view.dispatch(setDiagnostics(view.state, diagnostics.map((d) => {
        const from = Math.min(d.range.start.offsetUtf16, length);
        const fix = d.fix && {
          name: d.fix.title,
          apply(view) {
            if (view.state.doc !== analysed) return;
            const changes = d.fix.edits.map((e) => ({ from: e.range.start.offsetUtf16, to: e.range.end.offsetUtf16, insert: e.newText }));
            view.dispatch({ changes });
          },
        };
        return {
          from, to: Math.min(Math.max(d.range.end.offsetUtf16, from), length),
          severity: d.severity, message: d.message, source: d.code, actions: fix ? [fix] : [],
        };
      })));
    },
    /** Sends what was typed and not yet sent, and removes the editor. */
    destroy() {
      flush();
      removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onHidden);
      view.destroy();
    },
  };
}

// One analysis at a time; a request made while one runs waits, and a newer
// request replaces a waiting one (whose promise then resolves to null).
let worker;
let running = null;
let waiting = null;

function next() {
  if (running || !waiting) return;
  running = waiting;
  waiting = null;
  worker.postMessage({ saved: running.saved, id: running.id });
}

/**
 * The engine's findings for document `id` of the saved workspace `saved`,
 * computed in the worker: `{diagnostics, errors, warnings}` (the engine's
 * diagnostics and their counts by severity);
 * null when a newer request replaced this one before it ran.
 */
export function analyze(saved, id) {
  if (!worker) {
    worker = new Worker(new URL("analysis-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = ({ data }) => {
      const done = running;
      running = null;
      if (data.error !== undefined) {
        done.reject(new Error(data.error));
      } else {
        const diagnostics = JSON.parse(data.findings);
        const count = (severity) => diagnostics.filter((d) => d.severity === severity).length;
        done.resolve({ diagnostics, errors: count("error"), warnings: count("warning") });
      }
      next();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const failed = [running, waiting].filter(Boolean);
      running = waiting = null;
      worker = undefined;
      for (const request of failed) request.reject(new Error(`the analysis worker failed (${event.message ?? "could not load"})`));
    };
  }
  return new Promise((resolve, reject) => {
    waiting?.resolve(null);
    waiting = { saved, id, resolve, reject };
    next();
  });
}
